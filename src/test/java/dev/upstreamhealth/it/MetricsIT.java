package dev.upstreamhealth.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.upstreamhealth.api.Site;
import dev.upstreamhealth.demo.EmbeddedApiServer;
import dev.upstreamhealth.demo.SiteFixture;
import dev.upstreamhealth.demo.SiteFixtures;
import dev.upstreamhealth.loopback.Behaviour;
import dev.upstreamhealth.loopback.LoopbackServer;
import dev.upstreamhealth.runtime.OperatorOptions;
import dev.upstreamhealth.runtime.UpstreamHealthOperator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What Prometheus scrapes from the running operator while a Site goes through a fault. */
class MetricsIT {
  private static final HttpClient http = HttpClient.newHttpClient();

  @Test
  void faultConditionAndProbeSeriesFollowTheSite() throws Exception {
    try (OperatorHarness harness = OperatorHarness.start();
        LoopbackServer origin = LoopbackServer.http("127.0.0.75", 0, Behaviour.status(200));
        LoopbackServer pod = LoopbackServer.http("127.0.0.76", 0, Behaviour.status(200))) {
      SiteFixture shop = new SiteFixture("metrics", "shop", "shop.example.com");
      SiteFixtures.healthyWorld(shop, "127.0.0.75", origin.port(), "127.0.0.76", pod.port()).forEach(harness::create);
      harness.awaitFault("metrics", "shop", "None", "Healthy");
      assertThat(get(harness, "/readyz").statusCode()).isEqualTo(200);
      assertThat(get(harness, "/healthz").statusCode()).isEqualTo(200);

      String healthy = scrapeUntil(harness, "upstreamhealth_site_fault{fault=\"None\",namespace=\"metrics\",site=\"shop\"} 1.0");
      assertThat(healthy).contains("upstreamhealth_site_fault{fault=\"502\",namespace=\"metrics\",site=\"shop\"} 0.0")
          .contains("upstreamhealth_probe_duration_seconds_bucket{layer=\"origin\"")
          .contains("jvm_memory_used_bytes");

      harness.client.pods().inNamespace("metrics")
          .resource(shop.crashLoopingPod(1, "127.0.0.76", pod.port())).updateStatus();
      harness.awaitFault("metrics", "shop", "502", "UpstreamCrashLooping");
      String broken = scrapeUntil(harness, "upstreamhealth_site_fault{fault=\"502\",namespace=\"metrics\",site=\"shop\"} 1.0");
      assertThat(broken).contains("upstreamhealth_site_condition{namespace=\"metrics\",reason=\"UpstreamCrashLooping\","
          + "site=\"shop\",type=\"BadGateway\"} 1.0");

      harness.client.resources(Site.class).inNamespace("metrics").withName("shop").delete();
      await().atMost(Duration.ofSeconds(5)).until(() -> !scrape(harness).contains("site=\"shop\""));
    }
  }

  /**
   * Probes that cannot keep to their schedule (one slot for two Sites whose origin and pod never
   * answer, a 1 s timeout every 2 s) show in the counter the ProbesBehind alert reads.
   */
  @Test
  void probeRoundsLostToABacklogAreCounted() throws Exception {
    OperatorOptions oneSlot = OperatorOptions.defaults().but(b -> {
      b.metricsPort = 0;
      b.probeAllowLoopback = true;
      b.probeMaxConcurrency = 1;
    });
    try (EmbeddedApiServer api = EmbeddedApiServer.start();
        LoopbackServer origin = LoopbackServer.http("127.0.0.77", 0, Behaviour.hang());
        LoopbackServer pod = LoopbackServer.http("127.0.0.78", 0, Behaviour.hang());
        UpstreamHealthOperator operator = UpstreamHealthOperator.start(api.operatorClient(), oneSlot)) {
      for (String name : List.of("slow", "slower")) {
        SiteFixture f = new SiteFixture("behind", name, name + ".example.com");
        SiteFixtures.healthyWorld(f, "127.0.0.77", origin.port(), "127.0.0.78", pod.port())
            .forEach(o -> api.client().resource(o).create());
      }
      String scraped = await().atMost(Duration.ofSeconds(15)).until(
          () -> get(operator.metricsPort(), "/metrics").body(),
          text -> text.contains("upstreamhealth_probe_rounds_skipped_total{layer=\"origin\"}")
              && text.contains("upstreamhealth_probe_rounds_skipped_total{layer=\"upstream\"}"));
      assertThat(scraped).contains("# TYPE upstreamhealth_probe_rounds_skipped_total counter");
    }
  }

  private static String scrapeUntil(OperatorHarness harness, String line) {
    return await().atMost(Duration.ofSeconds(5)).until(() -> scrape(harness), text -> text.contains(line));
  }

  private static String scrape(OperatorHarness harness) throws Exception {
    return get(harness, "/metrics").body();
  }

  private static HttpResponse<String> get(OperatorHarness harness, String path) throws Exception {
    return get(harness.operator.metricsPort(), path);
  }

  private static HttpResponse<String> get(int port, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
