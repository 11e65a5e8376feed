package dev.upstreamhealth.probe;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An immutable view of what the probes of one Site have seen, as the diagnosis reads it.
 *
 * @param upstreamLatencies the latencies of the Site's recent upstream probes that reached an
 *     upstream (an answer, or silence until the timeout), oldest first
 */
public record ProbeFindings(List<TrackedProbe> probes, List<Duration> upstreamLatencies) {
  public static final ProbeFindings NONE = new ProbeFindings(List.of());

  public ProbeFindings {
    probes = List.copyOf(probes);
    upstreamLatencies = List.copyOf(upstreamLatencies);
  }

  public ProbeFindings(List<TrackedProbe> probes) {
    this(probes, List.of());
  }

  public List<TrackedProbe> layer(ProbeLayer layer) {
    return probes.stream().filter(p -> p.target().layer() == layer).toList();
  }

  public Optional<TrackedProbe> first(ProbeLayer layer) {
    return probes.stream().filter(p -> p.target().layer() == layer).findFirst();
  }

  /**
   * Whether the origin's probe, as the thresholds confirm it, gets the page: reached and not turned
   * away (an allowlist without the probe's address, a client certificate it demands, shows
   * nothing of what visitors get).
   */
  public boolean originServes() {
    return first(ProbeLayer.ORIGIN)
        .map(o -> o.isConfirmed() && o.confirmedSuccess() && !o.confirmed().turnedAway()).orElse(false);
  }

  /**
   * Whether the origin serves ({@link #originServes}) and no probe since got an error page, not
   * even one the thresholds have yet to confirm: what a change in the cluster did to visitors
   * shows in the first answer after it, long before a confirmed failure. A probe that got no
   * answer at all (a timeout, a reset) says nothing of the change, and is left to the thresholds.
   */
  public boolean originServesStill() {
    return originServes() && first(ProbeLayer.ORIGIN)
        .map(o -> o.consecutiveFailures() == 0 || o.last() == null || !o.last().responded()).orElse(false);
  }

  /**
   * Whether the origin's probe, as the thresholds confirm it, gets an HTTP answer that is not the
   * page and not the probe turned away: the error visitors get.
   */
  public boolean originAnswersAnError() {
    return first(ProbeLayer.ORIGIN).map(o -> o.isConfirmed() && o.confirmedFailure() && o.confirmed().responded()
        && !o.confirmed().turnedAway()).orElse(false);
  }

  /**
   * Every endpoint answers its direct probe with an HTTP error while the origin serves the page:
   * the gateway gets the page from these very endpoints, so the direct probe asks something the
   * gateway does not (another path or header). Also when every endpoint takes the connection and
   * answers in another protocol, provided every upstream endpoint of the Site does
   * ({@link #noUpstreamSpeaksTheProbesProtocol}). One Service resetting every connection while
   * another serves is its own failure: the origin's page may come from the other. Not a failure
   * of the endpoints.
   */
  public static boolean upstreamsAskedOtherwise(List<TrackedProbe> upstreams, boolean originServes,
      List<TrackedProbe> allUpstreams) {
    List<TrackedProbe> confirmed = upstreams.stream().filter(TrackedProbe::isConfirmed).toList();
    boolean noneSpeaksIt = noUpstreamSpeaksTheProbesProtocol(allUpstreams);
    return originServes && !confirmed.isEmpty() && confirmed.size() == upstreams.size()
        && confirmed.stream().allMatch(p -> p.confirmedFailure()
            && (p.confirmed().responded() || noneSpeaksIt && answeredInAnotherProtocol(p.confirmed())));
  }

  /**
   * Every upstream endpoint of the Site takes the connection and answers in another protocol than
   * the probe's: a reset, bytes that are not HTTP, or no TLS where the port's name promised it.
   * The gateway speaks another protocol to all of them: a mesh's sidecar that takes mutual TLS
   * only (Istio's STRICT mode), backends the gateway speaks TLS to (a BackendTLSPolicy), a port
   * named "https" in front of plain HTTP that ingress-nginx speaks plain HTTP to. The app broken
   * the same way on every pod of every Service is far less likely.
   */
  public static boolean noUpstreamSpeaksTheProbesProtocol(List<TrackedProbe> allUpstreams) {
    return !allUpstreams.isEmpty() && allUpstreams.stream()
        .allMatch(p -> p.isConfirmed() && p.confirmedFailure() && answeredInAnotherProtocol(p.confirmed()));
  }

  private static boolean answeredInAnotherProtocol(ProbeResult result) {
    return result.outcome() == ProbeOutcome.CONNECTION_CLOSED || result.outcome() == ProbeOutcome.MALFORMED_RESPONSE
        || result.outcome() == ProbeOutcome.TLS_FAILED;
  }

  /** The 90th percentile of {@link #upstreamLatencies} (nearest rank), empty without any. */
  public Optional<Duration> upstreamLatencyP90() {
    return p90(upstreamLatencies);
  }

  static Optional<Duration> p90(List<Duration> latencies) {
    if (latencies.isEmpty()) {
      return Optional.empty();
    }
    List<Duration> sorted = new ArrayList<>(latencies);
    sorted.sort(null);
    int rank = (int) Math.ceil(0.9 * sorted.size());
    return Optional.of(sorted.get(Math.max(0, rank - 1)));
  }
}
