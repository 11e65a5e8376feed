package dev.upstreamhealth.diagnosis;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Names the workload a pod belongs to, from its owner references, as a user would look it up:
 * a Deployment's pods by their Deployment (through the ReplicaSet), a ReplicaSet that something
 * else owns (an Argo Rollouts Rollout) by that owner, any other owner (StatefulSet, DaemonSet,
 * Job, a custom controller) by its kind and name.
 */
public final class PodOwners {
  private PodOwners() {}

  /** "Deployment web/shop-web", "Rollout web/shop", "Job web/warm-cache", or "no owner". */
  public static String of(Pod pod, Workloads workloads) {
    String namespace = pod.getMetadata().getNamespace();
    Optional<OwnerReference> owner = Workloads.controller(pod);
    if (owner.isEmpty()) {
      return "no owner";
    }
    OwnerReference ref = owner.get();
    if ("ReplicaSet".equals(ref.getKind())) {
      Optional<OwnerReference> above = workloads.replicaSet(ref.getName()).flatMap(Workloads::controller);
      if (above.isPresent()) {
        return above.get().getKind() + " " + namespace + "/" + above.get().getName();
      }
    }
    return ref.getKind() + " " + namespace + "/" + ref.getName();
  }

  /** The distinct owners of these pods, in pod order: "Deployment web/shop-web, Job web/x". */
  public static String of(List<Pod> pods, Workloads workloads) {
    Set<String> owners = new LinkedHashSet<>();
    pods.forEach(p -> owners.add(of(p, workloads)));
    return String.join(", ", owners);
  }

  /** " of Deployment web/shop-web" to follow "pods", or "" when there are none. */
  static String phrase(List<Pod> pods, Workloads workloads) {
    if (pods.isEmpty()) {
      return "";
    }
    String owners = of(pods, workloads);
    return "no owner".equals(owners) ? " (bare pods)" : " (" + owners + ")";
  }
}
