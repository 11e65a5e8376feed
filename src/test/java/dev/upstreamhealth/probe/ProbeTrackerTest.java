package dev.upstreamhealth.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Hysteresis with failureThreshold 3 and successThreshold 2, result by result. */
class ProbeTrackerTest {
  private static final ProbeTarget TARGET = new ProbeTarget(
      ProbeLayer.ORIGIN, "203.0.113.7", 443, Scheme.HTTPS, "shop.example.com", "/", Duration.ofSeconds(5), "");
  private static final ProbePlan PLAN =
      new ProbePlan(List.of(TARGET), Duration.ofSeconds(30), 3, 2, StatusRanges.DEFAULT);

  private final ProbeTracker tracker = ProbeTracker.of(PLAN);

  /**
   * The origin keeps succeeding, but its answer now turns the probe away (an auth or app-root
   * redirect added on the gateway): what the upstream probes mean changes, so it is news; the same
   * success again is not.
   */
  @Test
  void anOriginSuccessThatNowTurnsTheProbeAwayIsNews() {
    ProbeResult page = new ProbeResult(TARGET, ProbeOutcome.RESPONDED, 200, false, Duration.ofMillis(3), "",
        Instant.parse("2025-01-01T00:00:00Z"));
    ProbeResult gatewaysRedirect = new ProbeResult(TARGET, ProbeOutcome.RESPONDED, 302, false, Duration.ofMillis(3), "",
        Instant.parse("2025-01-01T00:00:30Z"),
        new ProbeTrace(null, null, null, null, "203.0.113.7:443", null, ProbeTrace.AnswerSource.GATEWAY, 0));
    TrackedProbe serving = tracker.fold(tracker.fold(ProbeTracker.untried(TARGET), page).probe(), page).probe();

    ProbeTracker.Folded turnedAway = tracker.fold(serving, gatewaysRedirect);
    assertThat(turnedAway.conclusionChanged()).isTrue();
    assertThat(tracker.fold(turnedAway.probe(), gatewaysRedirect).conclusionChanged()).isFalse();
    assertThat(tracker.fold(serving, page).conclusionChanged()).isFalse();
  }

  @Test
  void oneFailureChangesNothing() {
    ProbeTracker.Folded folded = tracker.fold(ProbeTracker.untried(TARGET), refused());

    assertThat(folded.conclusionChanged()).isFalse();
    assertThat(folded.probe().isConfirmed()).isFalse();
    assertThat(folded.probe().last().outcome()).isEqualTo(ProbeOutcome.CONNECTION_REFUSED);
    assertThat(folded.probe().consecutiveFailures()).isEqualTo(1);
  }

  @Test
  void threeConsecutiveFailuresConfirmTheFault() {
    List<Step> steps = run(refused(), refused(), refused());

    assertThat(steps).extracting(Step::changed).containsExactly(false, false, true);
    TrackedProbe probe = steps.get(2).probe();
    assertThat(probe.confirmedFailure()).isTrue();
    assertThat(probe.confirmed().outcome()).isEqualTo(ProbeOutcome.CONNECTION_REFUSED);
  }

  @Test
  void aSuccessInBetweenRestartsTheCount() {
    List<Step> steps = run(refused(), refused(), status(200), refused(), refused());

    assertThat(steps).extracting(Step::changed).containsOnly(false);
    assertThat(steps.get(4).probe().consecutiveFailures()).isEqualTo(2);
  }

  @Test
  void twoSuccessesConfirmHealth() {
    List<Step> steps = run(status(200), status(200), status(204));

    assertThat(steps).extracting(Step::changed).containsExactly(false, true, false);
    assertThat(steps.get(2).probe().confirmedSuccess()).isTrue();
    assertThat(steps.get(2).probe().confirmed().statusCode()).isEqualTo(204);
  }

  @Test
  void confirmedFaultClearsOnlyAfterTwoSuccesses() {
    List<Step> steps = run(refused(), refused(), refused(), status(200), status(200));

    assertThat(steps).extracting(Step::changed).containsExactly(false, false, true, false, true);
    assertThat(steps.get(3).probe().confirmedFailure()).isTrue();
    assertThat(steps.get(4).probe().confirmedSuccess()).isTrue();
  }

  /** A new kind of failure counts as the first did: once seen failureThreshold times in a row. */
  @Test
  void aConfirmedFailureTakesAnotherKindOnlyOnceItRepeatsThreeTimes() {
    List<Step> steps = run(status(504), status(504), status(504), status(502), status(502), status(502), status(503),
        status(503), status(503, true), status(503, true), status(503, true), refused(), refused(), refused());

    assertThat(steps).extracting(Step::changed)
        .containsExactly(false, false, true, false, false, true, false, false, false, false, true, false, false, true);
    assertThat(steps.get(4).probe().confirmed().statusCode()).isEqualTo(504);
    assertThat(steps.get(5).probe().confirmed().statusCode()).isEqualTo(502);
    assertThat(steps.get(9).probe().confirmed().summary()).isEqualTo("HTTP 502");
    assertThat(steps.get(10).probe().confirmed().summary()).isEqualTo("HTTP 503 with Retry-After");
    assertThat(steps.get(12).probe().confirmed().summary()).as("an answer, then refusals").isEqualTo("HTTP 503 with Retry-After");
    assertThat(steps.get(13).probe().confirmed().outcome()).isEqualTo(ProbeOutcome.CONNECTION_REFUSED);
  }

  /**
   * An overloaded origin answering 502, 503 and 504 in turn: its visitors get errors all along,
   * and the Site's reason (and fault class) must not change at each probe.
   */
  @Test
  void failuresOfMixedKindsKeepTheConfirmedOne() {
    List<Step> steps = run(status(502), status(504), status(502), status(503), status(502), status(504),
        status(503), status(503), status(502), status(504), status(504), status(502));

    assertThat(steps).extracting(Step::changed)
        .containsExactly(false, false, true, false, false, false, false, false, false, false, false, false);
    assertThat(steps.subList(2, steps.size())).allSatisfy(step -> {
      assertThat(step.probe().confirmedFailure()).isTrue();
      assertThat(step.probe().confirmed().statusCode()).isEqualTo(502);
    });
    assertThat(steps.get(11).probe().consecutiveFailures()).isEqualTo(12);
  }

  /**
   * A confirmed TLS failure, then the origin answers again, with an overloaded app's mix of
   * errors: the answer is taken at once (no TLS failure shown for as long as the mix lasts), and
   * the mix then keeps it.
   */
  @Test
  void anOriginAnsweringAgainAfterFailingWithoutAnAnswerIsTakenAtOnce() {
    ProbeResult tls = new ProbeResult(TARGET, ProbeOutcome.TLS_FAILED, 0, false, Duration.ofMillis(5), "no cipher",
        Instant.parse("2025-01-01T00:00:00Z"));
    List<Step> steps = run(tls, tls, tls, status(502), status(504), status(503), status(502));

    assertThat(steps).extracting(Step::changed).containsExactly(false, false, true, true, false, false, false);
    assertThat(steps.get(6).probe().confirmed().statusCode()).isEqualTo(502);
  }

  /** Successes in between end a run of one kind: its count starts again. */
  @Test
  void aSuccessEndsARunOfOneKind() {
    List<Step> steps = run(status(504), status(504), status(504), status(502), status(502), status(200), status(502));

    assertThat(steps).extracting(Step::changed).containsExactly(false, false, true, false, false, false, false);
    assertThat(steps.get(6).probe().confirmed().statusCode()).isEqualTo(504);
    assertThat(steps.get(6).probe().failuresOfLastKind()).isEqualTo(1);
  }

  @Test
  void latencyAndDetailAloneAreNoChange() {
    List<Step> steps = run(refused(), refused(), refused(), refusedAfter(Duration.ofMillis(900), "other words"));

    assertThat(steps.get(3).changed()).isFalse();
    assertThat(steps.get(3).probe().confirmed().latency()).isEqualTo(Duration.ofMillis(900));
  }

  @Test
  void unexpectedStatusCountsAsFailure() {
    List<Step> steps = run(status(404), status(404), status(404));

    assertThat(steps.get(2).probe().confirmedFailure()).isTrue();
  }

  private record Step(TrackedProbe probe, boolean changed) {}

  @Test
  void aPolicyRefusalStandsFromTheFirstProbe() {
    ProbeResult notProbed = new ProbeResult(TARGET, ProbeOutcome.NOT_PROBED, 0, false, Duration.ZERO,
        "not probed: 203.0.113.7 is outside --probe-allow-cidrs (10.0.0.0/8)", Instant.now());

    List<Step> steps = run(notProbed);

    assertThat(steps).extracting(Step::changed).containsExactly(true);
    assertThat(steps.get(0).probe().confirmedFailure()).isTrue();
  }

  /** The cluster's DNS down: no evidence, however long it lasts. */
  @Test
  void lookupsThatGetNoAnswerNeverConfirmAFault() {
    List<Step> steps = run(lookupFailed(), lookupFailed(), lookupFailed(), lookupFailed());

    assertThat(steps).extracting(Step::changed).containsOnly(false);
    assertThat(steps.get(3).probe()).isEqualTo(ProbeTracker.untried(TARGET));
  }

  @Test
  void lookupsThatGetNoAnswerLeaveAConfirmedSuccessStanding() {
    List<Step> steps = run(status(200), status(200), lookupFailed(), lookupFailed(), lookupFailed(), lookupFailed());

    assertThat(steps).extracting(Step::changed).containsExactly(false, true, false, false, false, false);
    TrackedProbe probe = steps.get(5).probe();
    assertThat(probe.confirmedSuccess()).isTrue();
    assertThat(probe.consecutiveFailures()).isZero();
    assertThat(probe.last().outcome()).as("the last evidence").isEqualTo(ProbeOutcome.RESPONDED);
  }

  @Test
  void lookupsThatGetNoAnswerLeaveAConfirmedFaultStanding() {
    ProbeResult noSuchName = new ProbeResult(TARGET, ProbeOutcome.UNREACHABLE, 0, false, Duration.ofMillis(2),
        "name lb.shop.example does not resolve", Instant.now());
    List<Step> steps = run(noSuchName, noSuchName, noSuchName, lookupFailed(), lookupFailed(), lookupFailed());

    assertThat(steps).extracting(Step::changed).containsExactly(false, false, true, false, false, false);
    assertThat(steps.get(5).probe().confirmedFailure()).isTrue();
    assertThat(steps.get(5).probe().confirmed()).isEqualTo(noSuchName);
  }

  @Test
  void lookupsThatGetNoAnswerNeitherCountNorBreakARun() {
    List<Step> failing = run(refused(), refused(), lookupFailed(), refused());
    List<Step> recovering = run(refused(), refused(), refused(), status(200), lookupFailed(), status(200));

    assertThat(failing).extracting(Step::changed).containsExactly(false, false, false, true);
    assertThat(recovering).extracting(Step::changed).containsExactly(false, false, true, false, false, true);
  }

  @Test
  void theSameCertificateADayNearerItsExpiryIsNewsOnceADayNotPerProbe() {
    Instant notAfter = Instant.parse("2025-01-20T12:00:00Z");
    Instant renewed = Instant.parse("2025-04-01T00:00:00Z");
    List<Step> steps = run(withCertificate("2025-01-01T08:00:00Z", notAfter), withCertificate("2025-01-01T09:00:00Z", notAfter),
        withCertificate("2025-01-01T10:00:00Z", notAfter), withCertificate("2025-01-01T13:00:00Z", notAfter),
        withCertificate("2025-01-01T14:00:00Z", notAfter), withCertificate("2025-01-01T14:30:00Z", renewed),
        withCertificate("2025-01-01T15:00:00Z", renewed));

    // confirmed at the 2nd success; 19 days left until 12:00, 18 after; a renewal is news once the
    // old certificate has not been seen for an hour
    assertThat(steps).extracting(Step::changed).containsExactly(false, true, false, true, false, false, true);
    assertThat(steps.get(5).probe().confirmed().trace().certificate().notAfter()).isEqualTo(notAfter);
    assertThat(steps.get(6).probe().confirmed().trace().certificate().notAfter()).isEqualTo(renewed);
  }

  /**
   * A certificate renewed while the origin fails for another reason (answering 500 all along) is
   * news once the old one is gone: the expiry it shows, and the metric of it, follow the new one.
   */
  @Test
  void aCertificateRenewedDuringAnotherFaultIsNewsAndTheSameOneIsNot() {
    Instant old = Instant.parse("2025-01-20T12:00:00Z");
    Instant renewed = Instant.parse("2025-04-01T00:00:00Z");
    List<Step> steps = run(withCertificate("2025-01-01T08:00:00Z", old, 500),
        withCertificate("2025-01-01T08:01:00Z", old, 500), withCertificate("2025-01-01T08:02:00Z", old, 500),
        withCertificate("2025-01-01T08:03:00Z", old, 500), withCertificate("2025-01-01T08:04:00Z", renewed, 500),
        withCertificate("2025-01-01T09:03:00Z", renewed, 500), withCertificate("2025-01-01T09:04:00Z", renewed, 500));

    assertThat(steps).extracting(Step::changed).containsExactly(false, false, true, false, false, true, false);
    assertThat(steps.get(4).probe().confirmed().trace().certificate().notAfter()).isEqualTo(old);
    assertThat(steps.get(5).probe().confirmed().trace().certificate().notAfter()).isEqualTo(renewed);
  }

  /**
   * Two replicas behind one address presenting different certificates, met in turn: the one that
   * expires sooner is counted throughout, and the Site's conclusion changes once, not per probe.
   */
  @Test
  void replicasPresentingTwoCertificatesChangeNothingAfterTheFirstConclusion() {
    Instant sooner = Instant.parse("2025-01-20T12:00:00Z");
    Instant later = Instant.parse("2025-04-01T00:00:00Z");
    List<ProbeResult> results = new java.util.ArrayList<>();
    Instant at = Instant.parse("2025-01-01T08:00:00Z");
    for (int i = 0; i < 240; i++) { // two hours at 30 s, the later one four times in five
      results.add(withCertificate(at.toString(), i < 2 || i % 5 == 0 ? sooner : later));
      at = at.plusSeconds(30);
    }
    List<Step> steps = run(results.toArray(ProbeResult[]::new));

    assertThat(steps.stream().filter(Step::changed).count()).as("conclusions changed").isEqualTo(1);
    assertThat(steps).allSatisfy(step -> {
      if (step.probe().isConfirmed()) {
        assertThat(step.probe().confirmed().trace().certificate().notAfter()).isEqualTo(sooner);
      }
    });
  }

  /**
   * One replica still presents the old certificate after it expired: its probes fail (526) between
   * the others' successes, never three in a row. The expired one stays counted while probes meet
   * it, failing or not, and gives way an hour after the replica is fixed.
   */
  @Test
  void aSoonerCertificateMetOnlyByFailingProbesStaysCountedUntilItIsGone() {
    Instant expired = Instant.parse("2025-01-01T08:00:45Z");
    Instant renewed = Instant.parse("2025-04-01T00:00:00Z");
    List<ProbeResult> results = new java.util.ArrayList<>();
    Instant at = Instant.parse("2025-01-01T08:00:00Z");
    results.add(withCertificate(at.toString(), expired));
    results.add(withCertificate(at.plusSeconds(30).toString(), expired));
    at = at.plusSeconds(60);
    for (int i = 0; i < 240; i++) { // two hours: the stale replica met every third probe
      results.add(i % 3 == 0 ? invalidCertificate(at, expired) : withCertificate(at.toString(), renewed));
      at = at.plusSeconds(30);
    }
    int lastMet = results.size() - 1;
    while (!results.get(lastMet).trace().certificate().notAfter().equals(expired)) {
      lastMet--;
    }
    for (int i = 0; i < 130; i++) { // then only the renewed one, for over an hour
      results.add(withCertificate(at.toString(), renewed));
      at = at.plusSeconds(30);
    }
    List<Step> steps = run(results.toArray(ProbeResult[]::new));

    int anHourAfter = lastMet + 120;
    for (int i = 1; i < anHourAfter; i++) {
      assertThat(steps.get(i).probe().confirmed().trace().certificate().notAfter()).as("counted at probe %d", i)
          .isEqualTo(expired);
    }
    assertThat(steps.get(anHourAfter).probe().confirmed().trace().certificate().notAfter()).isEqualTo(renewed);
    // confirmed; its certificate past its expiry (days left 0, then -1); the renewal
    assertThat(steps.stream().filter(Step::changed).count()).as("conclusions changed").isEqualTo(3);
    assertThat(steps.get(anHourAfter).changed()).isTrue();
  }

  @Test
  void aSoonerCertificateIsHeldForTwelveIntervalsWhereThoseAreLongerThanAnHour() {
    ProbeTracker everyTenMinutes = ProbeTracker.of(
        new ProbePlan(List.of(TARGET), Duration.ofMinutes(10), 3, 2, StatusRanges.DEFAULT));
    Instant sooner = Instant.parse("2025-01-20T12:00:00Z");
    Instant later = Instant.parse("2025-04-01T00:00:00Z");
    List<Step> steps = run(everyTenMinutes, withCertificate("2025-01-01T08:00:00Z", sooner),
        withCertificate("2025-01-01T08:10:00Z", sooner), withCertificate("2025-01-01T09:50:00Z", later),
        withCertificate("2025-01-01T10:10:00Z", later));

    assertThat(steps).extracting(Step::changed).containsExactly(false, true, false, true);
    assertThat(steps.get(2).probe().confirmed().trace().certificate().notAfter()).isEqualTo(sooner);
  }

  @Test
  void whileASoonerCertificateIsCountedTheRestOfTheResultIsTheLatest() {
    Instant sooner = Instant.parse("2025-01-20T12:00:00Z");
    Instant later = Instant.parse("2025-04-01T00:00:00Z");
    List<Step> steps = run(withCertificate("2025-01-01T08:00:00Z", sooner),
        withCertificate("2025-01-01T08:00:30Z", sooner), withCertificate("2025-01-01T08:01:00Z", later));

    ProbeResult counted = steps.get(2).probe().confirmed();
    assertThat(counted.finishedAt()).isEqualTo(Instant.parse("2025-01-01T08:01:00Z"));
    assertThat(counted.trace().certificate().notAfter()).isEqualTo(sooner);
    assertThat(steps.get(2).changed()).isFalse();
  }

  @Test
  void aCertificateHeldOnlyForTheOrigin() {
    ProbeTarget gateway = new ProbeTarget(ProbeLayer.GATEWAY, "203.0.113.7", 443, Scheme.HTTPS, "shop.example.com",
        "/", Duration.ofSeconds(5), "");
    Instant sooner = Instant.parse("2025-01-20T12:00:00Z");
    Instant later = Instant.parse("2025-04-01T00:00:00Z");
    TrackedProbe probe = ProbeTracker.untried(gateway);
    for (ProbeResult r : List.of(withCertificate("2025-01-01T08:00:00Z", sooner),
        withCertificate("2025-01-01T08:00:30Z", sooner), withCertificate("2025-01-01T08:01:00Z", later))) {
      probe = tracker.fold(probe, new ProbeResult(gateway, r.outcome(), r.statusCode(), r.retryAfter(), r.latency(),
          r.detail(), r.finishedAt(), r.trace())).probe();
    }
    assertThat(probe.confirmed().trace().certificate().notAfter()).isEqualTo(later);
  }

  @Test
  void aCertificateThatExpiresSoonerThanTheOneCountedIsNewsAtOnce() {
    Instant counted = Instant.parse("2025-04-01T00:00:00Z");
    Instant sooner = Instant.parse("2025-01-20T12:00:00Z");
    List<Step> steps = run(withCertificate("2025-01-01T08:00:00Z", counted),
        withCertificate("2025-01-01T08:00:30Z", counted), withCertificate("2025-01-01T08:01:00Z", sooner));

    assertThat(steps).extracting(Step::changed).containsExactly(false, true, true);
    assertThat(steps.get(2).probe().confirmed().trace().certificate().notAfter()).isEqualTo(sooner);
  }

  @Test
  void aLaterCertificateWithAnotherAnswerIsTakenAsItComes() {
    Instant old = Instant.parse("2025-01-20T12:00:00Z");
    Instant other = Instant.parse("2025-04-01T00:00:00Z");
    List<Step> steps = run(withCertificate("2025-01-01T08:00:00Z", old, 200),
        withCertificate("2025-01-01T08:00:30Z", old, 200), withCertificate("2025-01-01T08:01:00Z", other, 204));

    assertThat(steps.get(2).probe().confirmed().statusCode()).isEqualTo(204);
    assertThat(steps.get(2).probe().confirmed().trace().certificate().notAfter()).isEqualTo(other);
  }

  @Test
  void aLaterCertificateIsNotHeldBackWhenTheOriginStopsAnsweringTheSameWay() {
    Instant old = Instant.parse("2025-01-20T12:00:00Z");
    Instant renewed = Instant.parse("2025-04-01T00:00:00Z");
    List<Step> steps = run(withCertificate("2025-01-01T08:00:00Z", old, 500),
        withCertificate("2025-01-01T08:00:30Z", old, 500), withCertificate("2025-01-01T08:01:00Z", old, 500),
        withCertificate("2025-01-01T08:01:30Z", renewed, 200), withCertificate("2025-01-01T08:02:00Z", renewed, 200));

    // the recovery is taken as it comes, with the certificate it came with
    assertThat(steps).extracting(Step::changed).containsExactly(false, false, true, false, true);
    assertThat(steps.get(4).probe().confirmedSuccess()).isTrue();
    assertThat(steps.get(4).probe().confirmed().trace().certificate().notAfter()).isEqualTo(renewed);
  }

  private static ProbeResult withCertificate(String at, Instant notAfter) {
    return withCertificate(at, notAfter, 200);
  }

  private static ProbeResult withCertificate(String at, Instant notAfter, int status) {
    return new ProbeResult(TARGET, ProbeOutcome.RESPONDED, status, false, Duration.ofMillis(3), "", Instant.parse(at),
        new ProbeTrace(Duration.ZERO, Duration.ofMillis(1), Duration.ofMillis(1), Duration.ofMillis(1), "203.0.113.7:443",
            new ProbeTrace.PresentedCertificate("CN=shop.example.com", "CN=CA", notAfter.minus(Duration.ofDays(90)),
                notAfter), ProbeTrace.AnswerSource.NOT_APPLICABLE, 0));
  }

  private List<Step> run(ProbeResult... results) {
    return run(tracker, results);
  }

  private static ProbeResult invalidCertificate(Instant at, Instant notAfter) {
    ProbeResult presented = withCertificate(at.toString(), notAfter);
    return new ProbeResult(TARGET, ProbeOutcome.CERTIFICATE_INVALID, 0, false, presented.latency(),
        "the certificate expired", at, presented.trace());
  }

  private static List<Step> run(ProbeTracker tracker, ProbeResult... results) {
    TrackedProbe probe = ProbeTracker.untried(TARGET);
    List<Step> steps = new java.util.ArrayList<>();
    for (ProbeResult result : results) {
      ProbeTracker.Folded folded = tracker.fold(probe, result);
      probe = folded.probe();
      steps.add(new Step(probe, folded.conclusionChanged()));
    }
    return steps;
  }

  private static ProbeResult refused() {
    return refusedAfter(Duration.ofMillis(1), "connection refused by 203.0.113.7:443");
  }

  private static ProbeResult refusedAfter(Duration latency, String detail) {
    return new ProbeResult(TARGET, ProbeOutcome.CONNECTION_REFUSED, 0, false, latency, detail, Instant.now());
  }

  private static ProbeResult lookupFailed() {
    return new ProbeResult(TARGET, ProbeOutcome.NAME_LOOKUP_FAILED, 0, false, Duration.ofSeconds(5),
        "looking up lb.shop.example failed: Temporary failure in name resolution", Instant.now());
  }

  private static ProbeResult status(int code) {
    return status(code, false);
  }

  private static ProbeResult status(int code, boolean retryAfter) {
    return new ProbeResult(TARGET, ProbeOutcome.RESPONDED, code, retryAfter, Duration.ofMillis(3), "", Instant.now());
  }
}
