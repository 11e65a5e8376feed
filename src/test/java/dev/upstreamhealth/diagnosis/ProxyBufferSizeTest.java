package dev.upstreamhealth.diagnosis;

import static dev.upstreamhealth.diagnosis.SiteWorld.gatewaysOwn;
import static dev.upstreamhealth.diagnosis.SiteWorld.origin;
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
 * where its size comes from, and the head that outgrew it.
 */
class ProxyBufferSizeTest {
  private static final String NOTE = "proxy-buffer-size nginx reads it into";

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
    Verdict verdict = nginxAnswers502(SiteWorld.healthy(), 5312, 1200);

    assertThat(verdict.fault()).isEqualTo(Fault.BAD_GATEWAY);
    assertThat(verdict.reason()).isEqualTo(Reason.GATEWAY_RETURNED_502.reasonName());
    assertThat(verdict.message()).contains("answers HTTP 502 (the gateway's own error page); 1/2 probed endpoints answer"
            + " with a response head of up to 5,312 bytes (10.0.0.11:8080), over the 4k (4,096 bytes) proxy-buffer-size"
            + " nginx reads it into (ingress-nginx's default; its controller's ConfigMap, unread by the operator"
            + " (--ingress-nginx-configmaps), may set another): nginx answers that with its own 502, \"upstream sent too"
            + " big header\"; raise nginx.ingress.kubernetes.io/proxy-buffer-size on Ingress ");
  }

  @Test
  void headsThatFitNameNoBuffer() {
    Verdict verdict = nginxAnswers502(SiteWorld.healthy(), 4096, 1200);

    assertThat(verdict.reason()).isEqualTo(Reason.GATEWAY_RETURNED_502.reasonName());
    assertThat(verdict.message()).doesNotContain(NOTE);
  }

  @Test
  void theIngressesAnnotationOutranksTheConfigMapWhichOutranksTheDefault() {
    SiteWorld configured = SiteWorld.healthy().withGateway()
        .controllerConfigMap(Map.of(IngressNginxConfigMap.PROXY_BUFFER_SIZE, "8k"));
    assertThat(nginxAnswers502(configured, 6000).message()).as("6,000 bytes fit the ConfigMap's 8k")
        .doesNotContain(NOTE);
    assertThat(nginxAnswers502(configured, 9000).message()).contains("over the 8k (8,192 bytes) " + NOTE
        + " (ConfigMap " + SiteWorld.GATEWAY_KEY + " proxy-buffer-size)");

    SiteWorld annotated = SiteWorld.healthy().withGateway()
        .controllerConfigMap(Map.of(IngressNginxConfigMap.PROXY_BUFFER_SIZE, "64k"))
        .ingressAnnotation(ProxyBufferSize.ANNOTATION, "16K");
    assertThat(nginxAnswers502(annotated, 20_000).message()).contains("over the 16K (16,384 bytes) " + NOTE
        + " (annotation " + ProxyBufferSize.ANNOTATION + " on Ingress");
  }

  /** ingress-nginx refuses a size nginx cannot read (its validation, or nginx's reload): the next source counts. */
  @Test
  void aValueNginxCannotReadIsPassedOver() {
    SiteWorld world = SiteWorld.healthy().withGateway()
        .controllerConfigMap(Map.of(IngressNginxConfigMap.PROXY_BUFFER_SIZE, "lots"))
        .ingressAnnotation(ProxyBufferSize.ANNOTATION, "16 k");

    assertThat(nginxAnswers502(world, 5000).message()).contains("over the 4k (4,096 bytes) " + NOTE
        + " (ingress-nginx's default)");
  }

  /**
   * Each upstream probe asks every Service for the probe's path, though the Ingress sends it to one:
   * a big head from the Service of another path explains nothing, and which one serves it is not
   * worked out. A big head from each Service does.
   */
  @Test
  void aBigHeadFromOnlyOneOfTwoServicesNamesNoBuffer() {
    ProbeTarget api = SiteWorld.target(ProbeLayer.UPSTREAM, "10.0.1.11", 8080, "shop/api");
    Verdict oneBig = SiteWorld.healthy().probes(origin(gatewaysOwn(502)), upstream("10.0.0.11", okWithHead(900)),
        SiteWorld.tracked(api, okWithHead(9000))).diagnose();
    Verdict bothBig = SiteWorld.healthy().probes(origin(gatewaysOwn(502)), upstream("10.0.0.11", okWithHead(5000)),
        SiteWorld.tracked(api, okWithHead(9000))).diagnose();

    assertThat(oneBig.message()).doesNotContain(NOTE);
    assertThat(bothBig.message()).contains("2/2 probed endpoints answer with a response head of up to 9,000 bytes"
        + " (10.0.1.11:8080), over the 4k");
  }

  /** An upstream's own 502 came through the buffer: the buffer is not what failed. */
  @Test
  void a502PassedOnFromTheUpstreamNamesNoBuffer() {
    ProbeResult passedOn = new ProbeResult(SiteWorld.originTarget(), ProbeOutcome.RESPONDED, 502, false,
        Duration.ofMillis(3), "", Instant.parse("2025-01-01T00:00:00Z"),
        new ProbeTrace(null, null, null, null, "127.0.0.10:80", null, ProbeTrace.AnswerSource.UPSTREAM, 0));
    Verdict verdict = SiteWorld.healthy().probes(origin(passedOn), upstream("10.0.0.11", okWithHead(9000))).diagnose();

    assertThat(verdict.reason()).isEqualTo(Reason.GATEWAY_RETURNED_502.reasonName());
    assertThat(verdict.message()).doesNotContain(NOTE);
  }

  /** Gateway API implementations size their buffers otherwise: no ingress-nginx knob is named. */
  @Test
  void anHttpRoutesGatewayNamesNoIngressNginxBuffer() {
    Verdict verdict = nginxAnswers502(SiteWorld.healthy().viaHttpRoute(), 9000);

    assertThat(verdict.reason()).isEqualTo(Reason.GATEWAY_RETURNED_502.reasonName());
    assertThat(verdict.message()).doesNotContain(NOTE);
  }
}
