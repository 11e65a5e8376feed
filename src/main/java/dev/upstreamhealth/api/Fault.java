package dev.upstreamhealth.api;

import java.util.Optional;

/** The error a visitor coming through the CDN would get now, as {@code status.fault} shows it. */
public enum Fault {
  NONE("None", null),
  ORIGIN_DOWN("521", ConditionType.ORIGIN_DOWN),
  BAD_GATEWAY("502", ConditionType.BAD_GATEWAY),
  SERVICE_UNAVAILABLE("503", ConditionType.SERVICE_UNAVAILABLE),
  OTHER("Other", null),
  UNKNOWN("Unknown", null);

  private final String code;
  private final ConditionType condition;

  Fault(String code, ConditionType condition) {
    this.code = code;
    this.condition = condition;
  }

  /** The value of {@code status.fault} and of the metrics' {@code fault} label. */
  public String code() {
    return code;
  }

  /** The fault condition that raises this fault, for 521, 502 and 503. */
  public Optional<ConditionType> condition() {
    return Optional.ofNullable(condition);
  }
}
