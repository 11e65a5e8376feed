package dev.upstreamhealth.reconciler;

import dev.upstreamhealth.api.GatewaySpec;
import dev.upstreamhealth.api.Site;
import dev.upstreamhealth.api.SiteSpec;
import dev.upstreamhealth.diagnosis.Backend;
import dev.upstreamhealth.diagnosis.BackendRef;
import dev.upstreamhealth.diagnosis.GatewayState;
import dev.upstreamhealth.diagnosis.HttpRoutes;
import dev.upstreamhealth.diagnosis.RouteAttachment;
import dev.upstreamhealth.diagnosis.RouteState;
import dev.upstreamhealth.diagnosis.IngressNginx;
import dev.upstreamhealth.diagnosis.IngressNginxConfigMap;
import dev.upstreamhealth.diagnosis.IngressRoutes;
import dev.upstreamhealth.diagnosis.ProbedPath;
import dev.upstreamhealth.diagnosis.Snapshot;
import dev.upstreamhealth.probe.ProbeFindings;
import dev.upstreamhealth.diagnosis.Workloads;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Listener;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.LinkedHashMap;
import dev.upstreamhealth.diagnosis.ObjectKey;

/** Gathers, from the informer caches only, the objects one Site's diagnosis reads. */
final class SnapshotAssembler {
  private final ClusterInformers cluster;
  /** Read once per snapshot: the diagnosis judges pods' ages against it and never reads a clock itself. */
  private final Clock clock = Clock.systemUTC();

  SnapshotAssembler(ClusterInformers cluster) {
    this.cluster = cluster;
  }

  /** The Site's cluster state; probes are added once the probe plan derived from it is applied. */
  Snapshot assemble(Site site) {
    String namespace = site.getMetadata().getNamespace();
    var spec = site.getSpec();
    String ingressName = spec == null || spec.getOrigin() == null ? null : spec.getOrigin().getIngressName();
    Ingress ingress = ingressName == null ? null : cluster.ingress(namespace, ingressName).orElse(null);
    List<Backend> backends = new ArrayList<>();
    // An Ingress whose every path answers a redirect asks no backend: none can fail a visitor.
    if (ingress != null && spec.getHost() != null && IngressNginx.redirect(ingress).isEmpty()) {
      // The probed path and the Ingresses sharing the host's server matter only to a defaultBackend.
      boolean hasDefault = ingress.getSpec() != null && ingress.getSpec().getDefaultBackend() != null;
      List<BackendRef> refs = hasDefault
          ? IngressRoutes.upstreamsFor(ingress, spec.getHost(), ProbedPath.onIngress(spec, ingress),
              cluster.sharingServer(ingress, spec.getHost()))
          : IngressRoutes.backendsFor(ingress, spec.getHost());
      for (BackendRef ref : refs) {
        backends.add(backend(ref));
      }
    }
    Backend fallback = IngressNginx.defaultBackend(ingress).map(this::backend).orElse(null);
    GatewayState gateway = spec == null ? null : gateway(spec.getGateway());
    String routeName = SiteIndexes.httpRoute(site);
    RouteState route = null;
    Map<String, GatewayState> dataPlanes = new HashMap<>();
    List<GatewayState> loadBalancers = new ArrayList<>();
    if (routeName != null) {
      route = cluster.gatewayApi().state(namespace, routeName);
      gateway = routeOrigin(route, spec, backends, gateway, dataPlanes);
      loadBalancers = loadBalancersOf(route, spec);
    }
    String hostTlsIngress = ingress == null ? null : cluster.hostTlsIngress(ingress, spec.getHost());
    // What ingress-nginx's ConfigMap sets applies to the Ingresses it serves: the gateway's.
    IngressNginxConfigMap controllerConfig = ingress == null ? null
        : cluster.ingressNginxConfig(spec.getGateway()).orElse(null);
    return new Snapshot(namespace, site.getMetadata().getName(), spec, ingress, backends, gateway, ProbeFindings.NONE,
        cluster.ingressClassNames(), clock.instant(), Set.of(), Map.of(), route, dataPlanes, fallback, hostTlsIngress,
        controllerConfig, loadBalancers);
  }

  /**
   * The LoadBalancer Services at the addresses of the Gateways that serve host: where a
   * Gateway's listener port is only their targetPort, the CDN connects to their port.
   */
  private List<GatewayState> loadBalancersOf(RouteState route, SiteSpec spec) {
    if (!route.ready() || route.route() == null || spec.getHost() == null) {
      return List.of();
    }
    Map<String, GatewayState> found = new LinkedHashMap<>();
    for (RouteAttachment serving : RouteAttachment.serving(route, spec.getHost())) {
      for (String address : HttpRoutes.addresses(serving.gateway())) {
        for (Service service : cluster.loadBalancersAt(address)) {
          found.computeIfAbsent(ObjectKey.of(service), key -> new GatewayState(
              service.getMetadata().getNamespace(), service.getMetadata().getName(), service,
              cluster.slicesOf(service.getMetadata().getNamespace(), service.getMetadata().getName()),
              cluster.podsSelectedBy(service.getMetadata().getNamespace(),
                  service.getSpec() == null ? null : service.getSpec().getSelector()),
              List.of()));
        }
      }
    }
    return List.copyOf(found.values());
  }

  /**
   * An HTTPRoute's upstreams (the backendRefs it may use) go into {@code backends}; the gateway is
   * spec.gateway when given, else the data-plane Service of the Gateway that serves host. With no
   * spec.gateway, each serving Gateway's data plane goes into {@code dataPlanes}: a configured name
   * resolves only after assembly, and may pick another of them (Snapshot.withResolvedNames).
   */
  private GatewayState routeOrigin(RouteState route, SiteSpec spec, List<Backend> backends, GatewayState given,
      Map<String, GatewayState> dataPlanes) {
    if (!route.ready() || route.route() == null || spec.getHost() == null) {
      return given;
    }
    RouteAttachment attachment = RouteAttachment.of(route, spec.getHost(), spec.getOrigin().getAddress(), Map.of());
    if (!attachment.served()) {
      return given;
    }
    String routeNamespace = route.route().getMetadata().getNamespace();
    for (BackendRef ref : HttpRoutes.backendsFor(route.route())) {
      // A backend in a namespace this operator does not watch is unknown here, not missing: the
      // probes through the gateway judge it, as they do an ExternalName.
      if (HttpRoutes.permitted(routeNamespace, ref, route.grants()) && cluster.watches(ref.namespace())) {
        backends.add(backend(ref));
      }
    }
    if (given != null) {
      return given;
    }
    for (RouteAttachment serving : RouteAttachment.serving(route, spec.getHost())) {
      dataPlane(serving).ifPresent(plane -> dataPlanes.put(serving.gatewayKey(), plane));
    }
    return dataPlanes.get(attachment.gatewayKey());
  }

  private Optional<GatewayState> dataPlane(RouteAttachment attachment) {
    Set<Integer> listenerPorts = attachment.gateway() == null || attachment.gateway().getSpec() == null
        || attachment.gateway().getSpec().getListeners() == null ? Set.of()
        : attachment.gateway().getSpec().getListeners().stream().map(Listener::getPort).filter(Objects::nonNull)
            .collect(Collectors.toSet());
    return cluster.gatewayDataPlane(attachment.gatewayKey(), listenerPorts)
        .map(service -> gateway(new GatewaySpec(service.getMetadata().getNamespace(), service.getMetadata().getName())));
  }

  /** The one way a route backend becomes a Backend: the Service and what stands behind it, from the caches. */
  Backend backend(BackendRef ref) {
    Service service = cluster.service(ref.namespace(), ref.serviceName()).orElse(null);
    if (service == null) {
      return Backend.missing(ref);
    }
    Map<String, String> selector = service.getSpec() == null ? null : service.getSpec().getSelector();
    String ns = ref.namespace();
    List<ReplicaSet> replicaSets = cluster.replicaSetsSelectedBy(ns, selector);
    List<StatefulSet> statefulSets = cluster.statefulSetsSelectedBy(ns, selector);
    List<DaemonSet> daemonSets = cluster.daemonSetsSelectedBy(ns, selector);
    List<Event> events = new ArrayList<>(cluster.failedCreateEventsOf("ReplicaSet", replicaSets));
    events.addAll(cluster.failedCreateEventsOf("StatefulSet", statefulSets));
    events.addAll(cluster.failedCreateEventsOf("DaemonSet", daemonSets));
    return new Backend(ref, service,
        cluster.slicesOf(ns, ref.serviceName()),
        cluster.podsSelectedBy(ns, selector),
        new Workloads(cluster.deploymentsSelectedBy(ns, selector), replicaSets, statefulSets, daemonSets, events));
  }

  private GatewayState gateway(GatewaySpec gateway) {
    if (gateway == null || gateway.getServiceNamespace() == null || gateway.getServiceName() == null) {
      return null;
    }
    String ns = gateway.getServiceNamespace();
    if (!cluster.watches(ns)) {
      // Not cached, so not known to be down: what the CDN meets there, the origin probes tell.
      return null;
    }
    Service service = cluster.service(ns, gateway.getServiceName()).orElse(null);
    Map<String, String> selector = service == null || service.getSpec() == null ? null : service.getSpec().getSelector();
    return new GatewayState(ns, gateway.getServiceName(), service,
        cluster.slicesOf(ns, gateway.getServiceName()),
        cluster.podsSelectedBy(ns, selector),
        cluster.networkPolicies(ns));
  }
}
