package dev.upstreamhealth.reconciler;

import dev.upstreamhealth.api.Site;
import dev.upstreamhealth.api.SiteRef;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.ResourceEventAware;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;

/**
 * Brings the probe scheduler's news into the reconcile loop: a Site is reconciled when what its
 * probes conclude changes, never for a probe that changes nothing. A deleted Site is handed to
 * its {@link SiteDeletion} at once, and so is one replaced by a Site of the same name.
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

  /**
   * A Site deleted and created again under its name while the watch was down (a relist after
   * 410 Gone) arrives as an update from the old object to the new one. The old one's probes,
   * metrics and Event memory go, as for a deletion; and the new one is reconciled, which the
   * generation filter would not do for its generation 1.
   */
  @Override
  public void onResourceUpdated(Site site, Site old) {
    String uid = site.getMetadata().getUid();
    String oldUid = old == null || old.getMetadata() == null ? null : old.getMetadata().getUid();
    if (uid != null && oldUid != null && !uid.equals(oldUid)) {
      deletion.deleted(old);
      propagateEvent(ResourceID.fromResource(site));
    }
  }
}
