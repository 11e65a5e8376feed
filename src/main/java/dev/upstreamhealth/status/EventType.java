package dev.upstreamhealth.status;

/** The {@code type} of a Kubernetes Event: Warning for a fault, Normal for its recovery. */
public enum EventType {
  WARNING("Warning"),
  NORMAL("Normal");

  private final String text;

  EventType(String text) {
    this.text = text;
  }

  /** The {@code type} field of the Event. */
  public String text() {
    return text;
  }
}
