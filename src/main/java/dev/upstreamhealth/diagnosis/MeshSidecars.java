package dev.upstreamhealth.diagnosis;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.Set;

/**
 * Whether a mesh's proxy runs beside the app in its pods: Istio's sidecar ({@code istio-proxy},
 * a container or, in native sidecar mode, an init container that keeps running) or Linkerd's
 * ({@code linkerd-proxy}). Where one does, the mesh may take only its own mutual TLS, and a plain
 * connection from outside the mesh is reset: no failure of the app.
 */
final class MeshSidecars {
  private static final Set<String> PROXIES = Set.of("istio-proxy", "linkerd-proxy");

  private MeshSidecars() {}

  /** Every backend of the Site with pods has a mesh's proxy in them. */
  static boolean onEveryBackend(Snapshot s) {
    return s.backends().stream().anyMatch(b -> !b.pods().isEmpty())
        && s.backends().stream().filter(b -> !b.pods().isEmpty())
            .allMatch(b -> b.pods().stream().anyMatch(MeshSidecars::carriesOne));
  }

  private static boolean carriesOne(Pod pod) {
    return PodHealth.servingContainers(pod).stream().anyMatch(c -> PROXIES.contains(c.getName()));
  }
}
