package dev.upstreamhealth.probe;

import java.time.Duration;
import java.util.List;

/**
 * Everything the scheduler needs to probe one Site, derived from its spec and cluster state.
 *
 * @param upstreamLatencyBudget the upstream probe latency (p90) above which the Site's gateway has
 *     too little room before its read timeout; the scheduler reports when the latency crosses it.
 *     Zero: not watched.
 * @param refusalIsTheProbes the gateway admits only listed client addresses, and the CDN's (as far
 *     as the Site names them) among them: its own 403 to an origin or gateway probe refuses the
 *     probe's address, which no such list names, and says nothing of what visitors get
 */
public record ProbePlan(
    List<ProbeTarget> targets,
    Duration interval,
    int failureThreshold,
    int successThreshold,
    StatusRanges expected,
    Duration upstreamLatencyBudget,
    boolean refusalIsTheProbes) {

  public ProbePlan {
    targets = List.copyOf(targets);
    upstreamLatencyBudget = upstreamLatencyBudget == null ? Duration.ZERO : upstreamLatencyBudget;
  }

  public ProbePlan(List<ProbeTarget> targets, Duration interval, int failureThreshold, int successThreshold,
      StatusRanges expected) {
    this(targets, interval, failureThreshold, successThreshold, expected, Duration.ZERO, false);
  }

  public static ProbePlan none() {
    return new ProbePlan(List.of(), Duration.ofSeconds(30), 3, 1, StatusRanges.DEFAULT);
  }

  /**
   * A probe counts as a success when it got an answer with an expected status, or, for a
   * connect-only target, a connection; and when the origin turned the probe away without looking
   * at what it asked (a client certificate it demands, an address its allowlist does not name):
   * reached, though what it serves is left to the probes behind it ({@link ProbeResult#showsThePage}).
   */
  public boolean isSuccess(ProbeResult result) {
    return (result.responded() && expected.contains(result.statusCode()))
        || result.outcome() == ProbeOutcome.CONNECTED
        || result.outcome() == ProbeOutcome.CLIENT_CERTIFICATE_REQUIRED
        || (refusalIsTheProbes && result.isGatewayRefusal());
  }
}
