package dev.upstreamhealth.probe;

import io.netty.channel.Channel;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * One probe in progress. Whatever happens first (the head, an error, the close, the deadline)
 * completes it, exactly once; everything later is ignored.
 */
final class ProbeAttempt {
  private final ProbeTarget target;
  private final long startNanos = System.nanoTime();
  private final CompletableFuture<ProbeResult> result = new CompletableFuture<>();
  private final AtomicBoolean finished = new AtomicBoolean();
  private final Consumer<ProbeAttempt> onFinished;
  private volatile ProbePhase phase = ProbePhase.RESOLVING;
  private volatile Channel channel;
  private volatile Future<?> deadline;
  private volatile long bytesReceived;

  ProbeAttempt(ProbeTarget target, Consumer<ProbeAttempt> onFinished) {
    this.target = target;
    this.onFinished = onFinished;
  }

  ProbeTarget target() {
    return target;
  }

  CompletableFuture<ProbeResult> result() {
    return result;
  }

  boolean isFinished() {
    return finished.get();
  }

  ProbePhase phase() {
    return phase;
  }

  void enter(ProbePhase next) {
    phase = next;
  }

  long bytesReceived() {
    return bytesReceived;
  }

  /** Called on the channel's event loop only. */
  void received(int bytes) {
    bytesReceived += bytes;
  }

  void deadline(Future<?> timer) {
    deadline = timer;
    if (finished.get()) {
      timer.cancel(false);
    }
  }

  /** Ties the connection to this attempt; if the attempt already ended, the connection goes too. */
  void attach(Channel ch) {
    channel = ch;
    if (finished.get()) {
      ch.close();
    }
  }

  void responded(int statusCode, boolean retryAfter) {
    finish(ProbeOutcome.RESPONDED, statusCode, retryAfter, "");
  }

  void failed(ProbeFailure failure) {
    finish(failure.outcome(), 0, false, failure.detail());
  }

  void failed(Throwable cause) {
    failed(FailureClassifier.classify(cause, phase, target));
  }

  void deadlinePassed() {
    failed(FailureClassifier.deadlinePassed(phase, target, bytesReceived));
  }

  void closedEarly() {
    failed(FailureClassifier.closedEarly(phase, target, bytesReceived));
  }

  private void finish(ProbeOutcome outcome, int statusCode, boolean retryAfter, String detail) {
    if (!finished.compareAndSet(false, true)) {
      return;
    }
    Duration latency = Duration.ofNanos(System.nanoTime() - startNanos);
    Future<?> timer = deadline;
    if (timer != null) {
      timer.cancel(false);
    }
    Channel ch = channel;
    if (ch != null) {
      ch.close(); // the body is not needed, and Connection: close was asked for anyway
    }
    onFinished.accept(this);
    result.complete(new ProbeResult(target, outcome, statusCode, retryAfter, latency, detail, Instant.now()));
  }
}
