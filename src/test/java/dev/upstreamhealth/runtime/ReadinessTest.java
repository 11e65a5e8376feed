package dev.upstreamhealth.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** What /readyz answers, in the order it asks: started, informers synced, then standby or the leader's caches. */
class ReadinessTest {
  private static final Optional<BooleanSupplier> STANDBY = Optional.of(() -> false);
  private static final Optional<BooleanSupplier> LEADER = Optional.of(() -> true);
  private static final Supplier<List<String>> NONE = List::of;

  /** JOSDK's runtime information waits for a start in progress: it must not be asked before. */
  private static final Supplier<List<String>> NOT_TO_BE_ASKED = () -> {
    throw new AssertionError("asked before the start returned");
  };

  @Test
  void aStandbyWhoseStartHasNotReturnedIsNotReady() {
    Readiness starting = new Readiness(() -> false, STANDBY, NOT_TO_BE_ASKED, NOT_TO_BE_ASKED);

    assertThat(starting.notReady()).contains("informers are starting");
  }

  @Test
  void aStandbyWithAnInformerNotSyncedIsNotReady() {
    Readiness standby = new Readiness(() -> true, STANDBY, () -> List.of("NetworkPolicy"), NOT_TO_BE_ASKED);

    assertThat(standby.notReady()).contains("informers not synced: [NetworkPolicy]");
  }

  /** A standby writes no status: caches beside the informers that it cannot fill yet hold up no rollout. */
  @Test
  void aStartedStandbyIsReady() {
    Readiness standby = new Readiness(() -> true, STANDBY, NONE, () -> List.of("GatewayApi"));

    assertThat(standby.notReady()).isEmpty();
  }

  @Test
  void theLeaderWaitsForItsCaches() {
    assertThat(new Readiness(() -> true, LEADER, NONE, () -> List.of("GatewayApi")).notReady())
        .contains("caches not filled: [GatewayApi]");
    assertThat(new Readiness(() -> true, LEADER, NONE, NONE).notReady()).isEmpty();
  }

  @Test
  void withoutLeaderElectionTheOneReplicaIsReadyOnceStartedAndFilled() {
    assertThat(new Readiness(() -> false, Optional.empty(), NOT_TO_BE_ASKED, NOT_TO_BE_ASKED).notReady())
        .contains("informers are starting");
    assertThat(new Readiness(() -> true, Optional.empty(), NONE, () -> List.of("GatewayApi")).notReady())
        .contains("caches not filled: [GatewayApi]");
    assertThat(new Readiness(() -> true, Optional.empty(), NONE, NONE).notReady()).isEmpty();
  }
}
