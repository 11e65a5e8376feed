package dev.upstreamhealth.diagnosis;

import static dev.upstreamhealth.diagnosis.SiteWorld.origin;
import static dev.upstreamhealth.diagnosis.SiteWorld.originTarget;
import static dev.upstreamhealth.diagnosis.SiteWorld.outcome;
import static dev.upstreamhealth.diagnosis.SiteWorld.redirectLoop;
import static dev.upstreamhealth.diagnosis.SiteWorld.upstream;
import static org.assertj.core.api.Assertions.assertThat;

import dev.upstreamhealth.api.ConditionType;
import dev.upstreamhealth.api.Fault;
import dev.upstreamhealth.probe.ProbeOutcome;
import dev.upstreamhealth.probe.ProbePlan;
import dev.upstreamhealth.probe.ProbeTracker;
import dev.upstreamhealth.probe.TrackedProbe;
import dev.upstreamhealth.probe.ForbiddenReading;
import dev.upstreamhealth.probe.OriginReading;
import dev.upstreamhealth.probe.StatusRanges;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An origin that redirects its http address to itself over https: behind a CDN fetching over
 * http every visitor loops (ERR_TOO_MANY_REDIRECTS), whatever the 3xx says of health.
 */
class HttpsRedirectLoopTest {
  @Test
  void aConfirmedLoopIsOtherAndSaysWhatVisitorsMeetAndHowToStopIt() {
    Verdict v = Diagnosis.diagnose(SiteWorld.healthy().fetchedOverHttp()
        .probes(origin(redirectLoop(308, "https://shop.example.com/"))).snapshot());

    assertThat(v.fault()).isEqualTo(Fault.OTHER);
    assertThat(v.reason()).isEqualTo("UnexpectedStatus");
    assertThat(v.message()).isEqualTo("origin http://127.0.0.10:80/ (Host shop.example.com) answers 308 to"
        + " https://shop.example.com/, the same address over https: a CDN that fetches the origin over http"
        + " (Cloudflare's Flexible mode) sends its visitors back to it without end (ERR_TOO_MANY_REDIRECTS);"
        + " fetch and probe the origin over https (the CDN's SSL mode Full (strict), spec.origin.scheme https),"
        + " or stop the redirect (ingress-nginx: annotation nginx.ingress.kubernetes.io/ssl-redirect \"false\""
        + " and no force-ssl-redirect; or the app's own)");
  }

  @Test
  void aLoopCountsOnlyAfterFailureThresholdProbesInARow() {
    ProbeTracker tracker = ProbeTracker.of(ProbePlan.none());
    TrackedProbe probe = ProbeTracker.untried(originTarget());
    probe = tracker.fold(tracker.fold(probe, redirectLoop(301, "https://shop.example.com/")).probe(),
        redirectLoop(301, "https://shop.example.com/")).probe();
    Verdict twice = Diagnosis.diagnose(SiteWorld.healthy().fetchedOverHttp().probes(probe).snapshot());
    probe = tracker.fold(probe, redirectLoop(301, "https://shop.example.com/")).probe();
    Verdict thrice = Diagnosis.diagnose(SiteWorld.healthy().fetchedOverHttp().probes(probe).snapshot());

    assertThat(twice.reason()).as("below failureThreshold 3").isEqualTo("AwaitingFirstProbe");
    assertThat(thrice.fault()).isEqualTo(Fault.OTHER);
    assertThat(thrice.reason()).isEqualTo("UnexpectedStatus");
    assertThat(thrice.message()).contains("answers 301 to https://shop.example.com/");
  }

  /** The redirect is made before any upstream is asked: visitors get the loop, not a 502. */
  @Test
  void upstreamsFailingBehindALoopExplainNoBadGateway() {
    Verdict v = Diagnosis.diagnose(SiteWorld.healthy().fetchedOverHttp()
        .probes(origin(redirectLoop(308, "https://shop.example.com/")),
        upstream("10.0.0.11", outcome(ProbeOutcome.CONNECTION_REFUSED)),
        upstream("10.0.0.12", outcome(ProbeOutcome.CONNECTION_REFUSED))).snapshot());

    assertThat(v.fault()).isEqualTo(Fault.OTHER);
    assertThat(v.reason()).isEqualTo("UnexpectedStatus");
    assertThat(v.condition(ConditionType.BAD_GATEWAY).isTrue()).isFalse();
    assertThat(v.condition(ConditionType.DEGRADED).reason()).isEqualTo("PartialUpstreamFailure");
    assertThat(v.condition(ConditionType.DEGRADED).message()).contains("while the origin answers for itself");
  }
  /**
   * Where the Site only derives http from an Ingress without TLS, the CDN may well fetch over
   * https (TLS on another Ingress for the host, or ended at the load balancer): the redirect is an
   * answer, no page, with a message that says what would make it the loop. What the origin serves
   * stays unseen, so endpoints that all refuse are the 502 visitors get over https.
   */
  @Test
  void whereHttpIsOnlyDerivedTheRedirectIsNoFaultAndHidesNothingBehindIt() {
    ProbePlan derived = new ProbePlan(List.of(originTarget()), Duration.ofSeconds(30), 3, 1, StatusRanges.DEFAULT,
        Duration.ZERO, 0, new OriginReading(ForbiddenReading.VISITORS_TOO, false, false, false));
    TrackedProbe redirected = SiteWorld.tracked(derived, originTarget(), redirectLoop(308, "https://shop.example.com/"));

    Verdict healthy = Diagnosis.diagnose(SiteWorld.healthy().probes(redirected,
        upstream("10.0.0.11", SiteWorld.http(200)), upstream("10.0.0.12", SiteWorld.http(200))).snapshot());
    assertThat(healthy.fault()).isEqualTo(Fault.NONE);
    assertThat(healthy.message()).contains("answers 308 to https://shop.example.com/, the same address over https:"
        + " no fault for a CDN that fetches it over https").contains("spec.origin.scheme http says it does");

    Verdict behind = Diagnosis.diagnose(SiteWorld.healthy().probes(redirected,
        upstream("10.0.0.11", outcome(ProbeOutcome.CONNECTION_REFUSED)),
        upstream("10.0.0.12", outcome(ProbeOutcome.CONNECTION_REFUSED))).snapshot());
    assertThat(behind.fault()).isEqualTo(Fault.BAD_GATEWAY);
    assertThat(behind.reason()).isEqualTo("UpstreamNotListening");
  }
  /** A Site that never said the CDN fetches over http, and expects no 3xx: an unexpected status, no loop named. */
  @Test
  void aRedirectOutsideExpectedStatusOnASiteThatDeclaredNoHttpIsNoLoop() {
    ProbePlan derived = new ProbePlan(List.of(originTarget()), Duration.ofSeconds(30), 3, 1, StatusRanges.parse("200"),
        Duration.ZERO, 0, new OriginReading(ForbiddenReading.VISITORS_TOO, false, false, false));
    Verdict v = Diagnosis.diagnose(SiteWorld.healthy().probes(
        SiteWorld.tracked(derived, originTarget(), redirectLoop(308, "https://shop.example.com/"))).snapshot());
    assertThat(v.reason()).isEqualTo("UnexpectedStatus");
    assertThat(v.message()).contains("answers 308 to https://shop.example.com/, outside probe.expectedStatus")
        .doesNotContain("without end");
  }
}
