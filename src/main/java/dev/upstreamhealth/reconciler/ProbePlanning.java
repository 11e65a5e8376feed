package dev.upstreamhealth.reconciler;

import dev.upstreamhealth.diagnosis.Backend;
import dev.upstreamhealth.diagnosis.EndpointCount;
import dev.upstreamhealth.diagnosis.GatewayState;
import dev.upstreamhealth.diagnosis.OriginEndpoint;
import dev.upstreamhealth.diagnosis.ProbeSettings;
import dev.upstreamhealth.diagnosis.Snapshot;
import dev.upstreamhealth.diagnosis.SpecProblems;
import dev.upstreamhealth.probe.ProbeLayer;
import dev.upstreamhealth.probe.ProbePlan;
import dev.upstreamhealth.probe.ProbeTarget;
import dev.upstreamhealth.probe.Scheme;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What to probe for a Site, derived from its spec and cluster state: the origin as the CDN
 * reaches it, the gateway Service, and each ready upstream endpoint as the gateway reaches it.
 */
final class ProbePlanning {
  private ProbePlanning() {}

  /** Upstream endpoints probed per Service: a Service with thousands must not cost thousands of probes. */
  static final int MAX_UPSTREAM_TARGETS_PER_SERVICE = 50;

  /** The plan to hand to the scheduler, and the targets the address policy keeps out of it. */
  record Planned(ProbePlan plan, List<ProbeTarget> refused) {}

  static Planned plan(Snapshot s, ProbeAddressPolicy addresses) {
    if (!SpecProblems.of(s.spec()).isEmpty() || !s.hasRoute()) {
      return new Planned(ProbePlan.none(), List.of());
    }
    ProbeSettings probe = ProbeSettings.of(s.spec().getProbe());
    String host = s.spec().getHost();
    String path = probe.path();
    Duration timeout = probe.timeout();
    List<ProbeTarget> targets = new ArrayList<>();
    Optional<OriginEndpoint> origin = s.originEndpoint();
    origin.ifPresent(o -> targets.add(new ProbeTarget(ProbeLayer.ORIGIN, o.address(), o.port(), o.scheme(),
        host, path, timeout, "")));
    if (origin.isPresent() && s.gateway() != null) {
      gatewayTarget(s.gateway(), origin.get(), host, path, timeout).ifPresent(targets::add);
    }
    if (probe.upstreams()) {
      for (Backend backend : s.backends()) {
        // Upstreams are asked what the gateway asks them: the path after the route's rewrite.
        upstreamTargets(backend, host, s.routeUpstreamPath(path).orElse(path), timeout, targets);
      }
    }
    ProbePlan plan = new ProbePlan(targets.stream().filter(t -> addresses.allows(t.address())).toList(),
        probe.interval(), probe.failureThreshold(), probe.successThreshold(), probe.expected());
    return new Planned(plan, targets.stream().filter(t -> !addresses.allows(t.address())).toList());
  }

  /** The gateway Service's cluster IP on the port that matches the origin's. */
  private static Optional<ProbeTarget> gatewayTarget(GatewayState gateway, OriginEndpoint origin, String host,
      String path, Duration timeout) {
    if (gateway.service() == null || gateway.service().getSpec() == null) {
      return Optional.empty();
    }
    String clusterIp = gateway.service().getSpec().getClusterIP();
    if (clusterIp == null || clusterIp.isBlank() || "None".equals(clusterIp)) {
      return Optional.empty();
    }
    List<ServicePort> ports = gateway.service().getSpec().getPorts() == null ? List.of() : gateway.service().getSpec().getPorts();
    int port = ports.stream().map(ServicePort::getPort).filter(p -> p != null && p == origin.port()).findFirst()
        .orElse(origin.port());
    return Optional.of(new ProbeTarget(ProbeLayer.GATEWAY, clusterIp, port, origin.scheme(), host, path, timeout, gateway.key()));
  }

  /** Each ready endpoint address on the slice port that carries the Ingress's Service port. */
  private static void upstreamTargets(Backend backend, String host, String path, Duration timeout, List<ProbeTarget> out) {
    if (backend.service() == null || backend.service().getSpec() == null) {
      return;
    }
    Optional<ServicePort> servicePort = Optional.ofNullable(backend.service().getSpec().getPorts()).orElse(List.of())
        .stream()
        .filter(p -> backend.ref().portNumber() != null
            ? backend.ref().portNumber().equals(p.getPort()) : java.util.Objects.equals(backend.ref().portName(), p.getName()))
        .findFirst();
    if (servicePort.isEmpty() || !speaksPlainHttp(servicePort.get())) {
      return;
    }
    List<ProbeTarget> endpoints = new ArrayList<>();
    for (EndpointSlice slice : backend.slices()) {
      Integer port = slicePort(slice, servicePort.get());
      if (port == null) {
        continue;
      }
      for (Endpoint endpoint : Optional.ofNullable(slice.getEndpoints()).orElse(List.of())) {
        if (!EndpointCount.isReady(endpoint) || endpoint.getAddresses() == null || endpoint.getAddresses().isEmpty()) {
          continue;
        }
        endpoints.add(new ProbeTarget(ProbeLayer.UPSTREAM, endpoint.getAddresses().get(0), port, Scheme.HTTP, host,
            path, timeout, backend.ref().serviceKey()));
      }
    }
    // A stable sample: the same endpoints stay in the plan and keep their probe history.
    endpoints.stream().sorted(java.util.Comparator.comparing(ProbeTarget::key))
        .limit(MAX_UPSTREAM_TARGETS_PER_SERVICE).forEach(out::add);
  }

  /**
   * Upstream probes speak plain HTTP/1.1, as most gateways do to pods. A port that declares
   * another protocol (appProtocol, or a name such as https or grpc) is not probed directly:
   * every answer would be a failure that says nothing about the pod.
   */
  static boolean speaksPlainHttp(ServicePort port) {
    String declared = port.getAppProtocol() != null ? port.getAppProtocol() : port.getName();
    if (declared == null) {
      return true;
    }
    String p = declared.toLowerCase(java.util.Locale.ROOT);
    return !(p.startsWith("https") || p.startsWith("grpc") || p.startsWith("h2") || p.startsWith("tls")
        || p.contains("kubernetes.io/h2c") || p.startsWith("tcp") || p.startsWith("udp"));
  }

  /** Slice ports are named after the Service port; a single unnamed port is the only one. */
  private static Integer slicePort(EndpointSlice slice, ServicePort servicePort) {
    List<EndpointPort> ports = Optional.ofNullable(slice.getPorts()).orElse(List.of());
    String name = servicePort.getName() == null ? "" : servicePort.getName();
    for (EndpointPort p : ports) {
      String portName = p.getName() == null ? "" : p.getName();
      if (portName.equals(name) && p.getPort() != null) {
        return p.getPort();
      }
    }
    IntOrString target = servicePort.getTargetPort();
    if (ports.isEmpty() && target != null && target.getIntVal() != null) {
      return target.getIntVal();
    }
    return null;
  }
}
