package dev.upstreamhealth.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.upstreamhealth.demo.SiteFixture;
import dev.upstreamhealth.demo.SiteFixtures;
import dev.upstreamhealth.helm.RenderedChart;
import dev.upstreamhealth.loopback.Behaviour;
import dev.upstreamhealth.loopback.LoopbackServer;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Prometheus scrapes the running operator with the chart's alert rules loaded: a Site's
 * 502 makes SiteBadGateway pending, then firing with the reason read into its summary, and
 * recovery resolves it once its keep_firing_for has passed.
 */
class PrometheusIT {
  private static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");
  private static final String JOB = "upstream-health-operator";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient http = HttpClient.newHttpClient();

  @TempDir
  Path dir;

  @Test
  void aBadGatewayAlertGoesPendingThenFiringAndResolvesAfterRecovery() throws Exception {
    requireInstalled();
    try (OperatorHarness harness = OperatorHarness.start();
        LoopbackServer origin = LoopbackServer.http("127.0.0.85", 0, Behaviour.status(200));
        LoopbackServer pod = LoopbackServer.http("127.0.0.86", 0, Behaviour.status(200))) {
      SiteFixture shop = new SiteFixture("alerts", "shop", "shop.example.com");
      SiteFixtures.healthyWorld(shop, "127.0.0.85", origin.port(), "127.0.0.86", pod.port()).forEach(harness::create);
      awaitShown(harness, "None", "Healthy");
      Process prometheus = start(harness.operator.metricsPort());
      try {
        String api = "http://127.0.0.1:" + port;
        // Prometheus refuses connections until it has started.
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
            .until(() -> query(api, "up{job=\"" + JOB + "\"} == 1").size() == 1
                && !query(api, "upstreamhealth_site_fault{site=\"shop\",fault=\"None\"} == 1").isEmpty());
        // Several evaluations of a healthy Site: no alert about it, and the operator's own are quiet too.
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(500))
            .ignoreExceptions().until(() -> alerts(api).isEmpty());

        harness.client.pods().inNamespace("alerts").resource(shop.crashLoopingPod(1, "127.0.0.86", pod.port()))
            .updateStatus();
        awaitShown(harness, "502", "UpstreamCrashLooping");

        JsonNode pending = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
            .until(() -> alert(api, "SiteBadGateway"), a -> a != null);
        assertThat(pending.path("state").asText()).isEqualTo("pending");
        JsonNode firing = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
            .until(() -> alert(api, "SiteBadGateway"), a -> a != null && "firing".equals(a.path("state").asText()));
        assertThat(firing.path("labels").path("namespace").asText()).isEqualTo("alerts");
        assertThat(firing.path("labels").path("site").asText()).isEqualTo("shop");
        assertThat(firing.path("labels").has("reason")).as("the reason is no label of the alert").isFalse();
        assertThat(firing.path("annotations").path("summary").asText())
            .isEqualTo("Site alerts/shop answers 502: UpstreamCrashLooping");
        assertThat(firing.path("annotations").path("runbook_url").asText()).endsWith("#upstreamcrashlooping");
        assertThat(alerts(api)).extracting(a -> a.path("labels").path("alertname").asText())
            .containsExactly("SiteBadGateway");

        harness.client.pods().inNamespace("alerts").resource(shop.pod(1, "127.0.0.86", pod.port(), true))
            .updateStatus();
        awaitShown(harness, "None", "Healthy");
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
            .untilAsserted(() -> assertThat(alerts(api)).isEmpty());
        assertThat(query(api, "ALERTS{alertname=\"SiteBadGateway\"}")).isEmpty();
      } finally {
        prometheus.destroy();
        prometheus.waitFor(30, TimeUnit.SECONDS);
      }
    }
  }

  private int port;

  /** Like OperatorHarness.awaitFault, with room for a machine busy with other builds. */
  private static void awaitShown(OperatorHarness harness, String fault, String reason) {
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> harness.site("alerts", "shop"),
        s -> s != null && s.getStatus() != null && fault.equals(s.getStatus().getFault())
            && reason.equals(s.getStatus().getReason()));
  }

  private static void requireInstalled() {
    String message = "prometheus is not installed; apt-get install -y --no-install-recommends prometheus "
        + "(or bash .ci/install-tools)";
    if (!Files.isExecutable(PROMETHEUS) && "true".equalsIgnoreCase(System.getenv("CI"))) {
      throw new AssertionError(message);
    }
    Assumptions.assumeTrue(Files.isExecutable(PROMETHEUS), message);
  }

  /** The chart's rules with short "for" and keep_firing_for durations, and a scrape and evaluation every second. */
  @SuppressWarnings("unchecked")
  private Process start(int metricsPort) throws IOException {
    Map<String, Object> shortWaits = Map.of("enabled", true,
        "siteOriginDown", Map.of("for", "5s", "keepFiringFor", "5s"),
        "siteBadGateway", Map.of("for", "5s", "keepFiringFor", "5s"),
        "siteServiceUnavailable", Map.of("for", "5s", "keepFiringFor", "5s"), "operatorDown", Map.of("for", "5s"));
    GenericKubernetesResource rule = RenderedChart.render(Map.of("prometheusRule", shortWaits))
        .ofKind("PrometheusRule").get(0);
    Files.writeString(dir.resolve("rules.yml"),
        Serialization.asYaml((Map<String, Object>) rule.getAdditionalProperties().get("spec")));
    Files.writeString(dir.resolve("prometheus.yml"), """
        global:
          scrape_interval: 1s
          evaluation_interval: 1s
        rule_files: [rules.yml]
        scrape_configs:
          - job_name: %s
            static_configs:
              - targets: ["127.0.0.1:%d"]
        """.formatted(JOB, metricsPort));
    port = LoopbackServer.unusedPort("127.0.0.1");
    List<String> command = new ArrayList<>(List.of(PROMETHEUS.toString(),
        "--config.file=" + dir.resolve("prometheus.yml"), "--storage.tsdb.path=" + dir.resolve("data"),
        "--web.listen-address=127.0.0.1:" + port, "--log.level=warn"));
    return new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(dir.resolve("prometheus.log").toFile()).start();
  }

  private static JsonNode alert(String api, String name) throws Exception {
    return alerts(api).stream().filter(a -> name.equals(a.path("labels").path("alertname").asText()))
        .findFirst().orElse(null);
  }

  private static List<JsonNode> alerts(String api) throws Exception {
    List<JsonNode> alerts = new ArrayList<>();
    get(api + "/api/v1/alerts").path("data").path("alerts").forEach(alerts::add);
    return alerts;
  }

  private static List<JsonNode> query(String api, String promql) throws Exception {
    List<JsonNode> result = new ArrayList<>();
    get(api + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8))
        .path("data").path("result").forEach(result::add);
    return result;
  }

  private static JsonNode get(String url) throws Exception {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException(url + " answered " + response.statusCode() + ": " + response.body());
    }
    return JSON.readTree(response.body());
  }
}
