package dev.upstreamhealth.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.upstreamhealth.api.SiteRef;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Site series exactly as {@code /metrics} serves them, line by line: names, HELP and TYPE
 * text, label order, value format and order of series. Dashboards, alert rules and recording
 * rules read these bytes, so a change in how they are kept must not change them.
 */
class SiteExpositionTest {
  private static final SiteRef WEB_SHOP = new SiteRef("web", "shop");
  private static final SiteRef WEB_BLOG = new SiteRef("web", "blog");
  private static final SiteRef SHOP_CART = new SiteRef("shop", "cart");
  private static final SiteRef WEB_GONE = new SiteRef("web", "gone");
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
  void siteSeriesAreServedExactlyAsPinned() {
    SiteMetrics sites = metrics.sites();
    sites.recordVerdict(WEB_SHOP, "521", Map.of("OriginDown", "ConnectionRefused"));
    sites.recordVerdict(WEB_SHOP, "502", Map.of("BadGateway", "UpstreamCrashLooping", "Degraded", "CertificateExpiring"));
    sites.recordReason(WEB_SHOP, "ConnectionRefused");
    sites.recordReason(WEB_SHOP, "UpstreamCrashLooping");
    sites.originCertificateExpiry(WEB_SHOP, Optional.of(Instant.parse("2027-01-31T12:00:00Z")), 2);
    sites.recordVerdict(WEB_BLOG, "None", Map.of("Ready", "Healthy"));
    sites.recordReason(WEB_BLOG, "Healthy");
    sites.originCertificateExpiry(WEB_BLOG, Optional.of(Instant.parse("2027-04-30T00:00:00Z")), 14);
    sites.originCertificateExpiry(WEB_BLOG, Optional.empty(), 14);
    sites.recordVerdict(SHOP_CART, "418", Map.of());
    sites.recordReason(SHOP_CART, "EvaluationFailed");
    sites.evaluationFailed(SHOP_CART);
    sites.evaluationFailed(SHOP_CART);
    sites.recordVerdict(WEB_GONE, "503", Map.of("ServiceUnavailable", "ScaledToZero"));
    sites.recordReason(WEB_GONE, "ScaledToZero");
    sites.originCertificateExpiry(WEB_GONE, Optional.of(Instant.parse("2027-01-31T12:00:00Z")), 14);
    sites.evaluationFailed(WEB_GONE);
    sites.forget(WEB_GONE);

    assertThat(siteLines(Http.get(server.port(), "/metrics").body())).isEqualTo("""
        # HELP upstreamhealth_origin_certificate_expiry_timestamp_seconds When the certificate the Site's origin presents expires, Unix time in seconds
        # TYPE upstreamhealth_origin_certificate_expiry_timestamp_seconds gauge
        upstreamhealth_origin_certificate_expiry_timestamp_seconds{namespace="web",site="shop"} 1.8013968E9
        # HELP upstreamhealth_origin_certificate_warning_threshold_seconds How long before its origin certificate expires the Site is warned (probe.certificateWarningDays), in seconds
        # TYPE upstreamhealth_origin_certificate_warning_threshold_seconds gauge
        upstreamhealth_origin_certificate_warning_threshold_seconds{namespace="web",site="shop"} 172800.0
        # HELP upstreamhealth_site_condition 1 while the Site's condition is True, for its reason
        # TYPE upstreamhealth_site_condition gauge
        upstreamhealth_site_condition{namespace="web",reason="CertificateExpiring",site="shop",type="Degraded"} 1.0
        upstreamhealth_site_condition{namespace="web",reason="Healthy",site="blog",type="Ready"} 1.0
        upstreamhealth_site_condition{namespace="web",reason="UpstreamCrashLooping",site="shop",type="BadGateway"} 1.0
        # HELP upstreamhealth_site_evaluation_failures_total Reconciles of the Site that failed with an error instead of a verdict
        # TYPE upstreamhealth_site_evaluation_failures_total counter
        upstreamhealth_site_evaluation_failures_total{namespace="shop",site="cart"} 2.0
        # HELP upstreamhealth_site_fault 1 for the error a visitor would get through the CDN now, 0 for the others
        # TYPE upstreamhealth_site_fault gauge
        upstreamhealth_site_fault{fault="502",namespace="shop",site="cart"} 0.0
        upstreamhealth_site_fault{fault="502",namespace="web",site="blog"} 0.0
        upstreamhealth_site_fault{fault="502",namespace="web",site="shop"} 1.0
        upstreamhealth_site_fault{fault="503",namespace="shop",site="cart"} 0.0
        upstreamhealth_site_fault{fault="503",namespace="web",site="blog"} 0.0
        upstreamhealth_site_fault{fault="503",namespace="web",site="shop"} 0.0
        upstreamhealth_site_fault{fault="521",namespace="shop",site="cart"} 0.0
        upstreamhealth_site_fault{fault="521",namespace="web",site="blog"} 0.0
        upstreamhealth_site_fault{fault="521",namespace="web",site="shop"} 0.0
        upstreamhealth_site_fault{fault="None",namespace="shop",site="cart"} 0.0
        upstreamhealth_site_fault{fault="None",namespace="web",site="blog"} 1.0
        upstreamhealth_site_fault{fault="None",namespace="web",site="shop"} 0.0
        upstreamhealth_site_fault{fault="Other",namespace="shop",site="cart"} 0.0
        upstreamhealth_site_fault{fault="Other",namespace="web",site="blog"} 0.0
        upstreamhealth_site_fault{fault="Other",namespace="web",site="shop"} 0.0
        upstreamhealth_site_fault{fault="Unknown",namespace="shop",site="cart"} 1.0
        upstreamhealth_site_fault{fault="Unknown",namespace="web",site="blog"} 0.0
        upstreamhealth_site_fault{fault="Unknown",namespace="web",site="shop"} 0.0
        # HELP upstreamhealth_site_fault_onsets_total Times the Site's fault went from None to one visitors get (521, 502, 503, Other; a 503 of declared maintenance or a rollout aside)
        # TYPE upstreamhealth_site_fault_onsets_total counter
        upstreamhealth_site_fault_onsets_total{namespace="shop",site="cart"} 0.0
        upstreamhealth_site_fault_onsets_total{namespace="web",site="blog"} 0.0
        upstreamhealth_site_fault_onsets_total{namespace="web",site="shop"} 0.0
        # HELP upstreamhealth_site_reason 1 for the Site's status.reason: the reason of its verdict
        # TYPE upstreamhealth_site_reason gauge
        upstreamhealth_site_reason{namespace="shop",reason="EvaluationFailed",site="cart"} 1.0
        upstreamhealth_site_reason{namespace="web",reason="Healthy",site="blog"} 1.0
        upstreamhealth_site_reason{namespace="web",reason="UpstreamCrashLooping",site="shop"} 1.0
        """);
  }

  /** The lines of the per-Site families, in the order served. */
  private static String siteLines(String body) {
    return Arrays.stream(body.split("\n", -1))
        .filter(line -> line.replaceFirst("^# (HELP|TYPE) ", "").startsWith("upstreamhealth_site_")
            || line.replaceFirst("^# (HELP|TYPE) ", "").startsWith("upstreamhealth_origin_certificate_"))
        .map(line -> line + "\n")
        .collect(Collectors.joining());
  }
}
