package dev.upstreamhealth.probe;

import java.time.Duration;
import java.util.List;

/** Everything the scheduler needs to probe one Site, derived from its spec and cluster state. */
public record ProbePlan(
    List<ProbeTarget> targets,
    Duration interval,
    int failureThreshold,
    int successThreshold,
    StatusRanges expected) {

  public ProbePlan {
    targets = List.copyOf(targets);
  }

  public static ProbePlan none() {
    return new ProbePlan(List.of(), Duration.ofSeconds(30), 3, 1, StatusRanges.DEFAULT);
  }

  /** A probe counts as a success when it got an answer with an expected status. */
  public boolean isSuccess(ProbeResult result) {
    return result.responded() && expected.contains(result.statusCode());
  }
}
