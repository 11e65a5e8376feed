package dev.upstreamhealth.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.upstreamhealth.api.LayerProbeStatus;
import dev.upstreamhealth.api.ProbeSpec;
import dev.upstreamhealth.api.SiteRef;
import dev.upstreamhealth.api.SiteStatus;
import dev.upstreamhealth.api.ConditionStatus;
import dev.upstreamhealth.api.ConditionType;
import dev.upstreamhealth.diagnosis.ConditionVerdict;
import dev.upstreamhealth.api.Evidence;
import dev.upstreamhealth.api.Fault;
import dev.upstreamhealth.diagnosis.ProbeSettings;
import dev.upstreamhealth.api.Reason;
import dev.upstreamhealth.diagnosis.Verdict;
import dev.upstreamhealth.probe.ProbeFindings;
import dev.upstreamhealth.probe.ProbeLayer;
import dev.upstreamhealth.probe.ProbeOutcome;
import dev.upstreamhealth.probe.ProbePlan;
import dev.upstreamhealth.probe.ProbeResult;
import dev.upstreamhealth.probe.ProbeTarget;
import dev.upstreamhealth.probe.Scheme;
import dev.upstreamhealth.probe.ScriptedProber;
import dev.upstreamhealth.probe.StatusRanges;
import dev.upstreamhealth.probe.ProbeTracker;
import dev.upstreamhealth.probe.TrackedProbe;
import dev.upstreamhealth.status.StatusBuilder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A restarted operator, per condition: what the stored status showed from probes stands until
 * this process's probes conclude or have had their time; state speaks at once.
 */
class RestartGraceTest {
  static final SiteRef SHOP = new SiteRef("web", "shop");
  static final Instant T0 = Instant.parse("2026-11-29T12:00:00Z");
  /** Defaults: interval 30 s, thresholds 3 and 1, timeout 5 s: patience 2 min 5 s. */
  static final ProbeSettings PROBE = ProbeSettings.of(new ProbeSpec());

  final MutableClock clock = new MutableClock();
  final RestartGrace grace = new RestartGrace(clock);

  static final ProbeTarget ORIGIN = new ProbeTarget(ProbeLayer.ORIGIN, "127.0.0.10", 80, Scheme.HTTP,
      "shop.example.com", "/", Duration.ofSeconds(5), "");
  static final ProbeTarget UPSTREAM = new ProbeTarget(ProbeLayer.UPSTREAM, "10.0.0.11", 8080, Scheme.HTTP,
      "shop.example.com", "/", Duration.ofSeconds(5), "web/shop-web");

  static TrackedProbe untried(ProbeTarget t) {
    return new TrackedProbe(t, null, null, false, 0, 0, null, 0);
  }

  static TrackedProbe succeeded(ProbeTarget t) {
    return succeeded(t, Duration.ofMillis(3), T0);
  }

  static TrackedProbe succeeded(ProbeTarget t, Duration latency, Instant at) {
    ProbeResult r = new ProbeResult(t, ProbeOutcome.RESPONDED, 200, false, latency, null, at);
    return new TrackedProbe(t, r, r, true, 0, 1, null, 0);
  }

  static ConditionVerdict fault(ConditionType type, Reason reason, Evidence evidence) {
    return new ConditionVerdict(type, ConditionStatus.TRUE, reason.reasonName(), reason.reasonName() + " message", evidence);
  }

  /** A verdict as the diagnosis gives it: the True conditions given, the others False/NoFault. */
  static Verdict verdict(Fault fault, ConditionVerdict ready, ConditionVerdict... trues) {
    Map<ConditionType, ConditionVerdict> conditions = new EnumMap<>(ConditionType.class);
    for (ConditionType type : ConditionType.values()) {
      conditions.put(type, new ConditionVerdict(type, ConditionStatus.FALSE, Reason.NO_FAULT, "no fault"));
    }
    for (ConditionVerdict c : trues) {
      conditions.put(c.type(), c);
    }
    conditions.put(ConditionType.READY, ready);
    return new Verdict(fault, ready.reason(), ready.message(), conditions, Optional.empty(), List.of());
  }

  static ConditionVerdict ready(ConditionStatus status, String reason, Evidence evidence) {
    return new ConditionVerdict(ConditionType.READY, status, reason, reason + " message", evidence);
  }

  /** As the diagnosis gives it: Ready and the fault conditions without a state fault all Unknown. */
  static final Verdict AWAITING = verdict(Fault.UNKNOWN,
      ready(ConditionStatus.UNKNOWN, Reason.AWAITING_FIRST_PROBE.reasonName(), Evidence.PROBE),
      Arrays.stream(ConditionType.values()).filter(ConditionType::isFaultCondition)
          .map(type -> new ConditionVerdict(type, ConditionStatus.UNKNOWN, Reason.AWAITING_FIRST_PROBE.reasonName(),
              "not evaluated yet"))
          .toArray(ConditionVerdict[]::new));
  static final Verdict HEALTHY = verdict(Fault.NONE, ready(ConditionStatus.TRUE, Reason.HEALTHY, Evidence.PROBE));

  static SiteStatus stored(Verdict v) {
    return StatusBuilder.build(v, ProbeFindings.NONE, 4, null, T0.minusSeconds(600));
  }

  static SiteStatus shown(Verdict v) {
    return StatusBuilder.build(v, ProbeFindings.NONE, 4, null, T0);
  }

  /** Probes every 30 s, a fault after 3 failures, cleared after 2 successes: patience 2 min 35 s. */
  static final ProbeSettings TWO_TO_CLEAR = ProbeSettings.of(twoSuccessesToClear());

  static ProbeSpec twoSuccessesToClear() {
    ProbeSpec spec = new ProbeSpec();
    spec.setSuccessThreshold(2);
    return spec;
  }

  static final ConditionVerdict REFUSED = fault(ConditionType.ORIGIN_DOWN, Reason.CONNECTION_REFUSED, Evidence.PROBE);
  static final Verdict ORIGIN_REFUSES = verdict(Fault.ORIGIN_DOWN,
      ready(ConditionStatus.FALSE, Reason.CONNECTION_REFUSED.reasonName(), Evidence.PROBE), REFUSED);

  /**
   * What the diagnosis concludes from the origin probe alone in an otherwise healthy world:
   * waiting until the tracker confirms, then Healthy or the origin's refusal.
   */
  static Verdict diagnosedFrom(TrackedProbe origin) {
    if (!origin.isConfirmed()) {
      return AWAITING;
    }
    if (origin.confirmedSuccess()) {
      return HEALTHY;
    }
    assertThat(origin.confirmed().outcome()).isEqualTo(ProbeOutcome.CONNECTION_REFUSED);
    return ORIGIN_REFUSES;
  }

  /** One probe of the origin through the prober, folded into its history by the real tracker. */
  static TrackedProbe probeOnce(ScriptedProber prober, ProbeTracker tracker, TrackedProbe before) {
    return tracker.fold(before, prober.probe(ORIGIN).join()).probe();
  }

  static ProbeTracker trackerFor(ProbeSettings settings) {
    return ProbeTracker.of(new ProbePlan(List.of(ORIGIN), settings.interval(), settings.failureThreshold(),
        settings.successThreshold(), StatusRanges.DEFAULT));
  }

  @Test
  void aStoredOriginDownStandsWhileTheOriginRefusesAndClearsOnlyOnConfirmedHealth() {
    SiteStatus before = stored(ORIGIN_REFUSES);
    assertThat(before.getFault()).isEqualTo("521");
    ScriptedProber prober = new ScriptedProber(clock).script(ORIGIN,
        ScriptedProber.refused(), ScriptedProber.refused(), ScriptedProber.responded(200));
    ProbeTracker tracker = trackerFor(TWO_TO_CLEAR);

    TrackedProbe origin = ProbeTracker.untried(ORIGIN);
    List<String> shownAfterEachProbe = new ArrayList<>();
    for (int probe = 1; probe <= 4; probe++) {
      origin = probeOnce(prober, tracker, origin);
      Verdict fresh = diagnosedFrom(origin);
      Verdict shown = grace.apply(SHOP, TWO_TO_CLEAR, fresh, new ProbeFindings(List.of(origin)), before, 4);
      shownAfterEachProbe.add(shown.fault().code() + " " + shown.reason());
      if (probe < 4) {
        assertThat(fresh).as("probe %d: this process has not concluded", probe).isEqualTo(AWAITING);
        assertThat(shown.condition(ConditionType.ORIGIN_DOWN).reason()).isEqualTo("ConnectionRefused");
      }
      clock.advance(TWO_TO_CLEAR.interval());
    }

    assertThat(shownAfterEachProbe).as("never Awaiting, never Healthy on one success").containsExactly(
        "521 ConnectionRefused", "521 ConnectionRefused", "521 ConnectionRefused", "None Healthy");
    assertThat(prober.calls(ORIGIN.address())).isEqualTo(4);
    assertThat(origin.confirmedSuccess()).isTrue();
  }

  @Test
  void aStoredOriginDownIsDroppedWhenThePatiencePassesWithoutAConclusion() {
    SiteStatus before = stored(ORIGIN_REFUSES);
    ScriptedProber prober = new ScriptedProber(clock).script(ORIGIN.address(), ScriptedProber.refused());
    ProbeTracker tracker = trackerFor(TWO_TO_CLEAR);
    Duration patience = Duration.ofSeconds(155);

    TrackedProbe origin = probeOnce(prober, tracker, ProbeTracker.untried(ORIGIN));
    assertThat(origin.isConfirmed()).isFalse();
    Verdict kept = grace.apply(SHOP, TWO_TO_CLEAR, diagnosedFrom(origin), new ProbeFindings(List.of(origin)), before, 4);
    assertThat(kept.reason()).isEqualTo("ConnectionRefused");

    // No further probe comes back (the scheduler is stalled, say): only the clock moves.
    clock.advance(patience.minusSeconds(1));
    assertThat(grace.apply(SHOP, TWO_TO_CLEAR, AWAITING, new ProbeFindings(List.of(origin)), before, 4).reason())
        .isEqualTo("ConnectionRefused");
    clock.advance(Duration.ofSeconds(1));
    assertThat(grace.apply(SHOP, TWO_TO_CLEAR, AWAITING, new ProbeFindings(List.of(origin)), before, 4))
        .as("the probes had their time: the stored verdict is no longer shown").isEqualTo(AWAITING);
    assertThat(prober.calls(ORIGIN.address())).isEqualTo(1);
  }

  @Test
  void aProbeBornMaintenanceStandsUntilTheProbesConclude() {
    ConditionVerdict maintenance = fault(ConditionType.SERVICE_UNAVAILABLE, Reason.MAINTENANCE_MODE, Evidence.PROBE);
    SiteStatus before = stored(verdict(Fault.SERVICE_UNAVAILABLE,
        ready(ConditionStatus.FALSE, "MaintenanceMode", Evidence.PROBE), maintenance));
    assertThat(before.getConditionsFromProbes()).containsExactly("Ready", "ServiceUnavailable");

    Verdict kept = grace.apply(SHOP, PROBE, AWAITING, new ProbeFindings(List.of(untried(ORIGIN))), before, 4);
    assertThat(kept.fault()).isEqualTo(Fault.SERVICE_UNAVAILABLE);
    assertThat(kept.reason()).isEqualTo("MaintenanceMode");
    assertThat(shown(kept).getConditions()).isEqualTo(before.getConditions().stream()
        .map(c -> new io.fabric8.kubernetes.api.model.ConditionBuilder(c).withLastTransitionTime(
            StatusBuilderTime.at(T0)).build()).toList());

    clock.advance(Duration.ofSeconds(124));
    assertThat(grace.apply(SHOP, PROBE, AWAITING, new ProbeFindings(List.of(untried(ORIGIN))), before, 4).reason())
        .isEqualTo("MaintenanceMode");
    clock.advance(Duration.ofSeconds(1));
    assertThat(grace.apply(SHOP, PROBE, AWAITING, new ProbeFindings(List.of(untried(ORIGIN))), before, 4))
        .as("the probes had their time: what they say now is shown").isEqualTo(AWAITING);
  }

  @Test
  void aProbeBornDegradedStandsWhileTheUpstreamProbesHaveNotConcluded() {
    ConditionVerdict partial = fault(ConditionType.DEGRADED, Reason.PARTIAL_UPSTREAM_FAILURE, Evidence.PROBE);
    SiteStatus before = stored(verdict(Fault.NONE, ready(ConditionStatus.TRUE, Reason.HEALTHY, Evidence.PROBE), partial));

    ProbeFindings originOnly = new ProbeFindings(List.of(succeeded(ORIGIN), untried(UPSTREAM)));
    Verdict kept = grace.apply(SHOP, PROBE, HEALTHY, originOnly, before, 4);
    assertThat(kept.condition(ConditionType.DEGRADED).isTrue()).isTrue();
    assertThat(kept.condition(ConditionType.DEGRADED).reason()).isEqualTo("PartialUpstreamFailure");
    assertThat(kept.reason()).isEqualTo(Reason.HEALTHY);

    ProbeFindings concluded = new ProbeFindings(List.of(succeeded(ORIGIN), succeeded(UPSTREAM)));
    assertThat(grace.apply(SHOP, PROBE, HEALTHY, concluded, before, 4)).isEqualTo(HEALTHY);
    assertThat(grace.apply(SHOP, PROBE, HEALTHY, originOnly, before, 4))
        .as("once concluded, the grace is over for good").isEqualTo(HEALTHY);
  }

  /**
   * A stored 521 from probes; after the restart the origin's probe confirms it serves while an
   * upstream has not concluded. The origin is the visitor's view: the 521 goes at once, rather
   * than standing (and perhaps completing an alert's wait) until the last upstream concludes.
   */
  @Test
  void aStoredVisitorFaultGoesOnceThisProcessSeesTheOriginServe() {
    SiteStatus before = stored(ORIGIN_REFUSES);

    Verdict waiting = grace.apply(SHOP, PROBE, AWAITING, new ProbeFindings(List.of(untried(ORIGIN), untried(UPSTREAM))),
        before, 4);
    assertThat(waiting.reason()).as("nothing concluded yet: the stored verdict stands").isEqualTo("ConnectionRefused");

    Verdict shown = grace.apply(SHOP, PROBE, HEALTHY, new ProbeFindings(List.of(succeeded(ORIGIN), untried(UPSTREAM))),
        before, 4);
    assertThat(shown).isEqualTo(HEALTHY);
    assertThat(shown.condition(ConditionType.ORIGIN_DOWN).isTrue()).isFalse();
  }

  /**
   * A restarted process over a Healthy status whose probes conclude one by one, as under load: the
   * status it would write stays the stored one (same layers, same order, the stored passing count)
   * until every probe of a layer has concluded, and then differs from the stored one in timings
   * only. So none of these reconciles writes.
   */
  @Test
  void theStoredProbeResultsStandInTheirOrderUntilEachLayerHasConcluded() {
    ProbeTarget otherPod = new ProbeTarget(ProbeLayer.UPSTREAM, "10.0.0.12", 8080, Scheme.HTTP,
        "shop.example.com", "/", Duration.ofSeconds(5), "web/shop-web");
    Instant earlier = T0.minusSeconds(600);
    SiteStatus before = StatusBuilder.build(HEALTHY, new ProbeFindings(List.of(succeeded(ORIGIN, Duration.ofMillis(9), earlier),
        succeeded(UPSTREAM, Duration.ofMillis(9), earlier), succeeded(otherPod, Duration.ofMillis(9), earlier))), 4, null, earlier);
    assertThat(before.getProbes()).extracting("layer", "passing").containsExactly(
        org.assertj.core.groups.Tuple.tuple("origin", null), org.assertj.core.groups.Tuple.tuple("upstream", "2/2"));

    ProbeFindings oneUpstreamOnly = new ProbeFindings(List.of(untried(ORIGIN), succeeded(UPSTREAM), untried(otherPod)));
    assertThat(written(oneUpstreamOnly, before).getProbes())
        .as("nothing concluded a layer yet: the stored results, as they were").isEqualTo(before.getProbes())
        .extracting("probedAt").containsOnly(before.getProbes().get(0).getProbedAt());
    assertThat(written(oneUpstreamOnly, before)).as("no write").isEqualTo(before);

    ProbeFindings upstreamsOnly = new ProbeFindings(List.of(untried(ORIGIN), succeeded(UPSTREAM), succeeded(otherPod)));
    SiteStatus upstreamsConcluded = written(upstreamsOnly, before);
    assertThat(upstreamsConcluded.getProbes()).as("the stored origin first, then this process's upstreams")
        .extracting("layer", "probedAt").containsExactly(
            org.assertj.core.groups.Tuple.tuple("origin", before.getProbes().get(0).getProbedAt()),
            org.assertj.core.groups.Tuple.tuple("upstream", "2026-11-29T12:00:00Z"));
    assertThat(upstreamsConcluded).as("timings alone: no write").isEqualTo(before);

    ProbeFindings all = new ProbeFindings(List.of(succeeded(ORIGIN), succeeded(UPSTREAM), succeeded(otherPod)));
    assertThat(written(all, before)).as("every probe concluded: timings alone, no write").isEqualTo(before);
  }

  /** A failure the new process confirmed is shown with its evidence at once, its layer half-probed or not. */
  @Test
  void aFailureConfirmedDuringTheGraceIsShownAtOnce() {
    ProbeTarget otherPod = new ProbeTarget(ProbeLayer.UPSTREAM, "10.0.0.12", 8080, Scheme.HTTP,
        "shop.example.com", "/", Duration.ofSeconds(5), "web/shop-web");
    SiteStatus before = StatusBuilder.build(HEALTHY, new ProbeFindings(List.of(succeeded(ORIGIN), succeeded(UPSTREAM),
        succeeded(otherPod))), 4, null, T0.minusSeconds(600));
    ProbeResult refused = new ProbeResult(UPSTREAM, ProbeOutcome.CONNECTION_REFUSED, 0, false, Duration.ofMillis(1),
        "refused", T0);
    TrackedProbe failing = new TrackedProbe(UPSTREAM, refused, refused, false, 3, 0, refused, 3);
    ProbeFindings oneFailing = new ProbeFindings(List.of(untried(ORIGIN), failing, untried(otherPod)));

    List<LayerProbeStatus> shown = written(oneFailing, before).getProbes();
    assertThat(shown).extracting("layer", "outcome").containsExactly(
        org.assertj.core.groups.Tuple.tuple("origin", "Responded"),
        org.assertj.core.groups.Tuple.tuple("upstream", "ConnectionRefused"));
  }

  /** The status the reconciler would write from these findings over the stored one, grace applied. */
  private SiteStatus written(ProbeFindings findings, SiteStatus stored) {
    Verdict fresh = findings.layer(ProbeLayer.ORIGIN).stream().allMatch(TrackedProbe::isConfirmed) ? HEALTHY : AWAITING;
    Verdict shown = grace.apply(SHOP, PROBE, fresh, findings, stored, 4);
    SiteStatus next = StatusBuilder.build(shown, findings, 4, stored, T0);
    next.setProbes(grace.probesShown(SHOP, fresh, findings, stored, next.getProbes()));
    return next;
  }

  static final ProbeTarget GATEWAY = new ProbeTarget(ProbeLayer.GATEWAY, "10.0.0.2", 80, Scheme.HTTP,
      "shop.example.com", "/", Duration.ofSeconds(5), "");

  static TrackedProbe refusedThrice(ProbeTarget t) {
    ProbeResult r = new ProbeResult(t, ProbeOutcome.CONNECTION_REFUSED, 0, false, Duration.ofMillis(1), "refused", T0);
    return new TrackedProbe(t, r, r, false, 3, 0, r, 3);
  }

  static final Verdict GATEWAY_REFUSES = verdict(Fault.ORIGIN_DOWN,
      ready(ConditionStatus.FALSE, Reason.GATEWAY_DOWN.reasonName(), Evidence.PROBE),
      fault(ConditionType.ORIGIN_DOWN, Reason.GATEWAY_DOWN, Evidence.PROBE));

  /**
   * A stored 521 GatewayDown that the probes found (the origin and the gateway both refuse). After
   * the restart the origin's probe concludes first: on its own it says ConnectionRefused, the
   * symptom. The cause stands until the gateway's probe has concluded too, so the reason does not
   * change twice (two Warnings) during one outage.
   */
  @Test
  void aStoredProbeBornCauseIsNotReplacedByItsSymptomBeforeTheProbesConclude() {
    SiteStatus before = stored(GATEWAY_REFUSES);
    assertThat(before.getConditionsFromProbes()).contains("OriginDown");

    Verdict halfway = grace.apply(SHOP, PROBE, ORIGIN_REFUSES,
        new ProbeFindings(List.of(refusedThrice(ORIGIN), untried(GATEWAY))), before, 4);
    assertThat(halfway.fault()).isEqualTo(Fault.ORIGIN_DOWN);
    assertThat(halfway.reason()).as("the symptom must not replace the stored cause").isEqualTo("GatewayDown");
    assertThat(halfway.condition(ConditionType.ORIGIN_DOWN).reason()).isEqualTo("GatewayDown");

    Verdict concluded = grace.apply(SHOP, PROBE, ORIGIN_REFUSES,
        new ProbeFindings(List.of(refusedThrice(ORIGIN), succeeded(GATEWAY))), before, 4);
    assertThat(concluded.reason()).as("the gateway serves: the origin's refusal is the finding").isEqualTo("ConnectionRefused");
  }

  /**
   * MaintenanceMode and Overloaded are two readings of the same 503s, not cause and symptom: once
   * this process's origin probe has concluded "503 without Retry-After", a stored MaintenanceMode
   * must not stand (it would hold back the 503 alert) while the upstream probes conclude.
   */
  @Test
  void anotherReadingOfTheSameProbeIsNotKeptAsACause() {
    ConditionVerdict maintenance = fault(ConditionType.SERVICE_UNAVAILABLE, Reason.MAINTENANCE_MODE, Evidence.PROBE);
    SiteStatus before = stored(verdict(Fault.SERVICE_UNAVAILABLE,
        ready(ConditionStatus.FALSE, "MaintenanceMode", Evidence.PROBE), maintenance));
    ConditionVerdict overloaded = fault(ConditionType.SERVICE_UNAVAILABLE, Reason.OVERLOADED, Evidence.PROBE);
    Verdict fresh = verdict(Fault.SERVICE_UNAVAILABLE, ready(ConditionStatus.FALSE, "Overloaded", Evidence.PROBE),
        overloaded);
    ProbeResult answered503 = new ProbeResult(ORIGIN, ProbeOutcome.RESPONDED, 503, false, Duration.ofMillis(2), null, T0);
    TrackedProbe origin503 = new TrackedProbe(ORIGIN, answered503, answered503, false, 3, 0, answered503, 3);

    Verdict shown = grace.apply(SHOP, PROBE, fresh, new ProbeFindings(List.of(origin503, untried(UPSTREAM))), before, 4);
    assertThat(shown.reason()).isEqualTo("Overloaded");
  }

  /** A stored GatewayDown gives way once the gateway probe here has concluded, whatever the upstreams do. */
  @Test
  void aStoredCauseGivesWayOnceItsOwnLayerHasConcluded() {
    SiteStatus before = stored(GATEWAY_REFUSES);
    Verdict shown = grace.apply(SHOP, PROBE, ORIGIN_REFUSES,
        new ProbeFindings(List.of(refusedThrice(ORIGIN), succeeded(GATEWAY), untried(UPSTREAM))), before, 4);
    assertThat(shown.reason()).isEqualTo("ConnectionRefused");
  }

  /** The other way round: a cause this process found outranks the stored symptom at once. */
  @Test
  void aFreshCauseReplacesAStoredSymptomAtOnce() {
    SiteStatus before = stored(ORIGIN_REFUSES);
    Verdict shown = grace.apply(SHOP, PROBE, GATEWAY_REFUSES,
        new ProbeFindings(List.of(refusedThrice(ORIGIN), refusedThrice(GATEWAY), untried(UPSTREAM))), before, 4);
    assertThat(shown.reason()).isEqualTo("GatewayDown");
  }

  /** A stored probe-born cause gives way at once to a cause this process reads from cluster state. */
  @Test
  void aStateCauseSeenNowReplacesAStoredProbeBornOneInTheSameCondition() {
    ConditionVerdict timedOut = fault(ConditionType.ORIGIN_DOWN, Reason.CONNECTION_TIMED_OUT, Evidence.PROBE);
    SiteStatus before = stored(verdict(Fault.ORIGIN_DOWN,
        ready(ConditionStatus.FALSE, "ConnectionTimedOut", Evidence.PROBE), timedOut));
    ConditionVerdict noAddress = fault(ConditionType.ORIGIN_DOWN, Reason.NO_ORIGIN_ADDRESS, Evidence.CLUSTER_STATE);
    Verdict fresh = verdict(Fault.ORIGIN_DOWN, ready(ConditionStatus.FALSE, "NoOriginAddress", Evidence.CLUSTER_STATE),
        noAddress);
    assertThat(grace.apply(SHOP, PROBE, fresh, new ProbeFindings(List.of(untried(ORIGIN))), before, 4).reason())
        .isEqualTo("NoOriginAddress");
  }

  @Test
  void aStateFaultThatClearedWhileNoOperatorRanIsNotKept() {
    ConditionVerdict crash = fault(ConditionType.BAD_GATEWAY, Reason.UPSTREAM_CRASH_LOOPING, Evidence.CLUSTER_STATE);
    SiteStatus before = stored(verdict(Fault.BAD_GATEWAY,
        ready(ConditionStatus.FALSE, "UpstreamCrashLooping", Evidence.CLUSTER_STATE), crash));
    assertThat(grace.apply(SHOP, PROBE, AWAITING, new ProbeFindings(List.of(untried(ORIGIN))), before, 4))
        .isEqualTo(AWAITING);
  }

  /**
   * The Service was missing (a state fault) and the origin probe had confirmed ingress-nginx's 503
   * under it (Overloaded, from probes); it was created while no operator ran, or before this
   * process's probes concluded. The 503 was the missing Service's: not kept as Overloaded.
   */
  @Test
  void aProbeFaultSeenUnderAStateFaultThatClearedIsNotKept() {
    ConditionVerdict missing = fault(ConditionType.BAD_GATEWAY, Reason.BACKEND_SERVICE_MISSING, Evidence.CLUSTER_STATE);
    ConditionVerdict overloaded = fault(ConditionType.SERVICE_UNAVAILABLE, Reason.OVERLOADED, Evidence.PROBE);
    SiteStatus before = stored(verdict(Fault.BAD_GATEWAY,
        ready(ConditionStatus.FALSE, "BackendServiceMissing", Evidence.CLUSTER_STATE), missing, overloaded));
    assertThat(before.getConditionsFromProbes()).contains(ConditionType.SERVICE_UNAVAILABLE.typeName());

    assertThat(grace.apply(SHOP, PROBE, AWAITING, new ProbeFindings(List.of(untried(ORIGIN))), before, 4))
        .isEqualTo(AWAITING);
    // While the state fault stands, it stays beside it.
    Verdict stillMissing = verdict(Fault.BAD_GATEWAY,
        ready(ConditionStatus.FALSE, "BackendServiceMissing", Evidence.CLUSTER_STATE), missing);
    assertThat(grace.apply(SHOP, PROBE, stillMissing, new ProbeFindings(List.of(untried(ORIGIN))), before, 4)
        .condition(ConditionType.SERVICE_UNAVAILABLE).reason()).isEqualTo("Overloaded");
  }

  @Test
  void aStateFaultSeenNowCountsAtOnceBesideTheKeptProbeVerdict() {
    ConditionVerdict overloaded = fault(ConditionType.SERVICE_UNAVAILABLE, Reason.OVERLOADED, Evidence.PROBE);
    SiteStatus before = stored(verdict(Fault.SERVICE_UNAVAILABLE,
        ready(ConditionStatus.FALSE, "Overloaded", Evidence.PROBE), overloaded));
    ConditionVerdict crash = fault(ConditionType.BAD_GATEWAY, Reason.UPSTREAM_CRASH_LOOPING, Evidence.CLUSTER_STATE);
    Verdict fresh = verdict(Fault.BAD_GATEWAY, ready(ConditionStatus.FALSE, "UpstreamCrashLooping", Evidence.CLUSTER_STATE),
        crash);

    Verdict merged = grace.apply(SHOP, PROBE, fresh, new ProbeFindings(List.of(untried(ORIGIN))), before, 4);
    assertThat(merged.fault()).as("the outermost failing layer wins").isEqualTo(Fault.BAD_GATEWAY);
    assertThat(merged.reason()).isEqualTo("UpstreamCrashLooping");
    assertThat(merged.condition(ConditionType.SERVICE_UNAVAILABLE).reason()).isEqualTo("Overloaded");
  }

  @Test
  void aStatusWrittenBeforeEvidenceWasRecordedIsReadFromItsReasons() {
    ConditionVerdict overloaded = fault(ConditionType.SERVICE_UNAVAILABLE, Reason.OVERLOADED, Evidence.PROBE);
    SiteStatus before = stored(verdict(Fault.SERVICE_UNAVAILABLE,
        ready(ConditionStatus.FALSE, "Overloaded", Evidence.PROBE), overloaded));
    before.setConditionsFromProbes(List.of());
    assertThat(grace.apply(SHOP, PROBE, AWAITING, new ProbeFindings(List.of(untried(ORIGIN))), before, 4).reason())
        .isEqualTo("Overloaded");
  }

  @Test
  void anotherGenerationIsAnotherSpec() {
    ConditionVerdict overloaded = fault(ConditionType.SERVICE_UNAVAILABLE, Reason.OVERLOADED, Evidence.PROBE);
    SiteStatus before = stored(verdict(Fault.SERVICE_UNAVAILABLE,
        ready(ConditionStatus.FALSE, "Overloaded", Evidence.PROBE), overloaded));
    assertThat(grace.apply(SHOP, PROBE, AWAITING, new ProbeFindings(List.of(untried(ORIGIN))), before, 5))
        .isEqualTo(AWAITING);
  }

  /** StatusBuilder's timestamp format, for comparing conditions written at another time. */
  static final class StatusBuilderTime {
    static String at(Instant instant) {
      return java.time.format.DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
    }
  }

  static final class MutableClock extends Clock {
    private Instant now = T0;

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
