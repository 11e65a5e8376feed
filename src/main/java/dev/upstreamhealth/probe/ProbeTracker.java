package dev.upstreamhealth.probe;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * Hysteresis for one Site's targets: a probe fault counts only after {@code failureThreshold}
 * consecutive failures and clears only after {@code successThreshold} consecutive successes, so a
 * single lost packet neither raises nor clears an alarm. A result that is no evidence about its
 * target ({@link ProbeOutcome#isEvidence}: the name got no answer) leaves the history as it was.
 * Pure: it folds results into values.
 */
public final class ProbeTracker {
  /**
   * How long, at least, a certificate that expires sooner than the one just met stays counted
   * after a probe last met it. Replicas behind one address may present different certificates
   * (one pod not yet reloaded after a renewal, an origin whose pods load theirs at start): each
   * probe meets either, and counting the latest would change the Site's conclusion, and write its
   * status, at nearly every probe. The soonest to expire is the one a visitor may be served and
   * the one to warn of; a renewal everywhere shows once the old certificate has not been met for
   * this long, or for {@link #CERTIFICATE_HELD_PROBES} intervals where those are longer.
   */
  static final Duration SOONER_CERTIFICATE_HELD = Duration.ofHours(1);
  /** Probes in a row that miss one replica of a few by chance alone are rare at twelve. */
  static final int CERTIFICATE_HELD_PROBES = 12;

  private final int failureThreshold;
  private final int successThreshold;
  private final Predicate<ProbeResult> isSuccess;
  private final UnaryOperator<ProbeResult> reading;
  private final Duration certificateHeld;

  public ProbeTracker(int failureThreshold, int successThreshold, Predicate<ProbeResult> isSuccess) {
    this(failureThreshold, successThreshold, isSuccess, UnaryOperator.identity(), SOONER_CERTIFICATE_HELD);
  }

  private ProbeTracker(int failureThreshold, int successThreshold, Predicate<ProbeResult> isSuccess,
      UnaryOperator<ProbeResult> reading, Duration certificateHeld) {
    this.failureThreshold = Math.max(1, failureThreshold);
    this.successThreshold = Math.max(1, successThreshold);
    this.isSuccess = Objects.requireNonNull(isSuccess, "isSuccess");
    this.reading = reading;
    this.certificateHeld = certificateHeld;
  }

  /** Counts as the plan judges, each result first read as the plan means it ({@link ProbePlan#read}). */
  public static ProbeTracker of(ProbePlan plan) {
    return new ProbeTracker(plan.failureThreshold(), plan.successThreshold(), plan::isSuccess, plan::read,
        certificateHeld(plan.interval()));
  }

  /** How long a sooner certificate stays counted after it was last met, for probes this far apart. */
  static Duration certificateHeld(Duration interval) {
    Duration probes = interval.multipliedBy(CERTIFICATE_HELD_PROBES);
    return probes.compareTo(SOONER_CERTIFICATE_HELD) > 0 ? probes : SOONER_CERTIFICATE_HELD;
  }

  /** A target not probed yet. */
  public static TrackedProbe untried(ProbeTarget target) {
    return new TrackedProbe(target, null, null, false, 0, 0, null, 0);
  }

  /** The previous history with one more result; {@code conclusionChanged} says whether it matters. */
  public Folded fold(TrackedProbe previous, ProbeResult seen) {
    ProbeResult result = reading.apply(seen);
    if (!result.outcome().isEvidence()) {
      // Neither a failure nor a success: a resolver that is down must not page (the CDN resolves
      // through public DNS and serves visitors meanwhile), nor clear a fault it knows nothing of.
      return new Folded(previous, false);
    }
    boolean success = isSuccess.test(result);
    int failures = success ? 0 : previous.consecutiveFailures() + 1;
    int successes = success ? previous.consecutiveSuccesses() + 1 : 0;
    int ofThisKind = success ? 0
        : previous.consecutiveFailures() > 0 && sameFailure(previous.last(), result) ? previous.failuresOfLastKind() + 1 : 1;
    ProbeResult confirmed = previous.confirmed();
    boolean confirmedSuccess = previous.confirmedSuccess();
    if (success && successes >= successThreshold) {
      confirmed = result;
      confirmedSuccess = true;
    } else if (!success && result.outcome() == ProbeOutcome.NOT_PROBED) {
      // A policy refusal is no flaky network: it stands from the first probe.
      confirmed = result;
      confirmedSuccess = false;
    } else if (!success && failures >= failureThreshold && (!previous.confirmedFailure()
        || sameFailure(previous.confirmed(), result) || ofThisKind >= failureThreshold
        || answersAgain(previous.confirmed(), result))) {
      // A confirmed failure takes another kind only once that kind has been seen failureThreshold
      // times in a row: an overloaded origin that answers 502, 503 and 504 in turn would otherwise
      // change the Site's reason, and its fault class, at every probe (a Warning each, and every
      // alert's 'for' started over), while its visitors get errors all along. An origin that
      // answers again after failing without an answer (refused, timed out, its TLS failing) has
      // changed for real, whatever it answers now: that is taken at once.
      confirmed = result;
      confirmedSuccess = false;
    }
    Instant certificateSeenAt = previous.certificateSeenAt();
    ProbeTrace.PresentedCertificate counted = previous.confirmed() == null ? null : previous.confirmed().trace().certificate();
    if (counted != null && result.trace().certificate() != null && result.finishedAt() != null
        && result.trace().certificate().notAfter().equals(counted.notAfter())) {
      certificateSeenAt = result.finishedAt(); // met again, by a success or a failure alike
    }
    if (confirmed != previous.confirmed()) {
      if (confirmedSuccess == previous.confirmedSuccess()
          && holdsSoonerCertificate(previous, counted, certificateSeenAt, confirmed)) {
        confirmed = confirmed.withCertificate(counted);
      } else {
        certificateSeenAt = confirmed.trace().certificate() == null ? null : confirmed.finishedAt();
      }
    }
    ProbeResult lastFailure = success ? previous.lastFailure() : result;
    TrackedProbe next = new TrackedProbe(previous.target(), result, confirmed, confirmedSuccess, failures, successes,
        lastFailure, ofThisKind, certificateSeenAt);
    return new Folded(next, conclusionChanged(previous, next));
  }

  /**
   * Whether the diagnosis could read {@code after} differently from {@code before}: confirmation
   * appears or flips, or the confirmed failure is of another kind. Latency and detail never count,
   * else every probe would look like news.
   */
  public static boolean conclusionChanged(TrackedProbe before, TrackedProbe after) {
    if (before.isConfirmed() != after.isConfirmed()) {
      return true;
    }
    if (!after.isConfirmed()) {
      return false;
    }
    if (before.confirmedSuccess() != after.confirmedSuccess()) {
      return true;
    }
    ProbeResult a = before.confirmed();
    ProbeResult b = after.confirmed();
    if (after.confirmedSuccess()) {
      // The origin's certificate renewed, or a day nearer its expiry: at most once a day per Site.
      // Or its answer now turns the probe away, or no longer does: what the upstream probes mean changes.
      return after.target().layer() == ProbeLayer.ORIGIN && (a.turnedAway() != b.turnedAway()
          || !a.certificateDaysLeft().equals(b.certificateDaysLeft()) || !sameCertificate(a, b));
    }
    // A certificate renewed while the origin fails for another reason: its expiry, shown and
    // measured, follows the new one. Only between two that were seen: a failure that got no
    // certificate (a reset before the handshake) says nothing of it.
    return !sameFailure(a, b) || after.target().layer() == ProbeLayer.ORIGIN
        && a.trace().certificate() != null && b.trace().certificate() != null && !sameCertificate(a, b);
  }

  /**
   * Whether the origin's {@code counted} certificate stays counted over the one {@code next}
   * presents: {@code next} answers as the result counted did (outcome, status, who answered:
   * {@link #sameFailure} reads successes that way too), its certificate expires later, and a
   * probe met the counted one less than {@link #certificateHeld} before it. Any other change is
   * taken as it comes.
   */
  private boolean holdsSoonerCertificate(TrackedProbe previous, ProbeTrace.PresentedCertificate counted,
      Instant countedSeenAt, ProbeResult next) {
    ProbeTrace.PresentedCertificate seen = next.trace().certificate();
    return previous.target().layer() == ProbeLayer.ORIGIN && counted != null && seen != null
        && seen.notAfter().isAfter(counted.notAfter()) && sameFailure(previous.confirmed(), next)
        && countedSeenAt != null && next.finishedAt() != null
        && Duration.between(countedSeenAt, next.finishedAt()).compareTo(certificateHeld) < 0;
  }

  private static boolean answersAgain(ProbeResult confirmed, ProbeResult result) {
    return !confirmed.responded() && result.responded();
  }

  /**
   * Whether two failures read the same: the same outcome, status, Retry-After and who answered,
   * and for a certificate or a policy refusal the same words (another certificate, another rule).
   */
  static boolean sameFailure(ProbeResult a, ProbeResult b) {
    return a.outcome() == b.outcome() && a.statusCode() == b.statusCode() && a.retryAfter() == b.retryAfter()
        && a.trace().answeredBy() == b.trace().answeredBy() && (Objects.equals(a.detail(), b.detail())
            || b.outcome() != ProbeOutcome.CERTIFICATE_INVALID && b.outcome() != ProbeOutcome.NOT_PROBED);
  }

  private static boolean sameCertificate(ProbeResult a, ProbeResult b) {
    return Objects.equals(a.trace().certificate() == null ? null : a.trace().certificate().notAfter(),
        b.trace().certificate() == null ? null : b.trace().certificate().notAfter());
  }

  /** @param probe the history after the new result */
  public record Folded(TrackedProbe probe, boolean conclusionChanged) {}
}
