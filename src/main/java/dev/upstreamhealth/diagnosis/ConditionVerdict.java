package dev.upstreamhealth.diagnosis;

/** What one condition should say; the status writer adds times and generations. */
public record ConditionVerdict(ConditionType type, ConditionStatus status, String reason, String message) {

  public boolean isTrue() {
    return status == ConditionStatus.TRUE;
  }
}
