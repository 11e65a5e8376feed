package dev.upstreamhealth.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.upstreamhealth.api.SiteRef;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** upstreamhealth_origin_certificate_expiry_timestamp_seconds and upstreamhealth_site_reason as Prometheus scrapes them. */
class ProbeDerivedMetricsTest {
  private static final SiteRef WEB_SHOP = new SiteRef("web", "shop");
  private static final SiteRef WEB_BLOG = new SiteRef("web", "blog");
  private static final Map<String, String> SHOP = Map.of("namespace", "web", "site", "shop");
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
  void theOriginCertificatesExpiryIsExportedAndFollowsARenewal() {
    metrics.sites().originCertificateExpiry(WEB_SHOP, Optional.of(Instant.parse("2027-01-31T12:00:00Z")), 14);
    assertThat(Http.scrape(server.port()).value("upstreamhealth_origin_certificate_expiry_timestamp_seconds", SHOP))
        .contains((double) Instant.parse("2027-01-31T12:00:00Z").getEpochSecond());

    metrics.sites().originCertificateExpiry(WEB_SHOP, Optional.of(Instant.parse("2027-04-30T12:00:00Z")), 14);
    assertThat(Http.scrape(server.port()).value("upstreamhealth_origin_certificate_expiry_timestamp_seconds", SHOP))
        .contains((double) Instant.parse("2027-04-30T12:00:00Z").getEpochSecond());
  }

  @Test
  void theSitesReasonIsOneSeriesThatMovesWithTheVerdict() {
    metrics.sites().recordReason(WEB_SHOP, "InvalidSpec");
    metrics.sites().recordReason(WEB_SHOP, "UnexpectedStatus");

    Exposition scrape = Http.scrape(server.port());
    assertThat(scrape.value("upstreamhealth_site_reason", Map.of("namespace", "web", "site", "shop",
        "reason", "UnexpectedStatus"))).contains(1.0);
    assertThat(scrape.value("upstreamhealth_site_reason", Map.of("namespace", "web", "site", "shop",
        "reason", "InvalidSpec"))).as("no stale 1 for the earlier reason").isEmpty();
  }

  @Test
  void noCertificateOrADeletedSiteLeavesNoSeries() {
    metrics.sites().originCertificateExpiry(WEB_SHOP, Optional.of(Instant.parse("2027-01-31T12:00:00Z")), 14);
    metrics.sites().originCertificateExpiry(WEB_BLOG, Optional.of(Instant.parse("2027-01-31T12:00:00Z")), 14);

    metrics.sites().originCertificateExpiry(WEB_SHOP, Optional.empty(), 14);
    metrics.sites().forget(WEB_BLOG);

    Exposition scrape = Http.scrape(server.port());
    assertThat(scrape.value("upstreamhealth_origin_certificate_expiry_timestamp_seconds", SHOP)).isEmpty();
    assertThat(scrape.value("upstreamhealth_origin_certificate_expiry_timestamp_seconds",
        Map.of("namespace", "web", "site", "blog"))).isEmpty();
  }
}
