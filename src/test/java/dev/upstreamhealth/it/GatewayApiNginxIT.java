package dev.upstreamhealth.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.upstreamhealth.api.Site;
import dev.upstreamhealth.demo.EnvoyDataPlane;
import dev.upstreamhealth.demo.GatewayApiFixture;
import dev.upstreamhealth.demo.SiteFixture;
import dev.upstreamhealth.loopback.Behaviour;
import dev.upstreamhealth.loopback.LoopbackServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An HTTPRoute whose Gateway's data plane is a real nginx process: the origin probe goes through
 * it to the pod, so what the Site says comes from what a real gateway answered.
 */
class GatewayApiNginxIT {
  static OperatorHarness harness;
  static int counter;

  @BeforeAll
  static void start() {
    harness = OperatorHarness.startWithGatewayApi(List.of());
  }

  @AfterAll
  static void stop() {
    harness.close();
  }

  /** The route's world with nginx at {@code gatewayIp} as the Gateway's address and data-plane Service. */
  private static SiteFixture deploy(NginxDataPlane nginx, LoopbackServer pod) {
    SiteFixture f = new SiteFixture("nginx" + (++counter), "shop", "shop.example.com");
    GatewayApiFixture g = new GatewayApiFixture(f);
    harness.create(f.service(pod.port()), f.pod(1, pod.address(), pod.port(), true),
        f.endpointSlice(pod.port(), Map.of(pod.address(), true)), f.deployment(1));
    harness.create(g.gatewayClass(), g.gateway(nginx.port()), g.route(),
        new EnvoyDataPlane(f, g).service(nginx.address(), nginx.port()),
        new EnvoyDataPlane(f, g).slice(nginx.address(), nginx.port(), true));
    harness.writeStatus(g.gatewayClassStatus(true));
    harness.writeStatus(g.gatewayStatus(nginx.port(), nginx.address()));
    harness.writeStatus(g.acceptedRouteStatus(g.route()));
    harness.create(g.site(2, 1));
    return f;
  }

  @Test
  void podGoneBehindARealGatewayIsUpstreamNotListeningWithTheGateways502Quoted() {
    String podIp = "127.0.0.161";
    LoopbackServer pod = LoopbackServer.http(podIp, 0, Behaviour.status(200));
    try (NginxDataPlane nginx = NginxDataPlane.proxying("127.0.0.160", LoopbackServer.unusedPort("127.0.0.160"),
        "shop.example.com", podIp + ":" + pod.port())) {
      SiteFixture f = deploy(nginx, pod);
      Site healthy = harness.awaitSettledHealthy(f.namespace(), f.name());
      assertThat(healthy.getStatus().getMessage()).contains("origin http://" + nginx.address() + ":" + nginx.port() + " answers 200");
      int throughNginx = pod.requests();
      await().atMost(Duration.ofSeconds(10)).until(() -> pod.requests() > throughNginx);

      pod.close();

      Site broken = harness.awaitFault(f.namespace(), f.name(), "502", "UpstreamNotListening");
      assertThat(broken.getStatus().getMessage()).contains("Service " + f.namespace() + "/shop-web", "refuse");
      assertThat(broken.getStatus().getProbes()).anySatisfy(p -> {
        assertThat(p.getLayer()).isEqualTo("origin");
        assertThat(p.getHttpStatus()).as("nginx's own 502").isEqualTo(502);
      });
    } finally {
      pod.close();
    }
  }

  @Test
  void backendGoneIsBackendServiceMissingWithTheGateways500Quoted() {
    String podIp = "127.0.0.163";
    try (LoopbackServer pod = LoopbackServer.http(podIp, 0, Behaviour.status(200));
        NginxDataPlane nginx = NginxDataPlane.proxying("127.0.0.162", LoopbackServer.unusedPort("127.0.0.162"),
            "shop.example.com", podIp + ":" + pod.port())) {
      SiteFixture f = deploy(nginx, pod);
      harness.awaitSettledHealthy(f.namespace(), f.name());

      // The Service goes; the controller programs the data plane to answer 500 for the route.
      harness.client.services().inNamespace(f.namespace()).withName("shop-web").delete();
      nginx.answerInvalidBackend();

      Site broken = await().atMost(OperatorHarness.SETTLE).pollInterval(Duration.ofMillis(50))
          .until(() -> harness.site(f.namespace(), f.name()), s -> s.getStatus() != null
              && s.getStatus().getMessage() != null && s.getStatus().getMessage().contains("answers HTTP 500"));
      assertThat(broken.getStatus().getFault()).isEqualTo("502");
      assertThat(broken.getStatus().getReason()).isEqualTo("BackendServiceMissing");
      assertThat(broken.getStatus().getMessage()).contains("Service " + f.namespace() + "/shop-web", "does not exist",
          "the origin answers HTTP 500, as Gateway API implementations do for an invalid backend");
    }
  }
}
