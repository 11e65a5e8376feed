package dev.upstreamhealth.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Which of the listed ingress-nginx ConfigMaps sets what a Site's gateway does for every Ingress. */
class IngressNginxConfigMapsTest {
  private static final String DEFAULT = "ingress-nginx/ingress-nginx-controller";

  @Test
  void theConfigMapNamedAsTheGatewayServiceApplies() {
    assertThat(IngressNginxConfigMaps.applying(List.of(DEFAULT), "ingress-nginx", "ingress-nginx-controller"))
        .contains(DEFAULT);
    assertThat(IngressNginxConfigMaps.applying(List.of("ingress-nginx/edge-controller"), "ingress-nginx",
        "edge-controller")).contains("ingress-nginx/edge-controller");
    assertThat(IngressNginxConfigMaps.applying(List.of(DEFAULT), "ingress-nginx", "ingress-nginx-controller-internal"))
        .as("the chart's internal Service of the same controller").contains(DEFAULT);
  }

  /**
   * An internal controller beside the listed public one, in the same namespace: the public one's
   * allowlist and auth are not its own, and would excuse its 401 or 403.
   */
  @Test
  void anotherControllersConfigMapInTheNamespaceDoesNotApply() {
    assertThat(IngressNginxConfigMaps.applying(List.of(DEFAULT), "ingress-nginx", "ingress-nginx-internal-controller"))
        .isEmpty();
  }

  @Test
  void aGatewayInANamespaceWithNoListedConfigMapHasNone() {
    assertThat(IngressNginxConfigMaps.applying(List.of(DEFAULT), "traefik", "traefik")).isEmpty();
    assertThat(IngressNginxConfigMaps.applying(List.of("ingress-nginx-internal/ingress-nginx-controller"),
        "ingress-nginx", "ingress-nginx-controller")).isEmpty();
    assertThat(IngressNginxConfigMaps.applying(List.of(), "ingress-nginx", "ingress-nginx-controller")).isEmpty();
  }

  /** Two controllers in one namespace: each Site gets its own gateway's, and none is guessed. */
  @Test
  void ofSeveralInTheNamespaceTheOneNamedAsTheGatewayServiceApplies() {
    List<String> listed = List.of(DEFAULT, "ingress-nginx/internal-controller");
    assertThat(IngressNginxConfigMaps.applying(listed, "ingress-nginx", "internal-controller"))
        .contains("ingress-nginx/internal-controller");
    assertThat(IngressNginxConfigMaps.applying(listed, "ingress-nginx", "ingress-nginx-controller")).contains(DEFAULT);
    assertThat(IngressNginxConfigMaps.applying(listed, "ingress-nginx", "other-controller")).isEmpty();
  }
}
