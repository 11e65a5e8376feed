package dev.upstreamhealth.diagnosis;

import dev.upstreamhealth.api.Evidence;
import dev.upstreamhealth.api.Reason;
import java.util.Comparator;

/**
 * One reason that applies, with the message that names the objects and numbers behind it, and
 * where it was read from: the same reason can rest on cluster state or on probes (a declared
 * maintenance and a probe's 503 with Retry-After are both MaintenanceMode), and only a probe's
 * verdict waits for probes again after an operator restart.
 */
public record Finding(Reason reason, String message, Evidence evidence) {
  /** Catalogue order: the first reason in the table wins within a condition. */
  public static final Comparator<Finding> PRECEDENCE = Comparator.comparing(f -> f.reason().ordinal());

  /** A finding read from where its reason is usually read from. */
  public Finding(Reason reason, String message) {
    this(reason, message, reason.evidence());
  }
}
