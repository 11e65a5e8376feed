package dev.upstreamhealth.diagnosis;

import static dev.upstreamhealth.diagnosis.RouteWorld.condition;
import static org.assertj.core.api.Assertions.assertThat;

import dev.upstreamhealth.api.ConditionStatus;
import dev.upstreamhealth.api.ConditionType;
import dev.upstreamhealth.api.Fault;
import dev.upstreamhealth.api.Reason;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A Gateway or GatewayClass applied a moment ago, before its controller has written a word or while
 * it sets the Gateway up: the Site waits, without a fault or an Event, rather than say
 * NoOriginAddress or HostNotRouted for a Gateway nobody could reach yet; once the grace is over, an
 * object still not set up is the fault.
 */
class ControllerPendingTest {
  /** What the Gateway API's CRDs default a new Gateway's and GatewayClass's conditions to. */
  private static final Condition PROGRAMMED_BY_DEFAULT = condition("Programmed", "Unknown", "Pending", "Waiting for controller");
  private static final Condition ACCEPTED_BY_DEFAULT = condition("Accepted", "Unknown", "Pending", "Waiting for controller");

  @Test
  void aGatewayWithoutStatusSecondsOldIsWaitedForNotNoOriginAddress() {
    Verdict v = SiteWorld.healthy().viaHttpRoute().route.gatewayCreated(Duration.ofSeconds(3)).diagnose();

    assertThat(v.fault()).isEqualTo(Fault.UNKNOWN);
    assertThat(v.reason()).isEqualTo(Reason.AWAITING_FIRST_PROBE.reasonName());
    assertThat(v.message()).contains("Gateway gateways/eg was created 3 s ago", "no Programmed condition",
        "so far: Gateway gateways/eg is not Programmed");
    assertThat(v.conditions().values()).filteredOn(c -> c.type().isFaultCondition())
        .allSatisfy(c -> assertThat(c.status()).isEqualTo(ConditionStatus.UNKNOWN));
  }

  /**
   * A route, its Gateway and its class applied in one sync: each arrives through a watch of its
   * own, and the route may come first. A young route naming a Gateway not seen yet, or a young
   * Gateway whose class is not seen yet, is waited for, with no HostNotRouted and no Warning.
   */
  @Test
  void aYoungRouteWhoseGatewayHasNotArrivedYetIsWaitedFor() {
    SiteWorld w = SiteWorld.healthy().viaHttpRoute();
    w.route.route.getMetadata().setCreationTimestamp(SiteWorld.NOW.minusSeconds(1).toString());
    w.route.gateway = null;
    Snapshot early = w.snapshot();
    Verdict v = Diagnosis.diagnose(early);

    assertThat(v.fault()).isEqualTo(Fault.UNKNOWN);
    assertThat(v.reason()).isEqualTo(Reason.AWAITING_FIRST_PROBE.reasonName());
    assertThat(v.message()).contains("HTTPRoute web/shop was created 1 s ago and names parent Gateway gateways/eg,"
        + " which has not been seen yet", "so far: HTTPRoute web/shop names parent Gateway gateways/eg, which does not exist");
    assertThat(ControllerPending.untilGraceEnds(early)).contains(Duration.ofSeconds(119));
  }

  @Test
  void aYoungGatewayWhoseClassHasNotArrivedYetIsWaitedFor() {
    SiteWorld w = SiteWorld.healthy().viaHttpRoute().route.gatewayCreated(Duration.ofSeconds(2),
        condition("Programmed", "True", "Programmed", ""));
    w.route.gatewayClass = null;
    Verdict v = w.diagnose();

    assertThat(v.reason()).isEqualTo(Reason.AWAITING_FIRST_PROBE.reasonName());
    assertThat(v.message()).contains("Gateway gateways/eg was created 2 s ago and names GatewayClass", "which has not"
        + " been seen yet");
  }

  /** The route and its Gateway long in place: a Gateway gone (deleted, renamed) is the fault at once. */
  @Test
  void anOldRouteWhoseGatewayIsGoneIsHostNotRoutedAtOnce() {
    SiteWorld w = SiteWorld.healthy().viaHttpRoute();
    w.route.route.getMetadata().setCreationTimestamp(SiteWorld.NOW.minus(Duration.ofHours(1)).toString());
    w.route.gateway = null;
    Verdict v = w.diagnose();

    assertThat(v.fault()).isEqualTo(Fault.OTHER);
    assertThat(v.reason()).isEqualTo(Reason.HOST_NOT_ROUTED.reasonName());
  }

  /**
   * A Site applied with its Ingress in one sync: the controller serves the rules on its load
   * balancer at once and writes the address to the Ingress a while later.
   */
  @Test
  void anIngressWithoutAddressSecondsOldIsWaitedForNotNoOriginAddress() {
    Snapshot young = SiteWorld.healthy().noLoadBalancerAddress().ingressCreated(Duration.ofSeconds(20)).probes()
        .snapshot();
    Verdict v = Diagnosis.diagnose(young);

    assertThat(v.fault()).isEqualTo(Fault.UNKNOWN);
    assertThat(v.reason()).isEqualTo(Reason.AWAITING_FIRST_PROBE.reasonName());
    assertThat(v.message()).contains("Ingress web/shop was created 20 s ago and its ingress controller has not written"
        + " its load-balancer address yet", "so far: Ingress web/shop has no load-balancer address");
    assertThat(v.conditions().values()).filteredOn(c -> c.type().isFaultCondition())
        .allSatisfy(c -> assertThat(c.status()).isEqualTo(ConditionStatus.UNKNOWN));
    assertThat(ControllerPending.untilGraceEnds(young)).contains(Duration.ofSeconds(100));
  }

  /**
   * The one ingress-nginx pod drained: on its way out it clears the address of every Ingress it
   * serves. While no pod is ready the controller is the cause, not the address it cleared.
   */
  @Test
  void anIngressWhoseControllerIsDownAndClearedItsAddressIsGatewayDown() {
    Verdict v = SiteWorld.healthy().withGateway().gatewayEndpointsNotReady().noLoadBalancerAddress().probes().diagnose();

    assertThat(v.fault()).isEqualTo(Fault.ORIGIN_DOWN);
    assertThat(v.reason()).isEqualTo(Reason.GATEWAY_DOWN.reasonName());
    assertThat(v.message()).contains("0/1 endpoints of gateway Service ingress-nginx/ingress-nginx-controller ready",
        "Ingress web/shop has no load-balancer address, which ingress-nginx clears as its last pod stops");
  }

  /**
   * Its new pod ready and serving from the load balancer that never changed, before it has won the
   * leader lease and written the address back: waited for, no NoOriginAddress and no Warning.
   */
  @Test
  void anIngressWithoutAddressBehindAControllerWhosePodsAreAllNewIsWaitedFor() {
    Snapshot restarted = SiteWorld.healthy().withGateway().controllerConfigMap(Map.of())
        .gatewayPodsCreated(Duration.ofSeconds(15)).noLoadBalancerAddress().probes().snapshot();
    Verdict v = Diagnosis.diagnose(restarted);

    assertThat(v.fault()).isEqualTo(Fault.UNKNOWN);
    assertThat(v.reason()).isEqualTo(Reason.AWAITING_FIRST_PROBE.reasonName());
    assertThat(v.message()).contains("the pods of gateway Service ingress-nginx/ingress-nginx-controller are being"
        + " replaced (the newest ready pod was created 15 s ago)", "so far: Ingress web/shop has no load-balancer address");
    assertThat(ControllerPending.untilGraceEnds(restarted)).contains(Duration.ofSeconds(105));

    Verdict old = SiteWorld.healthy().withGateway().controllerConfigMap(Map.of())
        .gatewayPodsCreated(ControllerPending.GRACE).noLoadBalancerAddress().probes().diagnose();
    assertThat(old.reason()).as("a controller up for longer than the grace that publishes no address")
        .isEqualTo(Reason.NO_ORIGIN_ADDRESS.reasonName());
  }

  /**
   * A helm upgrade to a new version of three replicas: the last old pod, the leader, found no pod
   * of its own version left and cleared the address as it stopped (kubernetes/ingress-nginx#10475).
   * While it is stopping, and once it is gone while the newest pod is young, the Site waits; the
   * first new pod is minutes old by then, so "every ready pod new" would not have held.
   */
  @Test
  void anIngressWithoutAddressWhileAMultiReplicaControllerIsUpgradedIsWaitedFor() {
    SiteWorld stopping = SiteWorld.healthy().withGateway().controllerConfigMap(Map.of()).noLoadBalancerAddress();
    Pod old = stopping.gateway.pods().get(0);
    old.getMetadata().setCreationTimestamp(SiteWorld.NOW.minus(Duration.ofDays(20)).toString());
    old.getMetadata().setDeletionTimestamp(SiteWorld.NOW.plus(Duration.ofSeconds(200)).toString());
    gatewayPods(stopping, old, gatewayPod("a", Duration.ofSeconds(400)), gatewayPod("b", Duration.ofSeconds(300)),
        gatewayPod("c", Duration.ofSeconds(200)));
    Snapshot whileStopping = stopping.probes().snapshot();
    Verdict v = Diagnosis.diagnose(whileStopping);

    assertThat(v.fault()).isEqualTo(Fault.UNKNOWN);
    assertThat(v.reason()).isEqualTo(Reason.AWAITING_FIRST_PROBE.reasonName());
    assertThat(v.message()).contains("(pod ingress-nginx-controller-5c8d-qz7 is stopping)", "320 s more at most",
        "so far: Ingress web/shop has no load-balancer address");
    assertThat(ControllerPending.untilGraceEnds(whileStopping)).contains(Duration.ofSeconds(320));

    SiteWorld gone = SiteWorld.healthy().withGateway().controllerConfigMap(Map.of()).noLoadBalancerAddress();
    gatewayPods(gone, gatewayPod("a", Duration.ofSeconds(400)), gatewayPod("b", Duration.ofSeconds(300)),
        gatewayPod("c", Duration.ofSeconds(90)));
    Verdict afterIt = gone.probes().diagnose();
    assertThat(afterIt.reason()).isEqualTo(Reason.AWAITING_FIRST_PROBE.reasonName());
    assertThat(afterIt.message()).contains("(the newest ready pod was created 90 s ago)", "30 s more at most");


    SiteWorld stuck = SiteWorld.healthy().withGateway().controllerConfigMap(Map.of()).noLoadBalancerAddress();
    Pod dead = stuck.gateway.pods().get(0);
    dead.getMetadata().setCreationTimestamp(SiteWorld.NOW.minus(Duration.ofDays(20)).toString());
    dead.getMetadata().setDeletionTimestamp(SiteWorld.NOW.minus(ControllerPending.GRACE).toString());
    gatewayPods(stuck, dead, gatewayPod("a", Duration.ofMinutes(30)));
    assertThat(stuck.probes().diagnose().reason()).as("a pod stuck stopping on a dead node, past its grace")
        .isEqualTo(Reason.NO_ORIGIN_ADDRESS.reasonName());
  }

  /**
   * A stopping pod is no reason to wait where nothing serves (no ready endpoint: the controller is
   * down, GatewayDown) nor behind a gateway not known as ingress-nginx (whose standing missing
   * address would be hidden at each rollout).
   */
  @Test
  void aStoppingGatewayPodIsNoReasonToWaitWhereNothingServesOrTheControllerIsNotIngressNginx() {
    SiteWorld down = SiteWorld.healthy().withGateway().controllerConfigMap(Map.of()).gatewayEndpointsNotReady()
        .noLoadBalancerAddress();
    down.gateway.pods().get(0).getMetadata().setDeletionTimestamp(SiteWorld.NOW.plusSeconds(200).toString());
    assertThat(down.probes().diagnose().reason()).isEqualTo(Reason.GATEWAY_DOWN.reasonName());

    SiteWorld other = SiteWorld.healthy().withGateway().noLoadBalancerAddress();
    Pod stopping = other.gateway.pods().get(0);
    stopping.getMetadata().setDeletionTimestamp(SiteWorld.NOW.plusSeconds(200).toString());
    gatewayPods(other, stopping, gatewayPod("a", Duration.ofMinutes(30)));
    assertThat(other.probes().diagnose().reason()).isEqualTo(Reason.NO_ORIGIN_ADDRESS.reasonName());
  }

  /**
   * An autoscaler adding a controller pod beside pods long up, or removing one: the stopping
   * leader of a scaled controller sees its peers and clears nothing, so a missing address is no
   * upgrade's and stays shown (a controller that never writes one, --update-status=false).
   */
  @Test
  void aControllerScaledRatherThanReplacedHidesNoMissingAddress() {
    SiteWorld scaledUp = SiteWorld.healthy().withGateway().controllerConfigMap(Map.of()).noLoadBalancerAddress();
    gatewayPods(scaledUp, gatewayPod("a", Duration.ofDays(20)), gatewayPod("b", Duration.ofSeconds(30)));
    assertThat(scaledUp.probes().diagnose().reason()).isEqualTo(Reason.NO_ORIGIN_ADDRESS.reasonName());

    SiteWorld scaledDown = SiteWorld.healthy().withGateway().controllerConfigMap(Map.of()).noLoadBalancerAddress();
    Pod removed = scaledDown.gateway.pods().get(0);
    removed.getMetadata().setDeletionTimestamp(SiteWorld.NOW.plusSeconds(200).toString());
    gatewayPods(scaledDown, removed, gatewayPod("a", Duration.ofDays(20)), gatewayPod("b", Duration.ofDays(20)));
    assertThat(scaledDown.probes().diagnose().reason()).isEqualTo(Reason.NO_ORIGIN_ADDRESS.reasonName());
  }

  /** A ready gateway pod of the same template as the world's, created {@code age} before {@link SiteWorld#NOW}. */
  private static Pod gatewayPod(String suffix, Duration age) {
    Pod pod = new PodBuilder(SiteWorld.healthy().withGateway().gateway.pods().get(0)).build();
    pod.getMetadata().setName("ingress-nginx-controller-7f9b-" + suffix);
    pod.getMetadata().setCreationTimestamp(SiteWorld.NOW.minus(age).toString());
    return pod;
  }

  private static void gatewayPods(SiteWorld world, Pod... pods) {
    GatewayState g = world.gateway;
    world.gateway = new GatewayState(g.namespace(), g.name(), g.service(), g.slices(), List.of(pods), g.policies());
  }

  /**
   * A gateway not known as ingress-nginx (no controller ConfigMap read: Traefik, HAProxy, one that
   * never publishes addresses): a new rollout of it hides no standing NoOriginAddress.
   */
  @Test
  void aRolledOutGatewayNotKnownAsIngressNginxIsNoReasonToWait() {
    Verdict v = SiteWorld.healthy().withGateway().gatewayPodsCreated(Duration.ofSeconds(15))
        .noLoadBalancerAddress().probes().diagnose();

    assertThat(v.reason()).isEqualTo(Reason.NO_ORIGIN_ADDRESS.reasonName());
  }

  @Test
  void anIngressStillWithoutAddressAfterTheGraceIsNoOriginAddress() {
    Verdict v = SiteWorld.healthy().noLoadBalancerAddress().ingressCreated(ControllerPending.GRACE).probes().diagnose();
    assertThat(v.reason()).isEqualTo(Reason.NO_ORIGIN_ADDRESS.reasonName());

    // An address the Site gives is where the CDN connects: nothing to wait for.
    Verdict configured = SiteWorld.healthy().noLoadBalancerAddress().ingressCreated(Duration.ofSeconds(20))
        .originAddress("203.0.113.7").diagnose();
    assertThat(configured.reason()).isEqualTo(Reason.HEALTHY);
  }

  @Test
  void theCrdsDefaultPendingConditionsAreNoReportEither() {
    Verdict gateway = SiteWorld.healthy().viaHttpRoute().route
        .gatewayCreated(Duration.ofSeconds(2), ACCEPTED_BY_DEFAULT, PROGRAMMED_BY_DEFAULT).diagnose();
    assertThat(gateway.reason()).isEqualTo(Reason.AWAITING_FIRST_PROBE.reasonName());
    assertThat(gateway.message()).contains("Programmed Unknown, Pending: \"Waiting for controller\"");

    Verdict gatewayClass = SiteWorld.healthy().viaHttpRoute().route
        .gatewayClassCreated(Duration.ofSeconds(2), ACCEPTED_BY_DEFAULT).diagnose();
    assertThat(gatewayClass.reason()).isEqualTo(Reason.AWAITING_FIRST_PROBE.reasonName());
    assertThat(gatewayClass.message()).contains("GatewayClass \"eg\" was created 2 s ago",
        "so far: GatewayClass \"eg\" of Gateway gateways/eg is not Accepted");
  }

  @Test
  void noControllerByTheEndOfTheGraceIsTheFaultItWouldHaveBeen() {
    Verdict gateway = SiteWorld.healthy().viaHttpRoute().route
        .gatewayCreated(ControllerPending.GRACE.plusSeconds(1)).diagnose();
    assertThat(gateway.fault()).isEqualTo(Fault.ORIGIN_DOWN);
    assertThat(gateway.reason()).isEqualTo(Reason.NO_ORIGIN_ADDRESS.reasonName());
    assertThat(gateway.message()).contains("no controller has set it up");

    Verdict gatewayClass = SiteWorld.healthy().viaHttpRoute().route
        .gatewayClassCreated(ControllerPending.GRACE, ACCEPTED_BY_DEFAULT).diagnose();
    assertThat(gatewayClass.fault()).isEqualTo(Fault.OTHER);
    assertThat(gatewayClass.reason()).isEqualTo(Reason.HOST_NOT_ROUTED.reasonName());
  }

  /**
   * A new Gateway's data plane has no ready pod while it starts, and Envoy Gateway says NoResources
   * meanwhile: waited for, not a GatewayDown; past the grace, the replicas still missing are.
   */
  @Test
  void aNewGatewayWhoseReplicasAreStartingWaitsRatherThanReadingGatewayDown() {
    SiteWorld young = SiteWorld.healthy().viaHttpRoute().route.dataPlaneNotReady().route.gatewayCreated(
        Duration.ofSeconds(30), condition("Accepted", "True", "Accepted", "The Gateway has been scheduled by Envoy Gateway"),
        condition("Programmed", "False", "NoResources", "Deployment replicas unavailable"));
    Verdict v = young.diagnose();
    assertThat(v.reason()).isEqualTo(Reason.AWAITING_FIRST_PROBE.reasonName());
    assertThat(v.conditions().get(ConditionType.ORIGIN_DOWN).status()).isNotEqualTo(ConditionStatus.TRUE);

    Verdict late = SiteWorld.healthy().viaHttpRoute().route.dataPlaneNotReady().route.gatewayCreated(
        ControllerPending.GRACE.plusSeconds(1),
        condition("Accepted", "True", "Accepted", "The Gateway has been scheduled by Envoy Gateway"),
        condition("Programmed", "False", "NoResources", "Deployment replicas unavailable")).diagnose();
    assertThat(late.reason()).isEqualTo(Reason.GATEWAY_DOWN.reasonName());
  }

  /**
   * An Envoy Gateway of long standing whose one replica was drained: once the new pod is ready
   * the data plane serves again, a moment before its controller reads the Deployment's status and
   * says Programmed. Meanwhile the Site waits rather than reading NoOriginAddress, with a Warning,
   * a moment before Recovered. A data plane ready for longer than the grace under a Gateway still
   * not Programmed is the NoOriginAddress it says.
   */
  @Test
  void aGatewayNotProgrammedYetWhileItsNewDataPlanePodIsReadyIsWaitedFor() {
    SiteWorld back = SiteWorld.healthy().viaHttpRoute().route
        .gatewayNotProgrammed("NoResources", "Deployment replicas unavailable");
    back.route.dataPlane.pods().forEach(p -> p.getMetadata().setCreationTimestamp(
        SiteWorld.NOW.minus(Duration.ofSeconds(8)).toString()));
    Snapshot snapshot = back.probes().snapshot();
    Verdict v = Diagnosis.diagnose(snapshot);

    assertThat(v.fault()).isEqualTo(Fault.UNKNOWN);
    assertThat(v.reason()).isEqualTo(Reason.AWAITING_FIRST_PROBE.reasonName());
    assertThat(v.message()).contains("Gateway gateways/eg is not Programmed (Programmed False, NoResources",
        "has ready endpoints again, the newest ready pod created 8 s ago", "112 s more at most");
    assertThat(ControllerPending.untilGraceEnds(snapshot)).contains(Duration.ofSeconds(112));

    SiteWorld standing = SiteWorld.healthy().viaHttpRoute().route
        .gatewayNotProgrammed("NoResources", "Deployment replicas unavailable");
    standing.route.dataPlane.pods().forEach(p -> p.getMetadata().setCreationTimestamp(
        SiteWorld.NOW.minus(ControllerPending.GRACE).toString()));
    assertThat(standing.probes().diagnose().reason()).isEqualTo(Reason.NO_ORIGIN_ADDRESS.reasonName());

    SiteWorld down = SiteWorld.healthy().viaHttpRoute().route.dataPlaneNotReady().route
        .gatewayNotProgrammed("NoResources", "Deployment replicas unavailable");
    assertThat(down.probes().diagnose().reason()).as("no replica ready: the cause stands")
        .isEqualTo(Reason.GATEWAY_DOWN.reasonName());
  }

  /** A controller that has looked and says why it cannot serve is heard at once, however new the object. */
  @Test
  void whatAControllerReportsIsNeverWaitedFor() {
    Verdict gateway = SiteWorld.healthy().viaHttpRoute().route.gatewayCreated(Duration.ofSeconds(1),
        condition("Accepted", "False", "UnsupportedAddress", "Addresses of type NamedAddress are not supported"),
        condition("Programmed", "False", "Invalid", "The Gateway is not accepted")).diagnose();
    assertThat(gateway.reason()).isEqualTo(Reason.NO_ORIGIN_ADDRESS.reasonName());
    assertThat(gateway.message()).contains("Programmed False, Invalid");

    Verdict gatewayClass = SiteWorld.healthy().viaHttpRoute().route.gatewayClassCreated(Duration.ofSeconds(1),
        condition("Accepted", "False", "InvalidParameters", "parametersRef names no EnvoyProxy")).diagnose();
    assertThat(gatewayClass.reason()).isEqualTo(Reason.HOST_NOT_ROUTED.reasonName());
  }

  /**
   * A controller that has taken the Gateway up says it is not Programmed while its data plane
   * starts and its LoadBalancer waits for an address; a new one is being set up, not broken.
   */
  @Test
  void aNewGatewayWaitingForItsAddressOrItsDataPlaneIsBeingSetUp() {
    Verdict address = SiteWorld.healthy().viaHttpRoute().route.gatewayCreated(Duration.ofSeconds(40),
        condition("Accepted", "True", "Accepted", "The Gateway has been scheduled by Envoy Gateway"),
        condition("Programmed", "False", "AddressNotAssigned", "No addresses have been assigned to the Gateway")).diagnose();
    assertThat(address.reason()).isEqualTo(Reason.AWAITING_FIRST_PROBE.reasonName());
    assertThat(address.message()).contains("Gateway gateways/eg was created 40 s ago and its controller is still setting it up",
        "Programmed False, AddressNotAssigned");

    Verdict replicas = SiteWorld.healthy().viaHttpRoute().route.gatewayCreated(Duration.ofSeconds(10),
        condition("Programmed", "False", "NoResources", "Envoy replicas unavailable")).diagnose();
    assertThat(replicas.reason()).isEqualTo(Reason.AWAITING_FIRST_PROBE.reasonName());

    Verdict late = SiteWorld.healthy().viaHttpRoute().route.gatewayCreated(ControllerPending.GRACE.plusSeconds(1),
        condition("Programmed", "False", "AddressNotAssigned", "No addresses have been assigned to the Gateway")).diagnose();
    assertThat(late.reason()).as("still no address after the grace").isEqualTo(Reason.NO_ORIGIN_ADDRESS.reasonName());
  }

  /** A new Gateway that the CDN does not need an address of (origin.address given) changes nothing. */
  @Test
  void aNewGatewayHidesNothingWhenTheOriginAddressIsGiven() {
    Verdict v = SiteWorld.healthy().viaHttpRoute().originAddress("127.0.0.10").route
        .gatewayCreated(Duration.ofSeconds(3)).diagnose();

    assertThat(v.reason()).isEqualTo(Reason.HEALTHY);
    assertThat(v.condition(ConditionType.ORIGIN_DOWN).status()).isEqualTo(ConditionStatus.FALSE);
  }

  @Test
  void theSiteIsLookedAtAgainWhenTheGraceEnds() {
    Snapshot pending = SiteWorld.healthy().viaHttpRoute().route.gatewayCreated(Duration.ofSeconds(3)).snapshot();
    assertThat(ControllerPending.untilGraceEnds(pending)).contains(ControllerPending.GRACE.minusSeconds(3));

    assertThat(ControllerPending.untilGraceEnds(SiteWorld.healthy().viaHttpRoute().snapshot()))
        .as("objects whose controller has reported").isEmpty();
    assertThat(ControllerPending.untilGraceEnds(SiteWorld.healthy().snapshot())).as("an Ingress Site").isEmpty();
  }
}
