package dev.upstreamhealth.reconciler;

import dev.upstreamhealth.diagnosis.Verdict;
import dev.upstreamhealth.probe.SiteKey;

/** Where each verdict goes besides the status: the metrics, kept apart from the reconcile logic. */
public interface VerdictSink {
  void verdict(SiteKey site, Verdict verdict);

  void forget(SiteKey site);

  VerdictSink NONE = new VerdictSink() {
    @Override
    public void verdict(SiteKey site, Verdict verdict) {}

    @Override
    public void forget(SiteKey site) {}
  };
}
