package dev.upstreamhealth.diagnosis;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetCondition;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/** What the workloads behind a backend say about its missing endpoints (SPEC §4, per kind). */
public final class WorkloadState {
  /**
   * How long a FailedCreate Event counts after its last occurrence. The controller retries a
   * refused create with a backoff of at most 1,000 s, and each retry refused again renews the
   * Event; one older than that tells of a refusal that has since stopped.
   */
  private static final Duration RECENT_REFUSAL = Duration.ofMinutes(20);

  private WorkloadState() {}

  /**
   * "Deployment web/shop-web has replicas: 0" when every workload of the backend asks for no pods:
   * Deployment, StatefulSet or bare ReplicaSet {@code replicas: 0}, DaemonSet
   * {@code desiredNumberScheduled: 0}; and none of the backend's {@code live} pods is kept
   * running by another controller. A ReplicaSet of another controller (an Argo Rollout's) counts
   * under that controller, with the others it owns. An Argo Rollout with a workloadRef scales the Deployment it
   * refers to down to 0 and runs the pods itself, from that Deployment's template: the Service
   * selects both, and a zero there explains nothing about the Rollout's pods.
   */
  public static Optional<String> scaledToZero(Workloads w, List<Pod> live) {
    if (live.stream().anyMatch(p -> keptByAnotherController(p, w))) {
      return Optional.empty();
    }
    List<String> zero = new ArrayList<>();
    int workloads = 0;
    for (Deployment d : w.deployments()) {
      workloads++;
      if (replicas(d.getSpec() == null ? null : d.getSpec().getReplicas()) == 0) {
        zero.add("Deployment " + ObjectKey.of(d) + " has replicas: 0");
      }
    }
    for (StatefulSet s : w.statefulSets()) {
      workloads++;
      if (replicas(s.getSpec() == null ? null : s.getSpec().getReplicas()) == 0) {
        zero.add("StatefulSet " + ObjectKey.of(s) + " has replicas: 0");
      }
    }
    for (DaemonSet d : w.daemonSets()) {
      workloads++;
      if (d.getStatus() != null && Integer.valueOf(0).equals(d.getStatus().getDesiredNumberScheduled())) {
        zero.add("DaemonSet " + ObjectKey.of(d) + " has desiredNumberScheduled: 0 (no node matches it)");
      }
    }
    for (ReplicaSet rs : w.bareReplicaSets()) {
      workloads++;
      if (replicas(rs.getSpec() == null ? null : rs.getSpec().getReplicas()) == 0) {
        zero.add("ReplicaSet " + ObjectKey.of(rs) + " has replicas: 0");
      }
    }
    // Another controller's ReplicaSets (an Argo Rollout's, which KEDA or an HPA scales to zero
    // through it): one workload, asking for no pods when none of its ReplicaSets asks for any.
    Map<String, List<ReplicaSet>> byOtherController = new TreeMap<>();
    for (ReplicaSet rs : w.replicaSets()) {
      Workloads.controller(rs).filter(o -> !"Deployment".equals(o.getKind()))
          .ifPresent(o -> byOtherController.computeIfAbsent(o.getKind() + " " + ObjectKey.of(rs.getMetadata().getNamespace(),
              o.getName()), k -> new ArrayList<>()).add(rs));
    }
    for (Map.Entry<String, List<ReplicaSet>> owner : byOtherController.entrySet()) {
      workloads++;
      if (owner.getValue().stream().allMatch(rs -> replicas(rs.getSpec() == null ? null : rs.getSpec().getReplicas()) == 0)) {
        zero.add(owner.getKey() + " has its ReplicaSets at replicas: 0");
      }
    }
    return workloads > 0 && zero.size() == workloads ? Optional.of(String.join(", ", zero)) : Optional.empty();
  }

  /**
   * A pod not finished whose owner is none of these workloads and may mean it to serve. Not a
   * Job's (its pod carries the app's labels, never meant to serve), and not a bare pod: nothing
   * keeps it running (a {@code helm test} pod, a debug pod), and while it came and went the Site
   * would flip away from ScaledToZero and back.
   */
  private static boolean keptByAnotherController(Pod pod, Workloads w) {
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    return !"Succeeded".equals(phase) && !"Failed".equals(phase) && !w.runs(pod)
        && Workloads.controller(pod).map(o -> !"Job".equals(o.getKind())).orElse(false);
  }

  /**
   * Why the first unfinished rollout is unfinished, if any workload's rollout has not finished;
   * {@code pods} the backend's pods, those being deleted too: a StatefulSet's revisions are read from
   * its live pods, and its terminating ones are being replaced, not waiting for an update.
   */
  public static Optional<String> rolloutInProgress(Workloads w, List<Pod> pods) {
    for (Deployment d : w.deployments()) {
      // A scale-up from zero bumps the generation and lags in updated replicas: no rollout.
      if (ScaleUpFromZero.applies(d, w.replicaSets())) {
        continue;
      }
      Optional<String> why = deploymentRollout(d);
      if (why.isPresent()) {
        return why;
      }
    }
    for (StatefulSet s : w.statefulSets()) {
      Optional<String> why = statefulSetRollout(s, pods);
      if (why.isPresent()) {
        return why;
      }
    }
    for (DaemonSet d : w.daemonSets()) {
      var status = d.getStatus();
      int desired = status == null || status.getDesiredNumberScheduled() == null ? 0 : status.getDesiredNumberScheduled();
      int updated = status == null || status.getUpdatedNumberScheduled() == null ? 0 : status.getUpdatedNumberScheduled();
      if (updated < desired) {
        return Optional.of("DaemonSet " + ObjectKey.of(d) + " rollout in progress: " + updated + "/" + desired
            + " scheduled pods updated");
      }
    }
    return Optional.empty();
  }

  /**
   * A StatefulSet's rollout is unfinished while fewer pods run its update revision than it means
   * to update. The revisions tell only under a RollingUpdate without partition: under OnDelete,
   * or with a partition left in place (a staged rollout), currentRevision never reaches
   * updateRevision (kubernetes/kubernetes#73492, #106055), and would read as a rollout forever.
   */
  private static Optional<String> statefulSetRollout(StatefulSet s, List<Pod> pods) {
    if (ScaleUpFromZero.applies(s)) {
      return Optional.empty();
    }
    String name = "StatefulSet " + ObjectKey.of(s);
    var status = s.getStatus();
    var strategy = s.getSpec() == null ? null : s.getSpec().getUpdateStrategy();
    int updated = status == null || status.getUpdatedReplicas() == null ? 0 : status.getUpdatedReplicas();
    int wanted = replicas(s.getSpec() == null ? null : s.getSpec().getReplicas());
    // updatedReplicas counts no terminating pod, so a drain of a node (or an eviction from a dead
    // one) reads as pods still to update. The pods' revisions say whether any is, where they carry
    // them: a terminating pod of the update's revision is merely replaced, one of another is the
    // rollout's step (the controller makes its successor at the update's). Without them, a
    // terminating pod is taken to be merely replaced.
    String updateRevision = status == null ? null : status.getUpdateRevision();
    if (strategy != null && "OnDelete".equals(strategy.getType())) {
      if (labelsRevisions(s, pods)) {
        return outdatedPod(s, pods, updateRevision, 0).map(p -> runsAnotherRevision(name, p, updateRevision)
            + " (updateStrategy OnDelete: a pod is updated once it is deleted)");
      }
      int settled = updated + terminating(s, pods, 0);
      return settled < wanted
          ? Optional.of(name + " rollout in progress: " + updated + "/" + wanted
              + " replicas updated (updateStrategy OnDelete: a pod is updated once it is deleted)")
          : Optional.empty();
    }
    Integer partition = strategy == null || strategy.getRollingUpdate() == null ? null
        : strategy.getRollingUpdate().getPartition();
    if (partition != null && partition > 0) {
      int toUpdate = Math.max(0, wanted - partition);
      String kept = " (partition " + partition + " keeps the others at the current revision)";
      if (labelsRevisions(s, pods)) {
        return outdatedPod(s, pods, updateRevision, partition).map(p -> runsAnotherRevision(name, p, updateRevision) + kept);
      }
      int settled = updated + terminating(s, pods, partition);
      return settled < toUpdate
          ? Optional.of(name + " rollout in progress: " + updated + "/" + toUpdate + " replicas updated" + kept)
          : Optional.empty();
    }
    // Under a RollingUpdate the controller moves currentRevision to updateRevision once the last
    // pod is updated. updatedReplicas says little with equal revisions: it counts no terminating
    // pod and no pod not yet created, so it falls short while a pod is replaced (a drained or dead
    // node) or added, with no new revision at all. A pod still of another revision is a rollout
    // though (a template reverted to currentRevision while a pod of the bad one is stuck).
    String current = status == null ? null : status.getCurrentRevision();
    if (updateRevision != null && !Objects.equals(updateRevision, current)) {
      return Optional.of(name + " rollout in progress: updateRevision " + updateRevision + ", currentRevision " + current);
    }
    return updateRevision == null ? Optional.empty() : pods.stream()
        .filter(p -> !PodHealth.isGone(p) && ownedBy(p, s) && ofAnotherRevision(p, updateRevision))
        .findFirst()
        .map(p -> runsAnotherRevision(name, p, updateRevision));
  }

  /** Whether the StatefulSet's pods carry their revision, as its controller labels every pod it creates. */
  private static boolean labelsRevisions(StatefulSet s, List<Pod> pods) {
    return pods.stream().anyMatch(p -> ownedBy(p, s) && p.getMetadata().getLabels() != null
        && p.getMetadata().getLabels().containsKey(REVISION_LABEL));
  }

  /**
   * A pod of index {@code from} or above, live or being deleted, that runs another revision than
   * the update's.
   */
  private static Optional<Pod> outdatedPod(StatefulSet s, List<Pod> pods, String updateRevision, int from) {
    return updateRevision == null ? Optional.empty() : pods.stream()
        .filter(p -> (!PodHealth.isGone(p) || PodHealth.isTerminating(p)) && ownedBy(p, s) && index(s, p) >= from)
        .filter(p -> ofAnotherRevision(p, updateRevision))
        .findFirst();
  }

  /** Whether a pod is labelled with a revision other than {@code updateRevision}. */
  private static boolean ofAnotherRevision(Pod p, String updateRevision) {
    Map<String, String> labels = p.getMetadata().getLabels();
    return labels != null && labels.containsKey(REVISION_LABEL) && !updateRevision.equals(labels.get(REVISION_LABEL));
  }

  /** "StatefulSet web/db rollout in progress: pod db-1 runs revision db-5d8f, not updateRevision db-7a1c". */
  private static String runsAnotherRevision(String name, Pod p, String updateRevision) {
    return name + " rollout in progress: pod " + p.getMetadata().getName() + " runs revision "
        + p.getMetadata().getLabels().get(REVISION_LABEL) + ", not updateRevision " + updateRevision;
  }

  /** The StatefulSet's pods of index {@code from} or above being deleted. */
  private static int terminating(StatefulSet s, List<Pod> pods, int from) {
    return (int) pods.stream().filter(p -> PodHealth.isTerminating(p) && ownedBy(p, s) && index(s, p) >= from).count();
  }

  /** The controller's label of a pod's ordinal (Kubernetes 1.28 and later). */
  private static final String POD_INDEX_LABEL = "apps.kubernetes.io/pod-index";

  /**
   * A StatefulSet pod's place, which its partition counts: its ordinal (its label, else the number
   * its name ends with) less the StatefulSet's {@code spec.ordinals.start}; the highest when unknown.
   */
  private static int index(StatefulSet s, Pod pod) {
    Map<String, String> labels = pod.getMetadata().getLabels();
    String podName = pod.getMetadata().getName() == null ? "" : pod.getMetadata().getName();
    String ordinal = labels != null && labels.containsKey(POD_INDEX_LABEL) ? labels.get(POD_INDEX_LABEL)
        : podName.substring(podName.lastIndexOf('-') + 1);
    Integer start = s.getSpec() == null || s.getSpec().getOrdinals() == null ? null : s.getSpec().getOrdinals().getStart();
    try {
      return Integer.parseInt(ordinal) - (start == null ? 0 : start);
    } catch (NumberFormatException e) {
      return Integer.MAX_VALUE;
    }
  }

  private static boolean ownedBy(Pod pod, StatefulSet s) {
    return Workloads.controller(pod).filter(o -> "StatefulSet".equals(o.getKind())
        && s.getMetadata().getName().equals(o.getName())).isPresent();
  }

  /** The StatefulSet controller's label of a pod's revision. */
  private static final String REVISION_LABEL = "controller-revision-hash";

  private static final Set<String> PAUSE_REASONS = Set.of("DeploymentPaused", "DeploymentResumed");

  private static Optional<String> deploymentRollout(Deployment d) {
    String name = "Deployment " + ObjectKey.of(d);
    var status = d.getStatus();
    Long generation = d.getMetadata().getGeneration();
    Long observed = status == null ? null : status.getObservedGeneration();
    if (generation != null && (observed == null || observed < generation)) {
      return Optional.of(name + " rollout not yet observed (generation " + generation
          + ", observedGeneration " + (observed == null ? "none" : observed) + ")");
    }
    int updated = status == null || status.getUpdatedReplicas() == null ? 0 : status.getUpdatedReplicas();
    int wanted = replicas(d.getSpec() == null ? null : d.getSpec().getReplicas());
    boolean paused = d.getSpec() != null && Boolean.TRUE.equals(d.getSpec().getPaused());
    if (updated < wanted) {
      return Optional.of(name + (paused ? " rollout paused (spec.paused): " : " rollout in progress: ")
          + updated + "/" + wanted + " replicas updated" + (paused ? ", and it goes no further until resumed" : ""));
    }
    Optional<DeploymentCondition> progressing = status == null || status.getConditions() == null
        ? Optional.empty()
        : status.getConditions().stream().filter(c -> "Progressing".equals(c.getType())).findFirst();
    int pods = status == null || status.getReplicas() == null ? 0 : status.getReplicas();
    if (progressing.isPresent() && PAUSE_REASONS.contains(progressing.get().getReason()) && pods <= updated) {
      // Pausing sets Progressing to DeploymentPaused, and resuming to DeploymentResumed until every
      // pod is available, whether or not anything was rolling out: with every pod of the new
      // template and none of an old one left, pods that fail now are not a rollout's.
      return Optional.empty();
    }
    if (progressing.isPresent() && !"NewReplicaSetAvailable".equals(progressing.get().getReason())) {
      String reason = progressing.get().getReason();
      return Optional.of(name + " rollout in progress: Progressing is " + (reason == null ? "without a reason yet" : reason));
    }
    return Optional.empty();
  }

  /**
   * The controller's words when a quota stops it from creating pods: a ReplicaSet's
   * ReplicaFailure/FailedCreate condition, else a FailedCreate Warning Event about a ReplicaSet,
   * StatefulSet or DaemonSet of the backend that still has fewer pods than it wants (an Event
   * outlives the problem by up to an hour; a workload that got its pods is past it), and only while
   * recent: a Deployment woken from zero is short of pods for a moment too, and an Event of the
   * evening's peak would name a quota that no longer stops it.
   */
  public static Optional<String> quotaExceeded(Workloads w, Instant now) {
    return failedCreate(w, WorkloadState::saysQuotaExceeded, e -> recent(e, now));
  }

  /**
   * The same words when something else stops the controller (Pod Security admission, a webhook,
   * a missing ServiceAccount): no reason of its own, but quoted beside the 503's, since the
   * rollout or the missing endpoints are its symptoms. An Event only while recent: it outlives
   * the problem by up to an hour, and a workload briefly short of pods (a StatefulSet starting
   * in order, a scale-up) would have an old refusal quoted after it was fixed.
   */
  public static Optional<String> cannotCreatePods(Workloads w, Instant now) {
    return failedCreate(w, message -> !saysQuotaExceeded(message), e -> recent(e, now));
  }

  /**
   * Whether the Event last occurred within {@link #RECENT_REFUSAL}: its series' last observation
   * (an Event written through the events.k8s.io API and repeated), else its lastTimestamp, else its
   * eventTime. One that carries no time at all cannot be aged, and counts.
   */
  private static boolean recent(Event e, Instant now) {
    String series = e.getSeries() == null || e.getSeries().getLastObservedTime() == null ? null
        : e.getSeries().getLastObservedTime().getTime();
    String time = series != null ? series : e.getLastTimestamp() != null ? e.getLastTimestamp()
        : e.getEventTime() != null ? e.getEventTime().getTime() : null;
    Instant last = KubernetesTimestamps.parse(time);
    if (last == null) {
      return true;
    }
    return now != null && Duration.between(last, now).compareTo(RECENT_REFUSAL) < 0;
  }

  private static Optional<String> failedCreate(Workloads w, Predicate<String> saying, Predicate<Event> current) {
    for (ReplicaSet rs : w.replicaSets()) {
      if (rs.getStatus() == null || rs.getStatus().getConditions() == null) {
        continue;
      }
      for (ReplicaSetCondition c : rs.getStatus().getConditions()) {
        if ("ReplicaFailure".equals(c.getType()) && "True".equals(c.getStatus())
            && "FailedCreate".equals(c.getReason()) && c.getMessage() != null && saying.test(c.getMessage())) {
          return Optional.of("ReplicaSet " + ObjectKey.of(rs) + " cannot create pods: " + c.getMessage());
        }
      }
    }
    for (Event e : w.failedCreateEvents()) {
      if (!"Warning".equals(e.getType()) || !"FailedCreate".equals(e.getReason()) || e.getMessage() == null
          || !saying.test(e.getMessage()) || e.getInvolvedObject() == null || !current.test(e)) {
        continue;
      }
      Optional<? extends HasMetadata> workload = shortOfPods(w, e.getInvolvedObject().getKind(), e.getInvolvedObject().getName());
      if (workload.isPresent()) {
        return Optional.of(e.getInvolvedObject().getKind() + " " + ObjectKey.of(workload.get())
            + " cannot create pods: " + e.getMessage());
      }
    }
    return Optional.empty();
  }

  private static Optional<? extends HasMetadata> shortOfPods(Workloads w, String kind, String name) {
    if (kind == null || name == null) {
      return Optional.empty();
    }
    return switch (kind) {
      case "ReplicaSet" -> w.replicaSets().stream().filter(rs -> name.equals(rs.getMetadata().getName()))
          .filter(rs -> current(rs.getStatus() == null ? null : rs.getStatus().getReplicas())
              < replicas(rs.getSpec() == null ? null : rs.getSpec().getReplicas()))
          .findFirst();
      case "StatefulSet" -> w.statefulSets().stream().filter(s -> name.equals(s.getMetadata().getName()))
          .filter(s -> current(s.getStatus() == null ? null : s.getStatus().getReplicas())
              < replicas(s.getSpec() == null ? null : s.getSpec().getReplicas()))
          .findFirst();
      case "DaemonSet" -> w.daemonSets().stream().filter(d -> name.equals(d.getMetadata().getName()))
          .filter(d -> d.getStatus() != null && current(d.getStatus().getCurrentNumberScheduled())
              < current(d.getStatus().getDesiredNumberScheduled()))
          .findFirst();
      default -> Optional.empty();
    };
  }

  private static boolean saysQuotaExceeded(String message) {
    return message != null && message.toLowerCase(Locale.ROOT).contains("exceeded quota");
  }

  /** An unset replicas field means 1, as the API server defaults it. */
  private static int replicas(Integer replicas) {
    return replicas == null ? 1 : replicas;
  }

  private static int current(Integer count) {
    return count == null ? 0 : count;
  }
}
