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
   * Every endpoint answers its direct probe with an HTTP error while the origin serves the page:
   * the gateway gets the page from these very endpoints, so the direct probe asks something the
   * gateway does not (another path or header). Where they are the Site's only upstream Service
   * ({@code soleService}), also when every one takes the connection and answers no HTTP at all (a
   * reset, bytes that are not HTTP): the gateway speaks another protocol to them (a mesh's sidecar
   * that takes mutual TLS only, Istio's STRICT mode; a backend the gateway speaks TLS to). With
   * several Services the origin's page may come from another, and one Service resetting every
   * connection is then its own failure. Not a failure of the endpoints.
   */
  public static boolean upstreamsAskedOtherwise(List<TrackedProbe> upstreams, boolean originServes, boolean soleService) {
    List<TrackedProbe> confirmed = upstreams.stream().filter(TrackedProbe::isConfirmed).toList();
    return originServes && !confirmed.isEmpty() && confirmed.size() == upstreams.size()
        && confirmed.stream().allMatch(p -> p.confirmedFailure()
            && (p.confirmed().responded() || soleService && tookTheConnection(p.confirmed())));
  }

  /** Whether the upstream probes all go to one Service. */
  public static boolean oneService(List<TrackedProbe> upstreams) {
    return upstreams.stream().map(p -> p.target().service()).distinct().count() == 1;
  }

  /** Whether the endpoint accepted the connection and then said something other than the page. */
  private static boolean tookTheConnection(ProbeResult result) {
    return result.responded() || result.outcome() == ProbeOutcome.CONNECTION_CLOSED
        || result.outcome() == ProbeOutcome.MALFORMED_RESPONSE;
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
