package dev.upstreamhealth.reconciler;

import dev.upstreamhealth.api.Site;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * From a dependency (an Ingress, an HTTPRoute, a gateway Service, a gateway namespace) to the
 * Sites that read it: what the mappers ask when an object changes, to know which Sites to
 * reconcile.
 *
 * <p>Kept here rather than as an index of the Sites' informer cache. Fabric8 updates a cache's
 * index by removing the object's entries and adding them again, and lets readers in between:
 * every status write replaces the Site in that cache, and a change mapped in that moment (an
 * EndpointSlice becoming ready right after the Deployment's scale-up was judged) found no Site,
 * was never reconciled, and left the Site showing RolloutInProgress. Here a Site's current keys
 * are added before its stale ones are removed, so a key it keeps is never missing.
 *
 * <p>A Site is entered at the start of each of its reconciles, before the reconcile reads
 * anything: a change made before that is in what the reconcile reads, and a change after it is
 * mapped here. Until its first reconcile a Site is in no entry, and needs none.
 */
final class SiteDependencyIndex {
  private final ConcurrentHashMap<SiteIndexes.Key, Set<ResourceID>> sitesByKey = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<ResourceID, Set<SiteIndexes.Key>> keysBySite = new ConcurrentHashMap<>();

  /** The Site reads what its spec names now; what it named before and no longer does is dropped. */
  void enter(Site site) {
    ResourceID id = ResourceID.fromResource(site);
    Set<SiteIndexes.Key> keys = SiteIndexes.keysOf(site);
    Set<SiteIndexes.Key> before = keysBySite.put(id, keys);
    keys.forEach(key -> add(key, id));
    if (before != null) {
      before.stream().filter(key -> !keys.contains(key)).forEach(key -> remove(key, id));
    }
  }

  /** The Site is gone. */
  void forget(ResourceID id) {
    Set<SiteIndexes.Key> before = keysBySite.remove(id);
    if (before != null) {
      before.forEach(key -> remove(key, id));
    }
  }

  /** The Sites under {@code index} = {@code value}; a live view, to be copied, not kept. */
  Set<ResourceID> sites(String index, String value) {
    return sitesByKey.getOrDefault(new SiteIndexes.Key(index, value), Set.of());
  }

  private void add(SiteIndexes.Key key, ResourceID id) {
    sitesByKey.compute(key, (k, ids) -> {
      Set<ResourceID> set = ids == null ? ConcurrentHashMap.newKeySet() : ids;
      set.add(id);
      return set;
    });
  }

  private void remove(SiteIndexes.Key key, ResourceID id) {
    sitesByKey.computeIfPresent(key, (k, ids) -> {
      ids.remove(id);
      return ids.isEmpty() ? null : ids;
    });
  }
}
