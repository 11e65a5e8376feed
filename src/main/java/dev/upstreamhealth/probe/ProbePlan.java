package dev.upstreamhealth.probe;

import java.time.Duration;
import java.util.List;

/**
 * Everything the scheduler needs to probe one Site, derived from its spec and cluster state.
 *
 * @param upstreamLatencyBudget the upstream probe latency (p90) above which the Site's gateway has
 *     too little room before its read timeout; the scheduler reports when the latency crosses it.
 *     Zero: not watched.
 */
public record ProbePlan(
    List<ProbeTarget> targets,
    Duration interval,
    int failureThreshold,
    int successThreshold,
    StatusRanges expected,
    Duration upstreamLatencyBudget) {

  public ProbePlan {
    targets = List.copyOf(targets);
    upstreamLatencyBudget = upstreamLatencyBudget == null ? Duration.ZERO : upstreamLatencyBudget;
  }

  public ProbePlan(List<ProbeTarget> targets, Duration interval, int failureThreshold, int successThreshold,
      StatusRanges expected) {
    this(targets, interval, failureThreshold, successThreshold, expected, Duration.ZERO);
  }

  public static ProbePlan none() {
    return new ProbePlan(List.of(), Duration.ofSeconds(30), 3, 1, StatusRanges.DEFAULT);
  }

  /**
   * A probe counts as a success when it got an answer with an expected status, or, for a
   * connect-only target, a connection.
   */
  public boolean isSuccess(ProbeResult result) {
    return (result.responded() && expected.contains(result.statusCode()))
        || result.outcome() == ProbeOutcome.CONNECTED
        || result.outcome() == ProbeOutcome.CLIENT_CERTIFICATE_REQUIRED;
  }
}
