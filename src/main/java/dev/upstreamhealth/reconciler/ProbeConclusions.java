package dev.upstreamhealth.reconciler;

import dev.upstreamhealth.api.Site;
import dev.upstreamhealth.probe.SiteKey;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.ResourceEventAware;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import java.util.function.Consumer;

/**
 * Brings the probe scheduler's news into the reconcile loop: a Site is reconciled when what its
 * probes conclude changes, never for a probe that changes nothing. A deleted Site stops its
 * probes at once.
 */
final class ProbeConclusions extends SimpleInboundEventSource<Site> implements ResourceEventAware<Site> {
  private final Consumer<SiteKey> onSiteDeleted;

  ProbeConclusions(Consumer<SiteKey> onSiteDeleted) {
    super("ProbeConclusions");
    this.onSiteDeleted = onSiteDeleted;
  }

  void conclusionChanged(SiteKey site) {
    propagateEvent(new ResourceID(site.name(), site.namespace()));
  }

  @Override
  public void onResourceDeleted(Site site) {
    onSiteDeleted.accept(keyOf(site));
  }

  static SiteKey keyOf(Site site) {
    return new SiteKey(site.getMetadata().getNamespace(), site.getMetadata().getName());
  }
}
