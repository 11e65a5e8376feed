package dev.upstreamhealth.reconciler;

import dev.upstreamhealth.api.Site;
import dev.upstreamhealth.api.SiteRef;
import dev.upstreamhealth.api.SiteStatus;

/**
 * Where what a Site's status shows goes besides the API server: the metrics, kept apart from the
 * reconcile logic, so that alerts and {@code kubectl get sites} never disagree.
 */
public interface VerdictSink {
  /** What {@code site}'s status shows now; its spec says what of it is alerted on. */
  void shown(Site site, SiteStatus status);

  /**
   * The reconcile of the Site failed with an error: counted, since the status says only that the
   * last one failed, not how often (a Site whose reconciles fail now and then shows a verdict between).
   */
  void evaluationFailed(SiteRef site);

  void forget(SiteRef site);
}
