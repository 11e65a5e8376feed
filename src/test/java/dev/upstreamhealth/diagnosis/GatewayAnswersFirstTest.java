package dev.upstreamhealth.diagnosis;

import static dev.upstreamhealth.diagnosis.SiteWorld.http;
import static dev.upstreamhealth.diagnosis.SiteWorld.outcome;
import static dev.upstreamhealth.diagnosis.SiteWorld.upstream;
import static org.assertj.core.api.Assertions.assertThat;

import dev.upstreamhealth.api.ConditionType;
import dev.upstreamhealth.api.Fault;
import dev.upstreamhealth.probe.ForbiddenReading;
import dev.upstreamhealth.probe.OriginReading;
import dev.upstreamhealth.probe.ProbeOutcome;
import dev.upstreamhealth.probe.ProbePlan;
import dev.upstreamhealth.probe.ProbeResult;
import dev.upstreamhealth.probe.ProbeTrace;
import dev.upstreamhealth.probe.StatusRanges;
import dev.upstreamhealth.probe.TrackedProbe;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What ingress-nginx answers before the app is asked: credentials it asks every visitor for
 * (auth-type, auth-url), a redirect of its own (app-root, auth-signin). The probe then sees no
 * page of the app: no fault of its own, and the probes behind the gateway judge the app in full.
 */
class GatewayAnswersFirstTest {
  private static final String AUTH_URL = "nginx.ingress.kubernetes.io/auth-url";
  private static final String OAUTH2_PROXY = "http://oauth2-proxy.auth.svc.cluster.local/oauth2/auth";
  private static final String ENABLE_GLOBAL_AUTH = "nginx.ingress.kubernetes.io/enable-global-auth";

  /** The Site behind ingress-nginx whose controller ConfigMap sends every request to an auth service first. */
  private static SiteWorld behindGlobalAuth(String url) {
    return SiteWorld.healthy().withGateway().controllerConfigMap(Map.of(IngressNginxConfigMap.GLOBAL_AUTH_URL, url));
  }

  private static ProbeResult origin(int status, ProbeTrace.AnswerSource by) {
    return new ProbeResult(SiteWorld.originTarget(), ProbeOutcome.RESPONDED, status, false, Duration.ofMillis(2), "",
        Instant.parse("2025-01-01T00:00:00Z"), new ProbeTrace(null, null, null, null, "127.0.0.10:80", null, by, 0));
  }

  /** The gateway asks the probe for credentials (401), and the two upstream endpoints answer so. */
  private static Verdict behindTheLogin(SiteWorld world, ProbeOutcome first, ProbeOutcome second) {
    return world.probes(originTracked(world, origin(401, ProbeTrace.AnswerSource.GATEWAY)),
        upstream("10.0.0.11", outcome(first)), upstream("10.0.0.12", outcome(second))).diagnose();
  }

  /** The origin probe tracked under the reading the Site's plan gets (ProbePlanning's rule). */
  private static TrackedProbe originTracked(SiteWorld world, ProbeResult r) {
    ProbePlan plan = new ProbePlan(List.of(SiteWorld.originTarget()), Duration.ofSeconds(30), 3, 1,
        StatusRanges.DEFAULT, Duration.ZERO, 0, new OriginReading(ForbiddenReading.VISITORS_TOO, true,
            GatewayAuthentication.of(world.snapshot()).isPresent(), false));
    return SiteWorld.tracked(plan, SiteWorld.originTarget(), r);
  }

  @Test
  void credentialsTheGatewayAsksEveryVisitorForAreNoFaultAndHideNothing() {
    SiteWorld world = SiteWorld.healthy().ingressAnnotation(AUTH_URL, OAUTH2_PROXY);
    TrackedProbe asked = originTracked(world, origin(401, ProbeTrace.AnswerSource.GATEWAY));

    Verdict healthy = world.probes(asked, upstream("10.0.0.11", http(200)), upstream("10.0.0.12", http(200)))
        .diagnose();
    assertThat(healthy.fault()).isEqualTo(Fault.NONE);
    assertThat(healthy.message()).contains("asks for credentials first (401; annotation " + AUTH_URL
        + " on Ingress web/shop), as it asks every visitor");

    Verdict behind = world.probes(asked, upstream("10.0.0.11", outcome(ProbeOutcome.CONNECTION_REFUSED)),
        upstream("10.0.0.12", outcome(ProbeOutcome.CONNECTION_REFUSED))).diagnose();
    assertThat(behind.fault()).as("every visitor who logs in gets the 502").isEqualTo(Fault.BAD_GATEWAY);
    assertThat(behind.reason()).isEqualTo("UpstreamNotListening");
  }

  @Test
  void a401WithoutAuthOnTheIngressIsStillTheFaultItWas() {
    SiteWorld world = SiteWorld.healthy();
    Verdict v = world.probes(originTracked(world, origin(401, ProbeTrace.AnswerSource.GATEWAY)),
        upstream("10.0.0.11", http(200)), upstream("10.0.0.12", http(200))).diagnose();
    assertThat(v.reason()).isEqualTo("UnexpectedStatus");
  }

  /**
   * ingress-nginx's app-root (or auth-signin) redirects before proxying: a 302 of its own is no
   * sign the app serves, and endpoints that all refuse are the 502 visitors get once they follow it.
   */
  @Test
  void aRedirectTheGatewayWritesItselfLeavesTheVerdictToTheEndpoints() {
    SiteWorld world = SiteWorld.healthy();
    Verdict v = world.probes(originTracked(world, origin(302, ProbeTrace.AnswerSource.GATEWAY)),
        upstream("10.0.0.11", outcome(ProbeOutcome.CONNECTION_REFUSED)),
        upstream("10.0.0.12", outcome(ProbeOutcome.CONNECTION_REFUSED))).diagnose();
    assertThat(v.fault()).isEqualTo(Fault.BAD_GATEWAY);
    assertThat(v.reason()).isEqualTo("UpstreamNotListening");

    Verdict healthy = world.probes(originTracked(world, origin(302, ProbeTrace.AnswerSource.GATEWAY)),
        upstream("10.0.0.11", http(200)), upstream("10.0.0.12", http(200))).diagnose();
    assertThat(healthy.fault()).isEqualTo(Fault.NONE);
    assertThat(healthy.message()).contains("answers 302 with nginx's own page (the gateway's, before the app is asked");
    assertThat(healthy.condition(ConditionType.DEGRADED).isTrue()).isFalse();
  }

  @Test
  void anOrigin500BehindAnAuthServiceSaysToCheckThatServiceFirst() {
    SiteWorld world = SiteWorld.healthy().ingressAnnotation(AUTH_URL, OAUTH2_PROXY);
    Verdict v = world.probes(originTracked(world, origin(500, ProbeTrace.AnswerSource.UPSTREAM)),
        upstream("10.0.0.11", http(200)), upstream("10.0.0.12", http(200))).diagnose();
    assertThat(v.reason()).isEqualTo("UnexpectedStatus");
    assertThat(v.message()).contains("answers HTTP 500").contains("asks the auth service " + OAUTH2_PROXY
        + " (annotation " + AUTH_URL + ") before the app, and nginx answers 500 when that service cannot be reached");

    SiteWorld plain = SiteWorld.healthy();
    assertThat(plain.probes(originTracked(plain, origin(500, ProbeTrace.AnswerSource.UPSTREAM)),
        upstream("10.0.0.11", http(200)), upstream("10.0.0.12", http(200))).diagnose().message())
        .doesNotContain("auth service");
  }
  /**
   * A namespace whose NetworkPolicy admits only the gateway: the operator's probes never connect to
   * the Ready pods. Behind an origin that turned the probe away that is a likelier policy than an
   * app down: Degraded with the hint, no 502 page.
   */
  @Test
  void endpointsNeverConnectingBehindAnOriginThatTurnedTheProbeAwayAreNoPage() {
    SiteWorld world = SiteWorld.healthy().ingressAnnotation(AUTH_URL, OAUTH2_PROXY);
    Verdict v = behindTheLogin(world, ProbeOutcome.CONNECT_TIMEOUT, ProbeOutcome.CONNECT_TIMEOUT);
    assertThat(v.fault()).isEqualTo(Fault.NONE);
    assertThat(v.condition(ConditionType.DEGRADED).reason()).isEqualTo("PartialUpstreamFailure");
    assertThat(v.condition(ConditionType.DEGRADED).message())
        .contains("while the origin turns the probe away (its page unseen)", "may be blocked by a NetworkPolicy");
  }

  /**
   * Istio STRICT behind an allowlist or a login: every pod's sidecar resets the plain probe (or
   * answers bytes that are not HTTP), and the origin shows nothing of the app. The gateway, in the
   * mesh, speaks its mutual TLS: Degraded, no 502.
   */
  @ParameterizedTest(name = "{0}")
  @EnumSource(value = ProbeOutcome.class, names = {"CONNECTION_CLOSED", "MALFORMED_RESPONSE"})
  void meshedEndpointsAllAnsweringInAnotherProtocolBehindAnOriginThatTurnedTheProbeAwayAreNoPage(ProbeOutcome answer) {
    SiteWorld world = SiteWorld.healthy().withGateway().gatewayMeshed().meshed().ingressAnnotation(AUTH_URL, OAUTH2_PROXY);
    Verdict v = behindTheLogin(world, answer, answer);

    assertThat(v.fault()).as(v.message()).isEqualTo(Fault.NONE);
    assertThat(v.condition(ConditionType.BAD_GATEWAY).isTrue()).isFalse();
    assertThat(v.condition(ConditionType.DEGRADED).reason()).isEqualTo("PartialUpstreamFailure");
    assertThat(v.condition(ConditionType.DEGRADED).message())
        .contains("while the origin turns the probe away (its page unseen)", "answers in another protocol",
            "in a mesh that takes its mutual TLS only");
  }

  /** Kuma's and Consul's proxies take only their mesh's mutual TLS too, when the mesh requires it. */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"kuma-sidecar", "consul-dataplane"})
  void endpointsInKumaOrConsulResettingBehindAnOriginThatTurnedTheProbeAwayAreNoPage(String proxy) {
    SiteWorld world = SiteWorld.healthy().withGateway().meshedBy(proxy).ingressAnnotation(AUTH_URL, OAUTH2_PROXY);
    Verdict v = behindTheLogin(world, ProbeOutcome.CONNECTION_CLOSED, ProbeOutcome.CONNECTION_CLOSED);

    assertThat(v.fault()).as(v.message()).isEqualTo(Fault.NONE);
    assertThat(v.condition(ConditionType.DEGRADED).message()).contains("in a mesh that takes its mutual TLS only");
  }

  /** A sidecar of no mesh (a log shipper) beside every pod is no mesh: resets there are the 502 they look like. */
  @Test
  void aSidecarOfNoMeshExcusesNothing() {
    SiteWorld world = SiteWorld.healthy().withGateway().meshedBy("fluent-bit").ingressAnnotation(AUTH_URL, OAUTH2_PROXY);
    Verdict v = behindTheLogin(world, ProbeOutcome.CONNECTION_CLOSED, ProbeOutcome.CONNECTION_CLOSED);

    assertThat(v.fault()).isEqualTo(Fault.BAD_GATEWAY);
  }

  /** Ambient mode: no sidecar, the pods' traffic redirected to ztunnel, which resets plain connections. */
  @Test
  void ambientMeshEndpointsResettingBehindAnOriginThatTurnedTheProbeAwayAreNoPage() {
    SiteWorld world = SiteWorld.healthy().withGateway().ingressAnnotation(AUTH_URL, OAUTH2_PROXY);
    world.pods.forEach(p -> p.getMetadata().setAnnotations(Map.of("ambient.istio.io/redirection", "enabled")));
    world.gateway.pods().forEach(p -> p.getMetadata().setAnnotations(Map.of("ambient.istio.io/redirection", "enabled")));
    Verdict v = behindTheLogin(world, ProbeOutcome.CONNECTION_CLOSED, ProbeOutcome.CONNECTION_CLOSED);

    assertThat(v.fault()).as(v.message()).isEqualTo(Fault.NONE);
    assertThat(v.condition(ConditionType.DEGRADED).message()).contains("in a mesh that takes its mutual TLS only");
  }

  /** No spec.gateway: the gateway's pods unknown, the backends' mesh is what there is to go by. */
  @Test
  void meshedEndpointsWithTheGatewayUnknownAreNoPage() {
    SiteWorld world = SiteWorld.healthy().meshed().ingressAnnotation(AUTH_URL, OAUTH2_PROXY);
    Verdict v = behindTheLogin(world, ProbeOutcome.CONNECTION_CLOSED, ProbeOutcome.CONNECTION_CLOSED);

    assertThat(v.fault()).as(v.message()).isEqualTo(Fault.NONE);
  }

  /** The backends in the mesh, the gateway outside it: the mesh resets the gateway too, and visitors get its 502. */
  @Test
  void meshedEndpointsResettingAGatewayOutsideTheMeshStillPage() {
    SiteWorld world = SiteWorld.healthy().withGateway().meshed().ingressAnnotation(AUTH_URL, OAUTH2_PROXY);
    Verdict v = behindTheLogin(world, ProbeOutcome.CONNECTION_CLOSED, ProbeOutcome.CONNECTION_CLOSED);

    assertThat(v.fault()).isEqualTo(Fault.BAD_GATEWAY);
  }

  /**
   * No mesh: every endpoint answering no HTTP is a Service port speaking another protocol (a
   * targetPort on the database's port, an app switched to TLS only), and visitors who get past
   * the login get the gateway's 502.
   */
  @Test
  void endpointsAnsweringNoHttpWithoutAMeshBehindAnOriginThatTurnedTheProbeAwayStillPage() {
    SiteWorld world = SiteWorld.healthy().ingressAnnotation(AUTH_URL, OAUTH2_PROXY);
    Verdict v = behindTheLogin(world, ProbeOutcome.MALFORMED_RESPONSE, ProbeOutcome.MALFORMED_RESPONSE);

    assertThat(v.fault()).isEqualTo(Fault.BAD_GATEWAY);
    assertThat(v.reason()).isEqualTo("MalformedResponse");
  }

  /** One endpoint resetting while another refuses is no protocol of the gateway's: the 502 stands. */
  @Test
  void endpointsFailingInDifferentWaysBehindAnOriginThatTurnedTheProbeAwayStillPage() {
    SiteWorld world = SiteWorld.healthy().ingressAnnotation(AUTH_URL, OAUTH2_PROXY);
    Verdict v = behindTheLogin(world, ProbeOutcome.CONNECTION_CLOSED, ProbeOutcome.CONNECTION_REFUSED);

    assertThat(v.fault()).isEqualTo(Fault.BAD_GATEWAY);
  }

  // ---------------------------------------------------------------- the controller's global auth

  /**
   * ingress-nginx's ConfigMap key global-auth-url asks that service for every Ingress of the
   * controller: the probe's 401 is the question every visitor gets first, not a fault (it was read
   * as UnexpectedStatus and paged).
   */
  @Test
  void credentialsTheControllersGlobalAuthAsksEveryVisitorForAreNoFaultAndHideNothing() {
    SiteWorld world = behindGlobalAuth(OAUTH2_PROXY);
    TrackedProbe asked = originTracked(world, origin(401, ProbeTrace.AnswerSource.GATEWAY));

    Verdict healthy = world.probes(asked, upstream("10.0.0.11", http(200)), upstream("10.0.0.12", http(200)))
        .diagnose();
    assertThat(healthy.fault()).isEqualTo(Fault.NONE);
    assertThat(healthy.reason()).isEqualTo("Healthy");
    assertThat(healthy.message()).contains("asks for credentials first (401; global-auth-url of ConfigMap"
        + " ingress-nginx/ingress-nginx-controller, for every Ingress of the controller), as it asks every visitor");

    Verdict behind = world.probes(asked, upstream("10.0.0.11", outcome(ProbeOutcome.CONNECTION_REFUSED)),
        upstream("10.0.0.12", outcome(ProbeOutcome.CONNECTION_REFUSED))).diagnose();
    assertThat(behind.fault()).as("every visitor who logs in gets the 502").isEqualTo(Fault.BAD_GATEWAY);
    assertThat(behind.reason()).isEqualTo("UpstreamNotListening");
  }

  /** An Ingress with enable-global-auth: "false" is not sent to the global auth service: a 401 is its own. */
  @Test
  void anIngressThatOptsOutOfGlobalAuthKeepsA401TheFaultItWas() {
    SiteWorld world = behindGlobalAuth(OAUTH2_PROXY).ingressAnnotation(ENABLE_GLOBAL_AUTH, "false");
    assertThat(GatewayAuthentication.of(world.snapshot())).isEmpty();
    Verdict v = world.probes(originTracked(world, origin(401, ProbeTrace.AnswerSource.GATEWAY)),
        upstream("10.0.0.11", http(200)), upstream("10.0.0.12", http(200))).diagnose();
    assertThat(v.reason()).isEqualTo("UnexpectedStatus");
    assertThat(v.message()).doesNotContain("global-auth-url");

    // Go's ParseBool: "False" and "0" opt out too; "true", or a value it cannot read, leaves global auth on.
    assertThat(GatewayAuthentication.of(behindGlobalAuth(OAUTH2_PROXY).ingressAnnotation(ENABLE_GLOBAL_AUTH, "0")
        .snapshot())).isEmpty();
    assertThat(GatewayAuthentication.of(behindGlobalAuth(OAUTH2_PROXY).ingressAnnotation(ENABLE_GLOBAL_AUTH, "true")
        .snapshot())).isPresent();
    assertThat(GatewayAuthentication.of(behindGlobalAuth(OAUTH2_PROXY).ingressAnnotation(ENABLE_GLOBAL_AUTH, "no")
        .snapshot())).isPresent();
  }

  /** ingress-nginx ignores a global-auth-url that is no URL with a scheme and a host: it asks no one. */
  @Test
  void aGlobalAuthUrlIngressNginxIgnoresExplainsNo401() {
    SiteWorld world = behindGlobalAuth("oauth2-proxy.auth/oauth2/auth");
    assertThat(GatewayAuthentication.of(world.snapshot())).isEmpty();
    assertThat(world.probes(originTracked(world, origin(401, ProbeTrace.AnswerSource.GATEWAY)),
        upstream("10.0.0.11", http(200)), upstream("10.0.0.12", http(200))).diagnose().reason())
        .isEqualTo("UnexpectedStatus");
  }

  /** The Ingress's own auth-url takes the global one's place, as in ingress-nginx. */
  @Test
  void theIngresssOwnAuthServiceIsTheOneNamed() {
    SiteWorld world = behindGlobalAuth("https://sso.example.com/auth").ingressAnnotation(AUTH_URL, OAUTH2_PROXY);
    Verdict v = world.probes(originTracked(world, origin(401, ProbeTrace.AnswerSource.GATEWAY)),
        upstream("10.0.0.11", http(200)), upstream("10.0.0.12", http(200))).diagnose();
    assertThat(v.fault()).isEqualTo(Fault.NONE);
    assertThat(v.message()).contains("annotation " + AUTH_URL + " on Ingress web/shop")
        .doesNotContain("global-auth-url");
  }

  @Test
  void anOrigin500BehindTheGlobalAuthServiceSaysToCheckThatServiceFirst() {
    SiteWorld world = behindGlobalAuth(OAUTH2_PROXY);
    Verdict v = world.probes(originTracked(world, origin(500, ProbeTrace.AnswerSource.UPSTREAM)),
        upstream("10.0.0.11", http(200)), upstream("10.0.0.12", http(200))).diagnose();
    assertThat(v.reason()).isEqualTo("UnexpectedStatus");
    assertThat(v.message()).contains("answers HTTP 500").contains("asks the auth service " + OAUTH2_PROXY
        + " (global-auth-url of ConfigMap ingress-nginx/ingress-nginx-controller) before the app");
  }
}
