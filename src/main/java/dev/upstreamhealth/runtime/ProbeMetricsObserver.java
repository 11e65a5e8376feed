package dev.upstreamhealth.runtime;

import dev.upstreamhealth.metrics.SiteMetrics;
import dev.upstreamhealth.probe.ProbeObserver;
import dev.upstreamhealth.probe.ProbeResult;
import dev.upstreamhealth.probe.ProbeTarget;

/** Every probe's latency into the histogram, every lost round into its counter. */
final class ProbeMetricsObserver implements ProbeObserver {
  private final SiteMetrics metrics;

  ProbeMetricsObserver(SiteMetrics metrics) {
    this.metrics = metrics;
  }

  @Override
  public void observed(ProbeResult result) {
    metrics.probeObserved(result.target().layer().label(), result.outcome().label(), result.latency());
  }

  @Override
  public void roundSkipped(ProbeTarget target) {
    metrics.probeRoundSkipped(target.layer().label());
  }
}
