package dev.upstreamhealth.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OperatorHttpServerTest {
  private final AtomicReference<Optional<String>> notReady =
      new AtomicReference<>(Optional.of("informers not synced: Pod, EndpointSlice"));
  private OperatorMetrics metrics;
  private OperatorHttpServer server;

  @BeforeEach
  void start() {
    metrics = new OperatorMetrics();
    server = OperatorHttpServer.start(0, metrics.registry(), notReady::get);
  }

  @AfterEach
  void stop() {
    server.close();
    metrics.close();
  }

  @Test
  void readyzAnswers503WithWhatIsMissingThen200() {
    HttpResponse<String> before = Http.get(server.port(), "/readyz");
    assertThat(before.statusCode()).isEqualTo(503);
    assertThat(before.body()).contains("informers not synced: Pod, EndpointSlice");

    notReady.set(Optional.empty());

    HttpResponse<String> after = Http.get(server.port(), "/readyz");
    assertThat(after.statusCode()).isEqualTo(200);
  }

  @Test
  void readinessCheckThatThrowsIsNotReady() {
    OperatorHttpServer broken = OperatorHttpServer.start(0, metrics.registry(), () -> {
      throw new IllegalStateException("no runtime yet");
    });
    try {
      HttpResponse<String> response = Http.get(broken.port(), "/readyz");
      assertThat(response.statusCode()).isEqualTo(503);
      assertThat(response.body()).contains("no runtime yet");
    } finally {
      broken.close();
    }
  }

  @Test
  void healthzAnswersWhileNotReady() {
    assertThat(Http.get(server.port(), "/healthz").statusCode()).isEqualTo(200);
  }

  @Test
  void metricsServeJvmMetricsInTextFormat() {
    HttpResponse<String> response = Http.get(server.port(), "/metrics");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
        type -> assertThat(type).startsWith("text/plain; version=0.0.4"));
    Exposition scrape = Exposition.parse(response.body());
    assertThat(scrape.find("jvm_memory_used_bytes", java.util.Map.of())).isNotEmpty();
    assertThat(scrape.find("process_uptime_seconds", java.util.Map.of())).isNotEmpty();
    // What UpstreamHealthOperatorMemoryTight divides: served from the start, 0 until a collection of old objects.
    assertThat(scrape.find("jvm_gc_live_data_size_bytes", java.util.Map.of())).isNotEmpty();
    assertThat(scrape.find("jvm_gc_max_data_size_bytes", java.util.Map.of())).isNotEmpty();
  }

  @Test
  void unknownPathsAndWritesAreRefused() {
    assertThat(Http.get(server.port(), "/metricsx").statusCode()).isEqualTo(404);
    assertThat(Http.send(server.port(), "/metrics", "POST").statusCode()).isEqualTo(405);
  }
}
