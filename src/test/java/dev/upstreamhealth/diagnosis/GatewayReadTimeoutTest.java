package dev.upstreamhealth.diagnosis;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** ingress-nginx's proxy-read-timeout as the diagnosis reads it, and the upstream latency budget it leaves. */
class GatewayReadTimeoutTest {

  @ParameterizedTest
  @CsvSource({
      "'120', PT2M", "' 30s ', PT30S", "'7', PT7S",
      // what ingress-nginx cannot read, it ignores: its default of 60 s stands
      "'0', PT1M", "'-5', PT1M", "'1m', PT1M", "'ss', PT1M", "'', PT1M"})
  void theAnnotationIsReadAsIngressNginxReadsIt(String annotation, Duration expected) {
    assertThat(GatewayReadTimeout.of(ingress(annotation)).value()).isEqualTo(expected);
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
