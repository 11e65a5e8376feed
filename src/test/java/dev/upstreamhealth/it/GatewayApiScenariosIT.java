package dev.upstreamhealth.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.upstreamhealth.api.Site;
import dev.upstreamhealth.demo.ContourDataPlane;
import dev.upstreamhealth.demo.EnvoyDataPlane;
import dev.upstreamhealth.demo.GatewayApiFixture;
import dev.upstreamhealth.demo.ListenerSetFixture;
import dev.upstreamhealth.demo.SiteFixture;
import dev.upstreamhealth.gatewayapi.ListenerSet;
import dev.upstreamhealth.loopback.Behaviour;
import dev.upstreamhealth.loopback.LoopbackServer;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * HTTPRoute Sites through the real operator, on an API server with the Gateway API's CRDs and
 * objects whose statuses are written the way Envoy Gateway writes them. The Gateway's address
 * and the pod are loopback servers, so probes reach real sockets; each scenario breaks one thing.
 */
class GatewayApiScenariosIT {
  static final String LB = "127.0.0.150";
  static final String POD = "127.0.0.151";
  static OperatorHarness harness;
  static EndpointSliceController slices;
  static LoopbackServer origin;
  static LoopbackServer pod;
  static int counter;

  SiteFixture fixture;
  GatewayApiFixture gateway;
  SiteTimeline timeline;

  @BeforeAll
  static void start() {
    harness = OperatorHarness.startWithGatewayApi(List.of());
    slices = new EndpointSliceController(harness.client);
    origin = LoopbackServer.http(LB, 0, Behaviour.status(200));
    pod = LoopbackServer.http(POD, 0, Behaviour.status(200));
  }

  @AfterAll
  static void stop() {
    harness.close();
    origin.close();
    pod.close();
  }

  @AfterEach
  void closeTimeline() {
    if (timeline != null) {
      timeline.close();
    }
  }

  /** Each scenario in its own namespace with its own GatewayClass: none sees another's objects. */
  private void healthyRoute() {
    fixture = new SiteFixture("route" + (++counter), "shop", "shop.example.com");
    gateway = new GatewayApiFixture(fixture);
    timeline = new SiteTimeline(harness.client, fixture.namespace());
    harness.create(fixture.service(pod.port()), fixture.pod(1, POD, pod.port(), true), fixture.deployment(1));
    slices.sync(fixture.namespace(), fixture.serviceName());
    harness.create(gateway.gatewayClass(), gateway.gateway(origin.port()), gateway.route(),
        dataPlane().service(LB, origin.port()), dataPlane().slice("127.0.0.152", origin.port(), true));
    harness.writeStatus(gateway.gatewayClassStatus(true));
    harness.writeStatus(gateway.gatewayStatus(origin.port(), LB));
    harness.writeStatus(gateway.acceptedRouteStatus(gateway.route()));
    harness.create(gateway.site(2, 1));
  }

  private Site awaitFault(String fault, String reason) {
    return harness.awaitFault(fixture.namespace(), fixture.name(), fault, reason);
  }

  private Site awaitHealthy() {
    return awaitFault("None", "Healthy");
  }

  /** Besides waiting for probes, the Site showed exactly these verdicts, with a Warning for each fault. */
  private void assertTheWay(String... verdicts) {
    timeline.assertWay(fixture.name(), verdicts);
  }

  private List<String> eventReasons() {
    return harness.events(fixture.namespace(), fixture.name()).stream().map(Event::getReason).toList();
  }

  private void updateRoute(HTTPRoute route) {
    harness.replace(route);
    harness.writeStatus(gateway.acceptedRouteStatus(route));
  }

  @Test
  void healthyRouteIsReadyWithTheGatewaysAddressAndListenerPortProbed() {
    healthyRoute();
    Site site = harness.awaitSettledHealthy(fixture.namespace(), fixture.name());

    assertThat(site.getStatus().getOrigin().getAddress()).isEqualTo(LB);
    assertThat(site.getStatus().getOrigin().getPort()).isEqualTo(origin.port());
    assertThat(site.getStatus().getUpstreams()).singleElement()
        .satisfies(u -> assertThat(u.getReadyEndpoints()).isEqualTo(1));
    // The gateway's probe concludes on its own schedule, possibly just after the origin's and the upstreams'.
    await().atMost(OperatorHarness.SETTLE).untilAsserted(() -> assertThat(
        harness.site(fixture.namespace(), fixture.name()).getStatus().getProbes())
        .extracting(p -> p.getLayer()).contains("origin", "gateway", "upstream"));
    assertThat(harness.site(fixture.namespace(), fixture.name()).getStatus().getFault()).isEqualTo("None");
    assertThat(eventReasons()).as("no Event on the way to Healthy").isEmpty();
    assertTheWay("None/Healthy");
  }

  /**
   * Gateway API v1.5: the team's listener comes from a ListenerSet on the shared Gateway, on a port
   * of its own (a second loopback server at the Gateway's address), and the route's parent is the
   * set. Read as a Gateway parent only, the route would be HostNotRouted and page.
   */
  @Test
  void routeThroughAListenerSetIsServedOnTheSetsListenerAndFollowsItsAcceptance() {
    try (LoopbackServer setListener = LoopbackServer.http(LB, 0, Behaviour.status(200))) {
      healthyRoute();
      awaitHealthy();
      ListenerSetFixture sets = new ListenerSetFixture(fixture, gateway);
      ListenerSet set = sets.listenerSet(setListener.port());
      harness.create(set);
      harness.writeStatus(accepted("True", "Accepted", "ListenerSet is attached to the Gateway"));
      HTTPRoute viaSet = sets.route();
      harness.replace(viaSet);
      harness.writeStatus(sets.acceptedRouteStatus(viaSet));

      await().atMost(OperatorHarness.SETTLE).untilAsserted(() -> assertThat(
          harness.site(fixture.namespace(), fixture.name()).getStatus().getOrigin().getPort())
          .as("probed on the set's listener").isEqualTo(setListener.port()));
      Site served = awaitHealthy();
      assertThat(served.getStatus().getOrigin().getAddress()).isEqualTo(LB);
      assertThat(eventReasons()).as("no Event on the move to the ListenerSet").isEmpty();

      harness.writeStatus(accepted("False", "NotAllowed",
          "ListenerSets from namespace " + fixture.namespace() + " are not allowed by the Gateway"));
      Site refused = awaitFault("Other", "HostNotRouted");
      assertThat(refused.getStatus().getMessage()).contains("has not accepted ListenerSet " + fixture.namespace() + "/team",
          "NotAllowed");

      harness.writeStatus(accepted("True", "Accepted", "ListenerSet is attached to the Gateway"));
      awaitHealthy();
      await().atMost(OperatorHarness.SETTLE).untilAsserted(() ->
          assertThat(eventReasons()).containsExactly("HostNotRouted", "Recovered"));
      assertTheWay("None/Healthy", "Other/HostNotRouted", "None/Healthy");
    }
  }

  /** The scenario's ListenerSet as stored, with an Accepted condition as given. */
  private ListenerSet accepted(String status, String reason, String message) {
    ListenerSet current = harness.client.resources(ListenerSet.class).inNamespace(fixture.namespace())
        .withName(ListenerSetFixture.NAME).get();
    return ListenerSetFixture.withAccepted(current, status, reason, message);
  }

  @Test
  void crashLoopingBackendBehindTheRouteIsBadGateway() {
    healthyRoute();
    awaitHealthy();
    harness.client.pods().inNamespace(fixture.namespace()).resource(fixture.crashLoopingPod(1, POD, pod.port()))
        .updateStatus();

    Site site = awaitFault("502", "UpstreamCrashLooping");
    assertThat(site.getStatus().getMessage()).contains("1/1 pods of Service " + fixture.namespace() + "/shop-web", "OOMKilled");
    assertTheWay("None/Healthy", "502/UpstreamCrashLooping");
  }

  @Test
  void deletedRouteIsRouteNotFound() {
    healthyRoute();
    awaitHealthy();
    harness.client.resources(HTTPRoute.class).inNamespace(fixture.namespace()).withName("shop").delete();

    Site site = awaitFault("Other", "RouteNotFound");
    assertThat(site.getStatus().getMessage()).contains("HTTPRoute " + fixture.namespace() + "/shop", "does not exist");
    assertTheWay("None/Healthy", "Other/RouteNotFound");
  }

  @Test
  void routeRefusedByItsGatewayIsHostNotRoutedUntilAccepted() {
    healthyRoute();
    awaitHealthy();
    harness.writeStatus(gateway.routeStatus(gateway.route(),
        GatewayApiFixture.condition("Accepted", "False", "NotAllowedByListeners",
            "No listeners included by this parent ref allowed this attachment."),
        GatewayApiFixture.resolved()));

    Site site = awaitFault("Other", "HostNotRouted");
    assertThat(site.getStatus().getMessage()).contains("Gateway " + fixture.namespace() + "/eg",
        "NotAllowedByListeners", "No listeners included by this parent ref allowed this attachment.",
        GatewayApiFixture.CONTROLLER);

    harness.writeStatus(gateway.acceptedRouteStatus(gateway.route()));
    awaitHealthy();
    await().atMost(OperatorHarness.SETTLE).untilAsserted(() ->
        assertThat(eventReasons()).containsExactly("HostNotRouted", "Recovered"));
    assertTheWay("None/Healthy", "Other/HostNotRouted", "None/Healthy");
  }

  @Test
  void routeHostnamesNotCoveringHostIsHostNotRouted() {
    healthyRoute();
    awaitHealthy();
    updateRoute(new HTTPRouteBuilder(gateway.route()).editSpec().withHostnames("*.shop.example.com").endSpec().build());

    Site site = awaitFault("Other", "HostNotRouted");
    assertThat(site.getStatus().getMessage()).contains("*.shop.example.com", "none of which covers shop.example.com");
    assertTheWay("None/Healthy", "Other/HostNotRouted");
  }

  @Test
  void gatewayClassNoControllerAcceptedIsHostNotRouted() {
    healthyRoute();
    awaitHealthy();
    harness.writeStatus(gateway.gatewayClassStatus(false));

    Site site = awaitFault("Other", "HostNotRouted");
    assertThat(site.getStatus().getMessage()).contains("GatewayClass \"" + gateway.className() + "\"",
        "InvalidParameters", "custom-proxy-config not found");
    assertTheWay("None/Healthy", "Other/HostNotRouted");
  }

  /**
   * A Gateway whose controller cannot use the address it asks for: nothing for the CDN to reach.
   * (A new Gateway still waiting for its address, AddressNotAssigned, is waited for instead:
   * ControllerPendingTest.)
   */
  @Test
  void gatewayNotProgrammedIsNoOriginAddress() {
    healthyRoute();
    awaitHealthy();
    Gateway unusable = gateway.gatewayStatus(origin.port(), null);
    unusable.getStatus().getConditions().replaceAll(c -> "Programmed".equals(c.getType())
        ? new ConditionBuilder(c).withReason("AddressNotUsable")
            .withMessage("The address 203.0.113.9 in spec.addresses is not usable").build()
        : c);
    harness.writeStatus(unusable);

    Site site = awaitFault("521", "NoOriginAddress");
    assertThat(site.getStatus().getMessage()).contains("not Programmed", "AddressNotUsable");
    assertTheWay("None/Healthy", "521/NoOriginAddress");
  }

  @Test
  void cdnPointedAtAnotherAddressIsOriginAddressMismatch() {
    healthyRoute();
    // Settled: a status write still on its way (the upstream probes) would make the update below conflict.
    Site site = harness.awaitSettledHealthy(fixture.namespace(), fixture.name());
    site.getSpec().getOrigin().setAddress("203.0.113.7");
    harness.client.resource(site).update();

    Site mismatch = awaitFault("521", "OriginAddressMismatch");
    assertThat(mismatch.getStatus().getMessage()).contains("203.0.113.7", "Gateway " + fixture.namespace() + "/eg", LB);
    assertTheWay("None/Healthy", "521/OriginAddressMismatch");
  }

  @Test
  void dataPlaneWithoutReadyEndpointsIsGatewayDownUntilItRecovers() {
    healthyRoute();
    awaitHealthy();
    // Only an object in Envoy Gateway's own namespace changes: the Site must follow it there.
    harness.replace(dataPlane().slice("127.0.0.152", origin.port(), false));

    Site site = awaitFault("521", "GatewayDown");
    assertThat(site.getStatus().getMessage()).contains("0/1 endpoints of gateway Service "
        + EnvoyDataPlane.NAMESPACE + "/" + dataPlane().name());
    harness.replace(dataPlane().slice("127.0.0.152", origin.port(), true));
    awaitHealthy();
    assertTheWay("None/Healthy", "521/GatewayDown", "None/Healthy");
  }

  /**
   * Traefik's Helm chart: the Gateway's listener is the entrypoint's container port, its
   * LoadBalancer Service (no Gateway label) takes the CDN's port with targetPort "web", and Traefik
   * copies the Service's address into the Gateway's. Nothing listens on the listener's port at that
   * address: the CDN, and so the origin probe, connect to the Service's port.
   */
  @Test
  void aGatewayWhoseListenerPortIsOnlyItsLoadBalancersTargetIsProbedOnTheServicePort() throws Exception {
    int entrypoint;
    try (ServerSocket unused = new ServerSocket(0, 1, InetAddress.getByName(LB))) {
      entrypoint = unused.getLocalPort(); // closed again: nothing answers there
    }
    fixture = new SiteFixture("route" + (++counter), "shop", "shop.example.com");
    gateway = new GatewayApiFixture(fixture);
    timeline = new SiteTimeline(harness.client, fixture.namespace());
    harness.create(fixture.service(pod.port()), fixture.pod(1, POD, pod.port(), true), fixture.deployment(1));
    slices.sync(fixture.namespace(), fixture.serviceName());
    Map<String, String> labels = Map.of("app.kubernetes.io/name", "traefik");
    Service traefik = new ServiceBuilder()
        .withNewMetadata().withNamespace(fixture.namespace()).withName("traefik").withLabels(labels).endMetadata()
        .withNewSpec().withType("LoadBalancer").withClusterIP("127.0.0.153").withSelector(labels)
        .addNewPort().withName("web").withPort(origin.port()).withTargetPort(new IntOrString("web")).endPort()
        .endSpec().build();
    harness.create(gateway.gatewayClass(), gateway.gateway(entrypoint), gateway.route(), traefik,
        new EndpointSliceBuilder()
            .withNewMetadata().withNamespace(fixture.namespace()).withName("traefik-x7k2p")
            .withLabels(Map.of("kubernetes.io/service-name", "traefik")).endMetadata()
            .withAddressType("IPv4")
            .addNewPort().withName("web").withPort(entrypoint).withProtocol("TCP").endPort()
            .addNewEndpoint().withAddresses("127.0.0.152").withNewConditions().withReady(true).endConditions().endEndpoint()
            .build());
    harness.writeStatus(new ServiceBuilder(traefik).withNewStatus().withNewLoadBalancer().addNewIngress().withIp(LB)
        .endIngress().endLoadBalancer().endStatus().build());
    harness.writeStatus(gateway.gatewayClassStatus(true));
    harness.writeStatus(gateway.gatewayStatus(entrypoint, LB));
    harness.writeStatus(gateway.acceptedRouteStatus(gateway.route()));
    harness.create(gateway.site(2, 1));

    Site site = harness.awaitSettledHealthy(fixture.namespace(), fixture.name());
    assertThat(site.getStatus().getOrigin().getAddress()).isEqualTo(LB);
    assertThat(site.getStatus().getOrigin().getPort()).isEqualTo(origin.port());
    assertThat(eventReasons()).as("no Event on the way to Healthy").isEmpty();
    assertTheWay("None/Healthy");
  }

  /**
   * Contour labels its control plane's Service for the Gateway as it labels the proxies'; the
   * control plane restarting (every replica unready) while Envoy serves is no 521.
   */
  @Test
  void aContourGatewaysProxiesAreItsDataPlaneNotItsControlPlane() {
    fixture = new SiteFixture("route" + (++counter), "shop", "shop.example.com");
    gateway = new GatewayApiFixture(fixture);
    timeline = new SiteTimeline(harness.client, fixture.namespace());
    ContourDataPlane contour = new ContourDataPlane(fixture, gateway);
    harness.create(fixture.service(pod.port()), fixture.pod(1, POD, pod.port(), true), fixture.deployment(1));
    slices.sync(fixture.namespace(), fixture.serviceName());
    harness.create(gateway.gatewayClass(), gateway.gateway(origin.port()), gateway.route(),
        contour.proxies(LB, origin.port()), contour.slice(contour.proxiesName(), "127.0.0.152", origin.port(), true),
        contour.controlPlane("127.0.0.153"),
        contour.slice(contour.controlPlaneName(), "127.0.0.154", ContourDataPlane.XDS_PORT, false));
    harness.writeStatus(gateway.gatewayClassStatus(true));
    harness.writeStatus(gateway.gatewayStatus(origin.port(), LB));
    harness.writeStatus(gateway.acceptedRouteStatus(gateway.route()));
    harness.create(gateway.site(2, 1));

    harness.awaitSettledHealthy(fixture.namespace(), fixture.name());
    assertThat(eventReasons()).as("no Event on the way to Healthy").isEmpty();
    assertTheWay("None/Healthy");

    // The proxies themselves losing every endpoint is the 521.
    harness.replace(contour.slice(contour.proxiesName(), "127.0.0.152", origin.port(), false));
    Site down = awaitFault("521", "GatewayDown");
    assertThat(down.getStatus().getMessage()).contains("gateway Service " + fixture.namespace() + "/" + contour.proxiesName());
  }

  @Test
  void backendPortTheServiceLacksIsServicePortMismatch() {
    healthyRoute();
    awaitHealthy();
    updateRoute(gateway.route(fixture.namespace(), 8081));

    Site site = awaitFault("502", "ServicePortMismatch");
    assertThat(site.getStatus().getMessage()).contains("HTTPRoute " + fixture.namespace() + "/shop", "port 8081");
    assertTheWay("None/Healthy", "502/ServicePortMismatch");
  }

  /**
   * A canary step (Flagger, Argo Rollouts): the rule sends a tenth of its requests to a canary whose
   * Service is not there. A tenth of the requests fail; the Site is Degraded, and pages nobody.
   */
  @Test
  void aCanaryAtWeightTenThatCannotServeIsDegradedNotBadGateway() {
    healthyRoute();
    awaitHealthy();
    HTTPRoute canaryStep = gateway.route();
    var refs = canaryStep.getSpec().getRules().get(0).getBackendRefs();
    refs.get(0).setWeight(90);
    refs.add(new io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPBackendRefBuilder()
        .withName("shop-canary").withPort(80).withWeight(10).build());
    updateRoute(canaryStep);

    Site site = await().atMost(OperatorHarness.SETTLE).until(() -> harness.site(fixture.namespace(), fixture.name()),
        s -> OperatorHarness.condition(s, "Degraded").map(c -> "PartialUpstreamFailure".equals(c.getReason())).orElse(false));
    assertThat(site.getStatus().getFault()).isEqualTo("None");
    assertThat(OperatorHarness.condition(site, "Degraded").orElseThrow().getMessage())
        .contains("Service " + fixture.namespace() + "/shop-canary, which does not exist", "about 10 %");
    assertThat(eventReasons()).as("no Warning for a canary's share").isEmpty();
    assertTheWay("None/Healthy");
  }

  @Test
  void deletedBackendServiceIsBackendServiceMissing() {
    healthyRoute();
    awaitHealthy();
    harness.client.services().inNamespace(fixture.namespace()).withName("shop-web").delete();

    Site site = awaitFault("502", "BackendServiceMissing");
    assertThat(site.getStatus().getMessage()).contains("Service " + fixture.namespace() + "/shop-web", "does not exist");
    assertTheWay("None/Healthy", "502/BackendServiceMissing");
  }

  @Test
  void crossNamespaceBackendIsBackendNotPermittedUntilAReferenceGrantAdmitsIt() {
    healthyRoute();
    awaitHealthy();
    String shared = fixture.namespace() + "-shared";
    SiteFixture sharedFixture = new SiteFixture(shared, "shop", "shop.example.com");
    // Written by hand: the shared Service's endpoint is the same pod server, with no pod object in that namespace.
    harness.create(sharedFixture.service(pod.port()), sharedFixture.endpointSlice(pod.port(), Map.of(POD, true)));
    // The route status still says all is resolved: the operator checks the grant itself.
    updateRoute(gateway.route(shared, 80));

    Site site = awaitFault("502", "BackendNotPermitted");
    assertThat(site.getStatus().getMessage()).contains("Service " + shared + "/shop-web", "no ReferenceGrant in " + shared);

    harness.create(gateway.referenceGrant(shared));
    awaitHealthy();
    assertTheWay("None/Healthy", "502/BackendNotPermitted", "None/Healthy");
  }

  private EnvoyDataPlane dataPlane() {
    return new EnvoyDataPlane(fixture, gateway);
  }
}
