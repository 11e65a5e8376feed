package dev.upstreamhealth.diagnosis;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * A Deployment (or a StatefulSet, below) starting its pods from none, which is no rollout: KEDA or an HPA woke it from zero
 * (replicas 0 → N bumps its generation, and its updated replicas lag until the pods exist), or
 * its pods are all gone and being replaced. Its last rollout finished ({@code Progressing}
 * NewReplicaSetAvailable), it has no pod ({@code status.replicas} 0), and no ReplicaSet of it but
 * the newest has or asks for one: nothing older is being replaced. The deployment controller
 * reads it so too: with as many pods updated as it has, it leaves Progressing as it was.
 *
 * <p>A template changed while at zero leaves the older ReplicaSets at zero too: nothing to roll
 * from. A template changed together with the wake-up cannot be told from a plain scale until the
 * controller observes it (the cache keeps no pod template); then it creates the new ReplicaSet,
 * Progressing reads NewReplicaSetCreated, and the rollout shows. Without a Progressing condition
 * (progressDeadlineSeconds disabled, or a new Deployment) nothing says the last rollout finished,
 * and a shortfall stays a rollout.
 */
final class ScaleUpFromZero {
  /** The annotation the deployment controller numbers a Deployment's ReplicaSets by. */
  private static final String REVISION = "deployment.kubernetes.io/revision";

  private ScaleUpFromZero() {}

  static boolean applies(Deployment d, List<ReplicaSet> replicaSets) {
    var status = d.getStatus();
    boolean asksForPods = d.getSpec() == null || d.getSpec().getReplicas() == null || d.getSpec().getReplicas() > 0;
    if (!asksForPods || status == null || (status.getReplicas() != null && status.getReplicas() > 0)) {
      return false;
    }
    Optional<DeploymentCondition> progressing = IngressRoutes.nullSafe(status.getConditions()).stream()
        .filter(c -> "Progressing".equals(c.getType())).findFirst();
    if (progressing.isEmpty() || !"NewReplicaSetAvailable".equals(progressing.get().getReason())) {
      return false;
    }
    List<ReplicaSet> owned = replicaSets.stream().filter(rs -> ownedBy(rs, d)).toList();
    Optional<ReplicaSet> newest = owned.stream().max(Comparator.comparingLong(ScaleUpFromZero::revision));
    return owned.stream().filter(rs -> rs != newest.orElse(null)).allMatch(ScaleUpFromZero::empty);
  }

  /**
   * A StatefulSet that asks for pods and has none (woken from zero, or new): whatever its
   * revisions and updated replicas say, no pod of an older revision is being replaced.
   */
  static boolean applies(StatefulSet s) {
    boolean asks = s.getSpec() == null || s.getSpec().getReplicas() == null || s.getSpec().getReplicas() > 0;
    return asks && (s.getStatus() == null || s.getStatus().getReplicas() == null || s.getStatus().getReplicas() == 0);
  }

  /**
   * "Deployment web/shop-web is starting 2 replicas from none: no pod created yet", for the
   * first Deployment of the backend that {@link #applies}, else the first such StatefulSet.
   */
  static Optional<String> noPodYet(Workloads w) {
    return w.deployments().stream().filter(d -> applies(d, w.replicaSets())).findFirst()
        .map(d -> starting("Deployment " + ObjectKey.of(d), d.getSpec() == null ? null : d.getSpec().getReplicas()))
        .or(() -> w.statefulSets().stream().filter(ScaleUpFromZero::applies).findFirst()
            .map(s -> starting("StatefulSet " + ObjectKey.of(s), s.getSpec() == null ? null : s.getSpec().getReplicas())));
  }

  private static String starting(String workload, Integer replicas) {
    int wanted = replicas == null ? 1 : replicas;
    return workload + " is starting " + wanted + " replica" + (wanted == 1 ? "" : "s") + " from none: no pod created yet";
  }

  private static boolean ownedBy(ReplicaSet rs, Deployment d) {
    return Workloads.controller(rs)
        .filter(o -> "Deployment".equals(o.getKind()) && d.getMetadata().getName().equals(o.getName())).isPresent();
  }

  /** Neither asks for a pod (an unset replicas means 1) nor has one. */
  private static boolean empty(ReplicaSet rs) {
    boolean asks = rs.getSpec() == null || rs.getSpec().getReplicas() == null || rs.getSpec().getReplicas() > 0;
    boolean has = rs.getStatus() != null && rs.getStatus().getReplicas() != null && rs.getStatus().getReplicas() > 0;
    return !asks && !has;
  }

  /** The ReplicaSet's revision; -1 when it has none, or none that reads as a number. */
  private static long revision(ReplicaSet rs) {
    String revision = rs.getMetadata().getAnnotations() == null ? null : rs.getMetadata().getAnnotations().get(REVISION);
    try {
      return revision == null ? -1 : Long.parseLong(revision.strip());
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
