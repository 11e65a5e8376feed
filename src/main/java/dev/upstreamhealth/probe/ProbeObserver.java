package dev.upstreamhealth.probe;

/** Told of every finished probe (layer, outcome, latency are in the result): the metrics hook. */
@FunctionalInterface
public interface ProbeObserver {
  ProbeObserver NONE = result -> {};

  void observed(ProbeResult result);
}
