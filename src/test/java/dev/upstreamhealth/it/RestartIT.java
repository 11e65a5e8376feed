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
import io.fabric8.kubernetes.api.model.Condition;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A restarted operator picks up where the last one left off: same transition times, no repeated Events. */
class RestartIT {
  @Test
  void restartKeepsTransitionTimesAndEmitsNoSecondEvent() {
    try (EmbeddedApiServer api = EmbeddedApiServer.start();
        LoopbackServer origin = LoopbackServer.http("127.0.0.85", 0, Behaviour.status(503));
        LoopbackServer pod = LoopbackServer.http("127.0.0.86", 0, Behaviour.status(200))) {
      SiteFixture shop = new SiteFixture("web", "shop", "shop.example.com");
      for (var o : SiteFixtures.healthyWorld(shop, "127.0.0.85", origin.port(), "127.0.0.86", pod.port())) {
        api.client().resource(o).create();
      }
      OperatorOptions options = OperatorOptions.defaults().but(b -> {
        b.metricsPort = -1;
        b.probeAllowLoopback = true;
      });
      Site before;
      try (UpstreamHealthOperator first = UpstreamHealthOperator.start(api.client(), options)) {
        before = await().atMost(Duration.ofSeconds(10)).until(() -> site(api),
            s -> s.getStatus() != null && "Overloaded".equals(s.getStatus().getReason()));
        await().atMost(Duration.ofSeconds(5)).until(() -> warnings(api) == 1);
      }
      try (UpstreamHealthOperator second = UpstreamHealthOperator.start(api.client(), options)) {
        int probesBefore = origin.requests();
        // The new operator's probes run and conclude the same fault again.
        await().atMost(Duration.ofSeconds(10)).until(() -> origin.requests() >= probesBefore + 2);
        // Three probe intervals (2 s) after the new operator concluded: still the first process's one Warning.
        await().during(Duration.ofSeconds(6)).atMost(Duration.ofSeconds(20)).until(() -> warnings(api) == 1);
        Site after = site(api);
        assertThat(transitionTimes(after)).isEqualTo(transitionTimes(before));
        assertThat(after.getStatus().getReason()).isEqualTo("Overloaded");
      }
    }
  }

  @Test
  void aStateFaultThatClearedWhileTheOperatorWasDownIsNotKept() {
    try (EmbeddedApiServer api = EmbeddedApiServer.start();
        LoopbackServer origin = LoopbackServer.http("127.0.0.87", 0, Behaviour.status(200));
        LoopbackServer pod = LoopbackServer.http("127.0.0.88", 0, Behaviour.status(200))) {
      SiteFixture shop = new SiteFixture("web", "shop", "shop.example.com");
      for (var o : SiteFixtures.healthyWorld(shop, "127.0.0.87", origin.port(), "127.0.0.88", pod.port())) {
        if (!(o instanceof io.fabric8.kubernetes.api.model.Service)) {
          api.client().resource(o).create();
        }
      }
      OperatorOptions options = OperatorOptions.defaults().but(b -> {
        b.metricsPort = -1;
        b.probeAllowLoopback = true;
      });
      try (UpstreamHealthOperator first = UpstreamHealthOperator.start(api.client(), options)) {
        await().atMost(Duration.ofSeconds(10)).until(() -> site(api),
            s -> s.getStatus() != null && "BackendServiceMissing".equals(s.getStatus().getReason()));
      }
      // While no operator runs, the backend Service is created.
      api.client().resource(shop.service(pod.port())).create();
      try (UpstreamHealthOperator second = UpstreamHealthOperator.start(api.client(), options)) {
        await().atMost(Duration.ofSeconds(10)).until(() -> site(api),
            s -> "Healthy".equals(s.getStatus().getReason()));
      }
    }
  }

  /**
   * Four Sites whose verdicts came from probes, and a real operator process killed with SIGKILL
   * and started again on the same API server: until (and after) the new process has probed,
   * no condition of any Site changes, and no Warning Event is sent twice.
   */
  @Test
  void aKilledOperatorsSuccessorKeepsEveryProbeVerdict(@TempDir Path dir) throws Exception {
    int podPort = LoopbackServer.unusedPort("127.0.0.103");
    try (EmbeddedApiServer api = EmbeddedApiServer.start();
        LoopbackServer maintenance = LoopbackServer.http("127.0.0.97", 0, Behaviour.status(503, "120"));
        LoopbackServer overloaded = LoopbackServer.http("127.0.0.98", 0, Behaviour.status(503));
        LoopbackServer healthy = LoopbackServer.http("127.0.0.99", 0, Behaviour.status(200));
        LoopbackServer degraded = LoopbackServer.http("127.0.0.100", 0, Behaviour.status(200));
        LoopbackServer goodPod = LoopbackServer.http("127.0.0.103", podPort, Behaviour.status(200));
        LoopbackServer badPod = LoopbackServer.http("127.0.0.104", podPort, Behaviour.status(500))) {
      var client = api.client();
      world(client, "maint", maintenance, goodPod);
      world(client, "busy", overloaded, goodPod);
      world(client, "fine", healthy, goodPod);
      SiteFixture two = world(client, "halfway", degraded, goodPod);
      client.resource(two.pod(2, "127.0.0.104", podPort, true)).create();
      assertThat(new EndpointSliceController(client).sync(two.namespace(), two.serviceName()).getEndpoints())
          .as("both pods are endpoints").hasSize(2);
      client.resource(two.deployment(2)).update();

      Map<String, List<String>> expected = Map.of(
          "maint", List.of("Ready=False/MaintenanceMode", "ServiceUnavailable=True/MaintenanceMode"),
          "busy", List.of("Ready=False/Overloaded", "ServiceUnavailable=True/Overloaded"),
          "fine", List.of("Ready=True/Healthy"),
          "halfway", List.of("Ready=True/Healthy", "Degraded=True/PartialUpstreamFailure"));
      OperatorProcess first = OperatorProcess.start(dir, api.loopbackUrl(), "first.log", "--metrics-port", "0");
      try (SiteTimeline timeline = new SiteTimeline(client, "web")) {
        await().atMost(Duration.ofSeconds(60)).until(() -> expected.entrySet().stream()
            .allMatch(e -> shows(client, e.getKey(), e.getValue())));
        // Overloaded is a Warning; maintenance is said with a Normal Event.
        await().atMost(Duration.ofSeconds(10)).until(() -> warnings(client) == 1 && maintenanceEvents(client) == 1);
        Map<String, SiteTimeline.Sample> beforeKill = lastSamples(timeline);

        first.kill();
        int[] probesBefore = {maintenance.requests(), overloaded.requests(), healthy.requests(), degraded.requests(),
            goodPod.requests(), badPod.requests()};
        try (OperatorProcess second = OperatorProcess.start(dir, api.loopbackUrl(), "second.log", "--metrics-port", "0")) {
          // The new process has probed every target past the thresholds (interval 2 s, failureThreshold 2).
          LoopbackServer[] servers = {maintenance, overloaded, healthy, degraded, goodPod, badPod};
          await().atMost(Duration.ofSeconds(60)).until(() -> {
            for (int i = 0; i < servers.length; i++) {
              if (servers[i].requests() < probesBefore[i] + 3) {
                return false;
              }
            }
            return true;
          });
          await().during(Duration.ofSeconds(6)).atMost(Duration.ofSeconds(20))
              .until(() -> warnings(client) == 1 && maintenanceEvents(client) == 1);
          assertThat(second.log()).contains("operator running");
          for (String site : expected.keySet()) {
            assertThat(timeline.of(site)).as("Site %s from before the kill until after the new process probed", site)
                .last().isEqualTo(beforeKill.get(site));
            assertThat(timeline.of(site).stream().skip(timeline.of(site).indexOf(beforeKill.get(site))))
                .as("no change of Site %s on the way", site).containsExactly(beforeKill.get(site));
          }
        }
      } finally {
        first.close();
      }
    }
  }

  private static SiteFixture world(io.fabric8.kubernetes.client.KubernetesClient client, String name,
      LoopbackServer origin, LoopbackServer pod) {
    SiteFixture fixture = new SiteFixture("web", name, name + ".example.com");
    for (var o : SiteFixtures.healthyWorld(fixture, origin.address(), origin.port(), pod.address(), pod.port())) {
      if (o instanceof Site site) {
        site.getSpec().getProbe().setFailureThreshold(2);
      }
      client.resource(o).create();
    }
    return fixture;
  }

  private static boolean shows(io.fabric8.kubernetes.client.KubernetesClient client, String name, List<String> trueOrReady) {
    Site site = client.resources(Site.class).inNamespace("web").withName(name).get();
    if (site == null || site.getStatus() == null) {
      return false;
    }
    List<String> shown = site.getStatus().getConditions().stream()
        .filter(c -> "Ready".equals(c.getType()) || "True".equals(c.getStatus()))
        .map(c -> c.getType() + "=" + c.getStatus() + "/" + c.getReason()).toList();
    return shown.equals(trueOrReady);
  }

  private static Map<String, SiteTimeline.Sample> lastSamples(SiteTimeline timeline) {
    Map<String, SiteTimeline.Sample> last = new java.util.HashMap<>();
    timeline.verdicts().keySet().forEach(site -> {
      List<SiteTimeline.Sample> samples = timeline.of(site);
      last.put(site, samples.get(samples.size() - 1));
    });
    return last;
  }

  private static long warnings(io.fabric8.kubernetes.client.KubernetesClient client) {
    return client.v1().events().inNamespace("web").list().getItems().stream()
        .filter(e -> "Warning".equals(e.getType())).count();
  }

  private static long maintenanceEvents(io.fabric8.kubernetes.client.KubernetesClient client) {
    return client.v1().events().inNamespace("web").list().getItems().stream()
        .filter(e -> "Normal".equals(e.getType()) && "MaintenanceMode".equals(e.getReason())).count();
  }

  private static Site site(EmbeddedApiServer api) {
    return api.client().resources(Site.class).inNamespace("web").withName("shop").get();
  }

  private static long warnings(EmbeddedApiServer api) {
    return api.client().v1().events().inNamespace("web").list().getItems().stream()
        .filter(e -> "Warning".equals(e.getType())).count();
  }

  private static List<String> transitionTimes(Site site) {
    return site.getStatus().getConditions().stream().map(Condition::getLastTransitionTime).toList();
  }
}
