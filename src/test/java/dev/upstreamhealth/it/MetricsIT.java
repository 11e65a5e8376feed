package dev.upstreamhealth.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.upstreamhealth.api.Site;
import dev.upstreamhealth.demo.SiteFixture;
import dev.upstreamhealth.demo.SiteFixtures;
import dev.upstreamhealth.loopback.Behaviour;
import dev.upstreamhealth.loopback.LoopbackServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
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

  private static String scrapeUntil(OperatorHarness harness, String line) {
    return await().atMost(Duration.ofSeconds(5)).until(() -> scrape(harness), text -> text.contains(line));
  }

  private static String scrape(OperatorHarness harness) throws Exception {
    return get(harness, "/metrics").body();
  }

  private static HttpResponse<String> get(OperatorHarness harness, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + harness.operator.metricsPort() + path))
        .build(), HttpResponse.BodyHandlers.ofString());
  }
}
