package dev.upstreamhealth.demo;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.util.Map;

/**
 * What Contour's Gateway provisioner creates in the Gateway's namespace for the Gateway of a
 * {@link GatewayApiFixture}: {@code contour-<gateway>}, its control plane (xDS on 8001), and
 * {@code envoy-<gateway>}, the Envoy proxies behind a LoadBalancer Service. Both carry the
 * Gateway API's gateway-name label, and the control plane's name sorts first.
 */
public record ContourDataPlane(SiteFixture site, GatewayApiFixture gateway) {
  public static final int XDS_PORT = 8001;

  public String controlPlaneName() {
    return "contour-" + gateway.gatewayName();
  }

  public String proxiesName() {
    return "envoy-" + gateway.gatewayName();
  }

  public Service controlPlane(String clusterIp) {
    return service(controlPlaneName(), "ClusterIP", clusterIp, XDS_PORT);
  }

  public Service proxies(String clusterIp, int port) {
    return service(proxiesName(), "LoadBalancer", clusterIp, port);
  }

  public EndpointSlice slice(String serviceName, String podIp, int port, boolean ready) {
    return new EndpointSliceBuilder()
        .withNewMetadata().withNamespace(site.namespace()).withName(serviceName + "-x8k2p")
          .withLabels(Map.of("kubernetes.io/service-name", serviceName)).endMetadata()
        .withAddressType("IPv4")
        .addNewPort().withName("port-" + port).withPort(port).withProtocol("TCP").endPort()
        .addNewEndpoint().withAddresses(podIp).withNewConditions().withReady(ready).endConditions().endEndpoint()
        .build();
  }

  private Service service(String name, String type, String clusterIp, int port) {
    Map<String, String> labels = Map.of("app.kubernetes.io/managed-by", "contour-gateway-provisioner",
        "projectcontour.io/owning-gateway-name", gateway.gatewayName(),
        "gateway.networking.k8s.io/gateway-name", gateway.gatewayName());
    return new ServiceBuilder()
        .withNewMetadata().withNamespace(site.namespace()).withName(name).withLabels(labels).endMetadata()
        .withNewSpec().withType(type).withClusterIP(clusterIp).withSelector(Map.of("app", name))
          .addNewPort().withName("port-" + port).withPort(port).withTargetPort(new IntOrString(port)).endPort()
        .endSpec()
        .build();
  }
}
