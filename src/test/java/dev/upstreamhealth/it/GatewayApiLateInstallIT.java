package dev.upstreamhealth.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.upstreamhealth.api.Site;
import dev.upstreamhealth.demo.GatewayApiFixture;
import dev.upstreamhealth.demo.SiteFixture;
import dev.upstreamhealth.demo.SiteFixtures;
import dev.upstreamhealth.loopback.Behaviour;
import dev.upstreamhealth.loopback.LoopbackServer;
import io.fabric8.kubernetes.api.model.Event;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A cluster without the Gateway API: Ingress Sites run as usual and HTTPRoute Sites say why they
 * wait, with a Warning Event. Installing the CRDs while the operator runs is enough: no restart,
 * the waiting Site resolves (and says Recovered), and the Ingress Site is not touched on the way.
 */
class GatewayApiLateInstallIT {

  @Test
  void routeSitesWaitForTheGatewayApiAndResolveOnceItIsInstalled() {
    try (OperatorHarness harness = OperatorHarness.start();
        LoopbackServer ingressOrigin = LoopbackServer.http("127.0.0.153", 0, Behaviour.status(200));
        LoopbackServer gatewayOrigin = LoopbackServer.http("127.0.0.154", 0, Behaviour.status(200));
        LoopbackServer pod = LoopbackServer.http("127.0.0.155", 0, Behaviour.status(200))) {
      SiteFixture shop = new SiteFixture("legacy", "shop", "shop.example.com");
      harness.create(SiteFixtures.healthyWorld(shop, ingressOrigin.address(), ingressOrigin.port(), pod.address(), pod.port())
          .toArray(new io.fabric8.kubernetes.api.model.HasMetadata[0]));
      SiteFixture blog = new SiteFixture("modern", "blog", "blog.example.com");
      GatewayApiFixture gateway = new GatewayApiFixture(blog);
      harness.create(blog.service(pod.port()), blog.pod(1, pod.address(), pod.port(), true), blog.deployment(1));
      new EndpointSliceController(harness.client).sync(blog.namespace(), blog.serviceName());
      harness.create(gateway.site(2, 1));

      Site waiting = harness.awaitFault("modern", "blog", "Unknown", "GatewayApiNotInstalled");
      assertThat(waiting.getStatus().getMessage()).contains("HTTPRoute modern/blog",
          "httproutes.gateway.networking.k8s.io v1", "referencegrants.gateway.networking.k8s.io v1beta1");
      assertThat(OperatorHarness.condition(waiting, "Ready").orElseThrow().getStatus()).isEqualTo("Unknown");
      Site legacy = harness.awaitSettledHealthy("legacy", "shop");
      String legacyVersion = legacy.getMetadata().getResourceVersion();
      // No waiting ends this, only an install: a Warning names it (SPEC section 5 spares only
      // AwaitingFirstProbe and CachesNotSynced).
      await().atMost(OperatorHarness.SETTLE).until(() -> reasons(harness, "modern", "blog"),
          r -> r.equals(List.of("Warning/GatewayApiNotInstalled")));

      // The objects follow the CRDs, as on a real cluster: the Site sees them arrive one by one.
      harness.api.installGatewayApi();
      harness.create(gateway.gatewayClass(), gateway.gateway(gatewayOrigin.port()), gateway.route());
      harness.writeStatus(gateway.gatewayClassStatus(true));
      harness.writeStatus(gateway.gatewayStatus(gatewayOrigin.port(), gatewayOrigin.address()));
      harness.writeStatus(gateway.acceptedRouteStatus(gateway.route()));

      Site resolved = harness.awaitFault("modern", "blog", "None", "Healthy");
      assertThat(resolved.getStatus().getOrigin().getAddress()).isEqualTo(gatewayOrigin.address());
      assertThat(harness.site("legacy", "shop").getMetadata().getResourceVersion())
          .as("the Ingress Site is not rewritten when the Gateway API arrives").isEqualTo(legacyVersion);
      assertThat(harness.events("legacy", "shop")).isEmpty();
      // The route's objects arrive one by one after the CRDs. The route may be seen missing for a
      // moment (it is), but the class and the Gateway, there before their controller has written a
      // word, are waited for: no HostNotRouted, no NoOriginAddress on the way.
      await().atMost(OperatorHarness.SETTLE).until(() -> reasons(harness, "modern", "blog"),
          r -> r.get(r.size() - 1).equals("Normal/Recovered"));
      assertThat(reasons(harness, "modern", "blog")).startsWith("Warning/GatewayApiNotInstalled")
          .doesNotContain("Warning/HostNotRouted", "Warning/NoOriginAddress");
    }
  }

  /** The Site's Events as type/reason, oldest first. */
  private static List<String> reasons(OperatorHarness harness, String namespace, String site) {
    return harness.events(namespace, site).stream()
        .sorted(Comparator.comparing(Event::getFirstTimestamp).thenComparing(e -> e.getMetadata().getName()))
        .map(e -> e.getType() + "/" + e.getReason()).toList();
  }
}
