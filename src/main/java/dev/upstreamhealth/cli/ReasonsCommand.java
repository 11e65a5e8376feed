package dev.upstreamhealth.cli;

import dev.upstreamhealth.api.Reason;

/** {@code reasons}: the fault catalogue, in precedence order, as the diagnosis applies it. */
final class ReasonsCommand {
  private ReasonsCommand() {}

  static String catalogue() {
    StringBuilder out = new StringBuilder(String.format("%-20s %-8s %-26s %s%n", "CONDITION", "FAULT", "REASON", "WHEN"));
    for (Reason reason : Reason.values()) {
      out.append(String.format("%-20s %-8s %-26s %s%n", reason.condition().typeName(), reason.fault().code(),
          reason.reasonName(), reason.meaning()));
    }
    return out.toString();
  }
}
