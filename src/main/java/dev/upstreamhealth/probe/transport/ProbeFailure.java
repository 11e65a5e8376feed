package dev.upstreamhealth.probe.transport;

import dev.upstreamhealth.probe.ProbeOutcome;

/** A classified failure: the outcome and the short explanation that goes with it. */
record ProbeFailure(ProbeOutcome outcome, String detail) {}
