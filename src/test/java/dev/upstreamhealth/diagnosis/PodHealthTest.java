package dev.upstreamhealth.diagnosis;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PodHealthTest {
  @Test
  void anInitContainerInCrashLoopBackOffIsACrashLoopingPod() {
    Pod pod = new PodBuilder().withNewMetadata().withName("shop-web-1").endMetadata()
        .withNewStatus().withPhase("Pending")
          .addNewInitContainerStatus().withName("migrate").withRestartCount(4)
            .withNewState().withNewWaiting().withReason("CrashLoopBackOff").endWaiting().endState()
            .withNewLastState().withNewTerminated().withReason("Error").withExitCode(1).endTerminated().endLastState()
          .endInitContainerStatus()
          .addNewContainerStatus().withName("app")
            .withNewState().withNewWaiting().withReason("PodInitializing").endWaiting().endState()
          .endContainerStatus()
        .endStatus().build();
    assertThat(PodHealth.crashCause(pod)).contains("container migrate: Error (exit code 1)");
    assertThat(PodHealth.isBackingOff(pod)).isTrue();
  }

  /** Running again after a run of {@code startedAt}..{@code finishedAt} that ended in error, 40 s ago. */
  private static Pod runningAgainAfterARun(String startedAt, String finishedAt) {
    return new PodBuilder().withNewMetadata().withName("shop-web-1").endMetadata()
        .withNewStatus().withPhase("Running")
          .addNewContainerStatus().withName("app").withReady(false).withRestartCount(4)
            .withNewState().withNewRunning().endRunning().endState()
            .withNewLastState().withNewTerminated().withReason("StartError").withExitCode(128)
              .withStartedAt(startedAt).withFinishedAt(finishedAt).endTerminated().endLastState()
          .endContainerStatus()
        .endStatus().build();
  }

  @Test
  void aRunTheRuntimeNeverStartedIsAShortRunOfALoop() {
    // containerd reports a container that failed to start as started at the epoch.
    Pod pod = runningAgainAfterARun("1970-01-01T00:00:00Z", "2025-03-04T11:59:20Z");

    assertThat(PodHealth.restartingAfterCrash(pod, Instant.parse("2025-03-04T12:00:00Z")))
        .hasValueSatisfying(m -> assertThat(m).contains("StartError", "running again after 4 restarts"));
  }

  @Test
  void aCrashAfterARunOfTenMinutesIsNoLoopAndOneOfNineIs() {
    Instant now = Instant.parse("2025-03-04T12:00:00Z");

    assertThat(PodHealth.restartingAfterCrash(runningAgainAfterARun("2025-03-04T11:49:20Z", "2025-03-04T11:59:20Z"), now))
        .isEmpty();
    assertThat(PodHealth.restartingAfterCrash(runningAgainAfterARun("2025-03-04T11:50:20Z", "2025-03-04T11:59:20Z"), now))
        .isPresent();
  }

  @Test
  void aCompletedInitContainerIsNoCrash() {
    Pod pod = new PodBuilder().withNewMetadata().withName("shop-web-1").endMetadata()
        .withNewStatus().withPhase("Running")
          .addNewInitContainerStatus().withName("migrate")
            .withNewState().withNewTerminated().withReason("Completed").withExitCode(0).endTerminated().endState()
          .endInitContainerStatus()
        .endStatus().build();
    assertThat(PodHealth.crashCause(pod)).isEmpty();
  }
}
