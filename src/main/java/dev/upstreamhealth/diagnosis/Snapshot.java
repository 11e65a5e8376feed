package dev.upstreamhealth.diagnosis;

import dev.upstreamhealth.api.SiteSpec;
import dev.upstreamhealth.probe.ProbeFindings;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import java.util.List;
import java.util.Set;

/**
 * Everything one diagnosis reads, gathered once from the informer caches and the probe
 * scheduler: an immutable value, so the diagnosis is a pure function of it.
 *
 * @param ingress null when the Ingress does not exist
 * @param backends the upstreams of host, empty when the Ingress does not route host
 * @param gateway null when {@code spec.gateway} is not set
 * @param ingressClasses names of the cluster's IngressClasses; null when not known
 */
public record Snapshot(
    String namespace,
    String name,
    SiteSpec spec,
    Ingress ingress,
    List<Backend> backends,
    GatewayState gateway,
    ProbeFindings probes,
    Set<String> ingressClasses) {

  public Snapshot {
    backends = List.copyOf(backends);
    probes = probes == null ? ProbeFindings.NONE : probes;
    ingressClasses = ingressClasses == null ? null : Set.copyOf(ingressClasses);
  }

  /** A snapshot that does not know the cluster's IngressClasses: the class is then not checked. */
  public Snapshot(String namespace, String name, SiteSpec spec, Ingress ingress, List<Backend> backends,
      GatewayState gateway, ProbeFindings probes) {
    this(namespace, name, spec, ingress, backends, gateway, probes, null);
  }

  /** The same cluster state with what the probes have concluded. */
  public Snapshot withProbes(ProbeFindings findings) {
    return new Snapshot(namespace, name, spec, ingress, backends, gateway, findings, ingressClasses);
  }
}
