package dev.upstreamhealth.diagnosis;

import java.util.Set;

/**
 * A flag as Go's {@code strconv.ParseBool} reads it, which is how ingress-nginx and the cloud
 * controllers read their annotations: "1", "t", "true" in its three casings are true, "0", "f",
 * "false" likewise false, and anything else is neither.
 */
public final class GoBool {
  private static final Set<String> TRUE = Set.of("1", "t", "T", "true", "TRUE", "True");
  private static final Set<String> FALSE = Set.of("0", "f", "F", "false", "FALSE", "False");

  private GoBool() {}

  public static boolean isTrue(String value) {
    return value != null && TRUE.contains(value.strip());
  }

  public static boolean isFalse(String value) {
    return value != null && FALSE.contains(value.strip());
  }
}
