package dev.upstreamhealth.api;

/** Where a reason is read from; state causes count at once, probe observations after hysteresis. */
public enum Evidence {
  CLUSTER_STATE,
  PROBE,
  SPEC
}
