package dev.upstreamhealth.demo;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.util.Map;

/**
 * The data plane Envoy Gateway creates in its own namespace for the Gateway of a
 * {@link GatewayApiFixture}: a LoadBalancer Service in front of its Envoy pods, labelled with its
 * owner, and that Service's EndpointSlice.
 */
public record EnvoyDataPlane(SiteFixture site, GatewayApiFixture gateway) {
  public static final String NAMESPACE = "envoy-gateway-system";

  public String name() {
    return "envoy-" + site.namespace() + "-" + gateway.gatewayName() + "-5c8d1f2a";
  }

  public Service service(String clusterIp, int port) {
    Map<String, String> labels = labels();
    return new ServiceBuilder()
        .withNewMetadata().withNamespace(NAMESPACE).withName(name()).withLabels(labels).endMetadata()
        .withNewSpec().withType("LoadBalancer").withClusterIP(clusterIp).withSelector(labels)
          .addNewPort().withName("http-" + port).withPort(port).withTargetPort(new IntOrString(port)).endPort()
        .endSpec()
        .build();
  }

  public EndpointSlice slice(String podIp, int port, boolean ready) {
    return new EndpointSliceBuilder()
        .withNewMetadata().withNamespace(NAMESPACE).withName(name() + "-q7x2m")
          .withLabels(Map.of("kubernetes.io/service-name", name())).endMetadata()
        .withAddressType("IPv4")
        .addNewPort().withName("http-" + port).withPort(port).withProtocol("TCP").endPort()
        .addNewEndpoint().withAddresses(podIp).withNewConditions().withReady(ready).endConditions().endEndpoint()
        .build();
  }

  private Map<String, String> labels() {
    return Map.of("app.kubernetes.io/name", "envoy", "app.kubernetes.io/component", "proxy",
        "gateway.envoyproxy.io/owning-gateway-name", gateway.gatewayName(),
        "gateway.envoyproxy.io/owning-gateway-namespace", site.namespace());
  }
}
