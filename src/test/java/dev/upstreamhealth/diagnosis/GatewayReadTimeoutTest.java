package dev.upstreamhealth.diagnosis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.upstreamhealth.api.ConditionType;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** ingress-nginx's proxy-read-timeout as the diagnosis reads it, and the upstream latency budget it leaves. */
class GatewayReadTimeoutTest {

  @ParameterizedTest
  @CsvSource({
      "'120', PT2M", "'7', PT7S",
      // what ingress-nginx cannot read (Go's Atoi), it ignores: its default of 60 s stands; zero or
      // less it reads, but it sets no timeout a latency can be judged against, so the default stands too
      "'0', PT1M", "'-5', PT1M", "'1m', PT1M", "'30s', PT1M", "' 30', PT1M", "'ss', PT1M", "'', PT1M"})
  void theAnnotationIsReadAsIngressNginxReadsIt(String annotation, Duration expected) {
    assertThat(GatewayReadTimeout.of(ingress(annotation), null).value()).isEqualTo(expected);
  }

  /**
   * The controller ConfigMap's proxy-read-timeout is every Ingress's without an annotation of its
   * own (a WebSocket app's 3600 s, say), and the message names it; an annotation it can read wins.
   */
  @ParameterizedTest
  @CsvSource({
      "'', '3600', PT1H, ConfigMap ingress-nginx/ingress-nginx-controller proxy-read-timeout",
      "'', '3600s', PT1M, ingress-nginx's default proxy-read-timeout",
      "'30s', '120', PT2M, ConfigMap ingress-nginx/ingress-nginx-controller proxy-read-timeout",
      "'20', '3600', PT20S, annotation nginx.ingress.kubernetes.io/proxy-read-timeout on Ingress web/shop",
      "'1m', '90', PT1M30S, ConfigMap ingress-nginx/ingress-nginx-controller proxy-read-timeout",
      "'', 'an hour', PT1M, ingress-nginx's default proxy-read-timeout",
      "'', '', PT1M, ingress-nginx's default proxy-read-timeout"})
  void theControllersConfigMapSetsItForEveryIngressWithoutItsOwn(String annotation, String configMap, Duration expected,
      String source) {
    IngressNginxConfigMap global = new IngressNginxConfigMap("ingress-nginx/ingress-nginx-controller", "", "", false,
        false, "", configMap);

    GatewayReadTimeout timeout = GatewayReadTimeout.of(ingress(annotation), global);

    assertThat(timeout.value()).isEqualTo(expected);
    assertThat(timeout.source()).isEqualTo(source);
  }

  /** A gateway that waits longer than the CDN, set for every Ingress by the ConfigMap: Degraded, naming it. */
  @Test
  void aConfigMapReadTimeoutBeyondTheCdnsIsTimeoutBudgetTight() {
    Verdict verdict = SiteWorld.healthy().withGateway()
        .controllerConfigMap(Map.of(IngressNginxConfigMap.PROXY_READ_TIMEOUT, "3600")).diagnose();

    assertThat(verdict.condition(ConditionType.DEGRADED).reason()).isEqualTo("TimeoutBudgetTight");
    assertThat(verdict.condition(ConditionType.DEGRADED).message()).contains(
        "the gateway waits up to 3600 s for an upstream (ConfigMap " + SiteWorld.GATEWAY_KEY
            + " proxy-read-timeout) but the CDN gives up after 100 s");
    assertThat(SiteWorld.healthy().withGateway().diagnose().condition(ConditionType.DEGRADED)
        .reason()).as("without it: ingress-nginx's 60 s").isEqualTo("NoFault");
  }

  @ParameterizedTest
  @CsvSource({"PT1M, PT30S", "PT7S, PT3.5S", "PT0.001S, PT0.0005S", "PT1.000000001S, PT0.5S", "PT0S, PT0S"})
  void theLatencyBudgetIsHalfTheReadTimeoutRoundedDownToTheNanosecond(Duration timeout, Duration budget) {
    assertThat(new GatewayReadTimeout(timeout, "test").latencyBudget()).isEqualTo(budget);
  }

  private static Ingress ingress(String annotation) {
    return new IngressBuilder().withNewMetadata().withNamespace("web").withName("shop")
        .addToAnnotations(GatewayReadTimeout.PROXY_READ_TIMEOUT, annotation).endMetadata().build();
  }
}
