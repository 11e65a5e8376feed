package dev.upstreamhealth.diagnosis;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetCondition;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** What the Deployments and ReplicaSets behind a backend say about its missing endpoints. */
public final class WorkloadState {
  private WorkloadState() {}

  /** "Deployment web/shop-web has replicas: 0" when every backend Deployment is scaled to zero. */
  public static Optional<String> scaledToZero(List<Deployment> deployments) {
    if (deployments.isEmpty() || !deployments.stream().allMatch(d -> replicas(d) == 0)) {
      return Optional.empty();
    }
    return Optional.of(names(deployments) + (deployments.size() == 1 ? " has" : " have") + " replicas: 0");
  }

  /** Why the first unfinished rollout is unfinished, if any Deployment's rollout has not finished. */
  public static Optional<String> rolloutInProgress(List<Deployment> deployments) {
    for (Deployment d : deployments) {
      String name = "Deployment " + d.getMetadata().getNamespace() + "/" + d.getMetadata().getName();
      var status = d.getStatus();
      Long generation = d.getMetadata().getGeneration();
      Long observed = status == null ? null : status.getObservedGeneration();
      if (generation != null && (observed == null || observed < generation)) {
        return Optional.of(name + " rollout not yet observed (generation " + generation
            + ", observedGeneration " + (observed == null ? "none" : observed) + ")");
      }
      int updated = status == null || status.getUpdatedReplicas() == null ? 0 : status.getUpdatedReplicas();
      if (updated < replicas(d)) {
        return Optional.of(name + " rollout in progress: " + updated + "/" + replicas(d) + " replicas updated");
      }
      Optional<DeploymentCondition> progressing = status == null || status.getConditions() == null
          ? Optional.empty()
          : status.getConditions().stream().filter(c -> "Progressing".equals(c.getType())).findFirst();
      if (progressing.isPresent() && !"NewReplicaSetAvailable".equals(progressing.get().getReason())) {
        String reason = progressing.get().getReason();
        return Optional.of(name + " rollout in progress: Progressing is " + (reason == null ? "without a reason yet" : reason));
      }
    }
    return Optional.empty();
  }

  /** The ReplicaSet's FailedCreate message when it says a quota is exceeded. */
  public static Optional<String> quotaExceeded(List<ReplicaSet> replicaSets) {
    for (ReplicaSet rs : replicaSets) {
      if (rs.getStatus() == null || rs.getStatus().getConditions() == null) {
        continue;
      }
      for (ReplicaSetCondition c : rs.getStatus().getConditions()) {
        if ("ReplicaFailure".equals(c.getType()) && "True".equals(c.getStatus())
            && "FailedCreate".equals(c.getReason()) && c.getMessage() != null
            && c.getMessage().toLowerCase(Locale.ROOT).contains("exceeded quota")) {
          return Optional.of("ReplicaSet " + rs.getMetadata().getNamespace() + "/" + rs.getMetadata().getName()
              + " cannot create pods: " + c.getMessage());
        }
      }
    }
    return Optional.empty();
  }

  private static int replicas(Deployment d) {
    return d.getSpec() == null || d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
  }

  private static String names(List<Deployment> deployments) {
    return (deployments.size() == 1 ? "Deployment " : "Deployments ")
        + String.join(", ", deployments.stream()
            .map(d -> d.getMetadata().getNamespace() + "/" + d.getMetadata().getName()).toList());
  }
}
