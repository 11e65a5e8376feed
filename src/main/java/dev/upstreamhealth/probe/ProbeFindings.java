package dev.upstreamhealth.probe;

import java.util.List;
import java.util.Optional;

/**
 * An immutable view of what the probes of one Site have seen, as the diagnosis reads it.
 *
 * @param refused targets the Site asked for that the operator's address policy does not probe
 */
public record ProbeFindings(List<TrackedProbe> probes, List<ProbeTarget> refused) {
  public static final ProbeFindings NONE = new ProbeFindings(List.of());

  public ProbeFindings {
    probes = List.copyOf(probes);
    refused = List.copyOf(refused);
  }

  public ProbeFindings(List<TrackedProbe> probes) {
    this(probes, List.of());
  }

  public ProbeFindings withRefused(List<ProbeTarget> targets) {
    return new ProbeFindings(probes, targets);
  }

  public List<TrackedProbe> layer(ProbeLayer layer) {
    return probes.stream().filter(p -> p.target().layer() == layer).toList();
  }

  public Optional<TrackedProbe> first(ProbeLayer layer) {
    return probes.stream().filter(p -> p.target().layer() == layer).findFirst();
  }

  public Optional<ProbeTarget> refused(ProbeLayer layer) {
    return refused.stream().filter(t -> t.layer() == layer).findFirst();
  }
}
