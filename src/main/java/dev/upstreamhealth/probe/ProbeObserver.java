package dev.upstreamhealth.probe;

/** Told of every finished probe (layer, outcome, latency are in the result) and every lost round: the metrics hook. */
@FunctionalInterface
public interface ProbeObserver {
  ProbeObserver NONE = result -> {};

  void observed(ProbeResult result);

  /**
   * A round of {@code target} came due while its previous probe was still waiting for a slot or
   * running, and was skipped: its next probe comes an interval later than the schedule says.
   */
  default void roundSkipped(ProbeTarget target) {
  }
}
