package dev.upstreamhealth.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.upstreamhealth.api.SiteRef;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Site series as Prometheus scrapes them from the real server. */
class SiteMetricsTest {
  private static final SiteRef WEB_SHOP = new SiteRef("web", "shop");
  private static final SiteRef WEB_BLOG = new SiteRef("web", "blog");
  private OperatorMetrics metrics;
  private OperatorHttpServer server;

  @BeforeEach
  void start() {
    metrics = new OperatorMetrics();
    server = OperatorHttpServer.start(0, metrics.registry(), Optional::empty);
  }

  @AfterEach
  void stop() {
    server.close();
    metrics.close();
  }

  @Test
  void currentFaultIsOneAndEveryOtherFaultZero() {
    metrics.sites().recordVerdict(WEB_SHOP, "502", Map.of("BadGateway", "UpstreamCrashLooping"));

    Exposition scrape = Http.scrape(server.port());
    for (String fault : SiteMetrics.FAULTS) {
      assertThat(scrape.value("upstreamhealth_site_fault", Map.of("namespace", "web", "site", "shop", "fault", fault)))
          .as("fault=%s", fault)
          .contains(fault.equals("502") ? 1.0 : 0.0);
    }
  }

  @Test
  void faultMovesWhenTheVerdictChanges() {
    metrics.sites().recordVerdict(WEB_SHOP, "521", Map.of("OriginDown", "ConnectionRefused"));
    metrics.sites().recordVerdict(WEB_SHOP, "None", Map.of("Ready", "Healthy"));

    Exposition scrape = Http.scrape(server.port());
    assertThat(scrape.value("upstreamhealth_site_fault", Map.of("namespace", "web", "site", "shop", "fault", "521")))
        .contains(0.0);
    assertThat(scrape.value("upstreamhealth_site_fault", Map.of("namespace", "web", "site", "shop", "fault", "None")))
        .contains(1.0);
  }

  @Test
  void unknownFaultValueIsShownAsUnknownWithoutANewSeries() {
    metrics.sites().recordVerdict(WEB_SHOP, "418", Map.of());

    Exposition scrape = Http.scrape(server.port());
    assertThat(scrape.find("upstreamhealth_site_fault", Map.of("site", "shop"))).hasSize(SiteMetrics.FAULTS.size());
    assertThat(scrape.value("upstreamhealth_site_fault", Map.of("namespace", "web", "site", "shop", "fault", "Unknown")))
        .contains(1.0);
  }

  @Test
  void trueConditionsAppearWithTheirReason() {
    metrics.sites().recordVerdict(WEB_SHOP, "521",
        Map.of("OriginDown", "GatewayDown", "BadGateway", "BackendServiceMissing"));

    Exposition scrape = Http.scrape(server.port());
    assertThat(scrape.value("upstreamhealth_site_condition",
        Map.of("namespace", "web", "site", "shop", "type", "OriginDown", "reason", "GatewayDown"))).contains(1.0);
    assertThat(scrape.value("upstreamhealth_site_condition",
        Map.of("namespace", "web", "site", "shop", "type", "BadGateway", "reason", "BackendServiceMissing")))
        .contains(1.0);
  }

  @Test
  void conditionThatClearsOrChangesReasonLeavesNoStaleSeries() {
    metrics.sites().recordVerdict(WEB_SHOP, "503",
        Map.of("ServiceUnavailable", "RolloutInProgress", "Degraded", "PartialUpstreamFailure"));
    metrics.sites().recordVerdict(WEB_SHOP, "503", Map.of("ServiceUnavailable", "NoReadyEndpoints"));

    Exposition scrape = Http.scrape(server.port());
    assertThat(scrape.find("upstreamhealth_site_condition", Map.of("site", "shop")))
        .extracting(Exposition.Sample::labels, Exposition.Sample::value)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(
            Map.of("namespace", "web", "site", "shop", "type", "ServiceUnavailable", "reason", "NoReadyEndpoints"),
            1.0));
  }

  @Test
  void forgottenSiteHasNoSeriesLeft() {
    metrics.sites().recordVerdict(WEB_SHOP, "503", Map.of("ServiceUnavailable", "ScaledToZero"));
    metrics.sites().recordVerdict(WEB_BLOG, "None", Map.of("Ready", "Healthy"));

    metrics.sites().forget(WEB_SHOP);

    Exposition scrape = Http.scrape(server.port());
    assertThat(scrape.find("upstreamhealth_site_fault", Map.of("site", "shop"))).isEmpty();
    assertThat(scrape.find("upstreamhealth_site_condition", Map.of("site", "shop"))).isEmpty();
    assertThat(scrape.find("upstreamhealth_site_fault", Map.of("site", "blog"))).hasSize(SiteMetrics.FAULTS.size());
  }

  @Test
  void forgottenSiteLeavesNoSeriesOfAnyFamily() {
    metrics.sites().recordVerdict(WEB_SHOP, "521", Map.of("OriginDown", "ConnectionRefused", "Degraded", "CertificateExpiring"));
    metrics.sites().recordReason(WEB_SHOP, "ConnectionRefused");
    metrics.sites().originCertificateExpiry(WEB_SHOP, Optional.of(Instant.parse("2027-01-31T12:00:00Z")), 14);
    metrics.sites().evaluationFailed(WEB_SHOP);
    metrics.sites().recordVerdict(WEB_BLOG, "None", Map.of("Ready", "Healthy"));
    assertThat(siteSamples(Http.scrape(server.port()), "shop")).as("shop before forget").hasSize(SiteMetrics.FAULTS.size() + 7);

    metrics.sites().forget(WEB_SHOP);
    metrics.sites().forget(new SiteRef("web", "never-seen"));

    Exposition scrape = Http.scrape(server.port());
    assertThat(siteSamples(scrape, "shop")).isEmpty();
    assertThat(scrape.text()).doesNotContain("site=\"shop\"").doesNotContain("upstreamhealth_site_evaluation_failures")
        .doesNotContain("upstreamhealth_origin_certificate_expiry_timestamp_seconds")
        .doesNotContain("upstreamhealth_origin_certificate_warning_threshold_seconds")
        .doesNotContain("upstreamhealth_site_reason");
    assertThat(siteSamples(scrape, "blog")).hasSize(SiteMetrics.FAULTS.size() + 2);
  }

  /**
   * A Site failing and recovering again and again: each time a fault visitors get begins, the
   * counter goes up, from 0, so that a rule's increase() sees the first one too. A restart's first
   * verdict, waiting (Unknown), a change of fault within one outage and declared maintenance are
   * no onsets.
   */
  @Test
  void eachFaultThatBeginsIsCountedAndNothingElse() {
    SiteMetrics sites = metrics.sites();
    sites.recordVerdict(WEB_SHOP, "502", Map.of("BadGateway", "UpstreamCrashLooping"));
    sites.recordVerdict(WEB_BLOG, "None", Map.of("Ready", "Healthy"));
    assertThat(onsets("shop")).as("a first verdict showing a fault (a restart's) is no onset").contains(0.0);
    assertThat(onsets("blog")).as("shown from 0").contains(0.0);

    sites.recordVerdict(WEB_SHOP, "None", Map.of("Ready", "Healthy"));
    for (int flap = 0; flap < 3; flap++) {
      sites.recordVerdict(WEB_SHOP, "521", Map.of("OriginDown", "ConnectionRefused"));
      sites.recordVerdict(WEB_SHOP, "502", Map.of("BadGateway", "GatewayReturned502"));
      sites.recordVerdict(WEB_SHOP, "None", Map.of("Ready", "Healthy"));
    }
    assertThat(onsets("shop")).as("three faults began; a change of kind within one is none").contains(3.0);

    sites.recordVerdict(WEB_BLOG, "Unknown", Map.of());
    sites.recordVerdict(WEB_BLOG, "None", Map.of("Ready", "Healthy"));
    sites.recordVerdict(WEB_BLOG, "503", Map.of("ServiceUnavailable", "MaintenanceMode"));
    sites.recordVerdict(WEB_BLOG, "None", Map.of("Ready", "Healthy"));
    sites.recordVerdict(WEB_BLOG, "503", Map.of("ServiceUnavailable", "RolloutInProgress"));
    sites.recordVerdict(WEB_BLOG, "None", Map.of("Ready", "Healthy"));
    assertThat(onsets("blog")).as("waiting, declared maintenance, a rollout's 503").contains(0.0);
    sites.recordVerdict(WEB_BLOG, "502", Map.of("BadGateway", "UpstreamCrashLooping", "ServiceUnavailable", "MaintenanceMode"));
    assertThat(onsets("blog")).as("a 502 while maintenance is declared is no maintenance").contains(1.0);
    sites.recordVerdict(WEB_BLOG, "None", Map.of("Ready", "Healthy"));
    sites.recordVerdict(WEB_BLOG, "Other", Map.of());
    assertThat(onsets("blog")).contains(2.0);
  }

  private java.util.Optional<Double> onsets(String site) {
    return Http.scrape(server.port()).value("upstreamhealth_site_fault_onsets_total", Map.of("namespace", "web", "site", site));
  }

  @Test
  void aSiteWithoutAVerdictYetShowsNoFaultSeries() {
    metrics.sites().evaluationFailed(WEB_SHOP);
    metrics.sites().recordReason(WEB_BLOG, "EvaluationFailed");

    Exposition scrape = Http.scrape(server.port());
    assertThat(scrape.find("upstreamhealth_site_fault", Map.of())).isEmpty();
    assertThat(scrape.value("upstreamhealth_site_evaluation_failures_total", Map.of("namespace", "web", "site", "shop")))
        .contains(1.0);
    assertThat(siteSamples(scrape, "shop")).hasSize(1);
    assertThat(siteSamples(scrape, "blog")).hasSize(1);
  }

  @Test
  void thousandSitesGiveExactlyTheirSeriesAndOneFaultEachAtOne() {
    for (int i = 0; i < 1000; i++) {
      SiteRef site = new SiteRef("ns-" + i % 10, "site-" + i);
      boolean broken = i % 10 == 0;
      metrics.sites().recordVerdict(site, broken ? "502" : "None", broken
          ? Map.of("BadGateway", "UpstreamCrashLooping", "Degraded", "PartialUpstreamFailure")
          : Map.of("Ready", "Healthy"));
      metrics.sites().recordReason(site, broken ? "UpstreamCrashLooping" : "Healthy");
      if (i % 2 == 0) {
        metrics.sites().originCertificateExpiry(site, Optional.of(Instant.ofEpochSecond(1_800_000_000L + i)), 14);
      }
      if (broken) {
        metrics.sites().evaluationFailed(site);
      }
    }
    for (int i = 500; i < 1000; i++) {
      metrics.sites().forget(new SiteRef("ns-" + i % 10, "site-" + i));
    }

    Exposition scrape = Http.scrape(server.port());
    var faults = scrape.find("upstreamhealth_site_fault", Map.of());
    assertThat(faults).hasSize(500 * SiteMetrics.FAULTS.size());
    assertThat(faults).filteredOn(s -> s.value() == 1.0).hasSize(500)
        .extracting(s -> s.labels().get("site")).doesNotHaveDuplicates();
    assertThat(faults).filteredOn(s -> s.value() == 1.0 && s.labels().get("fault").equals("502")).hasSize(50);
    assertThat(scrape.find("upstreamhealth_site_condition", Map.of())).hasSize(450 + 50 * 2);
    assertThat(scrape.find("upstreamhealth_site_reason", Map.of())).hasSize(500);
    assertThat(scrape.find("upstreamhealth_origin_certificate_expiry_timestamp_seconds", Map.of())).hasSize(250);
    assertThat(scrape.find("upstreamhealth_origin_certificate_warning_threshold_seconds", Map.of())).hasSize(250);
    assertThat(scrape.find("upstreamhealth_site_evaluation_failures_total", Map.of())).hasSize(50);
    assertThat(scrape.find("upstreamhealth_site_fault_onsets_total", Map.of())).hasSize(500);
    assertThat(scrape.samples()).filteredOn(s -> s.labels().containsKey("site")).hasSize(
        500 * SiteMetrics.FAULTS.size() + 550 + 500 + 250 + 250 + 50 + 500);
  }

  @Test
  void probeLatencyLandsInHistogramBuckets() {
    metrics.sites().probeObserved("origin", "Responded", Duration.ofMillis(40));
    metrics.sites().probeObserved("origin", "Responded", Duration.ofMillis(700));
    metrics.sites().probeObserved("upstream", "ConnectionRefused", Duration.ofMillis(2));

    Exposition scrape = Http.scrape(server.port());
    Map<String, String> originResponded = Map.of("layer", "origin", "result", "Responded");
    assertThat(bucket(scrape, originResponded, "0.025")).isEqualTo(0.0);
    assertThat(bucket(scrape, originResponded, "0.05")).isEqualTo(1.0);
    assertThat(bucket(scrape, originResponded, "1.0")).isEqualTo(2.0);
    assertThat(bucket(scrape, originResponded, "+Inf")).isEqualTo(2.0);
    assertThat(scrape.value("upstreamhealth_probe_duration_seconds_count", originResponded)).contains(2.0);
    assertThat(scrape.value("upstreamhealth_probe_duration_seconds_sum", originResponded)).contains(0.74);
    assertThat(bucket(scrape, Map.of("layer", "upstream", "result", "ConnectionRefused"), "0.005")).isEqualTo(1.0);
    assertThat(scrape.text()).contains("# TYPE upstreamhealth_probe_duration_seconds histogram");
  }

  @Test
  void skippedProbeRoundsAreCountedByLayer() {
    metrics.sites().probeRoundSkipped("upstream");
    metrics.sites().probeRoundSkipped("upstream");
    metrics.sites().probeRoundSkipped("10.0.0.1");

    Exposition scrape = Http.scrape(server.port());
    assertThat(scrape.value("upstreamhealth_probe_rounds_skipped_total", Map.of("layer", "upstream"))).contains(2.0);
    assertThat(scrape.value("upstreamhealth_probe_rounds_skipped_total", Map.of("layer", "unknown")))
        .as("a layer that is none of the three is not a label value of its own").contains(1.0);
    assertThat(scrape.find("upstreamhealth_probe_rounds_skipped_total", Map.of("layer", "origin")))
        .as("no round of the origin was skipped").isEmpty();
    assertThat(scrape.text()).contains("# TYPE upstreamhealth_probe_rounds_skipped_total counter");
  }

  @Test
  void probeLabelsStayBounded() {
    for (int i = 0; i < SiteMetrics.MAX_RESULTS + 10; i++) {
      metrics.sites().probeObserved("10.0.0." + i, "Result" + i, Duration.ofMillis(1));
    }

    Exposition scrape = Http.scrape(server.port());
    var counts = scrape.find("upstreamhealth_probe_duration_seconds_count", Map.of());
    assertThat(counts).allSatisfy(s -> assertThat(s.labels().get("layer")).isEqualTo("unknown"));
    assertThat(counts).hasSize(SiteMetrics.MAX_RESULTS + 1);
    assertThat(scrape.value("upstreamhealth_probe_duration_seconds_count",
        Map.of("layer", "unknown", "result", SiteMetrics.OTHER_RESULT))).contains(10.0);
  }

  private static java.util.List<Exposition.Sample> siteSamples(Exposition scrape, String site) {
    return scrape.samples().stream().filter(s -> site.equals(s.labels().get("site"))).toList();
  }

  private static double bucket(Exposition scrape, Map<String, String> labels, String le) {
    var withLe = new java.util.HashMap<>(labels);
    withLe.put("le", le);
    return scrape.value("upstreamhealth_probe_duration_seconds_bucket", withLe)
        .orElseThrow(() -> new AssertionError("no bucket le=" + le + " in\n" + scrape.text()));
  }
}
