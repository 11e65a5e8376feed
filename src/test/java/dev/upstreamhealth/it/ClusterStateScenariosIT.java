package dev.upstreamhealth.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.upstreamhealth.api.Site;
import dev.upstreamhealth.demo.SiteFixture;
import dev.upstreamhealth.demo.SiteFixtures;
import dev.upstreamhealth.loopback.Behaviour;
import dev.upstreamhealth.loopback.LoopbackServer;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Cluster-state faults through the real operator: each scenario creates its objects on the
 * embedded API server and waits for the Site's status and Events, as a user would see them.
 */
class ClusterStateScenariosIT {
  static OperatorHarness harness;
  static EndpointSliceController slices;
  static LoopbackServer origin;
  static LoopbackServer pod;
  static int counter;

  SiteFixture fixture;
  SiteTimeline timeline;

  @BeforeAll
  static void start() {
    harness = OperatorHarness.start();
    slices = new EndpointSliceController(harness.client);
    origin = LoopbackServer.http("127.0.0.10", 0, Behaviour.status(200));
    pod = LoopbackServer.http("127.0.0.21", 0, Behaviour.status(200));
  }

  @AfterAll
  static void stop() {
    harness.close();
    origin.close();
    pod.close();
  }

  @AfterEach
  void resetServers() {
    origin.behave(Behaviour.status(200));
    if (timeline != null) {
      timeline.close();
    }
  }

  /** Each test gets its own namespace, so scenarios never see each other's objects. */
  private SiteFixture healthySite() {
    fixture = new SiteFixture("web" + (++counter), "shop", "shop.example.com");
    timeline = new SiteTimeline(harness.client, fixture.namespace());
    harness.create(
        fixture.ingress("127.0.0.10"),
        fixture.service(pod.port()),
        fixture.pod(1, "127.0.0.21", pod.port(), true));
    followPods();
    harness.create(fixture.deployment(1), fixture.site(origin.port(), 2, 1));
    return fixture;
  }

  /** The Service's EndpointSlice rewritten from its pods, as the EndpointSlice controller does on a pod change. */
  private EndpointSlice followPods() {
    return slices.sync(fixture.namespace(), fixture.serviceName());
  }

  private Site awaitFault(String fault, String reason) {
    return harness.awaitFault(fixture.namespace(), fixture.name(), fault, reason);
  }

  private void assertTheWay(String... verdicts) {
    timeline.assertWay(fixture.name(), verdicts);
  }

  @Test
  void aSiteThatReachesTheOperatorBeforeItsIngressAndServicesShowsNoFaultOnTheWay() {
    // One sync applies them all; the Site's watch event happens to arrive first.
    fixture = new SiteFixture("web" + (++counter), "shop", "shop.example.com");
    timeline = new SiteTimeline(harness.client, fixture.namespace());
    harness.create(fixture.site(origin.port(), 2, 1));
    await().atMost(Duration.ofSeconds(10)).until(() -> harness.site(fixture.namespace(), "shop").getStatus() != null);
    assertThat(harness.site(fixture.namespace(), "shop").getStatus().getReason()).isEqualTo("AwaitingFirstProbe");
    harness.create(
        fixture.ingress("127.0.0.10"),
        fixture.service(pod.port()),
        fixture.pod(1, "127.0.0.21", pod.port(), true));
    followPods();
    harness.create(fixture.deployment(1));

    awaitFault("None", "Healthy");
    assertTheWay("None/Healthy");
  }

  @Test
  void healthySiteIsReadyWithAllFiveConditions() {
    healthySite();
    Site site = awaitFault("None", "Healthy");
    assertThat(site.getStatus().getConditions()).extracting(c -> c.getType())
        .containsExactly("Ready", "OriginDown", "BadGateway", "ServiceUnavailable", "Degraded");
    assertThat(OperatorHarness.condition(site, "Ready").orElseThrow().getStatus()).isEqualTo("True");
    assertThat(site.getStatus().getObservedGeneration()).isEqualTo(site.getMetadata().getGeneration());
    assertThat(site.getStatus().getUpstreams()).singleElement()
        .satisfies(u -> assertThat(u.getReadyEndpoints()).isEqualTo(1));
    assertTheWay("None/Healthy");
  }

  @Test
  void crashLoopingUpstreamIsBadGatewayWithAWarningEvent() {
    healthySite();
    awaitFault("None", "Healthy");
    harness.client.pods().inNamespace(fixture.namespace()).resource(
        fixture.crashLoopingPod(1, "127.0.0.21", pod.port())).updateStatus();
    followPods();
    Site site = awaitFault("502", "UpstreamCrashLooping");
    assertThat(site.getStatus().getMessage()).contains("1/1 pods of Service " + fixture.namespace() + "/shop-web")
        .contains("OOMKilled");
    assertThat(OperatorHarness.condition(site, "BadGateway").orElseThrow().getStatus()).isEqualTo("True");
    assertTheWay("None/Healthy", "502/UpstreamCrashLooping");
  }

  @Test
  void scaledToZeroIsServiceUnavailableAndRecoveryEmitsRecovered() {
    healthySite();
    awaitFault("None", "Healthy");
    // Written in an order where every world in between shows the verdict before or after.
    harness.replace(new DeploymentBuilder(fixture.deployment(0)).build());
    harness.client.pods().inNamespace(fixture.namespace()).withName("shop-web-1").delete();
    assertThat(followPods().getEndpoints()).as("no pod, no endpoint").isEmpty();
    awaitFault("503", "ScaledToZero");
    harness.create(fixture.pod(1, "127.0.0.21", pod.port(), true));
    followPods();
    // The operator must have seen the ready endpoint before the Deployment scales back: its
    // informers do not keep order between kinds, and a Deployment at 1 replica not yet observed
    // beside no ready endpoint is a scale-up under way (RolloutInProgress), which is right.
    awaitFault("None", "Healthy");
    harness.replace(fixture.deployment(1));
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(harness.events(fixture.namespace(), "shop")).extracting(Event::getReason)
            .containsExactly("ScaledToZero", "Recovered"));
    awaitFault("None", "Healthy");
    assertTheWay("None/Healthy", "503/ScaledToZero", "None/Healthy");
  }

  /** Pods are looked up by label: a label changed either way must move the pod out of and back into the Service. */
  @Test
  void aPodRelabelledOutOfItsServiceIsNoLongerItsAndCountsAgainWhenRelabelledBack() {
    healthySite();
    awaitFault("None", "Healthy");
    // Taken out of rotation for a look, as `kubectl label pod --overwrite` does; nothing replaces it here.
    relabel("shop-web-1", "debug");
    assertThat(followPods().getEndpoints()).isEmpty();
    Site site = awaitFault("503", "NoReadyEndpoints");
    assertThat(site.getStatus().getMessage()).contains("matches no pod");
    relabel("shop-web-1", fixture.serviceName());
    assertThat(followPods().getEndpoints()).hasSize(1);
    awaitFault("None", "Healthy");
    assertTheWay("None/Healthy", "503/NoReadyEndpoints", "None/Healthy");
  }

  /**
   * Charts select by two labels or more (name and instance): pods and workloads are looked up under
   * one pair of the selector, then matched against all of it, and a pod of the same app in
   * another instance is not the Site's.
   */
  @Test
  void aServiceSelectingByTwoLabelsCountsOnlyThePodsAndWorkloadsThatCarryBoth() {
    fixture = new SiteFixture("web" + (++counter), "shop", "shop.example.com");
    timeline = new SiteTimeline(harness.client, fixture.namespace());
    Map<String, String> instance = Map.of("app.kubernetes.io/instance", "prod");
    Service service = new ServiceBuilder(fixture.service(pod.port())).editSpec().addToSelector(instance).endSpec().build();
    Pod prod = new PodBuilder(fixture.pod(1, "127.0.0.21", pod.port(), true))
        .editMetadata().addToLabels(instance).endMetadata().build();
    Pod canary = new PodBuilder(fixture.crashLoopingPod(2, "127.0.0.22", pod.port()))
        .editMetadata().addToLabels("app.kubernetes.io/instance", "canary").endMetadata().build();
    harness.create(fixture.ingress("127.0.0.10"), service, prod, canary);
    assertThat(followPods().getEndpoints()).as("only the prod pod is the Service's").hasSize(1);
    harness.create(twoLabelDeployment(1, instance), fixture.site(origin.port(), 2, 1));

    Site site = awaitFault("None", "Healthy");
    assertThat(site.getStatus().getUpstreams()).singleElement()
        .satisfies(u -> assertThat(u.getReadyEndpoints()).isEqualTo(1));

    harness.replace(twoLabelDeployment(0, instance));
    harness.client.pods().inNamespace(fixture.namespace()).withName("shop-web-1").delete();
    assertThat(followPods().getEndpoints()).isEmpty();
    site = awaitFault("503", "ScaledToZero");
    assertThat(site.getStatus().getMessage()).contains("Deployment " + fixture.namespace() + "/shop-web");
    assertTheWay("None/Healthy", "503/ScaledToZero");
  }

  private Deployment twoLabelDeployment(int replicas, Map<String, String> instance) {
    return new DeploymentBuilder(fixture.deployment(replicas)).editSpec()
        .editSelector().addToMatchLabels(instance).endSelector()
        .editTemplate().editMetadata().addToLabels(instance).endMetadata().endTemplate()
        .endSpec().build();
  }

  private void relabel(String podName, String app) {
    harness.client.pods().inNamespace(fixture.namespace()).withName(podName)
        .edit(p -> new PodBuilder(p).editMetadata().addToLabels("app", app).endMetadata().build());
  }

  @Test
  void readinessFailingEverywhereIsNoReadyEndpoints() {
    healthySite();
    awaitFault("None", "Healthy");
    harness.client.pods().inNamespace(fixture.namespace())
        .resource(fixture.pod(1, "127.0.0.21", pod.port(), false)).updateStatus();
    assertThat(followPods().getEndpoints()).singleElement()
        .satisfies(e -> assertThat(e.getConditions().getReady()).isFalse());
    Site site = awaitFault("503", "NoReadyEndpoints");
    assertThat(site.getStatus().getMessage()).contains("0/1 endpoints of Service " + fixture.namespace() + "/shop-web");
    assertTheWay("None/Healthy", "503/NoReadyEndpoints");
  }

  /**
   * ingress-nginx's default-backend annotation: with the backend Service deleted, visitors get the
   * fallback's page while it has a ready endpoint (Degraded, no 502, no Warning); once its only
   * endpoint stops being ready nothing serves, and the Site learns it from the fallback's
   * EndpointSlice alone.
   */
  @Test
  void aMissingBackendIsAnOutageOnlyOnceItsDefaultBackendStopsServing() {
    healthySite();
    awaitFault("None", "Healthy");
    String ns = fixture.namespace();
    harness.create(new ServiceBuilder().withNewMetadata().withNamespace(ns).withName("shop-fallback").endMetadata()
            .withNewSpec().addToSelector("app", "fallback").addNewPort().withName("http").withPort(80)
            .withTargetPort(new IntOrString(8080)).endPort().endSpec().build(),
        fallbackSlice(ns, true));
    harness.replace(new IngressBuilder(fixture.ingress("127.0.0.10")).editMetadata()
        .addToAnnotations("nginx.ingress.kubernetes.io/default-backend", "shop-fallback").endMetadata().build());
    harness.client.services().inNamespace(ns).withName("shop-web").delete();
    await().atMost(Duration.ofSeconds(30)).until(() -> OperatorHarness.condition(harness.site(ns, "shop"), "Degraded")
        .map(c -> "True".equals(c.getStatus()) && c.getMessage().contains("default-backend Service " + ns + "/shop-fallback"))
        .orElse(false));

    harness.client.discovery().v1().endpointSlices().inNamespace(ns).resource(fallbackSlice(ns, false)).update();
    Site site = awaitFault("502", "BackendServiceMissing");
    assertThat(site.getStatus().getMessage()).contains("has no ready endpoint either");
    assertTheWay("None/Healthy", "502/BackendServiceMissing");
  }

  private static EndpointSlice fallbackSlice(String namespace, boolean ready) {
    return new EndpointSliceBuilder().withNewMetadata().withNamespace(namespace).withName("shop-fallback-x1")
        .withLabels(Map.of("kubernetes.io/service-name", "shop-fallback")).endMetadata()
        .withAddressType("IPv4").addNewPort().withName("http").withPort(8080).withProtocol("TCP").endPort()
        .addNewEndpoint().withAddresses("127.0.0.22").withNewConditions().withReady(ready).withServing(ready)
        .withTerminating(false).endConditions().endEndpoint().build();
  }

  @Test
  void missingBackendServiceIsBadGateway() {
    healthySite();
    awaitFault("None", "Healthy");
    harness.client.services().inNamespace(fixture.namespace()).withName("shop-web").delete();
    awaitFault("502", "BackendServiceMissing");
    assertTheWay("None/Healthy", "502/BackendServiceMissing");
  }

  /**
   * A new app's Site and Ingress applied in one sync: the controller writes the Ingress's address a
   * while later. The Site waits for it (no 521, no Warning), and is Healthy once it is there. An
   * address still missing two minutes after the Ingress's creation is NoOriginAddress
   * (ControllerPendingTest).
   */
  @Test
  void aNewIngressIsWaitedForUntilItsControllerWritesTheAddress() {
    fixture = new SiteFixture("web" + (++counter), "shop", "shop.example.com");
    timeline = new SiteTimeline(harness.client, fixture.namespace());
    harness.create(fixture.ingress(null), fixture.service(pod.port()), fixture.pod(1, "127.0.0.21", pod.port(), true));
    followPods();
    harness.create(fixture.deployment(1), fixture.site(origin.port(), 2, 1));
    Site waiting = await().atMost(OperatorHarness.SETTLE).until(() -> harness.site(fixture.namespace(), "shop"),
        s -> s != null && s.getStatus() != null && s.getStatus().getMessage() != null
            && s.getStatus().getMessage().contains("has not written its load-balancer address yet"));
    assertThat(waiting.getStatus().getReason()).isEqualTo("AwaitingFirstProbe");
    assertThat(waiting.getStatus().getFault()).isEqualTo("Unknown");

    harness.client.network().v1().ingresses().inNamespace(fixture.namespace())
        .resource(fixture.ingress("127.0.0.10")).update();
    awaitFault("None", "Healthy");
    assertTheWay("None/Healthy");
  }

  @Test
  void declaredMaintenanceIsServiceUnavailableMaintenanceMode() {
    healthySite();
    Site site = harness.awaitSettledHealthy(fixture.namespace(), "shop");
    site.getSpec().getMaintenance().setActive(true);
    site.getSpec().getMaintenance().setMessage("database migration until 14:00");
    harness.client.resource(site).update();
    Site updated = awaitFault("503", "MaintenanceMode");
    assertThat(updated.getStatus().getMessage()).contains("database migration");
    assertThat(updated.getStatus().getObservedGeneration()).isEqualTo(updated.getMetadata().getGeneration());
    assertTheWay("None/Healthy", "503/MaintenanceMode");
    // Said with a Normal Event, which no one pages on; no Warning (assertTheWay).
    await().atMost(OperatorHarness.SETTLE).until(() -> harness.events(fixture.namespace(), "shop").stream()
        .anyMatch(e -> "Normal".equals(e.getType()) && "MaintenanceMode".equals(e.getReason())));
  }

  @Test
  void invalidSpecIsReadyFalseWithWhatToFix() {
    healthySite();
    Site site = harness.awaitSettledHealthy(fixture.namespace(), "shop");
    site.getSpec().getProbe().setExpectedStatus("2xx");
    harness.client.resource(site).update();
    Site updated = awaitFault("Unknown", "InvalidSpec");
    assertThat(updated.getStatus().getMessage()).contains("probe.expectedStatus").contains("200-299");
    assertThat(OperatorHarness.condition(updated, "Ready").orElseThrow().getStatus()).isEqualTo("False");
    assertTheWay("None/Healthy", "Unknown/InvalidSpec");
  }

  @Test
  void gatewayInAnotherNamespaceWithoutReadyEndpointsIsGatewayDownUntilItRecovers() {
    healthySite();
    harness.awaitSettledHealthy(fixture.namespace(), "shop");
    String gatewayNs = "ingress-" + fixture.namespace();
    harness.create(SiteFixtures.gatewayService(gatewayNs, "ingress-nginx-controller", "127.0.0.11", origin.port()),
        SiteFixtures.gatewaySlice(gatewayNs, "ingress-nginx-controller", "127.0.0.12", false));
    Site site = harness.site(fixture.namespace(), "shop");
    SiteFixtures.useGateway(site, gatewayNs, "ingress-nginx-controller");
    harness.client.resource(site).update();
    Site down = awaitFault("521", "GatewayDown");
    assertThat(down.getStatus().getMessage()).contains("0/1 endpoints of gateway Service " + gatewayNs);
    // Only an object in the gateway's namespace changes: the Site must follow it there.
    harness.replace(SiteFixtures.gatewaySlice(gatewayNs, "ingress-nginx-controller", "127.0.0.12", true));
    awaitFault("None", "Healthy");
    assertTheWay("None/Healthy", "521/GatewayDown", "None/Healthy");
  }

  @Test
  void ingressNamingAnUnknownIngressClassIsHostNotRouted() {
    healthySite();
    awaitFault("None", "Healthy");
    harness.replace(new io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder(fixture.ingress("127.0.0.10"))
        .editSpec().withIngressClassName("traefik").endSpec().build());
    Site site = awaitFault("Other", "HostNotRouted");
    assertThat(site.getStatus().getMessage()).contains("IngressClass \"traefik\"");
    // The class appears (the controller is installed): the Site follows the IngressClass itself.
    harness.create(new io.fabric8.kubernetes.api.model.networking.v1.IngressClassBuilder()
        .withNewMetadata().withName("traefik").endMetadata().withNewSpec().withController("traefik.io/ingress-controller")
        .endSpec().build());
    awaitFault("None", "Healthy");
    assertTheWay("None/Healthy", "Other/HostNotRouted", "None/Healthy");
  }

  @Test
  void missingIngressIsOther() {
    healthySite();
    awaitFault("None", "Healthy");
    harness.client.network().v1().ingresses().inNamespace(fixture.namespace()).withName("shop").delete();
    awaitFault("Other", "IngressNotFound");
    assertTheWay("None/Healthy", "Other/IngressNotFound");
  }

  @Test
  void aHealthySiteWritesItsStatusOnceWhileProbesKeepRunning() {
    healthySite();
    Site first = harness.awaitSettledHealthy(fixture.namespace(), "shop");
    int requestsBefore = origin.requests();
    // Probes every 2 s: wait for three more, then check that nothing was written in between.
    await().atMost(OperatorHarness.SETTLE).until(() -> origin.requests() >= requestsBefore + 3);
    Site later = harness.site(fixture.namespace(), "shop");
    assertThat(later.getMetadata().getResourceVersion()).isEqualTo(first.getMetadata().getResourceVersion());
  }
}
