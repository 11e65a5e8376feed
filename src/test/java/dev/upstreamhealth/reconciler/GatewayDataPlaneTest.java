package dev.upstreamhealth.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class GatewayDataPlaneTest {

  /** Contour's provisioner labels its control plane and its proxies for the Gateway alike. */
  @Test
  void ofContoursTwoServicesTheProxiesCarryTheGatewaysTraffic() {
    Service controlPlane = service("contour-eg", "ClusterIP", 8001);
    Service proxies = service("envoy-eg", "LoadBalancer", 80, 443);

    assertThat(first(Set.of(80, 443), controlPlane, proxies)).isSameAs(proxies);
  }

  @Test
  void proxiesBehindAClusterIpAreStillFoundByTheListenerPorts() {
    Service controlPlane = service("contour-eg", "ClusterIP", 8001);
    Service proxies = service("envoy-eg", "ClusterIP", 8080);

    assertThat(first(Set.of(8080), controlPlane, proxies)).isSameAs(proxies);
  }

  @Test
  void aLoadBalancerComesFirstWhereNoServiceServesAListenerPort() {
    Service internal = service("a-internal", "ClusterIP", 9000);
    Service external = service("b-external", "LoadBalancer", 9001);

    assertThat(first(Set.of(80), internal, external)).isSameAs(external);
  }

  @Test
  void betweenLikeServicesTheNameDecidesSoTheChoiceIsStable() {
    Service a = service("a", "LoadBalancer", 80);
    Service b = service("b", "LoadBalancer", 80);

    assertThat(first(Set.of(80), b, a)).isSameAs(a);
    assertThat(first(Set.of(80), a, b)).isSameAs(a);
  }

  private static Service first(Set<Integer> listenerPorts, Service... services) {
    Comparator<Service> order = GatewayDataPlane.dataPlaneFirst(listenerPorts);
    return Stream.of(services).min(order).orElseThrow();
  }

  private static Service service(String name, String type, Integer... ports) {
    ServiceBuilder builder = new ServiceBuilder().withNewMetadata().withNamespace("gateways").withName(name)
        .addToLabels(GatewayDataPlane.GATEWAY_NAME, "eg").endMetadata()
        .withNewSpec().withType(type).endSpec();
    for (Integer port : List.of(ports)) {
      builder.editSpec().addNewPort().withPort(port).endPort().endSpec();
    }
    return builder.build();
  }
}
