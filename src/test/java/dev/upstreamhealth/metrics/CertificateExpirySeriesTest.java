package dev.upstreamhealth.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.upstreamhealth.api.CdnSpec;
import dev.upstreamhealth.api.LayerProbeStatus;
import dev.upstreamhealth.api.ProbeSpec;
import dev.upstreamhealth.api.Site;
import dev.upstreamhealth.api.SiteSpec;
import dev.upstreamhealth.api.SiteStatus;
import dev.upstreamhealth.runtime.MetricsVerdictSink;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The origin certificate's expiry series, which the certificate alert reads, exists only for a
 * Site warned of it: one whose CDN checks the certificate and whose warning is on.
 */
class CertificateExpirySeriesTest {
  private static final String NOT_AFTER = "2027-01-31T12:00:00Z";
  private static final Map<String, String> SHOP = Map.of("namespace", "web", "site", "shop");
  private OperatorMetrics metrics;
  private OperatorHttpServer server;
  private MetricsVerdictSink sink;

  @BeforeEach
  void start() {
    metrics = new OperatorMetrics();
    server = OperatorHttpServer.start(0, metrics.registry(), Optional::empty);
    sink = new MetricsVerdictSink(metrics.sites());
  }

  @AfterEach
  void stop() {
    server.close();
    metrics.close();
  }

  @Test
  void aSiteWhoseCdnChecksTheCertificateHasItsExpiry() {
    sink.shown(site(true, null), statusWithOriginCertificate());

    assertThat(expiry()).contains((double) Instant.parse(NOT_AFTER).getEpochSecond());
  }

  @Test
  void theWarningThresholdIsTheSitesOwn() {
    sink.shown(site(true, null), statusWithOriginCertificate());
    assertThat(threshold()).as("probe.certificateWarningDays by default: 14").contains(14 * 86_400.0);

    sink.shown(site(true, 2), statusWithOriginCertificate());
    assertThat(threshold()).as("a short-lived certificate's Site asks for 2").contains(2 * 86_400.0);

    sink.shown(site(true, 30), statusWithOriginCertificate());
    assertThat(threshold()).contains(30 * 86_400.0);
  }

  @Test
  void aSiteWhoseCdnAcceptsAnyCertificateHasNoExpiryToAlertOn() {
    sink.shown(site(true, null), statusWithOriginCertificate());
    sink.shown(site(false, null), statusWithOriginCertificate());

    assertThat(expiry()).as("Cloudflare's Full mode accepts an expired certificate: no 526 to warn of").isEmpty();
    assertThat(threshold()).isEmpty();
  }

  @Test
  void aSiteWithTheWarningOffHasNoExpiryToAlertOn() {
    sink.shown(site(true, 0), statusWithOriginCertificate());

    assertThat(expiry()).isEmpty();
    assertThat(threshold()).isEmpty();
  }

  @Test
  void aSiteWithAnInvalidSpecIsShownWithoutFailing() {
    Site invalid = site(true, null);
    invalid.getSpec().getProbe().setExpectedStatus("2xx");

    sink.shown(invalid, statusWithOriginCertificate());

    assertThat(expiry()).isPresent();
  }

  private Optional<Double> threshold() {
    return Http.scrape(server.port()).value("upstreamhealth_origin_certificate_warning_threshold_seconds", SHOP);
  }

  private Optional<Double> expiry() {
    return Http.scrape(server.port()).value("upstreamhealth_origin_certificate_expiry_timestamp_seconds", SHOP);
  }

  private static Site site(boolean cdnChecksCertificate, Integer warningDays) {
    SiteSpec spec = new SiteSpec();
    spec.setHost("shop.example.com");
    CdnSpec cdn = new CdnSpec();
    cdn.setVerifyOriginCertificate(cdnChecksCertificate);
    spec.setCdn(cdn);
    ProbeSpec probe = new ProbeSpec();
    probe.setCertificateWarningDays(warningDays);
    spec.setProbe(probe);
    Site site = new Site();
    site.setMetadata(new ObjectMetaBuilder().withNamespace("web").withName("shop").build());
    site.setSpec(spec);
    return site;
  }

  private static SiteStatus statusWithOriginCertificate() {
    LayerProbeStatus origin = new LayerProbeStatus();
    origin.setLayer("origin");
    origin.setCertificateNotAfter(NOT_AFTER);
    SiteStatus status = new SiteStatus();
    status.setFault("None");
    status.setReason("Healthy");
    status.setProbes(List.of(origin));
    return status;
  }
}
