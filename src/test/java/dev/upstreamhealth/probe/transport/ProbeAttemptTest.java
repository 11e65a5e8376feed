package dev.upstreamhealth.probe.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.upstreamhealth.probe.ProbeLayer;
import dev.upstreamhealth.probe.ProbeTarget;
import dev.upstreamhealth.probe.Scheme;
import dev.upstreamhealth.probe.ProbeOutcome;
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

  /**
   * The first handshake found no suite in common and the second try, with the suites BoringSSL
   * lacks, never got to its own: its connect refused or timed out says nothing new, and the probe
   * ends as the handshake failure it was (a 525), not a refusal (521) or a 522.
   */
  @Test
  void aRetryThatNeverReachesItsHandshakeEndsAsTheFirstHandshakesFailure() throws Exception {
    ProbeTarget https = new ProbeTarget(ProbeLayer.ORIGIN, "127.0.0.1", 8443, Scheme.HTTPS, "shop.example.com", "/",
        Duration.ofSeconds(5), "");
    ProbeAttempt refused = new ProbeAttempt(https, a -> { });
    refused.enter(ProbePhase.CONNECTING);
    refused.enter(ProbePhase.HANDSHAKING);
    refused.firstHandshakeFailed(new javax.net.ssl.SSLHandshakeException("no cipher suites in common"));
    refused.enter(ProbePhase.CONNECTING);
    refused.failed(new ProbeFailure(ProbeOutcome.CONNECTION_REFUSED, "connection refused"));
    assertThat(refused.result().get().outcome()).isEqualTo(ProbeOutcome.TLS_FAILED);

    ProbeAttempt late = new ProbeAttempt(https, a -> { });
    late.firstHandshakeFailed(new javax.net.ssl.SSLHandshakeException("no cipher suites in common"));
    late.enter(ProbePhase.CONNECTING);
    late.deadlinePassed();
    assertThat(late.result().get().outcome()).isEqualTo(ProbeOutcome.TLS_FAILED);

    ProbeAttempt plain = new ProbeAttempt(https, a -> { });
    plain.enter(ProbePhase.CONNECTING);
    plain.failed(new ProbeFailure(ProbeOutcome.CONNECTION_REFUSED, "connection refused"));
    assertThat(plain.result().get().outcome()).as("no retry: a refusal is a refusal").isEqualTo(ProbeOutcome.CONNECTION_REFUSED);
  }
}
