package dev.upstreamhealth.api;

/** The five condition types every Site status carries, in the order they are written. */
public enum ConditionType {
  READY("Ready"),
  ORIGIN_DOWN("OriginDown"),
  BAD_GATEWAY("BadGateway"),
  SERVICE_UNAVAILABLE("ServiceUnavailable"),
  DEGRADED("Degraded");

  private final String typeName;

  ConditionType(String typeName) {
    this.typeName = typeName;
  }

  /** The {@code type} field of the condition. */
  public String typeName() {
    return typeName;
  }

  /** Fault conditions are abnormal-true, like a Node's MemoryPressure. */
  public boolean isFaultCondition() {
    return this != READY;
  }
}
