package dev.upstreamhealth.probe;

import java.util.List;
import java.util.Optional;

/** An immutable view of what the probes of one Site have seen, as the diagnosis reads it. */
public record ProbeFindings(List<TrackedProbe> probes) {
  public static final ProbeFindings NONE = new ProbeFindings(List.of());

  public ProbeFindings {
    probes = List.copyOf(probes);
  }

  public List<TrackedProbe> layer(ProbeLayer layer) {
    return probes.stream().filter(p -> p.target().layer() == layer).toList();
  }

  public Optional<TrackedProbe> first(ProbeLayer layer) {
    return probes.stream().filter(p -> p.target().layer() == layer).findFirst();
  }
}
