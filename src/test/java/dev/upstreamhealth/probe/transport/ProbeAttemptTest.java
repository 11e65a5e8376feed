package dev.upstreamhealth.probe.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.upstreamhealth.probe.ProbeLayer;
import dev.upstreamhealth.probe.ProbeTarget;
import dev.upstreamhealth.probe.Scheme;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A probe's start is handed to an event loop that may be busy: its deadline must count from when
 * the probe began, so that the wait for the loop is part of the timeout, not added to it.
 */
class ProbeAttemptTest {
  private static ProbeTarget target(Duration timeout) {
    return new ProbeTarget(ProbeLayer.ORIGIN, "127.0.0.1", 8080, Scheme.HTTP, "shop.example.com", "/", timeout, "");
  }

  @Test
  void theTimeLeftShrinksWithTheTimeSinceTheProbeBegan() {
    Duration timeout = Duration.ofSeconds(30);
    ProbeAttempt attempt = new ProbeAttempt(target(timeout), a -> { });
    long began = System.nanoTime(); // read after the attempt began: the attempt is at least this old
    await().atMost(Duration.ofSeconds(5)).until(() -> System.nanoTime() - began >= Duration.ofMillis(100).toNanos());

    long left = attempt.nanosToDeadline();

    assertThat(left).isPositive().isLessThanOrEqualTo(timeout.minusMillis(100).toNanos());
  }

  @Test
  void aProbeWhoseTimeoutPassedBeforeItsLoopGotToItHasNoTimeLeftNotANegativeDelay() {
    Duration timeout = Duration.ofMillis(1);
    ProbeAttempt attempt = new ProbeAttempt(target(timeout), a -> { });
    long began = System.nanoTime();
    await().atMost(Duration.ofSeconds(5)).until(() -> System.nanoTime() - began >= Duration.ofMillis(5).toNanos());

    assertThat(attempt.nanosToDeadline()).isZero();
  }
}
