package dev.upstreamhealth.runtime;

import dev.upstreamhealth.api.LayerProbeStatus;
import dev.upstreamhealth.api.Site;
import dev.upstreamhealth.api.SiteRef;
import dev.upstreamhealth.api.SiteStatus;
import dev.upstreamhealth.api.ConditionStatus;
import dev.upstreamhealth.diagnosis.CdnCertificateCheck;
import dev.upstreamhealth.diagnosis.ProbeSettings;
import dev.upstreamhealth.metrics.SiteMetrics;
import dev.upstreamhealth.probe.ProbeLayer;
import dev.upstreamhealth.reconciler.VerdictSink;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** What a Site's status shows, published as its Prometheus series: alerts and kubectl never disagree. */
public final class MetricsVerdictSink implements VerdictSink {
  private final SiteMetrics sites;

  public MetricsVerdictSink(SiteMetrics sites) {
    this.sites = sites;
  }

  @Override
  public void shown(Site site, SiteStatus status) {
    SiteRef key = SiteRef.of(site);
    Map<String, String> trueConditions = new LinkedHashMap<>();
    status.getConditions().stream().filter(c -> ConditionStatus.TRUE.text().equals(c.getStatus()))
        .forEach(c -> trueConditions.put(c.getType(), c.getReason()));
    sites.recordVerdict(key, status.getFault(), trueConditions);
    sites.recordReason(key, status.getReason());
    sites.maintenanceDeclared(key, site.getSpec() != null && site.getSpec().getMaintenance() != null
        && Boolean.TRUE.equals(site.getSpec().getMaintenance().getActive()));
    // The expiry and its warning threshold are what the certificate alert reads: none for a Site
    // not warned of it. The threshold is the Site's own, as the diagnosis's CertificateExpiring.
    boolean warned = CdnCertificateCheck.warnsOfExpiry(site.getSpec());
    sites.originCertificateExpiry(key, !warned ? Optional.empty()
        : Optional.ofNullable(status.getProbes())
            .flatMap(layers -> layers.stream().filter(l -> ProbeLayer.ORIGIN.label().equals(l.getLayer())).findFirst())
            .map(LayerProbeStatus::getCertificateNotAfter).map(Instant::parse),
        warned ? ProbeSettings.certificateWarningDays(site.getSpec().getProbe()) : 0);
  }

  @Override
  public void evaluationFailed(SiteRef site) {
    sites.evaluationFailed(site);
  }

  @Override
  public void forget(SiteRef site) {
    sites.forget(site);
  }
}
