package dev.upstreamhealth.reconciler;

import dev.upstreamhealth.api.Site;
import io.javaoperatorsdk.operator.health.InformerHealthIndicator;
import io.javaoperatorsdk.operator.health.InformerWrappingEventSourceHealthIndicator;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which caches the diagnosis reads have not synced yet. JOSDK starts reconciling once its
 * informers' sync timeout has passed, even when one cannot list (RBAC not applied yet, a slow
 * first list), and an empty cache reads as "no such object". Every informer among the given
 * event sources counts, so one added later is covered without being named here.
 */
final class CacheSync {
  private final List<? extends EventSource<?, ?>> sources;

  CacheSync(List<? extends EventSource<?, ?>> sources) {
    this.sources = List.copyOf(sources);
  }

  /** Names of the event sources with an informer (in any namespace) that has not listed in full yet. */
  Set<String> notSynced() {
    Set<String> names = new TreeSet<>();
    for (EventSource<?, ?> source : sources) {
      if (!(source instanceof InformerWrappingEventSourceHealthIndicator<?> informers)) {
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
   * The same for one Site: an HTTPRoute Site also waits for the Gateway API caches, which start
   * on their own (late, when the Gateway API is installed while the operator runs); other Sites do not.
   */
  Set<String> notSynced(Site site) {
    Set<String> names = notSynced();
    if (SiteIndexes.httpRoute(site) != null) {
      sources.stream().filter(s -> s instanceof GatewayApiInformers g && !g.synced())
          .forEach(s -> names.add(s.name()));
    }
    return names;
  }
}
