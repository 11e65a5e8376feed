package dev.upstreamhealth.diagnosis;

import static dev.upstreamhealth.diagnosis.SiteWorld.gatewaysOwn;
import static dev.upstreamhealth.diagnosis.SiteWorld.origin;
import static dev.upstreamhealth.diagnosis.SiteWorld.outcome;
import static dev.upstreamhealth.diagnosis.SiteWorld.upstream;
import static org.assertj.core.api.Assertions.assertThat;

import dev.upstreamhealth.api.Fault;
import dev.upstreamhealth.api.Reason;
import dev.upstreamhealth.probe.ProbeLayer;
import dev.upstreamhealth.probe.ProbeOutcome;
import dev.upstreamhealth.probe.ProbeResult;
import dev.upstreamhealth.probe.ProbeTarget;
import dev.upstreamhealth.probe.ProbeTrace;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * ingress-nginx's own 502 for an upstream whose response head outgrows proxy-buffer-size: the
 * reason stays GatewayReturned502 (no other cause is found), and its message names the buffer,
 * where its size comes from, and the heads that outgrew it; only where that can be told for sure.
 */
class ProxyBufferSizeTest {
  private static final String NOTE = "proxy-buffer-size nginx reads it into";
  private static final String GATEWAY_502 = Reason.GATEWAY_RETURNED_502.reasonName();

  /** The Site's gateway is ingress-nginx, known by its controller ConfigMap, with these keys. */
  private static SiteWorld behindIngressNginx(Map<String, String> configMap) {
    return SiteWorld.healthy().withGateway().controllerConfigMap(configMap);
  }

  /** An upstream's 200 whose head is this many bytes. */
  private static ProbeResult okWithHead(int headBytes) {
    return new ProbeResult(SiteWorld.originTarget(), ProbeOutcome.RESPONDED, 200, false, Duration.ofMillis(3), "",
        Instant.parse("2025-01-01T00:00:00Z"),
        new ProbeTrace(null, null, null, null, "10.0.0.11:8080", null, ProbeTrace.AnswerSource.NOT_APPLICABLE, headBytes));
  }

  private static Verdict nginxAnswers502(SiteWorld world, int... heads) {
    world.probes(origin(gatewaysOwn(502)));
    for (int i = 0; i < heads.length; i++) {
      world.addProbes(upstream("10.0.0." + (11 + i), okWithHead(heads[i])));
    }
    return world.diagnose();
  }

  @Test
  void aHeadOverTheDefault4kIsNamedAsTheCauseOfTheGatewaysOwn502() {
    Verdict verdict = nginxAnswers502(behindIngressNginx(Map.of()), 5312, 1200);

    assertThat(verdict.fault()).isEqualTo(Fault.BAD_GATEWAY);
    assertThat(verdict.reason()).isEqualTo(GATEWAY_502);
    assertThat(verdict.message()).contains("answers HTTP 502 (the gateway's own error page); upstream endpoints of"
        + " Service " + SiteWorld.SERVICE_KEY + " answer with a response head of up to 8 KiB, over the"
        + " 4k (4,096 bytes) proxy-buffer-size nginx reads it into (ingress-nginx's default): nginx answers that with its"
        + " own 502, \"upstream sent too big header\"; raise nginx.ingress.kubernetes.io/proxy-buffer-size on Ingress ");
  }

  /** nginx reports a head too big only once its buffer is full and the head still incomplete. */
  @Test
  void headsThatFitNameNoBuffer() {
    Verdict verdict = nginxAnswers502(behindIngressNginx(Map.of()), 4096, 1200);

    assertThat(verdict.reason()).isEqualTo(GATEWAY_502);
    assertThat(verdict.message()).doesNotContain(NOTE);
  }

  /**
   * A few bytes more or less at the next probe (a cookie's value), or one pod more or less over the
   * line, change nothing the status shows; a head that grows by whole 4 KiB steps does.
   */
  @Test
  void theMessageMovesOnlyBy4KibSteps() {
    String one = nginxAnswers502(behindIngressNginx(Map.of()), 5000, 1200).message();
    assertThat(nginxAnswers502(behindIngressNginx(Map.of()), 8192, 5100).message()).isEqualTo(one);
    assertThat(nginxAnswers502(behindIngressNginx(Map.of()), 8193).message()).isNotEqualTo(one)
        .contains("up to 12 KiB");
  }

  @Test
  void theIngressesAnnotationOutranksTheConfigMapWhichOutranksTheDefault() {
    SiteWorld configured = behindIngressNginx(Map.of(IngressNginxConfigMap.PROXY_BUFFER_SIZE, "8k"));
    assertThat(nginxAnswers502(configured, 6000).message()).as("6,000 bytes fit the ConfigMap's 8k")
        .doesNotContain(NOTE);
    assertThat(nginxAnswers502(configured, 9000).message()).contains("over the 8k (8,192 bytes) " + NOTE
        + " (ConfigMap " + SiteWorld.GATEWAY_KEY + " proxy-buffer-size)");

    SiteWorld annotated = behindIngressNginx(Map.of(IngressNginxConfigMap.PROXY_BUFFER_SIZE, "64k"))
        .ingressAnnotation(ProxyBufferSize.ANNOTATION, "16K");
    assertThat(nginxAnswers502(annotated, 20_000).message()).contains("over the 16K (16,384 bytes) " + NOTE
        + " (annotation " + ProxyBufferSize.ANNOTATION + " on Ingress");
  }

  /**
   * A size nginx cannot read ("1g", "8b" pass ingress-nginx's own check): the admission or the
   * reload refuses it, and which buffer nginx runs with then is not known. No buffer is named.
   */
  @Test
  void aValueNginxCannotReadNamesNoBuffer() {
    assertThat(nginxAnswers502(behindIngressNginx(Map.of(IngressNginxConfigMap.PROXY_BUFFER_SIZE, "1g")), 9000)
        .message()).doesNotContain(NOTE);
    assertThat(nginxAnswers502(behindIngressNginx(Map.of()).ingressAnnotation(ProxyBufferSize.ANNOTATION, "8b"), 9000)
        .message()).doesNotContain(NOTE);
  }

  /**
   * Without the controller's ConfigMap the gateway is not known to be ingress-nginx (Envoy-based
   * controllers take some 60 KiB of headers; NGINX Inc.'s reads annotations of its own), nor its
   * global buffer: nothing is named.
   */
  @Test
  void aGatewayNotKnownToBeIngressNginxNamesNoBuffer() {
    assertThat(nginxAnswers502(SiteWorld.healthy(), 9000).message()).doesNotContain(NOTE);
    assertThat(nginxAnswers502(SiteWorld.healthy().withGateway(), 9000).message()).doesNotContain(NOTE);
  }

  /**
   * Each upstream probe asks every Service for the probe's path, though the Ingress sends it to one:
   * a big head from the Service of another path explains nothing, and which one serves it is not
   * worked out. A big head from each Service does; a Service whose probes got no answer at all
   * (a policy admitting only the gateway) may be the one, so it names nothing either.
   */
  @Test
  void aBigHeadFromOnlyOneOfTwoServicesNamesNoBuffer() {
    ProbeTarget api = SiteWorld.target(ProbeLayer.UPSTREAM, "10.0.1.11", 8080, "shop/api");
    Verdict oneBig = behindIngressNginx(Map.of()).probes(origin(gatewaysOwn(502)),
        upstream("10.0.0.11", okWithHead(900)), SiteWorld.tracked(api, okWithHead(9000))).diagnose();
    Verdict otherUnanswered = behindIngressNginx(Map.of()).probes(origin(gatewaysOwn(502)),
        upstream("10.0.0.11", outcome(ProbeOutcome.CONNECT_TIMEOUT)), SiteWorld.tracked(api, okWithHead(9000)))
        .diagnose();
    Verdict bothBig = behindIngressNginx(Map.of()).probes(origin(gatewaysOwn(502)),
        upstream("10.0.0.11", okWithHead(5000)), SiteWorld.tracked(api, okWithHead(9000))).diagnose();

    assertThat(oneBig.message()).doesNotContain(NOTE);
    assertThat(otherUnanswered.message()).doesNotContain(NOTE);
    assertThat(bothBig.message()).contains("upstream endpoints of Service shop/api, " + SiteWorld.SERVICE_KEY
        + " answer with a response head of up to 12 KiB, over the 4k");
  }

  /**
   * A backend the operator does not probe (here a Service with no ready endpoint on another path;
   * an ExternalName alias is another) may be the one nginx read: big heads from the probed Service
   * alone name nothing.
   */
  @Test
  void aBackendWithoutProbesNamesNoBuffer() {
    Verdict unprobedPath = nginxAnswers502(behindIngressNginx(Map.of())
        .serviceWithoutPods("shop-api").rule(SiteWorld.HOST, "/api", "shop-api"), 9000);
    Verdict probed = nginxAnswers502(behindIngressNginx(Map.of()), 9000);

    assertThat(unprobedPath.reason()).isEqualTo(GATEWAY_502);
    assertThat(unprobedPath.message()).doesNotContain(NOTE);
    assertThat(probed.message()).contains(NOTE);
  }

  /** An upstream's own 502 came through the buffer: the buffer is not what failed. */
  @Test
  void a502PassedOnFromTheUpstreamNamesNoBuffer() {
    ProbeResult passedOn = new ProbeResult(SiteWorld.originTarget(), ProbeOutcome.RESPONDED, 502, false,
        Duration.ofMillis(3), "", Instant.parse("2025-01-01T00:00:00Z"),
        new ProbeTrace(null, null, null, null, "127.0.0.10:80", null, ProbeTrace.AnswerSource.UPSTREAM, 0));
    Verdict verdict = behindIngressNginx(Map.of()).probes(origin(passedOn), upstream("10.0.0.11", okWithHead(9000)))
        .diagnose();

    assertThat(verdict.reason()).isEqualTo(GATEWAY_502);
    assertThat(verdict.message()).doesNotContain(NOTE);
  }

  /** Gateway API implementations size their buffers otherwise: no ingress-nginx knob is named. */
  @Test
  void anHttpRoutesGatewayNamesNoIngressNginxBuffer() {
    Verdict verdict = nginxAnswers502(behindIngressNginx(Map.of()).viaHttpRoute(), 9000);

    assertThat(verdict.reason()).isEqualTo(GATEWAY_502);
    assertThat(verdict.message()).doesNotContain(NOTE);
  }
}
