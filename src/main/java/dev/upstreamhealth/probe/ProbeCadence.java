package dev.upstreamhealth.probe;

import java.time.Duration;

/**
 * When a target is probed next, as a pure function of its interval and a random draw in
 * {@code [0, 1)}.
 *
 * <p>A target is never probed later than its interval after the previous probe: a user reads
 * {@code failureThreshold × interval} as how long a fault can go unreported, so the random spread
 * that keeps Sites applied together from probing in lockstep only ever brings a probe forward.
 */
final class ProbeCadence {
  /** A newly planned target is probed within this, so a new Site gets diagnosed quickly. */
  static final Duration FIRST_PROBE_WITHIN = Duration.ofSeconds(1);
  /** How far each interval may be shortened, so Sites applied together drift apart. */
  static final double JITTER = 0.1;

  private ProbeCadence() {}

  /** A target new to a plan (or asked another way): promptly, so a new Site is diagnosed quickly. */
  static Duration first(Duration interval, double draw) {
    Duration bound = interval.compareTo(FIRST_PROBE_WITHIN) <= 0 ? interval : FIRST_PROBE_WITHIN;
    return fraction(bound, draw);
  }

  /**
   * The probe after the first: anywhere in the interval, so Sites applied together (an operator
   * restart) spread out instead of probing in lockstep; also where a changed interval starts.
   */
  static Duration spread(Duration interval, double draw) {
    return fraction(interval, JITTER + (1 - JITTER) * draw);
  }

  /** Every later probe: one interval on, brought forward by up to {@link #JITTER} of it. */
  static Duration next(Duration interval, double draw) {
    return fraction(interval, 1 - JITTER * draw);
  }

  private static Duration fraction(Duration interval, double factor) {
    return Duration.ofNanos((long) (interval.toNanos() * factor));
  }
}
