package dev.upstreamhealth.diagnosis;

import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import java.util.List;

/**
 * The ingress controller named in {@code spec.gateway}: its Service (null when missing), the
 * Service's endpoints and pods, and the NetworkPolicies of its namespace.
 */
public record GatewayState(
    String namespace,
    String name,
    Service service,
    List<EndpointSlice> slices,
    List<Pod> pods,
    List<NetworkPolicy> policies) {

  public GatewayState {
    slices = List.copyOf(slices);
    pods = List.copyOf(pods);
    policies = List.copyOf(policies);
  }

  public String key() {
    return ObjectKey.of(namespace, name);
  }

  /** The Service's load-balancer entries ({@code status.loadBalancer.ingress}); none while it has no Service or none yet. */
  public List<LoadBalancerIngress> loadBalancerIngress() {
    return service == null || service.getStatus() == null || service.getStatus().getLoadBalancer() == null
        || service.getStatus().getLoadBalancer().getIngress() == null
        ? List.of() : service.getStatus().getLoadBalancer().getIngress();
  }
}
