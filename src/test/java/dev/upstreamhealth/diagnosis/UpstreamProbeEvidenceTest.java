package dev.upstreamhealth.diagnosis;

import static dev.upstreamhealth.diagnosis.SiteWorld.http;
import static dev.upstreamhealth.diagnosis.SiteWorld.origin;
import static dev.upstreamhealth.diagnosis.SiteWorld.outcome;
import static dev.upstreamhealth.diagnosis.SiteWorld.upstream;
import static org.assertj.core.api.Assertions.assertThat;

import dev.upstreamhealth.api.ConditionStatus;
import dev.upstreamhealth.api.ConditionType;
import dev.upstreamhealth.api.Fault;
import dev.upstreamhealth.probe.ProbeLayer;
import dev.upstreamhealth.probe.ProbeOutcome;
import dev.upstreamhealth.probe.ProbeResult;
import dev.upstreamhealth.probe.ProbeTarget;
import dev.upstreamhealth.probe.ProbeTracker;
import dev.upstreamhealth.probe.TrackedProbe;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/** The first endpoint to answer does not speak for the others. */
class UpstreamProbeEvidenceTest {
  @Test
  void oneRefusingEndpointWhileTheOtherIsUnprobedIsNoFaultYet() {
    TrackedProbe refusing = upstream("10.0.0.11", outcome(ProbeOutcome.CONNECTION_REFUSED));
    TrackedProbe other = upstream("10.0.0.12", http(200));
    TrackedProbe notYetProbed = new TrackedProbe(other.target(), null, null, false, 0, 0, null, 0);
    Verdict verdict = Diagnosis.diagnose(SiteWorld.healthy()
        .probes(origin(http(502)), refusing, notYetProbed).snapshot());
    assertThat(verdict.condition(ConditionType.BAD_GATEWAY).reason()).isEqualTo("GatewayReturned502");
    assertThat(verdict.condition(ConditionType.DEGRADED).isTrue()).isFalse();
  }

  /**
   * The app's NetworkPolicy admits only the ingress controller's namespace: the operator's connects
   * to the endpoints time out while the gateway's get through, and its 502 (a gateway answers a
   * connect that times out with 504 or 503, never 502) is some other answer the endpoints give it.
   * The timeouts are no cause of it; a 504 they are.
   */
  @Test
  void endpointsTheProbeCannotReachExplainNo502OfTheGateway() {
    Verdict verdict = Diagnosis.diagnose(SiteWorld.healthy().probes(origin(http(502)),
        upstream("10.0.0.11", outcome(ProbeOutcome.CONNECT_TIMEOUT)),
        upstream("10.0.0.12", outcome(ProbeOutcome.CONNECT_TIMEOUT))).snapshot());

    assertThat(verdict.condition(ConditionType.BAD_GATEWAY).reason()).isEqualTo("GatewayReturned502");
    assertThat(verdict.message()).doesNotContain("send no response in time");

    Verdict gatewayTimedOut = Diagnosis.diagnose(SiteWorld.healthy().probes(origin(http(504)),
        upstream("10.0.0.11", outcome(ProbeOutcome.CONNECT_TIMEOUT)),
        upstream("10.0.0.12", outcome(ProbeOutcome.CONNECT_TIMEOUT))).snapshot());
    assertThat(gatewayTimedOut.condition(ConditionType.BAD_GATEWAY).reason()).isEqualTo("UpstreamTimeout");
  }

  /**
   * Istio in STRICT mode: each pod's sidecar takes mutual TLS only and resets the probe's plain
   * connection, while the gateway, in the mesh, gets the page from these very pods.
   */
  @ParameterizedTest(name = "{0}")
  @EnumSource(value = ProbeOutcome.class, names = {"CONNECTION_CLOSED", "MALFORMED_RESPONSE", "TLS_FAILED"})
  void endpointsThatTakeTheConnectionButSpeakNoPlainHttpWhileTheOriginServesAreNotDegraded(ProbeOutcome outcome) {
    Verdict verdict = Diagnosis.diagnose(SiteWorld.healthy().probes(origin(http(200)),
        upstream("10.0.0.11", outcome(outcome)), upstream("10.0.0.12", outcome(outcome))).snapshot());

    assertThat(verdict.fault()).isEqualTo(Fault.NONE);
    assertThat(verdict.condition(ConditionType.DEGRADED).isTrue()).as(verdict.message()).isFalse();
  }

  /**
   * A route with two Services, / to shop-web and /api to shop-api: every shop-api endpoint
   * resetting while / serves is shop-api's failure, since the origin's page comes from shop-web.
   */
  @Test
  void anotherServiceWhoseEveryEndpointResetsWhileTheOriginServesIsDegraded() {
    Verdict verdict = Diagnosis.diagnose(SiteWorld.healthy().probes(origin(http(200)),
        upstream("10.0.0.11", http(200)), upstream("10.0.0.12", http(200)),
        apiEndpoint("10.0.1.11", outcome(ProbeOutcome.CONNECTION_CLOSED)),
        apiEndpoint("10.0.1.12", outcome(ProbeOutcome.CONNECTION_CLOSED))).snapshot());

    assertThat(verdict.condition(ConditionType.DEGRADED).reason()).isEqualTo("PartialUpstreamFailure");
    assertThat(verdict.condition(ConditionType.DEGRADED).message()).contains("Service web/shop-api");
  }

  /** Istio STRICT with two Services: every endpoint of both resets the plain probe, and the gateway serves. */
  @Test
  void everyEndpointOfEveryServiceResettingWhileTheOriginServesIsNotDegraded() {
    Verdict verdict = Diagnosis.diagnose(SiteWorld.healthy().probes(origin(http(200)),
        upstream("10.0.0.11", outcome(ProbeOutcome.CONNECTION_CLOSED)),
        upstream("10.0.0.12", outcome(ProbeOutcome.CONNECTION_CLOSED)),
        apiEndpoint("10.0.1.11", outcome(ProbeOutcome.CONNECTION_CLOSED))).snapshot());

    assertThat(verdict.condition(ConditionType.DEGRADED).isTrue()).as(verdict.message()).isFalse();
  }

  /** One endpoint resetting beside one that serves is that endpoint's failure, whatever the origin does. */
  @Test
  void oneEndpointResettingBesideOneThatServesIsStillDegraded() {
    Verdict verdict = Diagnosis.diagnose(SiteWorld.healthy().probes(origin(http(200)),
        upstream("10.0.0.11", outcome(ProbeOutcome.CONNECTION_CLOSED)), upstream("10.0.0.12", http(200))).snapshot());

    assertThat(verdict.condition(ConditionType.DEGRADED).reason()).isEqualTo("PartialUpstreamFailure");
  }

  /** Endpoints that time out while the origin serves: the connection made says nothing against a hung app. */
  @Test
  void endpointsThatHangWhileTheOriginServesAreStillDegraded() {
    Verdict verdict = Diagnosis.diagnose(SiteWorld.healthy().probes(origin(http(200)),
        upstream("10.0.0.11", outcome(ProbeOutcome.RESPONSE_TIMEOUT)),
        upstream("10.0.0.12", outcome(ProbeOutcome.RESPONSE_TIMEOUT))).snapshot());

    assertThat(verdict.condition(ConditionType.DEGRADED).reason()).isEqualTo("PartialUpstreamFailure");
  }

  @Test
  void onceBothHaveConcludedAndBothRefuseItIsUpstreamNotListening() {
    Verdict verdict = Diagnosis.diagnose(SiteWorld.healthy().probes(origin(http(502)),
        upstream("10.0.0.11", outcome(ProbeOutcome.CONNECTION_REFUSED)),
        upstream("10.0.0.12", outcome(ProbeOutcome.CONNECTION_REFUSED))).snapshot());
    assertThat(verdict.reason()).isEqualTo("UpstreamNotListening");
  }

  /**
   * The app stops listening: the origin's 502 has counted, each endpoint's probe (on a phase of
   * its own) has refused once. The cause is named now rather than after a GatewayReturned502.
   */
  @Test
  void anOriginFailureThatCountsIsExplainedByWhatEveryEndpointSawLast() {
    TrackedProbe a = SiteWorld.unconfirmed(upstream("10.0.0.11", http(200)).target(),
        outcome(ProbeOutcome.CONNECTION_REFUSED));
    TrackedProbe b = SiteWorld.unconfirmed(upstream("10.0.0.12", http(200)).target(),
        outcome(ProbeOutcome.CONNECTION_REFUSED));
    Verdict verdict = Diagnosis.diagnose(SiteWorld.healthy().probes(origin(http(502)), a, b).snapshot());
    assertThat(verdict.reason()).isEqualTo("UpstreamNotListening");
    assertThat(verdict.message()).contains("2/2 probed endpoints").contains("refuse the TCP connection");

    TrackedProbe stillServing = upstream("10.0.0.12", http(200));
    Verdict oneServes = Diagnosis.diagnose(SiteWorld.healthy().probes(origin(http(502)), a, stillServing).snapshot());
    assertThat(oneServes.reason()).as("one endpoint's latest probe answered: not every one fails")
        .isEqualTo("GatewayReturned502");

    Verdict originNotCounted = Diagnosis.diagnose(SiteWorld.healthy().probes(origin(http(200)), a, b).snapshot());
    assertThat(originNotCounted.fault()).as("unconfirmed upstream failures alone are no fault").isEqualTo(Fault.NONE);
  }

  /**
   * The app listens again: each endpoint's first success (successThreshold 1) came after the
   * origin's latest 502, and the origin, on its own phase, has not been probed since. The 502
   * still counted was the endpoints' doing: the cause stands until the origin looks again, rather
   * than GatewayReturned502 (a Warning) on the way to Healthy.
   */
  @Test
  void endpointsBackOnlySinceTheOriginsLatest502StillExplainIt() {
    TrackedProbe origin = origin(http(502)); // answered at 2025-01-01T00:00:00Z
    TrackedProbe a = backAt(upstream("10.0.0.11", outcome(ProbeOutcome.CONNECTION_REFUSED)), "2025-01-01T00:00:01Z");
    TrackedProbe b = backAt(upstream("10.0.0.12", outcome(ProbeOutcome.CONNECTION_REFUSED)), "2025-01-01T00:00:02Z");
    Verdict verdict = Diagnosis.diagnose(SiteWorld.healthy().probes(origin, a, b).snapshot());
    assertThat(verdict.reason()).isEqualTo("UpstreamNotListening");
    assertThat(verdict.message()).contains("2/2 probed endpoints").contains("refuse the TCP connection");

    TrackedProbe backBefore = backAt(upstream("10.0.0.12", outcome(ProbeOutcome.CONNECTION_REFUSED)),
        "2024-12-31T23:59:59Z");
    assertThat(Diagnosis.diagnose(SiteWorld.healthy().probes(origin, a, backBefore).snapshot()).reason())
        .as("one endpoint served when the origin last answered 502: not every one was failing")
        .isEqualTo("GatewayReturned502");

    TrackedProbe servingLonger = tracker().fold(b, served(b.target(), "2025-01-01T00:00:32Z")).probe();
    assertThat(Diagnosis.diagnose(SiteWorld.healthy().probes(origin, a, servingLonger).snapshot()).reason())
        .as("an endpoint that has served twice since is no longer the cause").isEqualTo("GatewayReturned502");
  }

  private static ProbeTracker tracker() {
    return new ProbeTracker(3, 1, r -> r.responded() && r.statusCode() < 400);
  }

  private static ProbeResult served(ProbeTarget target, String at) {
    return new ProbeResult(target, ProbeOutcome.RESPONDED, 200, false, Duration.ofMillis(2), null, Instant.parse(at));
  }

  /** A confirmed failure followed by one success at the given time. */
  private static TrackedProbe backAt(TrackedProbe failing, String at) {
    return tracker().fold(failing, served(failing.target(), at)).probe();
  }

  @Test
  void anOriginAnswering503IsWhatTheVisitorGetsWhateverTheUpstreamProbesSay() {
    Verdict verdict = Diagnosis.diagnose(SiteWorld.healthy().probes(origin(http(503)),
        upstream("10.0.0.11", outcome(ProbeOutcome.RESPONSE_TIMEOUT)),
        upstream("10.0.0.12", outcome(ProbeOutcome.RESPONSE_TIMEOUT))).snapshot());
    assertThat(verdict.fault()).isEqualTo(Fault.SERVICE_UNAVAILABLE);
    assertThat(verdict.reason()).isEqualTo("Overloaded");
    assertThat(verdict.condition(ConditionType.BAD_GATEWAY).isTrue()).isFalse();
  }

  @Test
  void endpointsAnsweringWhatTheOriginAnswersAddNoDegraded() {
    // probe.path does not exist: the origin and every endpoint answer 404.
    Verdict verdict = Diagnosis.diagnose(SiteWorld.healthy().probes(origin(http(404)),
        upstream("10.0.0.11", http(404)), upstream("10.0.0.12", http(404))).snapshot());
    assertThat(verdict.reason()).isEqualTo("UnexpectedStatus");
    assertThat(verdict.condition(ConditionType.DEGRADED).isTrue()).isFalse();
  }

  @Test
  void onlyConnectionsNeverMadeAreBlamedOnANetworkPolicy() {
    Verdict accepted = Diagnosis.diagnose(SiteWorld.healthy().probes(origin(http(200)),
        upstream("10.0.0.11", outcome(ProbeOutcome.RESPONSE_TIMEOUT)),
        upstream("10.0.0.12", outcome(ProbeOutcome.RESPONSE_TIMEOUT))).snapshot());
    assertThat(accepted.condition(ConditionType.DEGRADED).reason()).isEqualTo("PartialUpstreamFailure");
    assertThat(accepted.condition(ConditionType.DEGRADED).message()).doesNotContain("NetworkPolicy");

    Verdict neverConnected = Diagnosis.diagnose(SiteWorld.healthy().probes(origin(http(200)),
        upstream("10.0.0.11", outcome(ProbeOutcome.CONNECT_TIMEOUT)),
        upstream("10.0.0.12", outcome(ProbeOutcome.CONNECT_TIMEOUT))).snapshot());
    assertThat(neverConnected.condition(ConditionType.DEGRADED).message()).contains("may be blocked by a NetworkPolicy");
  }

  @Test
  void aRefusedOriginAddressIsReportedAsWhatToFixWithTheRuleThatRefusedIt() {
    Verdict verdict = Diagnosis.diagnose(SiteWorld.healthy().probes(origin(outcome(ProbeOutcome.NOT_PROBED,
        "not probed: 169.254.169.254 is a cloud metadata address (169.254.169.254)"))).snapshot());
    assertThat(verdict.fault()).isEqualTo(Fault.UNKNOWN);
    assertThat(verdict.reason()).isEqualTo("InvalidSpec");
    assertThat(verdict.message()).contains("a cloud metadata address (169.254.169.254)").contains("spec.origin.address");
    assertThat(verdict.condition(ConditionType.READY).status()).isEqualTo(ConditionStatus.FALSE);
  }

  @Test
  void everyEndpointAnsweringAnHttpErrorWhileTheOriginServesIsNoDegraded() {
    Verdict verdict = Diagnosis.diagnose(SiteWorld.healthy().probes(origin(http(200)),
        upstream("10.0.0.11", http(404)), upstream("10.0.0.12", http(404))).snapshot());
    assertThat(verdict.fault()).isEqualTo(Fault.NONE);
    assertThat(verdict.condition(ConditionType.DEGRADED).isTrue())
        .as("the direct probe asks what the gateway does not: no Degraded, no NetworkPolicy hint").isFalse();
  }

  /**
   * An origin locked to its CDN by client certificates turns the probe away: it is up (no fault,
   * the Healthy message says why the page went unseen), and shows nothing of what it serves, so
   * endpoints that all refuse are the 502 they are, not a Degraded beside an origin that serves.
   */
  @Test
  void anOriginDemandingTheCdnsClientCertificateIsUpAndLeavesTheVerdictToTheEndpoints() {
    ProbeResult refused = new ProbeResult(SiteWorld.originTarget(), ProbeOutcome.CLIENT_CERTIFICATE_REQUIRED, 400, false,
        Duration.ofMillis(3), "the server asks for a client certificate ...", Instant.parse("2025-01-01T00:00:00Z"));

    Verdict up = Diagnosis.diagnose(SiteWorld.healthy().probes(origin(refused),
        upstream("10.0.0.11", http(200)), upstream("10.0.0.12", http(200))).snapshot());
    assertThat(up.fault()).isEqualTo(Fault.NONE);
    assertThat(up.message()).contains("asks for a client certificate the probe does not have")
        .doesNotContain("answers 400");

    Verdict down = Diagnosis.diagnose(SiteWorld.healthy().probes(origin(refused),
        upstream("10.0.0.11", outcome(ProbeOutcome.CONNECTION_REFUSED)),
        upstream("10.0.0.12", outcome(ProbeOutcome.CONNECTION_REFUSED))).snapshot());
    assertThat(down.fault()).as("every endpoint refuses: the origin's refusal of the probe hides nothing")
        .isEqualTo(Fault.BAD_GATEWAY);
    assertThat(down.reason()).isEqualTo("UpstreamNotListening");
  }

  @Test
  void everyEndpointTimingOutWhileTheOriginServesStillHintsAtANetworkPolicy() {
    Verdict verdict = Diagnosis.diagnose(SiteWorld.healthy().probes(origin(http(200)),
        upstream("10.0.0.11", outcome(ProbeOutcome.CONNECT_TIMEOUT)),
        upstream("10.0.0.12", outcome(ProbeOutcome.CONNECT_TIMEOUT))).snapshot());
    assertThat(verdict.condition(ConditionType.DEGRADED).reason()).isEqualTo("PartialUpstreamFailure");
    assertThat(verdict.condition(ConditionType.DEGRADED).message()).contains("NetworkPolicy");
  }

  @Test
  void oneEndpointAnsweringAnErrorWhileAnotherServesIsStillDegraded() {
    Verdict verdict = Diagnosis.diagnose(SiteWorld.healthy().probes(origin(http(200)),
        upstream("10.0.0.11", http(500)), upstream("10.0.0.12", http(200))).snapshot());
    assertThat(verdict.condition(ConditionType.DEGRADED).reason()).isEqualTo("PartialUpstreamFailure");
    assertThat(verdict.condition(ConditionType.DEGRADED).message()).contains("1/2").contains("HTTP 500");
  }

  @Test
  void aStateFaultSaysWhichCodeTheOriginLiterallyAnswersAndWhoWroteIt() {
    dev.upstreamhealth.probe.ProbeResult gatewayPage = new dev.upstreamhealth.probe.ProbeResult(SiteWorld.originTarget(),
        ProbeOutcome.RESPONDED, 503, false, java.time.Duration.ofMillis(3), "", java.time.Instant.parse("2025-01-01T00:00:00Z"),
        new dev.upstreamhealth.probe.ProbeTrace(null, null, null, null, "127.0.0.10:80", null,
            dev.upstreamhealth.probe.ProbeTrace.AnswerSource.GATEWAY, 0));
    Verdict verdict = SiteWorld.healthy().backendServiceMissing().probes(origin(gatewayPage)).diagnose();

    assertThat(verdict.reason()).isEqualTo("BackendServiceMissing");
    assertThat(verdict.message()).endsWith("; the origin answers HTTP 503 (the gateway's own error page)");
    assertThat(verdict.condition(ConditionType.BAD_GATEWAY).message()).contains("HTTP 503");
  }
  /**
   * The app declares maintenance (503 with Retry-After), and a gateway that puts its own error page
   * on a 503 (ingress-nginx's custom-http-errors) drops the header: still the maintenance, which
   * pages no one, not Overloaded.
   */
  @Test
  void endpointsDeclaringMaintenanceBehindAnErrorPageWithoutRetryAfterAreMaintenanceMode() {
    Verdict declared = Diagnosis.diagnose(SiteWorld.healthy().probes(origin(http(503)),
        upstream("10.0.0.11", SiteWorld.httpRetryAfter(503)), upstream("10.0.0.12", SiteWorld.httpRetryAfter(503)))
        .snapshot());
    assertThat(declared.reason()).isEqualTo("MaintenanceMode");
    assertThat(declared.message()).contains("every probed endpoint answers 503 with Retry-After");

    Verdict busy = Diagnosis.diagnose(SiteWorld.healthy().probes(origin(http(503)),
        upstream("10.0.0.11", SiteWorld.httpRetryAfter(503)), upstream("10.0.0.12", http(503))).snapshot());
    assertThat(busy.reason()).as("one endpoint says no such thing").isEqualTo("Overloaded");
  }

  /** An endpoint of a second upstream Service of the Site, web/shop-api (the route's /api). */
  private static TrackedProbe apiEndpoint(String ip, ProbeResult result) {
    return SiteWorld.tracked(SiteWorld.target(ProbeLayer.UPSTREAM, ip, 8080, "web/shop-api"), result);
  }
}
