package dev.upstreamhealth.diagnosis;

import dev.upstreamhealth.api.SiteSpec;
import dev.upstreamhealth.probe.ProbeFindings;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A {@link Snapshot} for a test, naming only what the test is about: the rest is what an
 * Ingress origin read from synced caches looks like before any probe or name lookup (no Ingress,
 * no backends, no Gateway, no probe findings, IngressClasses and time not known).
 */
public final class SnapshotBuilder {
  private final String namespace;
  private final String name;
  private final SiteSpec spec;
  private Ingress ingress;
  private List<Backend> backends = List.of();
  private GatewayState gateway;
  private ProbeFindings probes = ProbeFindings.NONE;
  private Set<String> ingressClasses;
  private Instant now;
  private Set<String> unsyncedCaches = Set.of();
  private Map<String, List<String>> resolvedNames = Map.of();
  private RouteState route;
  private Map<String, GatewayState> routeDataPlanes = Map.of();
  private List<GatewayState> loadBalancers = List.of();
  private Backend fallback;
  private String hostTlsIngress;
  private IngressNginxConfigMap controllerConfig;

  private SnapshotBuilder(String namespace, String name, SiteSpec spec) {
    this.namespace = namespace;
    this.name = name;
    this.spec = spec;
  }

  public static SnapshotBuilder snapshot(String namespace, String name, SiteSpec spec) {
    return new SnapshotBuilder(namespace, name, spec);
  }

  /** Everything {@code s} holds, to change one part of it. */
  public static SnapshotBuilder from(Snapshot s) {
    return snapshot(s.namespace(), s.name(), s.spec()).ingress(s.ingress()).backends(s.backends()).gateway(s.gateway())
        .probes(s.probes()).ingressClasses(s.ingressClasses()).now(s.now()).unsyncedCaches(s.unsyncedCaches())
        .resolvedNames(s.resolvedNames()).route(s.route()).controllerConfig(s.controllerConfig());
  }

  public SnapshotBuilder ingress(Ingress ingress) {
    this.ingress = ingress;
    return this;
  }

  public SnapshotBuilder backends(List<Backend> backends) {
    this.backends = backends;
    return this;
  }

  public SnapshotBuilder gateway(GatewayState gateway) {
    this.gateway = gateway;
    return this;
  }

  public SnapshotBuilder probes(ProbeFindings probes) {
    this.probes = probes;
    return this;
  }

  /** The cluster's IngressClasses; null (the default) when not known, and the class is then not checked. */
  public SnapshotBuilder ingressClasses(Set<String> ingressClasses) {
    this.ingressClasses = ingressClasses;
    return this;
  }

  /** When the state was read; null (the default) when not known, and pods' ages are then not judged. */
  public SnapshotBuilder now(Instant now) {
    this.now = now;
    return this;
  }

  public SnapshotBuilder unsyncedCaches(Set<String> unsyncedCaches) {
    this.unsyncedCaches = unsyncedCaches;
    return this;
  }

  public SnapshotBuilder resolvedNames(Map<String, List<String>> resolvedNames) {
    this.resolvedNames = resolvedNames;
    return this;
  }

  /** Each serving Gateway's data plane, by Gateway key (an HTTPRoute Site without spec.gateway). */
  public SnapshotBuilder loadBalancers(List<GatewayState> loadBalancers) {
    this.loadBalancers = loadBalancers;
    return this;
  }

  public SnapshotBuilder routeDataPlanes(Map<String, GatewayState> dataPlanes) {
    this.routeDataPlanes = dataPlanes;
    return this;
  }

  /** The Gateway API objects of an HTTPRoute origin; null (the default) for an Ingress origin. */
  public SnapshotBuilder route(RouteState route) {
    this.route = route;
    return this;
  }

  /** The Service the Ingress's default-backend annotation names, with what stands behind it. */
  public SnapshotBuilder fallback(Backend fallback) {
    this.fallback = fallback;
    return this;
  }

  public SnapshotBuilder hostTlsIngress(String ingressKey) {
    this.hostTlsIngress = ingressKey;
    return this;
  }

  /** What ingress-nginx's controller ConfigMap sets for every Ingress; null (the default) when none is known. */
  public SnapshotBuilder controllerConfig(IngressNginxConfigMap controllerConfig) {
    this.controllerConfig = controllerConfig;
    return this;
  }

  public Snapshot build() {
    return new Snapshot(namespace, name, spec, ingress, backends, gateway, probes, ingressClasses, now,
        unsyncedCaches, resolvedNames, route, routeDataPlanes, fallback, hostTlsIngress, controllerConfig,
        loadBalancers);
  }
}
