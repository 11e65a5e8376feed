package dev.upstreamhealth.diagnosis;

import static dev.upstreamhealth.diagnosis.SiteWorld.ok;
import static dev.upstreamhealth.diagnosis.SiteWorld.originTarget;
import static dev.upstreamhealth.diagnosis.SiteWorld.outcome;
import static org.assertj.core.api.Assertions.assertThat;

import dev.upstreamhealth.api.ConditionType;
import dev.upstreamhealth.api.Fault;
import dev.upstreamhealth.probe.ProbeOutcome;
import dev.upstreamhealth.probe.ProbePlan;
import dev.upstreamhealth.probe.ProbeResult;
import dev.upstreamhealth.probe.ProbeTracker;
import dev.upstreamhealth.probe.TrackedProbe;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The origin is an AWS load balancer's name, looked up through the cluster's DNS (CoreDNS) while
 * the CDN looks it up through public DNS: a run of lookups that get no answer, longer than
 * failureThreshold, as the real tracker folds it, is no evidence about the origin.
 */
class NameLookupEvidenceTest {
  private static final ProbeResult RESOLVER_DOWN = outcome(ProbeOutcome.NAME_LOOKUP_FAILED,
      "looking up lb.shop.example failed: Temporary failure in name resolution");
  private static final ProbeResult NO_SUCH_NAME = outcome(ProbeOutcome.UNREACHABLE,
      "name lb.shop.example does not resolve");

  @Test
  void aResolverDownFromTheStartIsNoVerdictNeverOriginDown() {
    Verdict v = diagnose(resolverDown(probed(), 10));

    assertThat(v.condition(ConditionType.ORIGIN_DOWN).isTrue()).isFalse();
    assertThat(v.fault()).isEqualTo(Fault.UNKNOWN);
    assertThat(v.reason()).isEqualTo("AwaitingFirstProbe");
  }

  @Test
  void aResolverDownLeavesAServingOriginServing() {
    Verdict v = diagnose(resolverDown(probed(ok(200)), 10));

    assertThat(v.condition(ConditionType.ORIGIN_DOWN).isTrue()).isFalse();
    assertThat(v.fault()).isEqualTo(Fault.NONE);
  }

  @Test
  void aResolverDownLeavesAConfirmedOriginUnreachableStanding() {
    Verdict before = diagnose(probed(NO_SUCH_NAME, NO_SUCH_NAME, NO_SUCH_NAME));
    Verdict v = diagnose(resolverDown(probed(NO_SUCH_NAME, NO_SUCH_NAME, NO_SUCH_NAME), 10));

    assertThat(before.reason()).isEqualTo("OriginUnreachable");
    assertThat(v).isEqualTo(before);
  }

  @Test
  void aResolverDownBetweenAnswersThatTheNameDoesNotExistNeitherCountsNorBreaksTheRun() {
    Verdict v = diagnose(probed(NO_SUCH_NAME, RESOLVER_DOWN, NO_SUCH_NAME, RESOLVER_DOWN, NO_SUCH_NAME));

    assertThat(v.condition(ConditionType.ORIGIN_DOWN).isTrue()).isTrue();
    assertThat(v.reason()).isEqualTo("OriginUnreachable");
    assertThat(v.message()).contains("name lb.shop.example does not resolve");
  }

  private static Verdict diagnose(TrackedProbe origin) {
    return Diagnosis.diagnose(SiteWorld.healthy().probes(origin).snapshot());
  }

  private static TrackedProbe resolverDown(TrackedProbe probe, int times) {
    return fold(probe, Collections.nCopies(times, RESOLVER_DOWN));
  }

  private static TrackedProbe probed(ProbeResult... results) {
    return fold(ProbeTracker.untried(originTarget()), List.of(results));
  }

  /** The origin's history as the scheduler folds it under the default spec.probe (3 failures, 1 success). */
  private static TrackedProbe fold(TrackedProbe probe, List<ProbeResult> results) {
    ProbeSettings settings = ProbeSettings.of(null);
    ProbeTracker tracker = ProbeTracker.of(new ProbePlan(List.of(originTarget()), settings.interval(),
        settings.failureThreshold(), settings.successThreshold(), settings.expected()));
    for (ProbeResult r : results) {
      probe = tracker.fold(probe, r).probe();
    }
    return probe;
  }
}
