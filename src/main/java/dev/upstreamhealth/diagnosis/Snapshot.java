package dev.upstreamhealth.diagnosis;

import dev.upstreamhealth.api.SiteSpec;
import dev.upstreamhealth.probe.ProbeFindings;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import java.util.List;

/**
 * Everything one diagnosis reads, gathered once from the informer caches and the probe
 * scheduler: an immutable value, so the diagnosis is a pure function of it.
 *
 * @param ingress null when the Ingress does not exist
 * @param backends the upstreams of host, empty when the Ingress does not route host
 * @param gateway null when {@code spec.gateway} is not set
 */
public record Snapshot(
    String namespace,
    String name,
    SiteSpec spec,
    Ingress ingress,
    List<Backend> backends,
    GatewayState gateway,
    ProbeFindings probes) {

  public Snapshot {
    backends = List.copyOf(backends);
    probes = probes == null ? ProbeFindings.NONE : probes;
  }

  /** The same cluster state with what the probes have concluded. */
  public Snapshot withProbes(ProbeFindings findings) {
    return new Snapshot(namespace, name, spec, ingress, backends, gateway, findings);
  }

  public String siteKey() {
    return namespace + "/" + name;
  }
}
