package dev.upstreamhealth.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.upstreamhealth.api.SiteRef;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code /metrics} as Prometheus receives it from a registry of many Sites: streamed in chunks,
 * gzipped when the scraper asks, and the same text either way.
 */
class ScrapeAnswerTest {
  private PrometheusMeterRegistry registry;
  private OperatorHttpServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
    if (registry != null) {
      registry.close();
    }
  }

  @Test
  void gzippedScrapeDecodesToThePlainOneByteForByte() {
    serveSites(2_000);
    byte[] text = registry.scrape(OperatorHttpServer.TEXT_FORMAT).getBytes(StandardCharsets.UTF_8);

    HttpResponse<byte[]> plain = Http.getBytes(server.port(), "/metrics");
    HttpResponse<byte[]> gzipped = Http.getBytes(server.port(), "/metrics", "Accept-Encoding", "gzip");

    assertThat(plain.body()).isEqualTo(text);
    assertThat(gunzip(gzipped.body())).isEqualTo(text);
    assertThat(gzipped.body().length).isLessThan(text.length / 5);
    assertThat(plain.headers().firstValue("Content-Encoding")).isEmpty();
    assertThat(gzipped.headers().firstValue("Content-Encoding")).contains("gzip");
    for (HttpResponse<byte[]> answer : List.of(plain, gzipped)) {
      assertThat(answer.statusCode()).isEqualTo(200);
      assertThat(answer.headers().firstValue("Content-Type")).contains(OperatorHttpServer.TEXT_FORMAT);
      assertThat(answer.headers().firstValue("Vary")).contains("Accept-Encoding");
      // Chunked: no length, as no whole body was held to count it.
      assertThat(answer.headers().firstValue("Transfer-Encoding")).contains("chunked");
      assertThat(answer.headers().firstValue("Content-Length")).isEmpty();
    }
  }

  @Test
  void aClientThatRefusesGzipGetsPlainTextWithoutContentEncoding() {
    serveSites(200);
    byte[] text = registry.scrape(OperatorHttpServer.TEXT_FORMAT).getBytes(StandardCharsets.UTF_8);

    for (String acceptEncoding : List.of("identity", "gzip;q=0", "br, deflate")) {
      HttpResponse<byte[]> answer = Http.getBytes(server.port(), "/metrics", "Accept-Encoding", acceptEncoding);
      assertThat(answer.body()).as(acceptEncoding).isEqualTo(text);
      assertThat(answer.headers().firstValue("Content-Encoding")).as(acceptEncoding).isEmpty();
    }
  }

  @Test
  void headIsAnsweredWithTheHeadersAlone() {
    serveSites(10);

    HttpResponse<String> answer = Http.send(server.port(), "/metrics", "HEAD");

    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(answer.headers().firstValue("Content-Type")).contains(OperatorHttpServer.TEXT_FORMAT);
    assertThat(answer.body()).isEmpty();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "gzip                   | true",
      "GZip                   | true",
      "x-gzip                 | true",
      "br, gzip;q=0.5         | true",
      "*                      | true",
      "identity               | false",
      "gzip;q=0               | false",
      "gzip; q=0.000          | false",
      "gzip;q=0, *            | false",
      "*;q=0                  | false",
      "deflate, br            | false",
      "gzip;q=often           | false",
  })
  void acceptEncodingTakesGzipOnlyWhereItsQualityIsAboveZero(String acceptEncoding, boolean gzip) {
    assertThat(ScrapeAnswer.acceptsGzip(List.of(acceptEncoding))).isEqualTo(gzip);
  }

  @Test
  void noAcceptEncodingIsPlainText() {
    assertThat(ScrapeAnswer.acceptsGzip(null)).isFalse();
  }

  /** Had it ended cleanly, Prometheus would take the Sites after the break as gone, their alerts as resolved. */
  @Test
  void aScrapeThatBreaksAfterItsAnswerBeganFailsForTheScraper() {
    registry = new BreaksMidScrape();
    server = OperatorHttpServer.start(0, registry, Optional::empty);

    for (String acceptEncoding : List.of("identity", "gzip")) {
      assertThatThrownBy(() -> Http.getBytes(server.port(), "/metrics", "Accept-Encoding", acceptEncoding))
          .as(acceptEncoding).hasCauseInstanceOf(IOException.class);
    }
    assertThat(Http.get(server.port(), "/healthz").statusCode()).as("the server still answers").isEqualTo(200);
  }

  /** Collected after the 200 went out: the answer must fail, not end with no series. */
  @Test
  void aCollectorThatThrowsLeavesTheScrapeUnanswered() {
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new SiteMetrics(registry).recordVerdict(new SiteRef("web", "shop"), "None", Map.of("Ready", "Healthy"));
    registry.getPrometheusRegistry().register(new MultiCollector() {
      @Override
      public MetricSnapshots collect() {
        throw new IllegalStateException("a collector broke");
      }
    });
    server = OperatorHttpServer.start(0, registry, Optional::empty);

    assertThatThrownBy(() -> Http.getBytes(server.port(), "/metrics", "Accept-Encoding", "gzip"))
        .hasCauseInstanceOf(IOException.class);
  }

  /**
   * Each Site with six fault series, a reason, a condition (two for the one in ten that fails) and
   * the two certificate series: the shape docs/performance.md measures at 10,000 Sites.
   */
  static void recordSites(SiteMetrics sites, int count) {
    for (int i = 0; i < count; i++) {
      SiteRef site = new SiteRef("team-" + i % 50, "site-" + i);
      boolean failing = i % 10 == 0;
      sites.recordVerdict(site, failing ? "502" : "None", failing
          ? Map.of("BadGateway", "UpstreamCrashLooping", "Degraded", "PartialUpstreamFailure")
          : Map.of("Ready", "Healthy"));
      sites.recordReason(site, failing ? "UpstreamCrashLooping" : "Healthy");
      sites.originCertificateExpiry(site, Optional.of(Instant.ofEpochSecond(1_800_000_000L + i * 60L)), 14);
    }
  }

  /** A registry of Site series alone: no JVM gauges that move between two scrapes. */
  private void serveSites(int count) {
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    recordSites(new SiteMetrics(registry), count);
    server = OperatorHttpServer.start(0, registry, Optional::empty);
  }

  private static byte[] gunzip(byte[] gzipped) {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzipped))) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes well past the server's buffers, then fails as a broken writer would. */
  private static final class BreaksMidScrape extends PrometheusMeterRegistry {
    BreaksMidScrape() {
      super(PrometheusConfig.DEFAULT);
    }

    @Override
    public void scrape(OutputStream out, String contentType) throws IOException {
      for (int i = 0; i < 2_000; i++) {
        out.write(("upstreamhealth_site_fault{fault=\"None\",namespace=\"web\",site=\"site-" + i + "\"} 1.0\n")
            .getBytes(StandardCharsets.UTF_8));
      }
      throw new IllegalStateException("the writer broke mid-scrape");
    }
  }
}
