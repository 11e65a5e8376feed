package dev.upstreamhealth.probe;

import java.time.Duration;
import java.util.List;

/**
 * Everything the scheduler needs to probe one Site, derived from its spec and cluster state.
 *
 * @param upstreamLatencyBudget the upstream probe latency (p90) above which the Site's gateway has
 *     too little room before its read timeout; the scheduler reports when the latency crosses it.
 *     Zero: not watched.
 * @param forbidden what a 403 the gateway gives an origin or gateway probe means: its allowlist
 *     refusing the probe's own address, while it admits the CDN's, says nothing of what visitors get
 * @param redirectLoopCounts the Site says the CDN fetches the origin over plain http (its
 *     {@code origin.scheme} or port): a redirect back to the same address over https is the loop
 *     its visitors meet. Where http was only derived from the route, the CDN may fetch over https
 *     (TLS declared on another Ingress for the host, or ended at the load balancer), and such a
 *     redirect is an answer like any other, its page unseen
 */
public record ProbePlan(
    List<ProbeTarget> targets,
    Duration interval,
    int failureThreshold,
    int successThreshold,
    StatusRanges expected,
    Duration upstreamLatencyBudget,
    ForbiddenReading forbidden,
    boolean redirectLoopCounts) {

  public ProbePlan {
    targets = List.copyOf(targets);
    upstreamLatencyBudget = upstreamLatencyBudget == null ? Duration.ZERO : upstreamLatencyBudget;
    forbidden = forbidden == null ? ForbiddenReading.VISITORS_TOO : forbidden;
  }

  public ProbePlan(List<ProbeTarget> targets, Duration interval, int failureThreshold, int successThreshold,
      StatusRanges expected) {
    this(targets, interval, failureThreshold, successThreshold, expected, Duration.ZERO, ForbiddenReading.VISITORS_TOO,
        true);
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
        || (!redirectLoopCounts && result.outcome() == ProbeOutcome.REDIRECT_LOOP
            && expected.contains(result.statusCode()));
  }

  /**
   * The result as this Site's probes mean it, before it is counted: a 403 that the gateway's
   * allowlist gave the probe's own address ({@link #forbidden}) is {@link ProbeOutcome#ADDRESS_NOT_ADMITTED}.
   */
  public ProbeResult read(ProbeResult result) {
    boolean refusal = switch (forbidden) {
      case VISITORS_TOO -> false;
      case PROBE_IF_GATEWAYS_OWN_PAGE -> result.isGatewayRefusal();
      case PROBE_ALWAYS -> result.responded() && result.statusCode() == 403
          && result.target().layer() != ProbeLayer.UPSTREAM;
    };
    return refusal ? result.withOutcome(ProbeOutcome.ADDRESS_NOT_ADMITTED) : result;
  }
}
