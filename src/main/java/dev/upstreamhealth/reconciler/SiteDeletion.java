package dev.upstreamhealth.reconciler;

import dev.upstreamhealth.api.Site;
import dev.upstreamhealth.api.SiteRef;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The one handler of a deleted Site: its probes, metrics, Event memory and restart grace go with
 * it, once. A reconcile that was running when it went cannot bring any of them back, since what
 * it starts runs only through {@link #unlessDeleted} and a deletion waits for that to finish.
 */
final class SiteDeletion {
  /** Deleted Sites remembered by uid (a Site created again under the same name is a new one). */
  private static final int REMEMBERED = 10_000;

  private final Object lock = new Object();
  private final Map<String, Boolean> deleted = new LinkedHashMap<>() {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
      return size() > REMEMBERED;
    }
  };
  private final List<Consumer<SiteRef>> cleanups;

  SiteDeletion(List<Consumer<SiteRef>> cleanups) {
    this.cleanups = List.copyOf(cleanups);
  }

  void deleted(Site site) {
    synchronized (lock) {
      deleted.put(identity(site), Boolean.TRUE);
      cleanups.forEach(c -> c.accept(SiteRef.of(site)));
    }
  }

  /** Runs {@code action} unless the Site has been deleted; says whether it ran. */
  boolean unlessDeleted(Site site, Runnable action) {
    synchronized (lock) {
      if (deleted.containsKey(identity(site))) {
        return false;
      }
      action.run();
      return true;
    }
  }

  private static String identity(Site site) {
    return SiteRef.of(site) + "/" + site.getMetadata().getUid();
  }
}
