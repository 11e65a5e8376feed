package dev.upstreamhealth.diagnosis;

import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import java.util.List;
import java.util.Optional;

/** What a Pod's status says about whether it can serve. */
public final class PodHealth {
  private PodHealth() {}

  public static boolean isReady(Pod pod) {
    return condition(pod, "Ready").map(c -> "True".equals(c.getStatus())).orElse(false);
  }

  public static boolean isRunning(Pod pod) {
    return pod.getStatus() != null && "Running".equals(pod.getStatus().getPhase());
  }

  /** The scheduler's message when the pod is Pending as Unschedulable. */
  public static Optional<String> unschedulable(Pod pod) {
    if (pod.getStatus() == null || !"Pending".equals(pod.getStatus().getPhase())) {
      return Optional.empty();
    }
    return condition(pod, "PodScheduled")
        .filter(c -> "False".equals(c.getStatus()) && "Unschedulable".equals(c.getReason()))
        .map(c -> c.getMessage() == null ? "Unschedulable" : c.getMessage());
  }

  public static boolean isBackingOff(Pod pod) {
    return pod.getStatus() != null && containerStatuses(pod).stream()
        .anyMatch(cs -> cs.getState() != null && cs.getState().getWaiting() != null
            && "CrashLoopBackOff".equals(cs.getState().getWaiting().getReason()));
  }

  /**
   * Why the pod is crash-looping or terminated in error, e.g. "container app: OOMKilled";
   * empty when it is not.
   */
  public static Optional<String> crashCause(Pod pod) {
    if (pod.getStatus() == null) {
      return Optional.empty();
    }
    for (ContainerStatus cs : containerStatuses(pod)) {
      if (cs.getState() == null) {
        continue;
      }
      boolean backingOff = cs.getState().getWaiting() != null
          && "CrashLoopBackOff".equals(cs.getState().getWaiting().getReason());
      ContainerStateTerminated current = cs.getState().getTerminated();
      ContainerStateTerminated previous = cs.getLastState() == null ? null : cs.getLastState().getTerminated();
      if (backingOff) {
        String why = previous != null && previous.getReason() != null ? previous.getReason() : "CrashLoopBackOff";
        return Optional.of("container " + cs.getName() + ": " + why);
      }
      if (current != null && failed(current)) {
        return Optional.of("container " + cs.getName() + ": " + (current.getReason() == null
            ? "exit code " + current.getExitCode() : current.getReason()));
      }
    }
    if ("Failed".equals(pod.getStatus().getPhase())) {
      return Optional.of("pod Failed" + (pod.getStatus().getReason() == null ? "" : ": " + pod.getStatus().getReason()));
    }
    return Optional.empty();
  }

  /** Init containers first: one crash-looping there keeps the pod from ever starting (Init:CrashLoopBackOff). */
  private static List<ContainerStatus> containerStatuses(Pod pod) {
    List<ContainerStatus> all = new java.util.ArrayList<>(IngressRoutes.nullSafe(pod.getStatus().getInitContainerStatuses()));
    all.addAll(IngressRoutes.nullSafe(pod.getStatus().getContainerStatuses()));
    return all;
  }

  private static boolean failed(ContainerStateTerminated terminated) {
    return "OOMKilled".equals(terminated.getReason()) || "Error".equals(terminated.getReason())
        || (terminated.getExitCode() != null && terminated.getExitCode() != 0);
  }

  private static Optional<PodCondition> condition(Pod pod, String type) {
    if (pod.getStatus() == null) {
      return Optional.empty();
    }
    List<PodCondition> conditions = IngressRoutes.nullSafe(pod.getStatus().getConditions());
    return conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
  }
}
