package dev.upstreamhealth.diagnosis;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** What a Pod's status says about whether it can serve, read as the kubelet writes it. */
public final class PodHealth {
  /** A pod younger than this that is not ready yet, and shows no fault, is still starting. */
  public static final Duration STARTING_GRACE = Duration.ofMinutes(2);
  /**
   * The longest a pod waiting for its startup probe is taken to be starting: startup probes that
   * allow a slow app minutes (a JVM's five) are common, ones that allow more than this are not.
   */
  static final Duration STARTUP_PROBE_CEILING = Duration.ofMinutes(15);
  /** Controllers that replace a pod that has finished (or, a Job, never meant it to serve). */
  private static final Set<String> CONTROLLERS_DONE_WITH_FINISHED_PODS =
      Set.of("ReplicaSet", "StatefulSet", "DaemonSet", "Job");
  /**
   * A Failed pod's {@code status.reason} when the kubelet ended it: eviction, graceful node shutdown
   * (its reasons across releases), and admission refusals.
   */
  private static final Set<String> ENDED_BY_THE_NODE = Set.of("Evicted", "NodeShutdown", "Shutdown", "Terminated",
      "UnexpectedAdmissionError", "OutOfcpu", "OutOfmemory", "NodeAffinity");
  /** Restart policies of a pod meant to run once: finished, it stays finished. */
  private static final Set<String> ONE_SHOT_RESTART_POLICIES = Set.of("Never", "OnFailure");
  /**
   * A container running again, not ready, whose last run ended in error less than this ago, is
   * between two crashes: the kubelet's back-off between restarts grows to 5 minutes, and the app
   * may run a while before it fails again.
   */
  static final Duration RECENT_CRASH = Duration.ofMinutes(10);
  /** Restarts that make a loop of a container's crashes. */
  private static final int MIN_RESTARTS_OF_A_LOOP = 2;
  /**
   * A run at least this long that ends in a crash starts no loop: the kubelet itself forgets a
   * container's back-off once it ran twice the back-off's 5-minute cap.
   */
  static final Duration STABLE_RUN = Duration.ofMinutes(10);

  private static final Set<String> IMAGE_PULL_REASONS = Set.of("ImagePullBackOff", "ErrImagePull", "InvalidImageName");
  private static final Set<String> CONFIG_ERROR_REASONS = Set.of("CreateContainerConfigError", "CreateContainerError");

  /** Why one container of a pod cannot start, in the kubelet's words. */
  public record Waiting(String container, String image, String reason, String message) {
    @Override
    public String toString() {
      return "container " + container + ": " + reason + (message == null || message.isBlank() ? "" : ": " + message);
    }
  }

  private PodHealth() {}

  public static boolean isReady(Pod pod) {
    return condition(pod, "Ready").map(c -> "True".equals(c.getStatus())).orElse(false);
  }

  /**
   * Why a running pod whose every container is ready is not Ready itself, when the pod says: the
   * readiness gates a load balancer controller sets are not yet true (reason
   * ReadinessGatesNotReady), or the node controller marked it not ready because its node stopped
   * reporting (Ready False with no reason, containers untouched; the pod stays Running until it is
   * evicted, five minutes later by default). The app's readiness probe is not the cause in either.
   */
  public static Optional<String> notReadyThoughItsContainersAre(Pod pod) {
    if (!isRunning(pod) || isReady(pod)) {
      return Optional.empty();
    }
    List<ContainerStatus> containers = IngressRoutes.nullSafe(pod.getStatus().getContainerStatuses());
    if (containers.isEmpty() || !containers.stream().allMatch(c -> Boolean.TRUE.equals(c.getReady()))) {
      return Optional.empty();
    }
    PodCondition ready = condition(pod, "Ready").orElse(null);
    if (ready == null) {
      return Optional.empty();
    }
    if ("ReadinessGatesNotReady".equals(ready.getReason())) {
      return Optional.of("every container ready, readiness gates not yet"
          + (ready.getMessage() == null || ready.getMessage().isBlank() ? "" : " (" + ready.getMessage().strip() + ")"));
    }
    if (ready.getReason() == null || ready.getReason().isBlank()) {
      return Optional.of("every container ready, yet marked not ready by the node controller: the pod's node is"
          + " NotReady or has stopped reporting");
    }
    return Optional.empty();
  }

  public static boolean isRunning(Pod pod) {
    return pod.getStatus() != null && "Running".equals(pod.getStatus().getPhase());
  }

  /**
   * A pod being deleted (scale-down, rollout, eviction) is going away on purpose: whatever its
   * containers show while they stop (exit 143 on SIGTERM, 137 after the grace period) is no fault.
   */
  public static boolean isTerminating(Pod pod) {
    return pod.getMetadata() != null && pod.getMetadata().getDeletionTimestamp() != null;
  }

  /**
   * A pod that no longer counts for its Service: being deleted, or finished (Failed, as an
   * eviction under node pressure leaves it, or Succeeded) under a controller that does not mean
   * it to serve any more. A ReplicaSet, StatefulSet or DaemonSet replaces such a pod rather than
   * restart it, and an evicted pod stays listed until it is garbage-collected, long after its
   * replacement serves; a Job's pod (a migration or hook that shares the app's labels) was never
   * meant to serve. So is a bare one-shot pod that finished (see {@link #isOneShot}). A
   * bare pod that failed under restartPolicy Always, or one whose controller keeps it as the
   * workload (a KubeVirt virtual machine's, though its restartPolicy is Never), is a crash still,
   * unless the node ended it ({@link #endedByTheNode}): then any pod is gone, a bare one too.
   */
  public static boolean isGone(Pod pod) {
    return isTerminating(pod) || (isFinished(pod) && (finishedPodsReplacedOrUnused(pod) || isOneShot(pod)))
        || endedByTheNode(pod);
  }

  /**
   * Failed by the kubelet rather than by its containers: evicted under node pressure, stopped by a
   * node's shutdown, or refused at admission. Nothing restarts such a pod in place; whichever
   * controller made it (an OpenKruise CloneSet, say, as well as the core ones) makes another, and a
   * bare one is gone for good. It tells nothing of the app, and is no crash of it.
   */
  private static boolean endedByTheNode(Pod pod) {
    return pod.getStatus() != null && "Failed".equals(pod.getStatus().getPhase())
        && pod.getStatus().getReason() != null && ENDED_BY_THE_NODE.contains(pod.getStatus().getReason());
  }

  /**
   * A pod of no controller meant to run once (restartPolicy Never or OnFailure): a {@code helm
   * test} pod with the chart's selector labels, a {@code kubectl run --restart=Never}. Finished,
   * it never gets an endpoint again, whatever its exit code: it says nothing about serving,
   * neither a crash of the app nor its ports.
   */
  public static boolean isOneShot(Pod pod) {
    return controllerKind(pod).isEmpty() && pod.getSpec() != null && pod.getSpec().getRestartPolicy() != null
        && ONE_SHOT_RESTART_POLICIES.contains(pod.getSpec().getRestartPolicy());
  }

  /**
   * A pod no visitor is meant to reach, though it may carry the app's labels: a one-shot pod
   * ({@link #isOneShot}) or a Job's (a chart's migration, a CronJob's run). It says nothing of the
   * app's ports, and where it lacks the Service's port no gateway sends to it.
   */
  public static boolean neverMeantToServe(Pod pod) {
    return isOneShot(pod) || controllerKind(pod).filter("Job"::equals).isPresent();
  }

  /** Failed or Succeeded: its containers will not run again. */
  public static boolean isFinished(Pod pod) {
    return pod.getStatus() != null
        && ("Failed".equals(pod.getStatus().getPhase()) || "Succeeded".equals(pod.getStatus().getPhase()));
  }

  private static boolean finishedPodsReplacedOrUnused(Pod pod) {
    return controllerKind(pod).filter(CONTROLLERS_DONE_WITH_FINISHED_PODS::contains).isPresent();
  }

  /** The kind of the pod's controller (the owner reference marked controller), empty without one. */
  private static Optional<String> controllerKind(Pod pod) {
    return pod.getMetadata() == null ? Optional.empty() : IngressRoutes.nullSafe(pod.getMetadata().getOwnerReferences())
        .stream().filter(o -> Boolean.TRUE.equals(o.getController())).map(o -> o.getKind()).findFirst();
  }

  /**
   * Not ready yet and showing no fault, and either waiting for its startup probe ({@link
   * #awaitingStartupProbe}, for at most {@link #STARTUP_PROBE_CEILING}) or starting less than
   * {@link #STARTING_GRACE} before {@code now} ({@link #startingSince}): a surge rollout or a
   * scale-up, not a partial failure. Never true without a {@code now}. A time ahead of {@code
   * now} (the API server's or the node's clock a little ahead of this one's) is as new as a pod gets.
   */
  public static boolean isStarting(Pod pod, Instant now) {
    if (now == null || isTerminating(pod) || isReady(pod) || crashCause(pod).isPresent()
        || imagePullFailure(pod).isPresent() || configError(pod).isPresent()) {
      return false;
    }
    Instant since = startingSince(pod);
    Duration age = since == null ? null : Duration.between(since, now).abs();
    if (awaitingStartupProbe(pod)) {
      // Bounded all the same: a pod on a node gone silent keeps the status it last had.
      return age == null || age.compareTo(STARTUP_PROBE_CEILING) < 0;
    }
    return age != null && age.compareTo(STARTING_GRACE) < 0;
  }

  /**
   * Every container not ready is running its first run and not {@code started}: the kubelet
   * shows {@code started: false} until a container's startupProbe passes (and true at once for
   * one without), and keeps it from readiness meanwhile. That is the app still starting, for as
   * long as its startup probe allows (five minutes for a JVM is common), not failing readiness;
   * a startup probe that gives up restarts the container, which ends this.
   */
  static boolean awaitingStartupProbe(Pod pod) {
    if (!isRunning(pod)) {
      return false;
    }
    List<ContainerStatus> notReady = IngressRoutes.nullSafe(pod.getStatus().getContainerStatuses()).stream()
        .filter(c -> !Boolean.TRUE.equals(c.getReady())).toList();
    return !notReady.isEmpty() && notReady.stream().allMatch(c -> Boolean.FALSE.equals(c.getStarted())
        && c.getState() != null && c.getState().getRunning() != null
        && (c.getRestartCount() == null || c.getRestartCount() == 0));
  }

  /**
   * When a pod began to start: the later of its creation and its {@code status.startTime}, when
   * the kubelet took it. A replica that waited minutes for the node a cluster autoscaler brings
   * had no chance to start before; null when neither time is known.
   */
  static Instant startingSince(Pod pod) {
    Instant created = KubernetesTimestamps.parse(pod.getMetadata() == null ? null : pod.getMetadata().getCreationTimestamp());
    Instant onItsNode = KubernetesTimestamps.parse(pod.getStatus() == null ? null : pod.getStatus().getStartTime());
    return created == null || (onItsNode != null && onItsNode.isAfter(created)) ? onItsNode : created;
  }

  /**
   * A pod whose app has not run yet, so it says nothing of whether the app crashes: Pending
   * (waiting for a node, its containers being created) or still starting ({@link #isStarting}),
   * no container restarted. A scale-up's new replica beside crash-looping pods is one. Not a pod
   * the kubelet cannot start (an image, a config error), nor one crash-looping in an init
   * container (Pending too): those have a cause of their own.
   */
  public static boolean hasNotRunYet(Pod pod, Instant now) {
    if (isTerminating(pod) || crashCause(pod).isPresent() || imagePullFailure(pod).isPresent()
        || configError(pod).isPresent() || restarted(pod)) {
      return false;
    }
    boolean pending = pod.getStatus() == null || "Pending".equals(pod.getStatus().getPhase());
    return pending || isStarting(pod, now);
  }

  private static boolean restarted(Pod pod) {
    return pod.getStatus() != null && containerStatuses(pod).stream()
        .anyMatch(cs -> cs.getRestartCount() != null && cs.getRestartCount() > 0);
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
        return Optional.of("container " + cs.getName() + ": " + why
            + (previous != null && previous.getExitCode() != null ? " (exit code " + previous.getExitCode() + ")" : ""));
      }
      // A first exit the kubelet is about to restart (an app that exits once at boot while its
      // database comes up) is no crash yet: a crash loop restarts, and a pod that never restarts
      // its containers (restartPolicy Never) ends there.
      boolean firstExitToRestart = (cs.getRestartCount() == null || cs.getRestartCount() == 0)
          && !"Never".equals(pod.getSpec() == null ? null : pod.getSpec().getRestartPolicy());
      if (current != null && failed(current) && !firstExitToRestart) {
        return Optional.of("container " + cs.getName() + ": " + (current.getReason() == null
            ? "exit code " + current.getExitCode() : current.getReason() + " (exit code " + current.getExitCode() + ")"));
      }
    }
    if ("Failed".equals(pod.getStatus().getPhase())) {
      return Optional.of("pod Failed" + (pod.getStatus().getReason() == null ? "" : ": " + pod.getStatus().getReason()));
    }
    return Optional.empty();
  }

  /**
   * A crash-looping container caught running between two crashes: running again, not ready,
   * restarted more than once, its last run shorter than {@link #STABLE_RUN} and ended in error (or
   * killed for memory) less than {@link #RECENT_CRASH} before {@code now}. Otherwise the same pods
   * would read as crash-looping while they back off and as merely not ready while they run, and the
   * Site's fault would flip between 502 and 503. One restart is no loop: an app killed once for
   * memory and slow to be ready again, or one that exits once at boot while its database comes up,
   * is not; nor is one crash after weeks of running, whatever restarts the pod had before.
   */
  public static Optional<String> restartingAfterCrash(Pod pod, Instant now) {
    return recentCrash(pod, now, MIN_RESTARTS_OF_A_LOOP).map(c -> "container " + c.container().getName() + ": "
        + (c.last().getReason() == null ? "Error" : c.last().getReason())
        + (c.last().getExitCode() == null ? "" : " (exit code " + c.last().getExitCode() + ")")
        + ", running again after " + c.container().getRestartCount() + " restarts and not ready");
  }

  /**
   * A container running again after its first crash, not ready, its run short and ended in error
   * less than {@link #RECENT_CRASH} ago. Alone it is no loop ({@link #restartingAfterCrash}); beside
   * pods of the same backend that crash-loop it says nothing against one. The replicas of a new
   * template crash seconds apart, and one of them running between its first and second crash
   * would otherwise hide the loop of all the others for that moment, the Site's fault swapping to
   * a rollout and back with a Warning each way.
   */
  public static boolean runningAgainAfterFirstCrash(Pod pod, Instant now) {
    // Only when no other container of it loops: a sidecar's one crash does not hide the app's loop.
    return recentCrash(pod, now, 1).filter(c -> c.container().getRestartCount() == 1).isPresent()
        && crashCause(pod).isEmpty() && restartingAfterCrash(pod, now).isEmpty();
  }

  /** A pod that crashed, or is caught between two crashes, after its containers were restarted at least once. */
  public static boolean crashedAgainAfterARestart(Pod pod, Instant now) {
    return restarted(pod) && (crashCause(pod).isPresent() || restartingAfterCrash(pod, now).isPresent());
  }

  /** The container of a pod caught between two crashes, its last run and when that ended. */
  private record RecentCrash(ContainerStatus container, ContainerStateTerminated last, Instant finished) {}

  private static Optional<RecentCrash> recentCrash(Pod pod, Instant now, int minRestarts) {
    if (now == null || pod.getStatus() == null || isReady(pod)) {
      return Optional.empty();
    }
    for (ContainerStatus cs : containerStatuses(pod)) {
      ContainerStateTerminated previous = cs.getLastState() == null ? null : cs.getLastState().getTerminated();
      boolean running = cs.getState() != null && cs.getState().getRunning() != null;
      if (!running || Boolean.TRUE.equals(cs.getReady()) || cs.getRestartCount() == null
          || cs.getRestartCount() < minRestarts || previous == null || !failed(previous)
          || !ranBriefly(previous)) {
        continue;
      }
      Instant finished = KubernetesTimestamps.parse(previous.getFinishedAt());
      if (finished != null && !finished.isAfter(now) && Duration.between(finished, now).compareTo(RECENT_CRASH) < 0) {
        return Optional.of(new RecentCrash(cs, previous, finished));
      }
    }
    return Optional.empty();
  }

  /**
   * Whether a container's run lasted less than {@link #STABLE_RUN}: restartCount counts the pod's
   * whole life, and only a short run ties this crash to the restarts before it. A run the runtime
   * never started shows the epoch as its start; a run whose start is not known is taken as short.
   */
  private static boolean ranBriefly(ContainerStateTerminated run) {
    Instant started = KubernetesTimestamps.parse(run.getStartedAt());
    Instant finished = KubernetesTimestamps.parse(run.getFinishedAt());
    return started == null || finished == null || started.equals(Instant.EPOCH)
        || Duration.between(started, finished).compareTo(STABLE_RUN) < 0;
  }

  /**
   * What a pod that is not ready shows, in the kubelet's or the scheduler's words: a crash, an
   * image it cannot pull, a container it cannot create, no node to run on, or readiness failing;
   * "not ready" when it says nothing more.
   */
  static String problem(Pod p) {
    return crashCause(p)
        .or(() -> imagePullFailure(p).map(Object::toString))
        .or(() -> configError(p).map(Object::toString))
        .or(() -> unschedulable(p).map(m -> "Unschedulable: " + m))
        .or(() -> notReadyThoughItsContainersAre(p))
        .orElse("not ready");
  }

  /** A container waiting on an image that cannot be pulled (ImagePullBackOff, ErrImagePull, InvalidImageName). */
  public static Optional<Waiting> imagePullFailure(Pod pod) {
    return waitingWith(pod, IMAGE_PULL_REASONS);
  }

  /** A container the kubelet cannot create (CreateContainerConfigError, CreateContainerError). */
  public static Optional<Waiting> configError(Pod pod) {
    return waitingWith(pod, CONFIG_ERROR_REASONS);
  }

  /**
   * The containers that serve: the regular ones and native sidecars (init containers with
   * {@code restartPolicy: Always}), which run beside them for the pod's life and may own its ports.
   */
  public static List<Container> servingContainers(Pod pod) {
    if (pod.getSpec() == null) {
      return List.of();
    }
    List<Container> out = new ArrayList<>(IngressRoutes.nullSafe(pod.getSpec().getContainers()));
    IngressRoutes.nullSafe(pod.getSpec().getInitContainers()).stream().filter(PodHealth::isSidecar).forEach(out::add);
    return out;
  }

  public static boolean isSidecar(Container initContainer) {
    return "Always".equals(initContainer.getRestartPolicy());
  }

  private static Optional<Waiting> waitingWith(Pod pod, Set<String> reasons) {
    if (pod.getStatus() == null) {
      return Optional.empty();
    }
    for (ContainerStatus cs : containerStatuses(pod)) {
      ContainerStateWaiting waiting = cs.getState() == null ? null : cs.getState().getWaiting();
      if (waiting != null && reasons.contains(waiting.getReason())) {
        return Optional.of(new Waiting(cs.getName(), image(pod, cs), waiting.getReason(), waiting.getMessage()));
      }
    }
    return Optional.empty();
  }

  /** The image the spec asks for; the status's copy when the spec is not known. */
  private static String image(Pod pod, ContainerStatus cs) {
    if (pod.getSpec() != null) {
      List<Container> all = new ArrayList<>(IngressRoutes.nullSafe(pod.getSpec().getInitContainers()));
      all.addAll(IngressRoutes.nullSafe(pod.getSpec().getContainers()));
      for (Container c : all) {
        if (cs.getName() != null && cs.getName().equals(c.getName()) && c.getImage() != null) {
          return c.getImage();
        }
      }
    }
    return cs.getImage();
  }

  /** Init containers first: one crash-looping there keeps the pod from ever starting (Init:CrashLoopBackOff). */
  private static List<ContainerStatus> containerStatuses(Pod pod) {
    List<ContainerStatus> all = new ArrayList<>(IngressRoutes.nullSafe(pod.getStatus().getInitContainerStatuses()));
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

  /**
   * When a pod caught between two crashes stops counting as crash-looping, or one running again
   * after its first crash stops being left out of a loop, unless it crashes again:
   * {@link #RECENT_CRASH} after its last crash ended.
   */
  static Optional<Instant> recentCrashEnds(Pod pod, Instant now) {
    return recentCrash(pod, now, 1).map(c -> c.finished().plus(RECENT_CRASH));
  }

  /** When a pod's starting grace ends: {@link #STARTING_GRACE} after {@link #startingSince}; empty without it. */
  static Optional<Instant> startingGraceEnds(Pod pod) {
    return Optional.ofNullable(startingSince(pod)).map(since -> since.plus(STARTING_GRACE));
  }
}
