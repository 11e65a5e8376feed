package dev.upstreamhealth.diagnosis;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.List;
import java.util.Optional;

/**
 * The workloads behind one backend Service: those whose pod template the Service's selector
 * selects (found so even when they run no pod), and the controller-manager's FailedCreate
 * Warning Events about them.
 */
public record Workloads(
    List<Deployment> deployments,
    List<ReplicaSet> replicaSets,
    List<StatefulSet> statefulSets,
    List<DaemonSet> daemonSets,
    List<Event> failedCreateEvents) {

  public static final Workloads NONE = new Workloads(List.of(), List.of(), List.of(), List.of(), List.of());

  public Workloads {
    deployments = List.copyOf(deployments);
    replicaSets = List.copyOf(replicaSets);
    statefulSets = List.copyOf(statefulSets);
    daemonSets = List.copyOf(daemonSets);
    failedCreateEvents = List.copyOf(failedCreateEvents);
  }

  /** ReplicaSets no controller owns: a workload of their own. */
  public List<ReplicaSet> bareReplicaSets() {
    return replicaSets.stream().filter(rs -> controller(rs).isEmpty()).toList();
  }

  /**
   * Whether the pod is one of these workloads': a Deployment's (through its ReplicaSet), a bare
   * ReplicaSet's, a StatefulSet's or a DaemonSet's. A pod of any other owner, or of none, is not.
   */
  public boolean runs(Pod pod) {
    Optional<OwnerReference> owner = controller(pod);
    if (owner.isEmpty()) {
      return false;
    }
    String name = owner.get().getName();
    return switch (String.valueOf(owner.get().getKind())) {
      case "ReplicaSet" -> replicaSet(name).map(rs -> controller(rs)
          .map(o -> "Deployment".equals(o.getKind()) && deployments.stream().anyMatch(d -> named(d, o.getName())))
          .orElse(true)).orElse(false);
      case "StatefulSet" -> statefulSets.stream().anyMatch(s -> named(s, name));
      case "DaemonSet" -> daemonSets.stream().anyMatch(d -> named(d, name));
      default -> false;
    };
  }

  private static boolean named(HasMetadata object, String name) {
    return name != null && object.getMetadata() != null && name.equals(object.getMetadata().getName());
  }

  public Optional<ReplicaSet> replicaSet(String name) {
    return replicaSets.stream().filter(rs -> name.equals(rs.getMetadata().getName())).findFirst();
  }

  static Optional<OwnerReference> controller(HasMetadata object) {
    if (object.getMetadata() == null) {
      return Optional.empty();
    }
    List<OwnerReference> owners = IngressRoutes.nullSafe(object.getMetadata().getOwnerReferences());
    return owners.stream().filter(o -> Boolean.TRUE.equals(o.getController())).findFirst()
        .or(() -> owners.stream().findFirst());
  }
}
