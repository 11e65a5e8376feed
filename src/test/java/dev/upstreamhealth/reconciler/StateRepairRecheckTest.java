package dev.upstreamhealth.reconciler;

import static dev.upstreamhealth.reconciler.RestartGraceTest.HEALTHY;
import static dev.upstreamhealth.reconciler.RestartGraceTest.ORIGIN;
import static dev.upstreamhealth.reconciler.RestartGraceTest.PROBE;
import static dev.upstreamhealth.reconciler.RestartGraceTest.SHOP;
import static dev.upstreamhealth.reconciler.RestartGraceTest.T0;
import static dev.upstreamhealth.reconciler.RestartGraceTest.fault;
import static dev.upstreamhealth.reconciler.RestartGraceTest.ready;
import static dev.upstreamhealth.reconciler.RestartGraceTest.shown;
import static dev.upstreamhealth.reconciler.RestartGraceTest.succeeded;
import static dev.upstreamhealth.reconciler.RestartGraceTest.verdict;
import static org.assertj.core.api.Assertions.assertThat;

import dev.upstreamhealth.api.ConditionStatus;
import dev.upstreamhealth.api.ConditionType;
import dev.upstreamhealth.api.Evidence;
import dev.upstreamhealth.api.Fault;
import dev.upstreamhealth.api.ProbeSpec;
import dev.upstreamhealth.api.Reason;
import dev.upstreamhealth.api.SiteRef;
import dev.upstreamhealth.api.SiteStatus;
import dev.upstreamhealth.diagnosis.ProbeSettings;
import dev.upstreamhealth.diagnosis.Verdict;
import dev.upstreamhealth.probe.ProbeFindings;
import dev.upstreamhealth.probe.ProbeOutcome;
import dev.upstreamhealth.probe.ProbeResult;
import dev.upstreamhealth.probe.TrackedProbe;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A cluster-state fault that a probe confirmed, then repaired: the failure the probe saw under it
 * is checked again before it may speak, and only then.
 */
class StateRepairRecheckTest {
  final RestartGraceTest.MutableClock clock = new RestartGraceTest.MutableClock();
  final List<SiteRef> rechecked = new ArrayList<>();
  final StateRepairRecheck repairs = new StateRepairRecheck(clock, rechecked::add);

  /** ingress-nginx's 503 for a missing backend Service, shown under the state fault that causes it. */
  static final SiteStatus MISSING_BACKEND = shown(verdict(Fault.BAD_GATEWAY,
      ready(ConditionStatus.FALSE, Reason.BACKEND_SERVICE_MISSING.reasonName(), Evidence.CLUSTER_STATE),
      fault(ConditionType.BAD_GATEWAY, Reason.BACKEND_SERVICE_MISSING, Evidence.CLUSTER_STATE)));
  /** What the same 503 reads as once the Service exists, before the origin is probed again. */
  static final Verdict OVERLOADED = verdict(Fault.SERVICE_UNAVAILABLE,
      ready(ConditionStatus.FALSE, Reason.OVERLOADED.reasonName(), Evidence.PROBE),
      fault(ConditionType.SERVICE_UNAVAILABLE, Reason.OVERLOADED, Evidence.PROBE));

  static TrackedProbe failedWith503(Instant at) {
    ProbeResult r = new ProbeResult(ORIGIN, ProbeOutcome.RESPONDED, 503, false, Duration.ofMillis(2), null, at);
    return new TrackedProbe(ORIGIN, r, r, false, 3, 0, r, 3);
  }

  static ProbeFindings findings(TrackedProbe origin) {
    return new ProbeFindings(List.of(origin));
  }

  @Test
  void theProbedFailureOfARepairedStateFaultIsCheckedAgainBeforeItSpeaks() {
    ProbeFindings underTheFault = findings(failedWith503(T0.minusSeconds(10)));

    Optional<Duration> held = repairs.hold(SHOP, MISSING_BACKEND, OVERLOADED, underTheFault, PROBE);

    assertThat(held).as("the stored status stands; looked at again when the recheck is due again")
        .contains(StateRepairRecheck.RECHECK_EVERY);
    assertThat(rechecked).containsExactly(SHOP);

    // The recheck's answer (another 503: the gateway has not applied the repair yet) brings a
    // reconcile at once: still held, and not asked again within the second.
    clock.advance(Duration.ofMillis(300));
    assertThat(repairs.hold(SHOP, MISSING_BACKEND, OVERLOADED, findings(failedWith503(T0.plusMillis(290))), PROBE))
        .contains(Duration.ofMillis(700));
    assertThat(rechecked).containsExactly(SHOP);

    clock.advance(Duration.ofMillis(700));
    assertThat(repairs.hold(SHOP, MISSING_BACKEND, OVERLOADED, findings(failedWith503(T0.plusMillis(290))), PROBE))
        .as("asked again a second later; the next in two").contains(Duration.ofSeconds(2));
    assertThat(rechecked).containsExactly(SHOP, SHOP);
  }

  /**
   * NetworkPolicies that drop the probe too are shown once it confirms so, on the probe's
   * evidence; their repair leaves the timeouts behind as the missing Service's repair leaves its
   * 503: ConnectionTimedOut is held back the same way, not shown with a Warning for an interval.
   */
  @Test
  void aPolicyBlockTheProbeConfirmedIsHeldAtItsRepairAsAStateFaultIs() {
    SiteStatus blocked = shown(verdict(Fault.ORIGIN_DOWN,
        ready(ConditionStatus.FALSE, Reason.CDN_BLOCKED_BY_NETWORK_POLICY.reasonName(), Evidence.PROBE),
        fault(ConditionType.ORIGIN_DOWN, Reason.CDN_BLOCKED_BY_NETWORK_POLICY, Evidence.PROBE)));
    Verdict timedOut = verdict(Fault.ORIGIN_DOWN,
        ready(ConditionStatus.FALSE, Reason.CONNECTION_TIMED_OUT.reasonName(), Evidence.PROBE),
        fault(ConditionType.ORIGIN_DOWN, Reason.CONNECTION_TIMED_OUT, Evidence.PROBE));
    ProbeResult timeout = new ProbeResult(ORIGIN, ProbeOutcome.CONNECT_TIMEOUT, 0, false, Duration.ofSeconds(5), null,
        T0.minusSeconds(10));

    assertThat(repairs.hold(SHOP, blocked, timedOut,
        findings(new TrackedProbe(ORIGIN, timeout, timeout, false, 3, 0, timeout, 3)), PROBE))
        .contains(StateRepairRecheck.RECHECK_EVERY);
    assertThat(rechecked).containsExactly(SHOP);
  }

  @Test
  void aRecheckThatServesEndsTheHoldWithTheFreshVerdict() {
    repairs.hold(SHOP, MISSING_BACKEND, OVERLOADED, findings(failedWith503(T0.minusSeconds(10))), PROBE);
    clock.advance(Duration.ofMillis(20));

    assertThat(repairs.hold(SHOP, MISSING_BACKEND, HEALTHY, findings(succeeded(ORIGIN, Duration.ofMillis(2),
        T0.plusMillis(15))), PROBE)).isEmpty();
  }

  @Test
  void aFailureThatOutlastsTheWaitSpeaksForItself() {
    repairs.hold(SHOP, MISSING_BACKEND, OVERLOADED, findings(failedWith503(T0.minusSeconds(10))), PROBE);
    for (int second = 1; second < 10; second++) {
      clock.advance(Duration.ofSeconds(1));
      assertThat(repairs.hold(SHOP, MISSING_BACKEND, OVERLOADED, findings(failedWith503(T0.plusSeconds(second))),
          PROBE)).as("%d s after the repair", second).isPresent();
    }
    assertThat(rechecked).as("asked at 0, 1, 3 and 7 s").hasSize(4);

    clock.advance(Duration.ofSeconds(1));
    assertThat(repairs.hold(SHOP, MISSING_BACKEND, OVERLOADED, findings(failedWith503(T0.plusSeconds(10))), PROBE))
        .as("the 503 outlasted the gateway's time to apply the repair: Overloaded is the world's now").isEmpty();
    // A write refused and retried from the same stored status: shown at once, not waited for again.
    assertThat(repairs.hold(SHOP, MISSING_BACKEND, OVERLOADED, findings(failedWith503(T0.plusSeconds(10))), PROBE))
        .isEmpty();
    assertThat(rechecked).hasSize(4);
  }

  @Test
  void aRecheckNotAnsweredYetKeepsTheWaitUpToABound() {
    ProbeFindings underTheFault = findings(failedWith503(T0.minusSeconds(10)));
    repairs.hold(SHOP, MISSING_BACKEND, OVERLOADED, underTheFault, PROBE);

    clock.advance(StateRepairRecheck.SETTLE);
    assertThat(repairs.hold(SHOP, MISSING_BACKEND, OVERLOADED, underTheFault, PROBE))
        .as("no probe has answered since the repair").isPresent();
    // The bound: the probe timeout and a second, then a second for each success successThreshold asks.
    clock.advance(PROBE.timeout().plusSeconds(1 + PROBE.successThreshold()).minusMillis(1));
    assertThat(repairs.hold(SHOP, MISSING_BACKEND, OVERLOADED, underTheFault, PROBE)).isPresent();
    clock.advance(Duration.ofMillis(1));
    assertThat(repairs.hold(SHOP, MISSING_BACKEND, OVERLOADED, underTheFault, PROBE)).isEmpty();
  }

  @Test
  void aTimeoutOfAnHourDoesNotHoldAFaultForAnHour() {
    ProbeSpec spec = new ProbeSpec();
    spec.setIntervalSeconds(7200);
    spec.setTimeoutSeconds(3600);
    ProbeSettings slow = ProbeSettings.of(spec);
    ProbeFindings underTheFault = findings(failedWith503(T0.minusSeconds(10)));
    repairs.hold(SHOP, MISSING_BACKEND, OVERLOADED, underTheFault, slow);

    clock.advance(StateRepairRecheck.SETTLE.plus(StateRepairRecheck.LONGEST_ANSWER).plusSeconds(1));
    assertThat(repairs.hold(SHOP, MISSING_BACKEND, OVERLOADED, underTheFault, slow)).isEmpty();
  }

  @Test
  void successesTheThresholdStillAsksForAreWaitedForASecondApart() {
    ProbeSpec spec = new ProbeSpec();
    spec.setSuccessThreshold(3);
    ProbeSettings threeToClear = ProbeSettings.of(spec);
    repairs.hold(SHOP, MISSING_BACKEND, OVERLOADED, findings(failedWith503(T0.minusSeconds(10))), threeToClear);

    // The gateway applied the repair after 9.5 s: the recheck of 10 s is the first success, and the
    // 503 stays confirmed until two more.
    clock.advance(StateRepairRecheck.SETTLE.plusMillis(100));
    ProbeResult served = new ProbeResult(ORIGIN, ProbeOutcome.RESPONDED, 200, false, Duration.ofMillis(2), null,
        T0.plusSeconds(10));
    TrackedProbe deciding = new TrackedProbe(ORIGIN, served, failedWith503(T0).confirmed(), false, 0, 1,
        failedWith503(T0).confirmed(), 0);
    int asked = rechecked.size();
    assertThat(repairs.hold(SHOP, MISSING_BACKEND, OVERLOADED, findings(deciding), threeToClear))
        .as("succeeding: the wait runs on, rechecked every second").contains(StateRepairRecheck.RECHECK_EVERY);
    assertThat(rechecked).hasSize(asked + 1);
  }

  @Test
  void nothingIsHeldBetweenAStateFaultAndAnotherOrAFaultTheProbesSawThemselves() {
    ProbeFindings failing = findings(failedWith503(T0.minusSeconds(10)));
    Verdict noService = verdict(Fault.BAD_GATEWAY,
        ready(ConditionStatus.FALSE, Reason.NO_READY_ENDPOINTS.reasonName(), Evidence.CLUSTER_STATE),
        fault(ConditionType.SERVICE_UNAVAILABLE, Reason.NO_READY_ENDPOINTS, Evidence.CLUSTER_STATE));

    assertThat(repairs.hold(SHOP, MISSING_BACKEND, noService, failing, PROBE)).as("state to state").isEmpty();
    assertThat(repairs.hold(SHOP, MISSING_BACKEND, HEALTHY, findings(succeeded(ORIGIN)), PROBE)).as("to Healthy")
        .isEmpty();
    assertThat(repairs.hold(SHOP, shown(OVERLOADED), OVERLOADED, failing, PROBE)).as("probes to probes").isEmpty();
    assertThat(repairs.hold(SHOP, null, OVERLOADED, failing, PROBE)).as("a new Site").isEmpty();
    assertThat(repairs.hold(SHOP, shown(HEALTHY), OVERLOADED, failing, PROBE)).as("Healthy to a probed fault")
        .isEmpty();
    assertThat(rechecked).isEmpty();
  }

  @Test
  void aProbedFaultWithoutAConfirmedFailureBehindItIsNotHeld() {
    // A fault resting on probes while no target's confirmed result is a failure (a latency
    // budget, say): nothing to check again.
    assertThat(repairs.hold(SHOP, MISSING_BACKEND, OVERLOADED, findings(succeeded(ORIGIN)), PROBE)).isEmpty();
    assertThat(rechecked).isEmpty();
  }

  @Test
  void aStateFaultBackAfterTheHoldAsksAgainAtItsNextRepair() {
    ProbeFindings failing = findings(failedWith503(T0.minusSeconds(10)));
    repairs.hold(SHOP, MISSING_BACKEND, OVERLOADED, failing, PROBE);
    clock.advance(StateRepairRecheck.SETTLE);
    repairs.hold(SHOP, MISSING_BACKEND, OVERLOADED, findings(failedWith503(T0.plusSeconds(9))), PROBE);
    // Shown, then the Service deleted again: the stored status is the state fault's once more.
    repairs.hold(SHOP, shown(OVERLOADED), MISSING_BACKEND_VERDICT, failing, PROBE);

    clock.advance(Duration.ofMinutes(1));
    assertThat(repairs.hold(SHOP, MISSING_BACKEND, OVERLOADED, findings(failedWith503(T0.plusSeconds(20))), PROBE))
        .isPresent();
    assertThat(rechecked).containsExactly(SHOP, SHOP);
  }

  static final Verdict MISSING_BACKEND_VERDICT = verdict(Fault.BAD_GATEWAY,
      ready(ConditionStatus.FALSE, Reason.BACKEND_SERVICE_MISSING.reasonName(), Evidence.CLUSTER_STATE),
      fault(ConditionType.BAD_GATEWAY, Reason.BACKEND_SERVICE_MISSING, Evidence.CLUSTER_STATE));
}
