package dev.upstreamhealth.probe;

import java.time.Duration;
import java.util.Optional;

/**
 * Whether probes keep to their schedule: the rounds lost because a target's previous probe was
 * still waiting for a slot or running when the next was due, and how late the timer ran. Told as
 * one line per period when there is something to tell, because a lost round of a failing target
 * delays its fault by a whole interval, and the cure (more slots or more CPU) is the user's.
 *
 * <p>Not thread-safe: the scheduler holds its lock around every call.
 */
final class ProbeBacklog {
  private long rounds;
  private long skipped;
  private long latestNanos;

  /** A target's round came due, {@code lateNanos} after it should have. */
  void due(long lateNanos) {
    rounds++;
    latestNanos = Math.max(latestNanos, lateNanos);
  }

  /** The round just due is lost: the previous one has not finished. */
  void skipped() {
    skipped++;
  }

  /** What the period since the last call saw, if any round was lost or ran a second late; then starts a new period. */
  Optional<String> periodEnded(Duration period) {
    Optional<String> summary = skipped == 0 && latestNanos < Duration.ofSeconds(1).toNanos()
        ? Optional.empty()
        : Optional.of(String.format("probes are behind: in the last %d s, %,d of %,d rounds were skipped because the"
            + " target's previous probe was still waiting for a slot or running, and the timer ran up to %.1f s late"
            + " (more --probe-max-concurrency helps when slots are short, more CPU when the process is busy)",
            period.toSeconds(), skipped, rounds, latestNanos / 1e9));
    rounds = 0;
    skipped = 0;
    latestNanos = 0;
    return summary;
  }
}
