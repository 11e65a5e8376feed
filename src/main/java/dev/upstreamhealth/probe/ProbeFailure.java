package dev.upstreamhealth.probe;

/** A classified failure: the outcome and the short explanation that goes with it. */
record ProbeFailure(ProbeOutcome outcome, String detail) {}
