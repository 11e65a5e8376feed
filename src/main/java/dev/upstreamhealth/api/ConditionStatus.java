package dev.upstreamhealth.api;

public enum ConditionStatus {
  TRUE("True"),
  FALSE("False"),
  UNKNOWN("Unknown");

  private final String text;

  ConditionStatus(String text) {
    this.text = text;
  }

  /** The {@code status} field of a metav1.Condition. */
  public String text() {
    return text;
  }
}
