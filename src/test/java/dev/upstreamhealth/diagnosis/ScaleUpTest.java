package dev.upstreamhealth.diagnosis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.upstreamhealth.api.ConditionStatus;
import dev.upstreamhealth.api.ConditionType;
import dev.upstreamhealth.api.Reason;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A scale-up while it happens (an HPA under load, KEDA waking a Deployment, a cluster autoscaler
 * or Karpenter bringing the node): the new replica has not run yet, and neither hides what the
 * pods that have run show nor counts as failing.
 */
class ScaleUpTest {

  private static void assertCondition(Verdict v, ConditionType type, ConditionStatus status, String reason) {
    assertThat(v.condition(type).status()).as(type.typeName()).isEqualTo(status);
    assertThat(v.condition(type).reason()).as(type.typeName()).isEqualTo(reason);
  }

  // ---------------------------------------------------------------- a new replica beside failing pods

  @Test
  void crashLoopingPodsBesideAReplicaWaitingForANodeAreUpstreamCrashLooping() {
    Verdict v = SiteWorld.healthy().podsCrashLooping("OOMKilled", 137)
        .replicaWaitingForANode("shop-web-7d9f-p9", Duration.ofMinutes(3)).diagnose();

    assertThat(v.fault().code()).isEqualTo("502");
    assertThat(v.reason()).isEqualTo("UpstreamCrashLooping");
    assertThat(v.message()).contains("2/2 pods of Service web/shop-web", "are in CrashLoopBackOff",
        "container app: OOMKilled", "1 more pod is Pending as Unschedulable: 0/3 nodes are available: 3 Insufficient memory.");
    assertCondition(v, ConditionType.SERVICE_UNAVAILABLE, ConditionStatus.FALSE, Reason.NO_FAULT);
  }

  @Test
  void crashLoopingPodsBesideAReplicaCreatingItsContainerAreUpstreamCrashLooping() {
    Verdict v = SiteWorld.healthy().podsCrashLooping("OOMKilled", 137)
        .replicaCreatingItsContainer("shop-web-7d9f-p9", Duration.ofSeconds(20)).diagnose();

    assertThat(v.reason()).isEqualTo("UpstreamCrashLooping");
    assertThat(v.message()).contains("2/2 pods of Service web/shop-web", "container app: OOMKilled", "1 more pod is still starting");
    assertCondition(v, ConditionType.SERVICE_UNAVAILABLE, ConditionStatus.FALSE, Reason.NO_FAULT);
  }

  @Test
  void crashLoopingPodsBesideAReplicaJustStartedAreUpstreamCrashLoopingNotFailingReadiness() {
    Verdict v = SiteWorld.healthy().podsCrashLooping("OOMKilled", 137).podStarting(Duration.ofSeconds(20)).diagnose();

    assertThat(v.fault().code()).isEqualTo("502");
    assertThat(v.reason()).isEqualTo("UpstreamCrashLooping");
    assertThat(v.message()).contains("2/2 pods of Service web/shop-web").doesNotContain("failing readiness");
    assertCondition(v, ConditionType.SERVICE_UNAVAILABLE, ConditionStatus.FALSE, Reason.NO_FAULT);
  }

  @Test
  void podsFailingReadinessBesideAReplicaWaitingForANodeAreNoReadyEndpointsQuotingTheScheduler() {
    Verdict v = SiteWorld.healthy().readinessFailing()
        .replicaWaitingForANode("shop-web-7d9f-p9", Duration.ofMinutes(3)).diagnose();

    assertThat(v.fault().code()).isEqualTo("503");
    assertThat(v.reason()).isEqualTo("NoReadyEndpoints");
    assertThat(v.message()).contains("2 pods running, failing readiness",
        "1 pod is Pending as Unschedulable: 0/3 nodes are available: 3 Insufficient memory.");
    assertCondition(v, ConditionType.BAD_GATEWAY, ConditionStatus.FALSE, Reason.NO_FAULT);
  }

  /** A migration Job's pod running with the app's labels serves no visitor: the pods waiting for a node stay the cause. */
  @Test
  void aRunningJobPodBesideReplicasWaitingForANodeIsNoPodThatRuns() {
    SiteWorld w = SiteWorld.healthy().failedJobPodLeft();
    w.pods.removeIf(p -> !p.getMetadata().getName().startsWith("shop-migrate"));
    w.pods.get(0).getStatus().setPhase("Running");
    w.pods.get(0).getStatus().getContainerStatuses().get(0).setState(
        new io.fabric8.kubernetes.api.model.ContainerStateBuilder().withNewRunning().endRunning().build());
    Verdict v = w.replicaWaitingForANode("shop-web-7d9f-p8", Duration.ofMinutes(3)).endpointsFromPods().diagnose();

    assertThat(v.reason()).as(v.message()).isEqualTo("PodsUnschedulable");
  }

  /** The control: with no pod running, the pods waiting for a node are the cause. */
  @Test
  void everyReplicaWaitingForANodeIsPodsUnschedulable() {
    SiteWorld w = SiteWorld.healthy();
    w.pods.clear();
    Verdict v = w.replicaWaitingForANode("shop-web-7d9f-p8", Duration.ofMinutes(3))
        .replicaWaitingForANode("shop-web-7d9f-p9", Duration.ofMinutes(3)).endpointsFromPods().diagnose();

    assertThat(v.reason()).isEqualTo("PodsUnschedulable");
    assertThat(v.message()).contains("2 pods are Pending as Unschedulable: 0/3 nodes are available");
    assertCondition(v, ConditionType.BAD_GATEWAY, ConditionStatus.FALSE, Reason.NO_FAULT);
  }

  /** The control: a pod that has run and fails readiness, not crashing, keeps the others from being all of them. */
  @Test
  void crashLoopingPodsBesideOneThatRunsAndFailsReadinessAreNotAllCrashing() {
    Verdict v = SiteWorld.healthy().podsCrashLooping("OOMKilled", 137).podStarting(Duration.ofMinutes(5)).diagnose();

    assertThat(v.reason()).isEqualTo("NoReadyEndpoints");
    assertCondition(v, ConditionType.BAD_GATEWAY, ConditionStatus.FALSE, Reason.NO_FAULT);
  }

  // ---------------------------------------------------------------- a new replica that waited for its node

  /** Created 4 minutes ago, on the node the cluster autoscaler brought for 30 s: starting, not failing. */
  @Test
  void aReplicaThatWaitedForANodeIsStartingForTwoMinutesFromWhenItsNodeTookIt() {
    Verdict v = SiteWorld.healthy()
        .replicaStartedOnItsNode("shop-web-7d9f-c3", "10.0.0.13", Duration.ofMinutes(4), Duration.ofSeconds(30)).diagnose();

    assertCondition(v, ConditionType.DEGRADED, ConditionStatus.FALSE, Reason.NO_FAULT);
    assertThat(v.reason()).isEqualTo(Reason.HEALTHY);
    assertThat(v.upstreams()).containsExactly(new UpstreamCount("web/shop-web", 2, 3));
  }

  /** The control: on its node for 3 minutes and still not ready, it is failing. */
  @Test
  void aReplicaNotReadyTwoMinutesAfterItsNodeTookItIsDegraded() {
    Verdict v = SiteWorld.healthy()
        .replicaStartedOnItsNode("shop-web-7d9f-c3", "10.0.0.13", Duration.ofMinutes(4), Duration.ofMinutes(3)).diagnose();

    assertCondition(v, ConditionType.DEGRADED, ConditionStatus.TRUE, "PartialUpstreamFailure");
    assertThat(v.condition(ConditionType.DEGRADED).message()).contains("2/3 endpoints", "pod shop-web-7d9f-c3");
  }

  /** Woken from zero, its one replica had to wait for a node: the 503 meanwhile says it is starting. */
  @Test
  void aReplicaWokenFromZeroThatWaitedForANodeIsDescribedAsStartingNotFailing() {
    SiteWorld w = SiteWorld.healthy();
    w.pods.clear();
    Verdict v = w.replicaStartedOnItsNode("shop-web-7d9f-k1", "10.0.0.11", Duration.ofMinutes(4), Duration.ofSeconds(30))
        .diagnose();

    assertThat(v.reason()).isEqualTo("NoReadyEndpoints");
    assertThat(v.message()).contains("1 pod running, starting: not ready yet (pod shop-web-7d9f-k1 created 240s ago, "
        + "started 30s ago)").doesNotContain("failing readiness");
  }

  @Test
  void aReplicaThatWaitedForANodeIsLookedAtAgainTwoMinutesAfterItsNodeTookIt() {
    SiteWorld w = SiteWorld.healthy()
        .replicaStartedOnItsNode("shop-web-7d9f-c3", "10.0.0.13", Duration.ofMinutes(4), Duration.ofSeconds(30));

    assertThat(StartingPods.untilFirstGraceEnds(w.snapshot())).contains(Duration.ofSeconds(90));
  }

  // ---------------------------------------------------------------- a StatefulSet woken from zero

  /** KEDA wakes a StatefulSet from zero: 0/2 updated for a moment, with no pod to replace. No rollout. */
  @Test
  void aStatefulSetWokenFromZeroIsNoRollout() {
    SiteWorld w = SiteWorld.healthy().ownedByStatefulSet(2, 0, "shop-web-5d8f", "shop-web-5d8f");
    w.pods.clear();
    Verdict v = w.endpointsFromPods().diagnose();

    assertThat(v.reason()).as(v.message()).isEqualTo("NoReadyEndpoints");
    assertThat(v.message()).contains("StatefulSet web/shop-web is starting 2 replicas from none")
        .doesNotContain("rollout", "matches no pod");
  }

  /** The control: a StatefulSet with pods of an older revision still to replace is rolling out. */
  @Test
  void aStatefulSetWithPodsOfTheOldRevisionIsARollout() {
    Verdict v = SiteWorld.healthy().ownedByStatefulSet(2, 2, "shop-web-5d8f", "shop-web-7a1c").readinessFailing()
        .diagnose();

    assertThat(v.reason()).isEqualTo("RolloutInProgress");
  }

  // ---------------------------------------------------------------- a Deployment woken from zero

  /** KEDA set replicas 0 → 1; the deployment controller has not observed it yet. */
  @Test
  void aDeploymentWokenFromZeroIsNoRolloutBeforeItsControllerObservesIt() {
    Verdict v = SiteWorld.healthy().wokenFromZero(1, 4, 3, 0).diagnose();

    assertThat(v.reason()).isEqualTo("NoReadyEndpoints");
    assertThat(v.message()).contains("Deployment web/shop-web is starting 1 replica from none: no pod created yet")
        .doesNotContain("rollout", "matches no pod");
    assertCondition(v, ConditionType.SERVICE_UNAVAILABLE, ConditionStatus.TRUE, "NoReadyEndpoints");
  }

  /** Observed: its ReplicaSet asks for the pod, which its status does not count yet (0/1 updated). */
  @Test
  void aDeploymentWokenFromZeroIsNoRolloutWhileItsPodIsCreated() {
    Verdict v = SiteWorld.healthy().wokenFromZero(2, 4, 4, 2).diagnose();

    assertThat(v.reason()).isEqualTo("NoReadyEndpoints");
    assertThat(v.message()).contains("Deployment web/shop-web is starting 2 replicas from none").doesNotContain("rollout");
  }

  /** Its template changed while at zero: the older ReplicaSet runs nothing, so there is nothing to roll from. */
  @Test
  void aDeploymentWokenFromZeroAfterATemplateChangeAtZeroIsNoRollout() {
    Verdict v = SiteWorld.healthy().wokenFromZero(1, 6, 5, 0).olderReplicaSet(0).diagnose();

    assertThat(v.reason()).isEqualTo("NoReadyEndpoints");
    assertThat(v.message()).doesNotContain("rollout");
  }

  /** The control: a template change with old pods running (failing readiness) is a rollout. */
  @Test
  void aTemplateChangeWithOldPodsRunningIsRolloutInProgress() {
    Verdict v = SiteWorld.healthy().readinessFailing()
        .deploymentIs(SiteWorld.deployment(2, 5, 4, 2, "NewReplicaSetAvailable")).diagnose();

    assertThat(v.reason()).isEqualTo("RolloutInProgress");
    assertThat(v.message()).contains("Deployment web/shop-web rollout not yet observed (generation 5, observedGeneration 4)");
  }

  /**
   * The control: an older ReplicaSet that still runs pods means a rollout, though the Deployment's
   * status (a watch of its own, which may lag the ReplicaSets') still counts none.
   */
  @Test
  void anOlderReplicaSetWithPodsMeansARolloutWhateverTheDeploymentsStatusSays() {
    Verdict v = SiteWorld.healthy().wokenFromZero(1, 6, 5, 0).olderReplicaSet(2).diagnose();

    assertThat(v.reason()).isEqualTo("RolloutInProgress");
  }

  /** The control: a new Deployment (no Progressing condition yet) is a rollout, its first. */
  @Test
  void aNewDeploymentIsRolloutInProgress() {
    SiteWorld w = SiteWorld.healthy().wokenFromZero(1, 1, 1, 1);
    w.deployments.get(0).getStatus().setConditions(new java.util.ArrayList<>());
    Verdict v = w.diagnose();

    assertThat(v.reason()).isEqualTo("RolloutInProgress");
  }
}
