package dev.upstreamhealth.reconciler;

import dev.upstreamhealth.api.Site;
import dev.upstreamhealth.api.SiteRef;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The one handler of a deleted Site (or one that left this operator's view): its probes, metrics,
 * Event memory and restart grace go with it, once. A reconcile that was running when it went cannot bring any of them back, since what
 * it starts runs only through {@link #unlessDeleted} and a deletion waits for that to finish.
 */
final class SiteDeletion {
  /** Deleted Sites remembered by uid (a Site created again under the same name is a new one). */
  private static final int REMEMBERED = 10_000;

  /**
   * One lock per stripe of Sites, not one for all: every reconcile passes through here, and
   * with a single lock thousands of Sites would queue behind each other's probe planning.
   */
  private static final int STRIPES = 64;

  private final Object[] locks = new Object[STRIPES];
  /** Guarded by itself; held only for a lookup or an insert. */
  private final Map<String, Boolean> deleted = new LinkedHashMap<>() {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
      return size() > REMEMBERED;
    }
  };
  private final List<Consumer<SiteRef>> cleanups;

  SiteDeletion(List<Consumer<SiteRef>> cleanups) {
    this.cleanups = List.copyOf(cleanups);
    for (int i = 0; i < STRIPES; i++) {
      locks[i] = new Object();
    }
  }

  void deleted(Site site) {
    String identity = identity(site);
    synchronized (lockOf(identity)) {
      synchronized (deleted) {
        deleted.put(identity, Boolean.TRUE);
      }
      cleanups.forEach(c -> c.accept(SiteRef.of(site)));
    }
  }

  /**
   * A Site this operator let go of is in its view again: relabelled back into its shard
   * ({@code siteSelector}), which the API server tells as a deletion and a creation of the same
   * object. A Site deleted for real never comes back under its uid.
   */
  void returned(Site site) {
    String identity = identity(site);
    synchronized (lockOf(identity)) {
      synchronized (deleted) {
        deleted.remove(identity);
      }
    }
  }

  /** Runs {@code action} unless the Site has been deleted; says whether it ran. */
  boolean unlessDeleted(Site site, Runnable action) {
    String identity = identity(site);
    synchronized (lockOf(identity)) {
      synchronized (deleted) {
        if (deleted.containsKey(identity)) {
          return false;
        }
      }
      action.run();
      return true;
    }
  }

  private Object lockOf(String identity) {
    return locks[Math.floorMod(identity.hashCode(), STRIPES)];
  }

  private static String identity(Site site) {
    return SiteRef.of(site) + "/" + site.getMetadata().getUid();
  }
}
