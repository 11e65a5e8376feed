package dev.upstreamhealth.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.upstreamhealth.api.Site;
import dev.upstreamhealth.demo.EmbeddedApiServer;
import dev.upstreamhealth.demo.SiteFixture;
import dev.upstreamhealth.loopback.Behaviour;
import dev.upstreamhealth.loopback.LoopbackServer;
import dev.upstreamhealth.runtime.OperatorOptions;
import dev.upstreamhealth.runtime.UpstreamHealthOperator;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A restarted operator picks up where the last one left off: same transition times, no repeated Events. */
class RestartIT {
  @Test
  void restartKeepsTransitionTimesAndEmitsNoSecondEvent() {
    try (EmbeddedApiServer api = EmbeddedApiServer.start();
        LoopbackServer origin = LoopbackServer.http("127.0.0.85", 0, Behaviour.status(503));
        LoopbackServer pod = LoopbackServer.http("127.0.0.86", 0, Behaviour.status(200))) {
      SiteFixture shop = new SiteFixture("web", "shop", "shop.example.com");
      for (var o : shop.healthyWorld("127.0.0.85", origin.port(), "127.0.0.86", pod.port())) {
        api.client().resource(o).create();
      }
      OperatorOptions options = OperatorOptions.defaults().but(b -> {
        b.metricsPort = -1;
        b.probeAllowLoopback = true;
      });
      Site before;
      try (UpstreamHealthOperator first = UpstreamHealthOperator.start(api.client(), options, List.of())) {
        before = await().atMost(Duration.ofSeconds(10)).until(() -> site(api),
            s -> s.getStatus() != null && "Overloaded".equals(s.getStatus().getReason()));
        await().atMost(Duration.ofSeconds(5)).until(() -> warnings(api) == 1);
      }
      try (UpstreamHealthOperator second = UpstreamHealthOperator.start(api.client(), options, List.of())) {
        int probesBefore = origin.requests();
        // The new operator's probes run and conclude the same fault again.
        await().atMost(Duration.ofSeconds(10)).until(() -> origin.requests() >= probesBefore + 2);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() -> warnings(api) == 1);
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
      for (var o : shop.healthyWorld(null, origin.port(), "127.0.0.88", pod.port())) {
        api.client().resource(o).create();
      }
      OperatorOptions options = OperatorOptions.defaults().but(b -> {
        b.metricsPort = -1;
        b.probeAllowLoopback = true;
      });
      try (UpstreamHealthOperator first = UpstreamHealthOperator.start(api.client(), options, List.of())) {
        await().atMost(Duration.ofSeconds(10)).until(() -> site(api),
            s -> s.getStatus() != null && "NoOriginAddress".equals(s.getStatus().getReason()));
      }
      // While no operator runs, the load balancer publishes its address.
      api.client().resource(shop.ingress("127.0.0.87")).update();
      try (UpstreamHealthOperator second = UpstreamHealthOperator.start(api.client(), options, List.of())) {
        await().atMost(Duration.ofSeconds(10)).until(() -> site(api),
            s -> "Healthy".equals(s.getStatus().getReason()));
      }
    }
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
