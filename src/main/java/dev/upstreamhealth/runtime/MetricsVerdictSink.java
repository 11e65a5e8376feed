package dev.upstreamhealth.runtime;

import dev.upstreamhealth.api.SiteStatus;
import dev.upstreamhealth.metrics.SiteMetrics;
import dev.upstreamhealth.probe.SiteKey;
import dev.upstreamhealth.reconciler.VerdictSink;
import java.util.LinkedHashMap;
import java.util.Map;

/** What a Site's status shows, published as its Prometheus series: alerts and kubectl never disagree. */
public final class MetricsVerdictSink implements VerdictSink {
  private final SiteMetrics sites;

  public MetricsVerdictSink(SiteMetrics sites) {
    this.sites = sites;
  }

  @Override
  public void shown(SiteKey site, SiteStatus status) {
    Map<String, String> trueConditions = new LinkedHashMap<>();
    status.getConditions().stream().filter(c -> "True".equals(c.getStatus()))
        .forEach(c -> trueConditions.put(c.getType(), c.getReason()));
    sites.recordVerdict(site.namespace(), site.name(), status.getFault(), trueConditions);
    sites.recordReason(site.namespace(), site.name(), status.getReason());
    sites.originCertificateExpiry(site.namespace(), site.name(), java.util.Optional.ofNullable(status.getProbes())
        .flatMap(layers -> layers.stream().filter(l -> "origin".equals(l.getLayer())).findFirst())
        .map(l -> l.getCertificateNotAfter()).map(java.time.Instant::parse));
  }

  @Override
  public void evaluationFailed(SiteKey site) {
    sites.evaluationFailed(site.namespace(), site.name());
  }

  @Override
  public void forget(SiteKey site) {
    sites.forget(site.namespace(), site.name());
  }
}
