package dev.upstreamhealth.diagnosis;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
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
