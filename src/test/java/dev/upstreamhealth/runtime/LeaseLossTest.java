package dev.upstreamhealth.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** A lost Lease ends the process; a stop on purpose does not try to, from the shutdown hook. */
class LeaseLossTest {
  private final List<String> exits = new CopyOnWriteArrayList<>();

  @Test
  void aLeaseLostWhileRunningEndsTheProcessFromAThreadOfItsOwn() {
    LeaseLoss loss = new LeaseLoss(true, () -> exits.add(Thread.currentThread().getName()));

    loss.stoppedLeading();

    await().atMost(Duration.ofSeconds(2)).until(() -> exits.size() == 1);
    assertThat(exits).containsExactly("exit-on-lease-loss");
  }

  @Test
  void leadingEndedByStoppingIsNoLoss() {
    LeaseLoss loss = new LeaseLoss(true, () -> exits.add(Thread.currentThread().getName()));

    loss.stopping();
    loss.stoppedLeading();

    await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(1)).until(exits::isEmpty);
  }

  @Test
  void withoutExitOnLossTheProcessStays() {
    LeaseLoss loss = new LeaseLoss(false, () -> exits.add(Thread.currentThread().getName()));

    loss.stoppedLeading();

    await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(1)).until(exits::isEmpty);
  }
}
