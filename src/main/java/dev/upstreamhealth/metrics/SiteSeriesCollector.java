package dev.upstreamhealth.metrics;

import dev.upstreamhealth.api.SiteRef;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Every Site's series, built at scrape time from one {@link SiteSeries} per Site. The names and
 * HELP texts are those the series had as Micrometer meters: dashboards and alert rules read them.
 */
final class SiteSeriesCollector implements MultiCollector {
  static final String FAULT = "upstreamhealth_site_fault";
  static final String CONDITION = "upstreamhealth_site_condition";
  static final String REASON = "upstreamhealth_site_reason";
  static final String CERTIFICATE_EXPIRY = "upstreamhealth_origin_certificate_expiry_timestamp_seconds";
  static final String CERTIFICATE_WARNING = "upstreamhealth_origin_certificate_warning_threshold_seconds";
  /** A counter: the text format adds {@code _total}. */
  static final String EVALUATION_FAILURES = "upstreamhealth_site_evaluation_failures";

  /** A counter: the text format adds {@code _total}. */
  static final String FAULT_ONSETS = "upstreamhealth_site_fault_onsets";
  static final String MAINTENANCE_DECLARED = "upstreamhealth_site_maintenance_declared";

  private static final String FAULT_HELP =
      "1 for the error a visitor would get through the CDN now, 0 for the others";
  private static final String CONDITION_HELP = "1 while the Site's condition is True, for its reason";
  private static final String REASON_HELP = "1 for the Site's status.reason: the reason of its verdict";
  private static final String CERTIFICATE_EXPIRY_HELP =
      "When the certificate the Site's origin presents expires, Unix time in seconds";
  private static final String CERTIFICATE_WARNING_HELP =
      "How long before its origin certificate expires the Site is warned (probe.certificateWarningDays), in seconds";
  private static final String EVALUATION_FAILURES_HELP =
      "Reconciles of the Site that failed with an error instead of a verdict";

  private static final String MAINTENANCE_DECLARED_HELP =
      "1 while the Site declares maintenance (spec.maintenance.active); no series otherwise";

  private static final String FAULT_ONSETS_HELP =
      "Times the Site's fault went from None to one visitors get (521, 502, 503, Other; a 503 of declared maintenance or a rollout aside)";

  private final Map<SiteRef, SiteSeries> sites;

  SiteSeriesCollector(Map<SiteRef, SiteSeries> sites) {
    this.sites = sites;
  }

  @Override
  public MetricSnapshots collect() {
    List<GaugeDataPointSnapshot> faults = new ArrayList<>(sites.size() * SiteMetrics.FAULTS.size());
    List<GaugeDataPointSnapshot> conditions = new ArrayList<>(sites.size());
    List<GaugeDataPointSnapshot> reasons = new ArrayList<>(sites.size());
    List<GaugeDataPointSnapshot> certificates = new ArrayList<>();
    List<GaugeDataPointSnapshot> warnings = new ArrayList<>();
    List<CounterDataPointSnapshot> failures = new ArrayList<>();
    List<CounterDataPointSnapshot> onsets = new ArrayList<>(sites.size());
    List<GaugeDataPointSnapshot> maintenance = new ArrayList<>();
    // Each SiteSeries is immutable, so a Site's fault is one-hot in every scrape, even mid-update.
    sites.forEach((site, series) -> {
      String namespace = site.namespace();
      String name = site.name();
      if (series.fault() != null) {
        for (String fault : SiteMetrics.FAULTS) {
          faults.add(gauge(fault.equals(series.fault()) ? 1 : 0,
              Labels.of("fault", fault, "namespace", namespace, "site", name)));
        }
        // From 0 on, so that a rule's increase() sees the first onset too.
        onsets.add(CounterDataPointSnapshot.builder().value(series.faultOnsets())
            .labels(Labels.of("namespace", namespace, "site", name)).build());
      }
      series.trueConditions().forEach((type, reason) -> conditions.add(
          gauge(1, Labels.of("namespace", namespace, "reason", reason, "site", name, "type", type))));
      if (series.reason() != null) {
        reasons.add(gauge(1, Labels.of("namespace", namespace, "reason", series.reason(), "site", name)));
      }
      if (series.hasCertificate()) {
        Labels labels = Labels.of("namespace", namespace, "site", name);
        certificates.add(gauge(series.certificateNotAfter(), labels));
        warnings.add(gauge(series.certificateWarningDays() * 86_400L, labels));
      }
      if (series.maintenanceDeclared()) {
        maintenance.add(gauge(1, Labels.of("namespace", namespace, "site", name)));
      }
      if (series.evaluationFailures() > 0) {
        failures.add(CounterDataPointSnapshot.builder().value(series.evaluationFailures())
            .labels(Labels.of("namespace", namespace, "site", name)).build());
      }
    });
    // A family without samples is left out, as Micrometer left out a name whose meters were all removed.
    List<MetricSnapshot> families = new ArrayList<>(8);
    if (!faults.isEmpty()) {
      families.add(new GaugeSnapshot(new MetricMetadata(FAULT, FAULT_HELP), faults));
    }
    if (!conditions.isEmpty()) {
      families.add(new GaugeSnapshot(new MetricMetadata(CONDITION, CONDITION_HELP), conditions));
    }
    if (!reasons.isEmpty()) {
      families.add(new GaugeSnapshot(new MetricMetadata(REASON, REASON_HELP), reasons));
    }
    if (!certificates.isEmpty()) {
      families.add(new GaugeSnapshot(new MetricMetadata(CERTIFICATE_EXPIRY, CERTIFICATE_EXPIRY_HELP), certificates));
    }
    if (!warnings.isEmpty()) {
      families.add(new GaugeSnapshot(new MetricMetadata(CERTIFICATE_WARNING, CERTIFICATE_WARNING_HELP), warnings));
    }
    if (!failures.isEmpty()) {
      families.add(new CounterSnapshot(new MetricMetadata(EVALUATION_FAILURES, EVALUATION_FAILURES_HELP), failures));
    }
    if (!onsets.isEmpty()) {
      families.add(new CounterSnapshot(new MetricMetadata(FAULT_ONSETS, FAULT_ONSETS_HELP), onsets));
    }
    if (!maintenance.isEmpty()) {
      families.add(new GaugeSnapshot(new MetricMetadata(MAINTENANCE_DECLARED, MAINTENANCE_DECLARED_HELP), maintenance));
    }
    return new MetricSnapshots(families);
  }

  /** Lets the Prometheus registry refuse a second collector of the same names. */
  @Override
  public List<String> getPrometheusNames() {
    return List.of(FAULT, CONDITION, REASON, CERTIFICATE_EXPIRY, CERTIFICATE_WARNING, EVALUATION_FAILURES, FAULT_ONSETS,
        MAINTENANCE_DECLARED);
  }

  private static GaugeDataPointSnapshot gauge(double value, Labels labels) {
    return GaugeDataPointSnapshot.builder().value(value).labels(labels).build();
  }
}
