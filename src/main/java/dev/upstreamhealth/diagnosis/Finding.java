package dev.upstreamhealth.diagnosis;

import java.util.Comparator;

/** One reason that applies, with the message that names the objects and numbers behind it. */
public record Finding(Reason reason, String message) {
  /** Catalogue order: the first reason in the table wins within a condition. */
  public static final Comparator<Finding> PRECEDENCE = Comparator.comparing(f -> f.reason().ordinal());
}
