package dev.upstreamhealth.diagnosis;

import dev.upstreamhealth.api.ConditionStatus;
import dev.upstreamhealth.api.ConditionType;
import dev.upstreamhealth.api.Evidence;

/**
 * What one condition should say; the status writer adds times and generations.
 *
 * @param evidence what the condition's status rests on; null when nothing was found (no fault)
 */
public record ConditionVerdict(ConditionType type, ConditionStatus status, String reason, String message,
    Evidence evidence) {

  public ConditionVerdict(ConditionType type, ConditionStatus status, String reason, String message) {
    this(type, status, reason, message, null);
  }

  public boolean isTrue() {
    return status == ConditionStatus.TRUE;
  }

  /** Whether what this condition says came from probes, and so waits for probes after a restart. */
  public boolean restsOnProbes() {
    return evidence == Evidence.PROBE;
  }
}
