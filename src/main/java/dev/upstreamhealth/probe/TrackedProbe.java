package dev.upstreamhealth.probe;

/**
 * The history of one target that matters to the diagnosis.
 *
 * @param last the most recent result that is evidence about the target ({@link
 *     ProbeOutcome#isEvidence}); a failed name lookup is only logged ({@link FailedLookups})
 * @param confirmed the result that counts: the latest failure once {@code failureThreshold}
 *     consecutive failures were seen, or the latest success once {@code successThreshold}
 *     consecutive successes were; null until either threshold has been reached
 * @param confirmedSuccess whether {@code confirmed} is a success
 * @param lastFailure the most recent failed result, kept through the successes after it: what a
 *     failure still counted elsewhere (the origin's) was caused by, until that one is probed again
 * @param failuresOfLastKind how many of the consecutive failures, counted back from {@code last},
 *     are of its kind ({@link ProbeTracker#sameFailure}); 0 after a success
 */
public record TrackedProbe(
    ProbeTarget target,
    ProbeResult last,
    ProbeResult confirmed,
    boolean confirmedSuccess,
    int consecutiveFailures,
    int consecutiveSuccesses,
    ProbeResult lastFailure,
    int failuresOfLastKind) {

  /** The same history, for a target now probed another way that keeps it (another timeout, say). */
  public TrackedProbe withTarget(ProbeTarget next) {
    return new TrackedProbe(next, last, confirmed, confirmedSuccess, consecutiveFailures, consecutiveSuccesses,
        lastFailure, failuresOfLastKind);
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
