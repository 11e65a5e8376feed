package dev.upstreamhealth.diagnosis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.upstreamhealth.api.Fault;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import org.junit.jupiter.api.Test;

/**
 * {@code kubectl rollout pause} sets the Deployment's Progressing condition to DeploymentPaused,
 * and resuming to DeploymentResumed until every pod is available, whether or not a rollout was
 * under way. Pods that fail then are no rollout's unless one is.
 */
class PausedRolloutTest {

  @Test
  void aPausedDeploymentWhoseRolloutHadFinishedIsNoRolloutInProgress() {
    Verdict v = SiteWorld.healthy().readinessFailing().deploymentIs(paused(2, 2, 2, "DeploymentPaused", true)).diagnose();

    assertThat(v.fault()).isEqualTo(Fault.SERVICE_UNAVAILABLE);
    assertThat(v.reason()).isEqualTo("NoReadyEndpoints");
    assertThat(v.message()).doesNotContain("rollout");
  }

  @Test
  void aResumedDeploymentWithNoOldPodLeftIsNoRolloutInProgress() {
    Verdict v = SiteWorld.healthy().readinessFailing().deploymentIs(paused(2, 2, 2, "DeploymentResumed", false)).diagnose();

    assertThat(v.reason()).isEqualTo("NoReadyEndpoints");
  }

  @Test
  void aRolloutPausedHalfWaySaysItGoesNoFurtherUntilResumed() {
    Verdict v = SiteWorld.healthy().readinessFailing().deploymentIs(paused(2, 1, 3, "DeploymentPaused", true)).diagnose();

    assertThat(v.reason()).isEqualTo("RolloutInProgress");
    assertThat(v.message()).contains("Deployment web/shop-web rollout paused (spec.paused): 1/2 replicas updated,"
        + " and it goes no further until resumed");
  }

  /** Resumed with pods of the old template still running: the rollout is under way again. */
  @Test
  void aResumedRolloutWithOldPodsLeftIsStillInProgress() {
    Verdict v = SiteWorld.healthy().readinessFailing().deploymentIs(paused(2, 2, 3, "DeploymentResumed", false)).diagnose();

    assertThat(v.reason()).isEqualTo("RolloutInProgress");
    assertThat(v.message()).contains("Progressing is DeploymentResumed");
  }

  private static Deployment paused(int replicas, int updated, int pods, String progressing, boolean paused) {
    return new DeploymentBuilder(SiteWorld.deployment(replicas, 5L, 5L, updated, progressing))
        .editSpec().withPaused(paused).endSpec()
        .editStatus().withReplicas(pods).endStatus().build();
  }
}
