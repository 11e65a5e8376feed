package dev.upstreamhealth.reconciler;

import dev.upstreamhealth.diagnosis.LoadBalancerPorts;
import dev.upstreamhealth.diagnosis.NetworkAddress;
import dev.upstreamhealth.diagnosis.ObjectKey;
import io.fabric8.kubernetes.api.model.Service;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds the Service a Gateway implementation puts in front of a Gateway's data plane, by the
 * labels implementations set on it: Envoy Gateway names the owning Gateway (its Service lives in
 * the controller's namespace); Istio, NGINX Gateway Fabric and others label a Service in the
 * Gateway's own namespace with the Gateway API's {@code gateway.networking.k8s.io/gateway-name}.
 */
final class GatewayDataPlane {
  static final String ENVOY_GATEWAY_NAME = "gateway.envoyproxy.io/owning-gateway-name";
  static final String ENVOY_GATEWAY_NAMESPACE = "gateway.envoyproxy.io/owning-gateway-namespace";
  static final String GATEWAY_NAME = "gateway.networking.k8s.io/gateway-name";

  private GatewayDataPlane() {}

  /**
   * Of the Services labelled for one Gateway, the one that carries its traffic first. Contour's
   * provisioner labels two: {@code envoy-<gateway>}, the proxies, and {@code contour-<gateway>},
   * its control plane (xDS on 8001), whose name sorts first; taking that one read a control plane
   * restart as the Gateway down. The data plane serves the Gateway's listener ports, and is
   * usually the load balancer; the name settles the rest, so the choice is stable.
   */
  static Comparator<Service> dataPlaneFirst(Set<Integer> listenerPorts) {
    return Comparator.<Service, Boolean>comparing(service -> !servesAnyOf(service, listenerPorts))
        .thenComparing(service -> !isLoadBalancer(service))
        .thenComparing(service -> ObjectKey.of(service));
  }

  private static boolean servesAnyOf(Service service, Set<Integer> ports) {
    return service.getSpec() != null && service.getSpec().getPorts() != null
        && service.getSpec().getPorts().stream().anyMatch(p -> p.getPort() != null && ports.contains(p.getPort()));
  }

  private static boolean isLoadBalancer(Service service) {
    return service.getSpec() != null && "LoadBalancer".equals(service.getSpec().getType());
  }

  /**
   * A LoadBalancer Service's addresses ({@code status.loadBalancer.ingress} IPs and hostnames) as
   * {@link NetworkAddress} prints them, lower case: a Gateway's address is looked up by value.
   */
  static List<String> loadBalancerAddresses(Service service) {
    if (!isLoadBalancer(service) || service.getStatus() == null || service.getStatus().getLoadBalancer() == null
        || service.getStatus().getLoadBalancer().getIngress() == null) {
      return List.of();
    }
    return service.getStatus().getLoadBalancer().getIngress().stream()
        .flatMap(LoadBalancerPorts::addressesOf)
        .map(NetworkAddress::toString).distinct().toList();
  }

  /** "namespace/name" of the Gateways whose data plane this Service is; usually none. */
  static List<String> gatewaysOf(Service service) {
    Map<String, String> labels = service.getMetadata().getLabels();
    if (labels == null) {
      return List.of();
    }
    String envoyName = labels.get(ENVOY_GATEWAY_NAME);
    String envoyNamespace = labels.get(ENVOY_GATEWAY_NAMESPACE);
    if (envoyName != null && envoyNamespace != null) {
      return List.of(ObjectKey.of(envoyNamespace, envoyName));
    }
    String name = labels.get(GATEWAY_NAME);
    return name == null ? List.of() : List.of(ObjectKey.of(service.getMetadata().getNamespace(), name));
  }
}
