package dev.upstreamhealth.probe;

import java.time.Instant;

/**
 * The history of one target that matters to the diagnosis.
 *
 * @param last the most recent result that is evidence about the target ({@link
 *     ProbeOutcome#isEvidence}); a failed name lookup is only logged ({@link FailedLookups})
 * @param confirmed the result that counts: the latest failure once {@code failureThreshold}
 *     consecutive failures were seen, or the latest success once {@code successThreshold}
 *     consecutive successes were; null until either threshold has been reached. Its certificate
 *     is the one counted, which may be another replica's ({@code certificateSeenAt})
 * @param confirmedSuccess whether {@code confirmed} is a success
 * @param lastFailure the most recent failed result, kept through the successes after it: what a
 *     failure still counted elsewhere (the origin's) was caused by, until that one is probed again
 * @param failuresOfLastKind how many of the consecutive failures, counted back from {@code last},
 *     are of its kind ({@link ProbeTracker#sameFailure}); 0 after a success
 * @param certificateSeenAt when a probe last met the certificate {@code confirmed} counts, which
 *     may be one that expires sooner than the one its own probe met ({@link
 *     ProbeTracker#certificateHeld}); null when none is counted
 */
public record TrackedProbe(
    ProbeTarget target,
    ProbeResult last,
    ProbeResult confirmed,
    boolean confirmedSuccess,
    int consecutiveFailures,
    int consecutiveSuccesses,
    ProbeResult lastFailure,
    int failuresOfLastKind,
    Instant certificateSeenAt) {

  public TrackedProbe(ProbeTarget target, ProbeResult last, ProbeResult confirmed, boolean confirmedSuccess,
      int consecutiveFailures, int consecutiveSuccesses, ProbeResult lastFailure, int failuresOfLastKind) {
    this(target, last, confirmed, confirmedSuccess, consecutiveFailures, consecutiveSuccesses, lastFailure,
        failuresOfLastKind, confirmed == null || confirmed.trace().certificate() == null ? null : confirmed.finishedAt());
  }

  /** The same history, for a target now probed another way that keeps it (another timeout, say). */
  public TrackedProbe withTarget(ProbeTarget next) {
    return new TrackedProbe(next, last, confirmed, confirmedSuccess, consecutiveFailures, consecutiveSuccesses,
        lastFailure, failuresOfLastKind, certificateSeenAt);
  }

  public boolean isConfirmed() {
    return confirmed != null;
  }

  public boolean confirmedFailure() {
    return confirmed != null && !confirmedSuccess;
  }

  /**
   * The latest results disagree with what counts: failures not yet confirmed, or successes after
   * a confirmed failure. The next probes decide whether the conclusion changes.
   */
  public boolean deciding() {
    return confirmedFailure() ? consecutiveSuccesses > 0 : consecutiveFailures > 0;
  }
}
