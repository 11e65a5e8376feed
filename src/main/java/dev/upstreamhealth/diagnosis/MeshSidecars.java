package dev.upstreamhealth.diagnosis;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Whether the Site's gateway and backends are in one mesh: a mesh's proxy beside them in their
 * pods (Istio's {@code istio-proxy}, a container or, in native sidecar mode, an init container
 * that keeps running; Linkerd's {@code linkerd-proxy}; Kuma's {@code kuma-sidecar}; Consul's
 * {@code consul-dataplane}), or Istio's ambient mode redirecting their
 * traffic (the pod annotation {@code ambient.istio.io/redirection: enabled}). The mesh may take
 * only its own mutual TLS, and reset a plain connection from outside it, as the operator's probes
 * are: no failure of the app, as long as the gateway, in the mesh too, speaks it. A gateway
 * outside the mesh is reset the same way, and its visitors get its 502.
 */
public final class MeshSidecars {
  /** The pod annotation Istio sets on a pod whose traffic ambient mode redirects: read from the trimmed cache. */
  public static final String AMBIENT_REDIRECTION = "ambient.istio.io/redirection";
  private static final Set<String> PROXIES = Set.of("istio-proxy", "linkerd-proxy", "kuma-sidecar", "consul-dataplane");

  private MeshSidecars() {}

  /**
   * Every backend's pods are in the mesh, and so are the gateway's where they are known (no
   * {@code spec.gateway}, or an HTTPRoute's data plane not found yet: a gateway that works with a
   * mesh that resets strangers is in it).
   */
  static boolean aroundTheSite(Snapshot s) {
    boolean gatewayOutside = s.gateway() != null && !s.gateway().pods().isEmpty() && !inTheMesh(s.gateway().pods());
    return !gatewayOutside
        && s.backends().stream().anyMatch(b -> !b.pods().isEmpty())
        && s.backends().stream().filter(b -> !b.pods().isEmpty()).allMatch(b -> inTheMesh(b.pods()));
  }

  private static boolean inTheMesh(List<Pod> pods) {
    return pods.stream().anyMatch(MeshSidecars::meshed);
  }

  private static boolean meshed(Pod pod) {
    Map<String, String> annotations = pod.getMetadata() == null ? null : pod.getMetadata().getAnnotations();
    return PodHealth.servingContainers(pod).stream().anyMatch(c -> PROXIES.contains(c.getName()))
        || (annotations != null && "enabled".equals(annotations.get(AMBIENT_REDIRECTION)));
  }
}
