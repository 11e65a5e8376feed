package dev.upstreamhealth.probe;

import java.time.Duration;
import java.util.List;

/**
 * Everything the scheduler needs to probe one Site, derived from its spec and cluster state.
 *
 * @param upstreamLatencyBudget the upstream probe latency (p90) above which the Site's gateway has
 *     too little room before its read timeout; the scheduler reports when the latency crosses it.
 *     Zero: not watched.
 * @param upstreamHeadBudget the response head size in bytes the Site's gateway reads an upstream's
 *     answer into (ingress-nginx's proxy-buffer-size); the scheduler reports when every probed
 *     upstream Service comes to answer with a head over it, or stops to. Zero: not watched.
 * @param originReading how the origin and gateway probes' answers are read: which of them turn the
 *     probe away without saying anything of what visitors get
 */
public record ProbePlan(
    List<ProbeTarget> targets,
    Duration interval,
    int failureThreshold,
    int successThreshold,
    StatusRanges expected,
    Duration upstreamLatencyBudget,
    int upstreamHeadBudget,
    OriginReading originReading) {

  public ProbePlan {
    targets = List.copyOf(targets);
    upstreamLatencyBudget = upstreamLatencyBudget == null ? Duration.ZERO : upstreamLatencyBudget;
    originReading = originReading == null ? OriginReading.PLAIN : originReading;
  }

  public ProbePlan(List<ProbeTarget> targets, Duration interval, int failureThreshold, int successThreshold,
      StatusRanges expected) {
    this(targets, interval, failureThreshold, successThreshold, expected, Duration.ZERO, 0, OriginReading.PLAIN);
  }

  public static ProbePlan none() {
    return new ProbePlan(List.of(), Duration.ofSeconds(30), 3, 1, StatusRanges.DEFAULT);
  }

  /**
   * A probe counts as a success when it got an answer with an expected status, or, for a
   * connect-only target, a connection; and when the origin turned the probe away without looking
   * at what it asked (a client certificate it demands, an address its allowlist does not name):
   * reached, though what it serves is left to the probes behind it ({@link ProbeResult#turnedAway}).
   * A redirect back to the same address over https is a success only where it makes no loop.
   */
  public boolean isSuccess(ProbeResult result) {
    return (result.responded() && expected.contains(result.statusCode()))
        || result.outcome() == ProbeOutcome.CONNECTED
        || result.outcome() == ProbeOutcome.CLIENT_CERTIFICATE_REQUIRED
        || result.outcome() == ProbeOutcome.ADDRESS_NOT_ADMITTED
        || result.outcome() == ProbeOutcome.CREDENTIALS_REQUIRED
        || (!originReading.redirectLoopCounts() && result.outcome() == ProbeOutcome.REDIRECT_LOOP
            && expected.contains(result.statusCode()));
  }

  /**
   * The result as this Site's probes mean it, before it is counted: an answer that turns the probe
   * away gets the outcome that says so ({@link OriginReading}).
   */
  public ProbeResult read(ProbeResult result) {
    return originReading.read(result);
  }
}
