package dev.upstreamhealth.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.upstreamhealth.api.Site;
import dev.upstreamhealth.demo.SiteFixture;
import dev.upstreamhealth.demo.SiteFixtures;
import dev.upstreamhealth.loopback.Behaviour;
import dev.upstreamhealth.loopback.LoopbackServer;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The operator watching named namespaces (the chart's {@code watchNamespaces}): the Site's own
 * namespace and its gateway's, each cached by informers of its own, and nothing of any other.
 */
class WatchedNamespacesIT {
  private static final String SHOP = "shop";
  private static final String GATEWAY = "ingress-nginx";
  private static final String ELSEWHERE = "unwatched";

  static OperatorHarness harness;
  static EndpointSliceController slices;
  static LoopbackServer origin;
  static LoopbackServer pod;
  static LoopbackServer blogPod;

  @BeforeAll
  static void start() {
    harness = OperatorHarness.startWatching(Set.of(SHOP, GATEWAY));
    slices = new EndpointSliceController(harness.client);
    origin = LoopbackServer.http("127.0.0.10", 0, Behaviour.status(200));
    pod = LoopbackServer.http("127.0.0.21", 0, Behaviour.status(200));
    blogPod = LoopbackServer.http("127.0.0.22", 0, Behaviour.status(200));
  }

  @AfterAll
  static void stop() {
    harness.close();
    origin.close();
    pod.close();
    blogPod.close();
  }

  private static EndpointSlice gatewaySlice(boolean ready) {
    return SiteFixtures.gatewaySlice(GATEWAY, "ingress-nginx-controller", "127.0.0.12", ready);
  }

  private void createWorld(SiteFixture fixture) {
    harness.create(
        SiteFixtures.gatewayService(GATEWAY, "ingress-nginx-controller", "127.0.0.11", origin.port()),
        gatewaySlice(true),
        fixture.ingress("127.0.0.10"),
        fixture.service(pod.port()),
        fixture.pod(1, "127.0.0.21", pod.port(), true));
    slices.sync(fixture.namespace(), fixture.serviceName());
    Site site = fixture.site(origin.port(), 2, 1);
    SiteFixtures.useGateway(site, GATEWAY, "ingress-nginx-controller");
    harness.create(fixture.deployment(1), site);
  }

  @Test
  void faultsInTheSitesNamespaceAndInItsGatewaysAreEachSeenAndCleared() {
    SiteFixture fixture = new SiteFixture(SHOP, "shop", "shop.example.com");
    SiteFixture unwatched = new SiteFixture(ELSEWHERE, "shop", "shop.example.com");
    harness.create(unwatched.site(origin.port(), 2, 1));
    try (SiteTimeline timeline = new SiteTimeline(harness.client, SHOP)) {
      createWorld(fixture);
      harness.awaitSettledHealthy(SHOP, "shop");

      // In the gateway's namespace: its only endpoint stops being ready.
      harness.replace(gatewaySlice(false));
      Site gatewayDown = harness.awaitFault(SHOP, "shop", "521", "GatewayDown");
      assertThat(gatewayDown.getStatus().getMessage()).contains("0/1 endpoints of gateway Service " + GATEWAY);
      harness.replace(gatewaySlice(true));
      harness.awaitFault(SHOP, "shop", "None", "Healthy");

      // In the Site's namespace: its only pod stops being ready.
      harness.client.pods().inNamespace(SHOP).resource(fixture.pod(1, "127.0.0.21", pod.port(), false)).updateStatus();
      slices.sync(SHOP, fixture.serviceName());
      Site noEndpoints = harness.awaitFault(SHOP, "shop", "503", "NoReadyEndpoints");
      assertThat(noEndpoints.getStatus().getMessage()).contains("0/1 endpoints of Service " + SHOP + "/shop-web");
      harness.client.pods().inNamespace(SHOP).resource(fixture.pod(1, "127.0.0.21", pod.port(), true)).updateStatus();
      slices.sync(SHOP, fixture.serviceName());
      harness.awaitSettledHealthy(SHOP, "shop");

      timeline.assertWay("shop", "None/Healthy", "521/GatewayDown", "None/Healthy", "503/NoReadyEndpoints", "None/Healthy");
    }
    // A Site outside the watched namespaces is none of this operator's business: never touched.
    assertThat(harness.site(ELSEWHERE, "shop").getStatus()).isNull();
  }

  /**
   * spec.gateway in a namespace the operator does not watch: its Service is not in any cache,
   * which says nothing of whether it exists. No GatewayDown, ever; the probes judge the origin.
   */
  @Test
  void aGatewayInANamespaceNotWatchedIsNeverReportedMissing() {
    SiteFixture blog = new SiteFixture(SHOP, "blog", "blog.example.com");
    try (SiteTimeline timeline = new SiteTimeline(harness.client, SHOP)) {
      harness.create(
          SiteFixtures.gatewayService(ELSEWHERE, "ingress-nginx-controller", "127.0.0.11", origin.port()),
          blog.ingress("127.0.0.10"),
          blog.service(blogPod.port()),
          blog.pod(1, "127.0.0.22", blogPod.port(), true));
      slices.sync(SHOP, blog.serviceName());
      Site site = blog.site(origin.port(), 2, 1);
      SiteFixtures.useGateway(site, ELSEWHERE, "ingress-nginx-controller");
      harness.create(blog.deployment(1), site);
      harness.awaitSettledHealthy(SHOP, "blog");

      timeline.assertWay("blog", "None/Healthy");
    }
  }
}
