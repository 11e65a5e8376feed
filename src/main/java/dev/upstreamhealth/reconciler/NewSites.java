package dev.upstreamhealth.reconciler;

import dev.upstreamhealth.api.Fault;
import dev.upstreamhealth.api.Reason;
import dev.upstreamhealth.api.Site;
import dev.upstreamhealth.api.SiteStatus;
import dev.upstreamhealth.diagnosis.Diagnosis;
import dev.upstreamhealth.diagnosis.KubernetesTimestamps;
import dev.upstreamhealth.diagnosis.Verdict;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A Site applied in the same breath as its Ingress, Services and workloads (one Argo CD sync,
 * one Helm release) can be reconciled before those objects reach the operator's caches; read
 * then, it would show IngressNotFound or GatewayDown and send a Warning for a fault nobody
 * has. So a Site that has not shown a verdict yet shows no fault in its first seconds: it stays
 * waiting, and is looked at again when they are over. An invalid spec is shown at once.
 */
final class NewSites {
  static final Duration SETTLE = Duration.ofSeconds(5);

  private NewSites() {
  }

  /** How long this Site must still wait before it may show a fault; empty once it may. */
  static Optional<Duration> settling(Site site, SiteStatus previous, Instant now) {
    if (previous != null && !Reason.AWAITING_FIRST_PROBE.reasonName().equals(previous.getReason())) {
      return Optional.empty(); // it has shown a verdict: what it shows now is news
    }
    Instant created = created(site);
    if (created == null) {
      return Optional.empty();
    }
    Duration left = Duration.between(now, created.plus(SETTLE));
    return left.isNegative() || left.isZero() ? Optional.empty() : Optional.of(left);
  }

  /** The verdict to show while settling: waiting instead of a fault, anything else as it is. */
  static Verdict shown(Verdict verdict) {
    boolean fault = verdict.fault() != Fault.NONE && verdict.fault() != Fault.UNKNOWN;
    if (!fault) {
      return verdict;
    }
    return Diagnosis.waiting("new Site: no fault is shown in its first " + SETTLE.toSeconds()
        + " s, while the objects applied with it reach the caches (so far: " + verdict.reason() + ")");
  }

  private static Instant created(Site site) {
    return KubernetesTimestamps.parse(site.getMetadata() == null ? null : site.getMetadata().getCreationTimestamp());
  }
}
