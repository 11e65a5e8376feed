package dev.upstreamhealth.demo;

import dev.upstreamhealth.api.Site;
import dev.upstreamhealth.api.ConditionStatus;
import dev.upstreamhealth.api.ConditionType;
import io.fabric8.kubernetes.api.model.Condition;

/**
 * What a Site's status should show: its fault and reason, and whether it is Degraded (a
 * partial failure has no visitor-facing fault, so fault and reason alone cannot tell it).
 */
public record Expectation(String fault, String reason, String degradedReason) {

  public static Expectation of(String fault, String reason) {
    return new Expectation(fault, reason, null);
  }

  public static Expectation healthy() {
    return of("None", "Healthy");
  }

  public static Expectation degraded(String degradedReason) {
    return new Expectation("None", "Healthy", degradedReason);
  }

  public boolean isMetBy(Site site) {
    if (site == null || site.getStatus() == null) {
      return false;
    }
    String degraded = degradedReason(site);
    return fault.equals(site.getStatus().getFault()) && reason.equals(site.getStatus().getReason())
        && (degradedReason == null ? degraded == null : degradedReason.equals(degraded));
  }

  /** The reason of a True Degraded condition, or null. */
  static String degradedReason(Site site) {
    return site.getStatus().getConditions().stream()
        .filter(c -> ConditionType.DEGRADED.typeName().equals(c.getType()) && ConditionStatus.TRUE.text().equals(c.getStatus()))
        .map(Condition::getReason).findFirst().orElse(null);
  }

  /** What a user reads in the table: "502 UpstreamCrashLooping", "None Healthy, Degraded PartialUpstreamFailure". */
  public static String shown(Site site) {
    if (site == null) {
      return "no such Site";
    }
    if (site.getStatus() == null || site.getStatus().getFault() == null) {
      return "no status yet";
    }
    String degraded = degradedReason(site);
    return site.getStatus().getFault() + " " + site.getStatus().getReason()
        + (degraded == null ? "" : ", Degraded " + degraded);
  }

  @Override
  public String toString() {
    return fault + " " + reason + (degradedReason == null ? "" : ", Degraded " + degradedReason);
  }
}
