package dev.upstreamhealth.diagnosis;

import dev.upstreamhealth.api.SiteSpec;
import dev.upstreamhealth.probe.ProbeFindings;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Everything one diagnosis reads, gathered once from the informer caches and the probe
 * scheduler: an immutable value, so the diagnosis is a pure function of it.
 *
 * @param ingress null when the Ingress does not exist
 * @param backends the upstreams of host, empty when the Ingress does not route host
 * @param gateway null when {@code spec.gateway} is not set
 * @param ingressClasses names of the cluster's IngressClasses; null when not known
 * @param unsyncedCaches the caches this was read from that have not synced yet: while any has
 *     not, what is missing from them may only be missing from the cache
 * @param resolvedNames DNS names looked up for the Site (its {@code origin.address}), with the
 *     addresses each resolved to (empty: it does not resolve); a name not yet looked up is absent
 * @param now when the cluster state was read, for the age of pods; null when not known (then no
 *     pod counts as still starting)
 */
public record Snapshot(
    String namespace,
    String name,
    SiteSpec spec,
    Ingress ingress,
    List<Backend> backends,
    GatewayState gateway,
    ProbeFindings probes,
    Set<String> ingressClasses,
    Instant now,
    Set<String> unsyncedCaches,
    Map<String, List<String>> resolvedNames) {

  public Snapshot {
    backends = List.copyOf(backends);
    probes = probes == null ? ProbeFindings.NONE : probes;
    ingressClasses = ingressClasses == null ? null : Set.copyOf(ingressClasses);
    unsyncedCaches = Collections.unmodifiableSortedSet(new TreeSet<>(unsyncedCaches == null ? Set.of() : unsyncedCaches));
    resolvedNames = resolvedNames == null ? Map.of() : Map.copyOf(resolvedNames);
  }

  /** The cluster state read at {@code now}, from synced caches, before any name is resolved. */
  public Snapshot(String namespace, String name, SiteSpec spec, Ingress ingress, List<Backend> backends,
      GatewayState gateway, ProbeFindings probes, Set<String> ingressClasses, Instant now) {
    this(namespace, name, spec, ingress, backends, gateway, probes, ingressClasses, now, Set.of(), Map.of());
  }

  /** A snapshot read at no known time: pods' ages are not judged. */
  public Snapshot(String namespace, String name, SiteSpec spec, Ingress ingress, List<Backend> backends,
      GatewayState gateway, ProbeFindings probes, Set<String> ingressClasses) {
    this(namespace, name, spec, ingress, backends, gateway, probes, ingressClasses, null);
  }

  /** A snapshot that does not know the cluster's IngressClasses: the class is then not checked. */
  public Snapshot(String namespace, String name, SiteSpec spec, Ingress ingress, List<Backend> backends,
      GatewayState gateway, ProbeFindings probes) {
    this(namespace, name, spec, ingress, backends, gateway, probes, null);
  }

  /** The route the Site names, as messages refer to it: "Ingress web/shop". */
  public String routeDescription() {
    return "Ingress " + namespace + "/" + (spec == null || spec.getOrigin() == null ? null : spec.getOrigin().getIngressName());
  }

  /** The same cluster state with what the probes have concluded. */
  public Snapshot withProbes(ProbeFindings findings) {
    return new Snapshot(namespace, name, spec, ingress, backends, gateway, findings, ingressClasses, now,
        unsyncedCaches, resolvedNames);
  }

  /** The same objects, read from caches of which these have not synced yet. */
  public Snapshot withUnsyncedCaches(Set<String> caches) {
    return new Snapshot(namespace, name, spec, ingress, backends, gateway, probes, ingressClasses, now,
        caches, resolvedNames);
  }

  /** The same objects, with what the Site's DNS names resolved to so far. */
  public Snapshot withResolvedNames(Map<String, List<String>> names) {
    return new Snapshot(namespace, name, spec, ingress, backends, gateway, probes, ingressClasses, now,
        unsyncedCaches, names);
  }
}
