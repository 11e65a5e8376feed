package dev.upstreamhealth.diagnosis;

import static dev.upstreamhealth.diagnosis.SiteWorld.gatewayProbe;
import static dev.upstreamhealth.diagnosis.SiteWorld.http;
import static dev.upstreamhealth.diagnosis.SiteWorld.httpRetryAfter;
import static dev.upstreamhealth.diagnosis.SiteWorld.ok;
import static dev.upstreamhealth.diagnosis.SiteWorld.origin;
import static dev.upstreamhealth.diagnosis.SiteWorld.originTarget;
import static dev.upstreamhealth.diagnosis.SiteWorld.outcome;
import static dev.upstreamhealth.diagnosis.SiteWorld.target;
import static dev.upstreamhealth.diagnosis.SiteWorld.unconfirmed;
import static dev.upstreamhealth.diagnosis.SiteWorld.upstream;
import static org.assertj.core.api.Assertions.assertThat;

import dev.upstreamhealth.api.ConditionStatus;
import dev.upstreamhealth.api.ConditionType;
import dev.upstreamhealth.api.Fault;
import dev.upstreamhealth.api.Reason;
import dev.upstreamhealth.probe.ProbeLayer;
import dev.upstreamhealth.probe.ProbeOutcome;
import dev.upstreamhealth.probe.ProbePlan;
import dev.upstreamhealth.probe.ProbeResult;
import dev.upstreamhealth.probe.ProbeTarget;
import dev.upstreamhealth.probe.ProbeTracker;
import dev.upstreamhealth.probe.TrackedProbe;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Several things broken at once: which one the visitor sees, and what each condition keeps. */
class PrecedenceTest {

  private static void assertCondition(Verdict v, ConditionType type, ConditionStatus status, String reason) {
    ConditionVerdict c = v.condition(type);
    assertThat(c.status()).as(type + " status").isEqualTo(status);
    assertThat(c.reason()).as(type + " reason").isEqualTo(reason);
  }

  /** Gateway without endpoints (521), Ingress port not on the Service (502), pods not ready (503). */
  private static SiteWorld brokenAtEveryLayer() {
    return SiteWorld.healthy().withGateway().gatewayEndpointsNotReady().ingressBackendPort(8081).readinessFailing();
  }

  @Test
  void originDownOutranksBadGatewayAndServiceUnavailable() {
    Verdict v = brokenAtEveryLayer().diagnose();

    assertThat(v.fault().code()).isEqualTo("521");
    assertThat(v.reason()).isEqualTo("GatewayDown");
    assertThat(v.message()).contains("ingress-nginx/ingress-nginx-controller");
    assertCondition(v, ConditionType.ORIGIN_DOWN, ConditionStatus.TRUE, "GatewayDown");
    assertCondition(v, ConditionType.BAD_GATEWAY, ConditionStatus.TRUE, "ServicePortMismatch");
    assertCondition(v, ConditionType.SERVICE_UNAVAILABLE, ConditionStatus.TRUE, "NoReadyEndpoints");
    assertCondition(v, ConditionType.READY, ConditionStatus.FALSE, "GatewayDown");
  }

  @Test
  void badGatewayOutranksServiceUnavailableOnceTheOriginIsUp() {
    SiteWorld w = brokenAtEveryLayer();
    w.withGateway();
    Verdict v = w.diagnose();

    assertThat(v.fault().code()).isEqualTo("502");
    assertThat(v.reason()).isEqualTo("ServicePortMismatch");
    assertThat(v.message()).contains("port 8081", "web/shop-web");
    assertCondition(v, ConditionType.ORIGIN_DOWN, ConditionStatus.FALSE, Reason.NO_FAULT);
    assertCondition(v, ConditionType.BAD_GATEWAY, ConditionStatus.TRUE, "ServicePortMismatch");
    assertCondition(v, ConditionType.SERVICE_UNAVAILABLE, ConditionStatus.TRUE, "NoReadyEndpoints");
    assertCondition(v, ConditionType.READY, ConditionStatus.FALSE, "ServicePortMismatch");
  }

  @Test
  void serviceUnavailableIsLeftOnceGatewayAndPortAreFixed() {
    SiteWorld w = brokenAtEveryLayer().withGateway().ingressBackendPort(80);
    Verdict v = w.diagnose();

    assertThat(v.fault().code()).isEqualTo("503");
    assertThat(v.reason()).isEqualTo("NoReadyEndpoints");
    assertThat(v.message()).contains("0/2", "web/shop-web");
    assertCondition(v, ConditionType.BAD_GATEWAY, ConditionStatus.FALSE, Reason.NO_FAULT);
    assertCondition(v, ConditionType.SERVICE_UNAVAILABLE, ConditionStatus.TRUE, "NoReadyEndpoints");
  }

  @Test
  void originProbeFaultOutranksUpstreamStateFaults() {
    Verdict v = SiteWorld.healthy().scaledToZero().probes(origin(outcome(ProbeOutcome.CONNECT_TIMEOUT))).diagnose();

    assertThat(v.fault().code()).isEqualTo("521");
    assertThat(v.reason()).isEqualTo("ConnectionTimedOut");
    assertCondition(v, ConditionType.SERVICE_UNAVAILABLE, ConditionStatus.TRUE, "ScaledToZero");
  }

  @Test
  void visitorFacingFaultOutranksAnUnexpectedStatus() {
    Verdict v = SiteWorld.healthy().scaledToZero().probes(origin(http(404))).diagnose();

    assertThat(v.fault().code()).isEqualTo("503");
    assertThat(v.reason()).isEqualTo("ScaledToZero");
  }

  @Test
  void servicePortMismatchExplainsUpstreamsThatDoNotListen() {
    Verdict v = SiteWorld.healthy().serviceTargetPort(new IntOrString(9090))
        .probes(origin(SiteWorld.gatewaysOwn(502)),
            upstream("10.0.0.11", outcome(ProbeOutcome.CONNECTION_REFUSED)),
            upstream("10.0.0.12", outcome(ProbeOutcome.CONNECTION_REFUSED)))
        .diagnose();

    assertThat(v.fault().code()).isEqualTo("502");
    assertThat(v.reason()).isEqualTo("ServicePortMismatch");
    assertThat(v.message()).contains("targetPort 9090", "8080");
    assertCondition(v, ConditionType.BAD_GATEWAY, ConditionStatus.TRUE, "ServicePortMismatch");
  }

  @Test
  void upstreamsNotListeningExplainTheOrigin502() {
    Verdict v = SiteWorld.healthy()
        .probes(origin(http(502)),
            upstream("10.0.0.11", outcome(ProbeOutcome.CONNECTION_REFUSED)),
            upstream("10.0.0.12", outcome(ProbeOutcome.CONNECTION_REFUSED)))
        .diagnose();

    assertThat(v.reason()).isEqualTo("UpstreamNotListening");
  }

  @Test
  void scaledToZeroExplainsAProbe503() {
    Verdict v = SiteWorld.healthy().scaledToZero().probes(origin(http(503))).diagnose();

    assertThat(v.fault().code()).isEqualTo("503");
    assertThat(v.reason()).isEqualTo("ScaledToZero");
    assertThat(v.message()).contains("Deployment web/shop-web", "replicas: 0");
    assertCondition(v, ConditionType.SERVICE_UNAVAILABLE, ConditionStatus.TRUE, "ScaledToZero");
  }

  @Test
  void crashLoopingExplainsAProbe502() {
    Verdict v = SiteWorld.healthy().podsCrashLooping("Error", 1).probes(origin(http(502))).diagnose();

    assertThat(v.fault().code()).isEqualTo("502");
    assertThat(v.reason()).isEqualTo("UpstreamCrashLooping");
    assertThat(v.message()).contains("2/2 pods of Service web/shop-web", "container app: Error");
    assertCondition(v, ConditionType.SERVICE_UNAVAILABLE, ConditionStatus.FALSE, Reason.NO_FAULT);
  }

  @Test
  void declaredMaintenanceExplainsAnAnnounced503() {
    Verdict v = SiteWorld.healthy().maintenance("db migration").probes(origin(httpRetryAfter(503))).diagnose();

    assertThat(v.reason()).isEqualTo("MaintenanceMode");
    assertThat(v.fault().code()).isEqualTo("503");
  }

  @Test
  void unschedulablePodsOutrankTheRolloutTheyHold() {
    // A new Deployment whose pods cannot be scheduled: the cause, not the unfinished rollout it produces.
    Verdict v = SiteWorld.healthy().podsUnschedulable()
        .deploymentIs(SiteWorld.deployment(2, 6, 6, 1, "ReplicaSetUpdated")).diagnose();

    assertThat(v.reason()).isEqualTo("PodsUnschedulable");
    assertThat(v.message()).doesNotContain("rollout");
  }

  @Test
  void aQuotaOutranksTheRolloutItHolds() {
    // A new Deployment whose ReplicaSet may not create pods: the quota, not the unfinished rollout.
    Verdict v = SiteWorld.healthy().quotaExceeded()
        .deploymentIs(SiteWorld.deployment(2, 1, 1, 0, "ReplicaSetUpdated")).diagnose();

    assertThat(v.reason()).isEqualTo("QuotaExceeded");
    assertThat(v.message()).contains("exceeded quota: compute").doesNotContain("rollout");
  }

  @Test
  void aQuotaEventOutranksTheStatefulSetRolloutItHolds() {
    Verdict v = SiteWorld.healthy().statefulSetBlockedByQuota().diagnose();

    assertThat(v.reason()).isEqualTo("QuotaExceeded");
    assertThat(v.message()).contains("StatefulSet web/shop-web cannot create pods").doesNotContain("rollout");
  }

  @Test
  void healthySiteHasNoFault() {
    Verdict v = SiteWorld.healthy().diagnose();

    assertThat(v.fault()).isEqualTo(Fault.NONE);
    assertThat(v.fault().code()).isEqualTo("None");
    assertThat(v.reason()).isEqualTo("Healthy");
    assertThat(v.message()).contains("http://127.0.0.10:80", "answers 200", "2/2 endpoints of Service web/shop-web ready");
    assertCondition(v, ConditionType.READY, ConditionStatus.TRUE, "Healthy");
    for (ConditionType type : ConditionType.values()) {
      if (type.isFaultCondition()) {
        assertCondition(v, type, ConditionStatus.FALSE, "NoFault");
      }
    }
    assertThat(v.upstreams()).containsExactly(new UpstreamCount("web/shop-web", 2, 2));
    assertThat(v.origin()).hasValueSatisfying(o -> assertThat(o.toString()).isEqualTo("http://127.0.0.10:80"));
  }

  /**
   * The gateway dies: the origin's refusal has counted, the gateway probe (on its own phase) has
   * seen one refusal of three. The cause is named now, not after a ConnectionRefused first.
   */
  @Test
  void aGatewayProbeRefusingOnceBesideAConfirmedOriginRefusalIsAlreadyGatewayDown() {
    TrackedProbe gatewayOnce = unconfirmed(target(ProbeLayer.GATEWAY, "10.96.0.20", 80, ""),
        outcome(ProbeOutcome.CONNECTION_REFUSED));
    assertThat(gatewayOnce.isConfirmed()).isFalse();
    Verdict v = SiteWorld.healthy().withGateway()
        .probes(origin(outcome(ProbeOutcome.CONNECTION_REFUSED)), gatewayOnce).diagnose();
    assertThat(v.reason()).isEqualTo("GatewayDown");

    Verdict gatewayServes = SiteWorld.healthy().withGateway()
        .probes(origin(outcome(ProbeOutcome.CONNECTION_REFUSED)), gatewayProbe(ok(200))).diagnose();
    assertThat(gatewayServes.reason()).as("a gateway that answers is not the cause").isEqualTo("ConnectionRefused");
  }

  /**
   * An origin that closes the connection without an answer: the message points at PROXY protocol
   * when the probe sent no header because nothing said the load balancer speaks it, not when the
   * header was left out on purpose (origin.proxyProtocol: none).
   */
  @Test
  void aClosedConnectionPointsAtProxyProtocolOnlyWhenNothingDecidedIt() {
    Verdict detected = SiteWorld.healthy().probes(origin(outcome(ProbeOutcome.CONNECTION_CLOSED))).diagnose();
    assertThat(detected.message()).contains("set spec.origin.proxyProtocol");

    SiteWorld declared = SiteWorld.healthy();
    declared.spec.getOrigin().setProxyProtocol("none");
    assertThat(declared.probes(origin(outcome(ProbeOutcome.CONNECTION_CLOSED))).diagnose().message())
        .contains("closed the connection").doesNotContain("proxyProtocol");
  }

  /**
   * The gateway comes back: its first success (successThreshold 1) came after the origin's last
   * refusal, and the origin, on its own phase, has not been probed since. The outage's cause
   * stands until the origin's next probe, rather than ConnectionRefused (a Warning) in between.
   */
  @Test
  void aGatewayBackOnlySinceTheOriginsLastRefusalIsStillGatewayDown() {
    TrackedProbe origin = origin(outcome(ProbeOutcome.CONNECTION_REFUSED)); // refused at 2025-01-01T00:00:00Z
    ProbeTarget gatewayTarget = target(ProbeLayer.GATEWAY, "10.96.0.20", 80, "");
    ProbeResult servedAfter = new ProbeResult(gatewayTarget, ProbeOutcome.RESPONDED, 200, false,
        java.time.Duration.ofMillis(3), null, java.time.Instant.parse("2025-01-01T00:00:10Z"));
    TrackedProbe backSince = new TrackedProbe(gatewayTarget, servedAfter, servedAfter, true, 0, 1, null, 0);
    assertThat(SiteWorld.healthy().withGateway().probes(origin, backSince).diagnose().reason()).isEqualTo("GatewayDown");

    TrackedProbe servingLonger = new TrackedProbe(gatewayTarget, servedAfter, servedAfter, true, 0, 3, null, 0);
    assertThat(SiteWorld.healthy().withGateway().probes(origin, servingLonger).diagnose().reason())
        .as("a gateway that has served for several probes is not the cause").isEqualTo("ConnectionRefused");

    ProbeResult servedBefore = new ProbeResult(gatewayTarget, ProbeOutcome.RESPONDED, 200, false,
        java.time.Duration.ofMillis(3), null, java.time.Instant.parse("2024-12-31T23:59:50Z"));
    TrackedProbe backBefore = new TrackedProbe(gatewayTarget, servedBefore, servedBefore, true, 0, 1, null, 0);
    assertThat(SiteWorld.healthy().withGateway().probes(origin, backBefore).diagnose().reason())
        .as("served when the origin last refused").isEqualTo("ConnectionRefused");
  }

  /**
   * The origin accepts no connection from the operator while the gateway serves from inside: a
   * load balancer that admits only the CDN's ranges. Still the 521 the probe sees, but the message
   * says what may stand between the probe and the origin.
   */
  @Test
  void anOriginThatTimesOutWhileTheGatewayServesSaysTheProbeMayNotBeAdmitted() {
    Verdict v = SiteWorld.healthy().withGateway()
        .probes(origin(outcome(ProbeOutcome.CONNECT_TIMEOUT)), gatewayProbe(ok(200))).diagnose();
    assertThat(v.reason()).isEqualTo("ConnectionTimedOut");
    assertThat(v.message()).contains("answers from inside the cluster", "admit this operator's pods");

    SiteWorld ranged = SiteWorld.healthy().withGateway();
    ranged.gateway.service().getSpec().setLoadBalancerSourceRanges(List.of("173.245.48.0/20"));
    Verdict withRanges = ranged.probes(origin(outcome(ProbeOutcome.CONNECT_TIMEOUT))).diagnose();
    assertThat(withRanges.message()).contains("loadBalancerSourceRanges [173.245.48.0/20]");

    Verdict plain = SiteWorld.healthy().probes(origin(outcome(ProbeOutcome.CONNECT_TIMEOUT))).diagnose();
    assertThat(plain.message()).doesNotContain("admit");
  }

  /**
   * Behind a Cloudflare Tunnel a NetworkPolicy admits only cloudflared's namespace to the gateway
   * pods: the origin probe and the gateway's own probe both time out. The 521 the probe sees,
   * with the policy named as what may keep the probe out.
   */
  @Test
  void originAndGatewayTimingOutBehindAnIsolatingPolicySayTheProbeMayNotBeAdmitted() {
    SiteWorld w = SiteWorld.healthy().withGateway();
    w.gateway = new GatewayState(w.gateway.namespace(), w.gateway.name(), w.gateway.service(), w.gateway.slices(),
        w.gateway.pods(), List.of(SiteWorld.policy("from-cloudflared", """
            {"spec": {"podSelector": {}, "policyTypes": ["Ingress"],
              "ingress": [{"from": [{"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "cloudflared"}}}]}]}}
            """)));
    Verdict v = w.probes(origin(outcome(ProbeOutcome.CONNECT_TIMEOUT)), gatewayProbe(outcome(ProbeOutcome.CONNECT_TIMEOUT)))
        .diagnose();

    assertThat(v.reason()).isEqualTo("ConnectionTimedOut");
    assertThat(v.message()).contains("NetworkPolicy ingress-nginx/from-cloudflared selects the gateway pods",
        "admit this operator's pods too");

    Verdict open = SiteWorld.healthy().withGateway()
        .probes(origin(outcome(ProbeOutcome.CONNECT_TIMEOUT)), gatewayProbe(outcome(ProbeOutcome.CONNECT_TIMEOUT))).diagnose();
    assertThat(open.message()).as("no policy: nothing to admit").doesNotContain("admit");

    Verdict refused = w.probes(origin(outcome(ProbeOutcome.CONNECT_TIMEOUT)),
        gatewayProbe(outcome(ProbeOutcome.CONNECTION_REFUSED))).diagnose();
    assertThat(refused.message()).as("a gateway that refuses is not kept out by a policy").doesNotContain("NetworkPolicy");
  }

  /**
   * A default-deny egress policy in the operator's namespace: nothing of the Site takes its
   * connections, the endpoints the kubelet finds ready included. The 521 the probe sees, with the
   * operator's own way out named as what to look at; no such word where the endpoints connect.
   */
  @Test
  void everyLayerTimingOutNamesTheOperatorsOwnWayOut() {
    Verdict keptIn = SiteWorld.healthy().withGateway().probes(origin(outcome(ProbeOutcome.CONNECT_TIMEOUT)),
        gatewayProbe(outcome(ProbeOutcome.CONNECT_TIMEOUT)), upstream("10.0.0.11", outcome(ProbeOutcome.CONNECT_TIMEOUT)),
        upstream("10.0.0.12", outcome(ProbeOutcome.CONNECT_TIMEOUT))).diagnose();

    assertThat(keptIn.reason()).isEqualTo("ConnectionTimedOut");
    assertThat(keptIn.message()).contains("all 2 ready upstream endpoints probed time out too",
        "the operator's own way out (a NetworkPolicy on its egress");

    Verdict endpointsServe = SiteWorld.healthy().withGateway().probes(origin(outcome(ProbeOutcome.CONNECT_TIMEOUT)),
        gatewayProbe(outcome(ProbeOutcome.CONNECT_TIMEOUT)), upstream("10.0.0.11", http(200)),
        upstream("10.0.0.12", http(200))).diagnose();
    assertThat(endpointsServe.message()).doesNotContain("way out");
  }

  @Test
  void healthySiteWithGatewayHasNoFault() {
    Verdict v = SiteWorld.healthy().withGateway().addProbes(gatewayProbe(ok(200))).diagnose();

    assertThat(v.fault()).isEqualTo(Fault.NONE);
    assertCondition(v, ConditionType.READY, ConditionStatus.TRUE, "Healthy");
  }

  /**
   * Probe failures that count only after failureThreshold in a row: every outcome but an answer, a
   * connect-only target's connection and a probe the origin turned away (successes), a refusal by
   * the address policy (which stands from the first probe) and a name lookup that got no answer
   * (which never counts).
   */
  static Stream<ProbeResult> failures() {
    return Stream.concat(
        Arrays.stream(ProbeOutcome.values())
            .filter(o -> o != ProbeOutcome.RESPONDED && o != ProbeOutcome.NOT_PROBED && o.isEvidence())
            .map(SiteWorld::outcome)
            .filter(r -> !ProbePlan.none().isSuccess(r)),
        Stream.of(http(500), http(502), http(503), http(504), http(429), httpRetryAfter(503)));
  }

  @ParameterizedTest
  @MethodSource("failures")
  void unconfirmedUpstreamAndGatewayFailuresChangeNothing(ProbeResult failure) {
    Verdict healthy = SiteWorld.healthy().withGateway().diagnose();
    Verdict v = SiteWorld.healthy().withGateway()
        .addProbes(unconfirmed(target(ProbeLayer.GATEWAY, "10.96.0.20", 80, ""), failure),
            unconfirmed(target(ProbeLayer.UPSTREAM, "10.0.0.11", 8080, SiteWorld.SERVICE_KEY), failure),
            unconfirmed(target(ProbeLayer.UPSTREAM, "10.0.0.12", 8080, SiteWorld.SERVICE_KEY), failure))
        .diagnose();

    assertThat(v).isEqualTo(healthy);
    assertThat(v.fault()).isEqualTo(Fault.NONE);
  }

  @ParameterizedTest
  @MethodSource("failures")
  void unconfirmedOriginFailureIsOnlyAwaitingTheProbe(ProbeResult failure) {
    Verdict v = SiteWorld.healthy().probes(unconfirmed(originTarget(), failure)).diagnose();

    assertThat(v.fault()).isEqualTo(Fault.UNKNOWN);
    assertThat(v.reason()).isEqualTo("AwaitingFirstProbe");
    assertCondition(v, ConditionType.READY, ConditionStatus.UNKNOWN, "AwaitingFirstProbe");
    for (ConditionType type : ConditionType.values()) {
      if (type.isFaultCondition()) {
        // Neither a fault nor the claim of none ("the origin accepts connections") before the probe concludes.
        assertCondition(v, type, ConditionStatus.UNKNOWN, "AwaitingFirstProbe");
        assertThat(v.condition(type).message()).startsWith("not evaluated yet: no fault in cluster state; waiting for the probes of");
      }
    }
  }

  /**
   * The upstreams' direct probes have failed all along (a mesh's mTLS, a policy) while the origin
   * served; then the origin's history starts afresh (its address or PROXY header changed). Until
   * the origin concludes again the upstreams cannot speak for the visitor: no 502, no Event.
   */
  @ParameterizedTest
  @MethodSource("failures")
  void upstreamsFailingWhileTheOriginsHistoryStartsAfreshWaitForTheOrigin(ProbeResult failure) {
    Verdict v = SiteWorld.healthy()
        .probes(ProbeTracker.untried(originTarget()), upstream("10.0.0.11", failure), upstream("10.0.0.12", failure))
        .diagnose();

    assertThat(v.fault()).isEqualTo(Fault.UNKNOWN);
    assertThat(v.reason()).isEqualTo("AwaitingFirstProbe");
    assertCondition(v, ConditionType.BAD_GATEWAY, ConditionStatus.UNKNOWN, "AwaitingFirstProbe");
    assertCondition(v, ConditionType.SERVICE_UNAVAILABLE, ConditionStatus.UNKNOWN, "AwaitingFirstProbe");
  }

  @Test
  void upstreamsFailingWhileTheOriginServesAgainNotYetConfirmedWaitForTheOrigin() {
    // successThreshold 2: the fresh origin has answered 200 once.
    TrackedProbe servingOnce = new ProbeTracker(3, 2, ProbePlan.none()::isSuccess)
        .fold(ProbeTracker.untried(originTarget()), ok(200)).probe();
    Verdict v = SiteWorld.healthy()
        .probes(servingOnce, upstream("10.0.0.11", outcome(ProbeOutcome.CONNECT_TIMEOUT)),
            upstream("10.0.0.12", outcome(ProbeOutcome.CONNECT_TIMEOUT)))
        .diagnose();

    assertThat(v.reason()).isEqualTo("AwaitingFirstProbe");
    assertCondition(v, ConditionType.BAD_GATEWAY, ConditionStatus.UNKNOWN, "AwaitingFirstProbe");
  }

  @Test
  void upstreamsFailingOnceTheOriginConcludesItFailsTooExplainIt() {
    // The control: the origin's own probe confirms the gateway's 502, and the upstreams say why.
    Verdict v = SiteWorld.healthy()
        .probes(origin(http(502)), upstream("10.0.0.11", outcome(ProbeOutcome.CONNECTION_REFUSED)),
            upstream("10.0.0.12", outcome(ProbeOutcome.CONNECTION_REFUSED)))
        .diagnose();

    assertThat(v.reason()).isEqualTo("UpstreamNotListening");
  }

  @Test
  void aProbeTheAddressPolicyRefusedStandsFromItsFirstProbe() {
    TrackedProbe once = new ProbeTracker(3, 1, ProbePlan.none()::isSuccess).fold(ProbeTracker.untried(originTarget()),
        outcome(ProbeOutcome.NOT_PROBED, "not probed: 169.254.169.254 is a cloud metadata address (169.254.169.254)"))
        .probe();

    Verdict v = SiteWorld.healthy().probes(once).diagnose();

    assertThat(v.reason()).isEqualTo("InvalidSpec");
    assertThat(v.message()).contains("spec.origin.address");
  }

  @ParameterizedTest
  @MethodSource("failures")
  void aFreshFailureBelowThresholdKeepsTheConfirmedSuccess(ProbeResult failure) {
    TrackedProbe flapping = new ProbeTracker(3, 1, ProbePlan.none()::isSuccess).fold(origin(ok(200)), failure).probe();

    Verdict v = SiteWorld.healthy().probes(flapping).diagnose();

    assertThat(v.fault()).isEqualTo(Fault.NONE);
    assertThat(v.reason()).isEqualTo("Healthy");
  }

  @Test
  void healthyOriginDowngradesAllUpstreamsFailingToDegraded() {
    Verdict v = SiteWorld.healthy()
        .addProbes(upstream("10.0.0.11", outcome(ProbeOutcome.CONNECTION_REFUSED)),
            upstream("10.0.0.12", outcome(ProbeOutcome.CONNECTION_REFUSED)))
        .diagnose();

    assertThat(v.fault()).isEqualTo(Fault.NONE);
    assertCondition(v, ConditionType.READY, ConditionStatus.TRUE, "Healthy");
    assertCondition(v, ConditionType.BAD_GATEWAY, ConditionStatus.FALSE, "NoFault");
    assertCondition(v, ConditionType.DEGRADED, ConditionStatus.TRUE, "PartialUpstreamFailure");
    assertThat(v.condition(ConditionType.DEGRADED).message())
        .contains("2/2 probed endpoints of Service web/shop-web", "while the origin answers for itself");
  }

  @Test
  void degradedIsTrueWhileTheFaultIsNone() {
    Verdict v = SiteWorld.healthy().endpointsReady(true, false).diagnose();

    assertThat(v.fault().code()).isEqualTo("None");
    assertThat(v.reason()).isEqualTo("Healthy");
    assertThat(v.message()).contains("1/2 endpoints of Service web/shop-web ready");
    assertCondition(v, ConditionType.READY, ConditionStatus.TRUE, "Healthy");
    assertCondition(v, ConditionType.DEGRADED, ConditionStatus.TRUE, "PartialUpstreamFailure");
    assertThat(v.conditions().values()).filteredOn(ConditionVerdict::isTrue).extracting(c -> c.type().typeName())
        .containsExactlyInAnyOrder("Ready", "Degraded");
  }

  static Stream<SiteWorld> worlds() {
    return Stream.of(
        SiteWorld.healthy(),
        brokenAtEveryLayer(),
        SiteWorld.healthy().noIngress(),
        SiteWorld.healthy().with(w -> { w.spec.setHost("Not A Host"); return w; }),
        SiteWorld.healthy().probes(),
        SiteWorld.healthy().endpointsReady(true, false),
        SiteWorld.healthy().backendServiceMissing().probes(origin(http(502))));
  }

  @ParameterizedTest
  @MethodSource("worlds")
  void everyVerdictCarriesExactlyTheFiveConditions(SiteWorld world) {
    Verdict v = world.diagnose();

    assertThat(v.conditions()).hasSize(5).containsOnlyKeys(ConditionType.values());
    v.conditions().forEach((type, c) -> {
      assertThat(c.type()).isEqualTo(type);
      assertThat(c.reason()).isNotBlank();
      assertThat(c.message()).isNotBlank();
    });
    assertThat(v.condition(ConditionType.READY).status() == ConditionStatus.TRUE)
        .as("Ready is True iff fault is None").isEqualTo(v.fault() == Fault.NONE);
  }

  @ParameterizedTest
  @EnumSource(value = Fault.class, names = {"ORIGIN_DOWN", "BAD_GATEWAY", "SERVICE_UNAVAILABLE"})
  void theVisitorFacingFaultIsTheOneItsConditionRaises(Fault fault) {
    SiteWorld w = brokenAtEveryLayer();
    if (fault != Fault.ORIGIN_DOWN) {
      w.withGateway();
    }
    if (fault == Fault.SERVICE_UNAVAILABLE) {
      w.ingressBackendPort(80);
    }
    Verdict v = w.diagnose();

    assertThat(v.fault()).isEqualTo(fault);
    ConditionVerdict raising = v.condition(fault.condition().orElseThrow());
    assertThat(raising.isTrue()).isTrue();
    assertThat(v.reason()).isEqualTo(raising.reason());
    assertThat(v.message()).isEqualTo(raising.message());
  }
}
