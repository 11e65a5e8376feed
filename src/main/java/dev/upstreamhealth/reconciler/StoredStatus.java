package dev.upstreamhealth.reconciler;

import dev.upstreamhealth.api.ConditionType;
import dev.upstreamhealth.api.Evidence;
import dev.upstreamhealth.api.Fault;
import dev.upstreamhealth.api.Reason;
import dev.upstreamhealth.api.SiteStatus;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.Optional;

/** What a Site's stored status showed, and on what evidence: read back after a restart or a repair. */
final class StoredStatus {
  private StoredStatus() {}

  static Optional<Condition> condition(SiteStatus status, ConditionType type) {
    return status.getConditions() == null ? Optional.empty()
        : status.getConditions().stream().filter(c -> type.typeName().equals(c.getType())).findFirst();
  }

  /**
   * Whether what the stored condition shows came from probes: as recorded with it, or, for a
   * status written before that was recorded, because its reason only probes can give.
   */
  static boolean fromProbes(SiteStatus stored, ConditionType type, Condition condition) {
    if (stored.getConditionsFromProbes() != null && stored.getConditionsFromProbes().contains(type.typeName())) {
      return true;
    }
    if (type == ConditionType.READY && Reason.HEALTHY.equals(condition.getReason())) {
      return true; // Healthy needs the origin probe's success
    }
    return Reason.named(condition.getReason())
        .map(reason -> reason.evidence() == Evidence.PROBE && reason != Reason.AWAITING_FIRST_PROBE)
        .orElse(false);
  }

  /** Whether it shows a fault (not None, not Unknown) that cluster state decided. */
  static boolean showsStateFault(SiteStatus stored) {
    return showsAFault(stored) && condition(stored, ConditionType.READY)
        .map(ready -> !fromProbes(stored, ConditionType.READY, ready)).orElse(false);
  }

  /** A fault visitors get: not None, not Unknown. */
  private static boolean showsAFault(SiteStatus stored) {
    return stored != null && stored.getFault() != null && !Fault.NONE.code().equals(stored.getFault())
        && !Fault.UNKNOWN.code().equals(stored.getFault());
  }

  /**
   * Whether it shows a fault whose cause is read from cluster state, decided on that alone
   * ({@link #showsStateFault}) or with a probe's confirmation (NetworkPolicies that drop the probe
   * too are shown once it confirms so): a repair of that state leaves the probe's failure behind.
   */
  static boolean showsStateCause(SiteStatus stored) {
    return showsStateFault(stored) || (showsAFault(stored)
        && Reason.named(stored.getReason()).map(r -> r.evidence() == Evidence.CLUSTER_STATE).orElse(false));
  }
}
