package dev.upstreamhealth.reconciler;

import dev.upstreamhealth.api.Site;
import dev.upstreamhealth.api.SiteRef;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.ResourceEventAware;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;

/**
 * Brings the probe scheduler's news into the reconcile loop: a Site is reconciled when what its
 * probes conclude changes, never for a probe that changes nothing. A deleted Site is handed to
 * its {@link SiteDeletion} at once.
 */
final class ProbeConclusions extends SimpleInboundEventSource<Site> implements ResourceEventAware<Site> {
  private final SiteDeletion deletion;

  ProbeConclusions(SiteDeletion deletion) {
    super("ProbeConclusions");
    this.deletion = deletion;
  }

  void conclusionChanged(SiteRef site) {
    propagateEvent(new ResourceID(site.name(), site.namespace()));
  }

  @Override
  public void onResourceCreated(Site site) {
    deletion.returned(site);
  }

  @Override
  public void onResourceDeleted(Site site) {
    deletion.deleted(site);
  }
}
