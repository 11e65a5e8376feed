package dev.upstreamhealth.reconciler;

import dev.upstreamhealth.api.Site;
import io.javaoperatorsdk.operator.health.InformerHealthIndicator;
import io.javaoperatorsdk.operator.health.InformerWrappingEventSourceHealthIndicator;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which caches the diagnosis reads have not synced yet. JOSDK starts reconciling once its
 * informers' sync timeout has passed, even when one cannot list (RBAC not applied yet, a slow
 * first list), and an empty cache reads as "no such object". Every informer among the given
 * event sources counts, so one added later is covered without being named here.
 *
 * <p>An informer on one namespace (the controller told to watch several by name) counts only for
 * the Sites that read that namespace: one that cannot list (its namespace deleted with the Role
 * that let the operator in, a restricted install) must not hold every other Site at its stored
 * status for as long as it lasts, a stored fault shown after it has cleared.
 */
final class CacheSync {
  private final List<? extends EventSource<?, ?>> sources;
  private final Map<String, String> namespaceBySource;

  /** @param namespaceBySource the namespace of each event source that watches one namespace only, by name */
  CacheSync(List<? extends EventSource<?, ?>> sources, Map<String, String> namespaceBySource) {
    this.sources = List.copyOf(sources);
    this.namespaceBySource = Map.copyOf(namespaceBySource);
  }

  /**
   * Names of the event sources with an informer that has not listed in full yet, among those
   * watching every namespace or one of {@code namespaces} (empty: any namespace).
   */
  private Set<String> notSynced(Optional<Set<String>> namespaces) {
    Set<String> names = new TreeSet<>();
    for (EventSource<?, ?> source : sources) {
      if (!(source instanceof InformerWrappingEventSourceHealthIndicator<?> informers)) {
        continue;
      }
      String namespace = namespaceBySource.get(source.name());
      if (namespace != null && namespaces.isPresent() && !namespaces.get().contains(namespace)) {
        continue;
      }
      boolean started = !(source instanceof AbstractEventSource<?, ?> s) || s.isRunning();
      if (!started || !informers.informerHealthIndicators().values().stream().allMatch(InformerHealthIndicator::hasSynced)) {
        names.add(source.name());
      }
    }
    return names;
  }

  /**
   * The same for one Site, which reads the objects of {@code namespacesRead} (empty: of any
   * namespace): an HTTPRoute Site also waits for the Gateway API caches, which start on their own
   * (late, when the Gateway API is installed while the operator runs); other Sites do not.
   */
  Set<String> notSynced(Site site, Optional<Set<String>> namespacesRead) {
    Set<String> names = notSynced(namespacesRead);
    if (SiteIndexes.httpRoute(site) != null) {
      sources.stream().filter(s -> s instanceof GatewayApiInformers g && !g.synced())
          .forEach(s -> names.add(s.name()));
    }
    return names;
  }
}
