package dev.upstreamhealth.probe.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.upstreamhealth.probe.ProbeTrace.AnswerSource;
import org.junit.jupiter.api.Test;

/** Who wrote a 502/503/504, from the gateways' own pages as they send them. */
class GatewayErrorPageTest {
  @Test
  void envoyBasedGatewaysOwnTextsAreTheGateways() {
    assertThat(GatewayErrorPage.writtenBy("envoy", "upstream connect error or disconnect/reset before headers"))
        .isEqualTo(AnswerSource.GATEWAY);
    assertThat(GatewayErrorPage.writtenBy("istio-envoy", "no healthy upstream")).isEqualTo(AnswerSource.GATEWAY);
    assertThat(GatewayErrorPage.writtenBy(null, "upstream request timeout")).isEqualTo(AnswerSource.GATEWAY);
  }

  @Test
  void traefiksOwnPageIsTheGateways() {
    assertThat(GatewayErrorPage.writtenBy(null, "no available server")).isEqualTo(AnswerSource.GATEWAY);
  }

  @Test
  void anAppsOwnAnswerIsPassedOn() {
    assertThat(GatewayErrorPage.writtenBy("gunicorn", "no healthy upstream")).isEqualTo(AnswerSource.UPSTREAM);
    assertThat(GatewayErrorPage.writtenBy(null, "{\"error\":\"database unavailable\"}")).isEqualTo(AnswerSource.UPSTREAM);
    assertThat(GatewayErrorPage.writtenBy("Apache", "no available server")).isEqualTo(AnswerSource.UPSTREAM);
  }
}
