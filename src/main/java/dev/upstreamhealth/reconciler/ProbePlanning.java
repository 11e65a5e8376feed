package dev.upstreamhealth.reconciler;

import dev.upstreamhealth.diagnosis.Backend;
import dev.upstreamhealth.diagnosis.CdnCertificateCheck;
import dev.upstreamhealth.diagnosis.CdnOnlyNetworkPolicies;
import dev.upstreamhealth.diagnosis.EndpointCount;
import dev.upstreamhealth.diagnosis.GatewayAuthentication;
import dev.upstreamhealth.diagnosis.GatewayReadTimeout;
import dev.upstreamhealth.diagnosis.GatewayState;
import dev.upstreamhealth.diagnosis.LoadBalancerSourceRanges;
import dev.upstreamhealth.diagnosis.OriginEndpoint;
import dev.upstreamhealth.diagnosis.ProbeSettings;
import dev.upstreamhealth.diagnosis.ProbedPath;
import dev.upstreamhealth.diagnosis.ProxyBufferSize;
import dev.upstreamhealth.diagnosis.Snapshot;
import dev.upstreamhealth.diagnosis.SourceAllowlist;
import dev.upstreamhealth.diagnosis.SpecProblems;
import dev.upstreamhealth.probe.CertificateCheck;
import dev.upstreamhealth.probe.OriginReading;
import dev.upstreamhealth.probe.ProbeLayer;
import dev.upstreamhealth.probe.ProbePlan;
import dev.upstreamhealth.probe.ProbeTarget;
import dev.upstreamhealth.probe.ProxyProtocol;
import dev.upstreamhealth.probe.Scheme;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What to probe for a Site, derived from its spec and cluster state: the origin as the CDN
 * reaches it, the gateway Service as the load balancer reaches it, and each ready upstream
 * endpoint as the gateway reaches it. Where a probe may connect is decided when it connects, by
 * the address it resolved to, not here.
 */
final class ProbePlanning {
  private ProbePlanning() {}

  /** Upstream endpoints probed per Service: a Service with thousands must not cost thousands of probes. */
  static final int MAX_UPSTREAM_TARGETS_PER_SERVICE = 50;
  /**
   * What the CDN tells the origin of each visitor's request, which visitors make over https: an
   * origin that trusts the header (ingress-nginx with {@code use-forwarded-headers}, an app behind
   * a trusted proxy) redirects an http fetch to https only when it says otherwise, so a probe
   * without it would meet a redirect, or a loop, that the CDN's fetch never does.
   */
  static final Map<String, String> CDN_REQUEST_HEADERS = Map.of("X-Forwarded-Proto", "https");
  /** The name a wildcard Site's probes stand in for a visitor's: {@code *.example.com} is asked as this label. */
  static final String WILDCARD_LABEL = "upstream-health-probe";

  static ProbePlan plan(Snapshot s) {
    if (!SpecProblems.of(s.spec()).isEmpty() || !s.hasRoute()) {
      return ProbePlan.none();
    }
    ProbeSettings probe = ProbeSettings.of(s.spec().getProbe());
    // Every layer asks for the page a visitor lands on, past a redirect the route answers itself.
    String path = ProbedPath.of(s).path();
    String host = askedFor(s.spec().getHost());
    Duration timeout = probe.timeout();
    CertificateCheck originCheck = CdnCertificateCheck.verifies(s.spec().getCdn())
        ? CertificateCheck.STRICT : CertificateCheck.ANY;
    List<ProbeTarget> targets = new ArrayList<>();
    Optional<OriginEndpoint> origin = s.originEndpoint();
    ProxyProtocolChoice proxy = ProxyProtocolChoice.of(s.spec().getOrigin(), s.gateway(), s.controllerConfig());
    // TLS the load balancer ends is not seen from inside: where a probe lands on the pods, it
    // speaks what they speak behind it.
    boolean tlsEndsAtTheLoadBalancer = origin.isPresent() && origin.get().scheme() == Scheme.HTTPS
        && s.gateway() != null && LoadBalancerTls.endsBeforeThePods(s.gateway().service(), origin.get().port());
    origin.ifPresent(o -> targets.add(new ProbeTarget(ProbeLayer.ORIGIN, o.address(), o.port(),
        tlsEndsAtTheLoadBalancer && !proxy.reachesTheLoadBalancer(o) ? Scheme.HTTP : o.scheme(),
        host, path, timeout, "", proxy.towardsOrigin(o), originCheck, CDN_REQUEST_HEADERS, "")));
    if (origin.isPresent() && s.gateway() != null) {
      gatewayTarget(s.gateway(), origin.get(), tlsEndsAtTheLoadBalancer ? Scheme.HTTP : origin.get().scheme(), host,
          path, timeout)
          .map(t -> t.withProxyProtocol(proxy.version()).withCertificateCheck(originCheck).withHeaders(CDN_REQUEST_HEADERS))
          .ifPresent(targets::add);
    }
    if (probe.upstreams()) {
      UpstreamRequest request = UpstreamRequest.of(s, path, origin);
      for (Backend backend : s.backends()) {
        upstreamTargets(backend, !s.viaHttpRoute(), request, timeout, targets);
      }
    }
    return new ProbePlan(targets, probe.interval(), probe.failureThreshold(), probe.successThreshold(),
        probe.expected(), GatewayReadTimeout.of(s).map(GatewayReadTimeout::latencyBudget).orElse(Duration.ZERO),
        ProxyBufferSize.of(s).map(ProxyBufferSize::bytes).orElse(0),
        new OriginReading(SourceAllowlist.forbiddenReading(s), OriginEndpoint.httpDeclared(s.spec().getOrigin()),
            GatewayAuthentication.of(s).isPresent(), LoadBalancerSourceRanges.dropOnlyTheProbe(s) || CdnOnlyNetworkPolicies.dropOnlyTheProbe(s)));
  }

  /**
   * The name probes ask for. Visitors of a wildcard Site ask for a name of their own, never
   * {@code *.example.com}: that is no valid SNI nor a name a certificate can be checked against
   * (the TLS stack refuses it, and the probe would read a sound wildcard certificate as invalid),
   * so one concrete name under the wildcard stands in for theirs.
   */
  static String askedFor(String host) {
    return host != null && host.startsWith("*.") ? WILDCARD_LABEL + host.substring(1) : host;
  }

  /** The gateway Service's cluster IP on the port that matches the origin's. */
  private static Optional<ProbeTarget> gatewayTarget(GatewayState gateway, OriginEndpoint origin, Scheme scheme,
      String host, String path, Duration timeout) {
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
    return Optional.of(new ProbeTarget(ProbeLayer.GATEWAY, clusterIp, port, scheme, host, path, timeout, gateway.key()));
  }

  /** What the gateway sends every upstream of the Site: the rewritten path and its forwarding headers. */
  record UpstreamRequest(String host, String path, Map<String, String> headers, String backendProtocol) {
    static final String BACKEND_PROTOCOL = "nginx.ingress.kubernetes.io/backend-protocol";

    static UpstreamRequest of(Snapshot s, String probePath, Optional<OriginEndpoint> origin) {
      Ingress ingress = s.ingress();
      String host = askedFor(s.spec().getHost());
      String scheme = origin.map(o -> o.scheme().label()).orElse("http");
      String port = String.valueOf(origin.map(OriginEndpoint::port).orElse(80));
      // The headers ingress-nginx sets on every proxied request (its nginx.tmpl), with the probe's
      // own address standing in for the visitor's.
      Map<String, String> headers = new LinkedHashMap<>();
      headers.put("X-Request-ID", "upstream-health-probe");
      headers.put("X-Real-IP", ProbeTarget.CONNECTION_ADDRESS);
      headers.put("X-Forwarded-For", ProbeTarget.CONNECTION_ADDRESS);
      headers.put("X-Forwarded-Host", host);
      headers.put("X-Forwarded-Port", port);
      headers.put("X-Forwarded-Proto", scheme);
      headers.put("X-Forwarded-Scheme", scheme);
      headers.put("X-Scheme", scheme);
      headers.put("X-Original-URI", probePath);
      Map<String, String> annotations = ingress == null || ingress.getMetadata() == null
          ? null : ingress.getMetadata().getAnnotations();
      String protocol = annotations == null ? "" : annotations.getOrDefault(BACKEND_PROTOCOL, "");
      // ingress-nginx speaks HTTP to a backend unless that annotation says otherwise: it reads
      // neither a port's name nor its appProtocol (a port named https in front of an app that
      // speaks HTTP, TLS ending at the load balancer). Behind one known as ingress-nginx, so does
      // the probe; behind another controller the port's own word stands.
      if (protocol.isBlank() && ingress != null && s.controllerConfig() != null) {
        protocol = "HTTP";
      }
      // The path after the route's rewrite: an HTTPRoute's URLRewrite, or ingress-nginx's rewrite-target.
      String path = s.routeUpstreamPath(probePath).orElseGet(() -> ingress == null ? probePath
          : UpstreamRequestPath.afterIngressNginxRewrite(ingress, host, probePath));
      // One immutable copy: every upstream target of the Site then shares it instead of copying it.
      return new UpstreamRequest(host, path, Map.copyOf(headers), protocol.strip().toUpperCase(Locale.ROOT));
    }
  }

  /** Each ready endpoint address on the slice port that carries the Ingress's Service port. */
  private static void upstreamTargets(Backend backend, boolean viaIngress, UpstreamRequest request, Duration timeout,
      List<ProbeTarget> out) {
    if (backend.service() == null || backend.service().getSpec() == null) {
      return;
    }
    Optional<ServicePort> servicePort = backend.servicePort(viaIngress);
    if (servicePort.isEmpty()) {
      return;
    }
    Optional<UpstreamProtocol> protocol = UpstreamProtocol.of(servicePort.get(), request.backendProtocol());
    if (protocol.isEmpty()) {
      return;
    }
    List<ProbeTarget> endpoints = new ArrayList<>();
    String service = backend.ref().serviceKey();
    for (EndpointSlice slice : backend.slices()) {
      Integer port = slicePort(slice, servicePort.get());
      if (port == null) {
        continue;
      }
      for (Endpoint endpoint : Optional.ofNullable(slice.getEndpoints()).orElse(List.of())) {
        if (!EndpointCount.isReady(endpoint) || endpoint.getAddresses() == null || endpoint.getAddresses().isEmpty()) {
          continue;
        }
        endpoints.add(protocol.get().target(new ProbeTarget(ProbeLayer.UPSTREAM, endpoint.getAddresses().get(0), port,
            Scheme.HTTP, request.host(), request.path(), timeout, service)
            .withHeaders(request.headers())));
      }
    }
    // A stable sample: the same endpoints stay in the plan and keep their probe history.
    endpoints.stream().sorted(Comparator.comparing(ProbeTarget::key))
        .limit(MAX_UPSTREAM_TARGETS_PER_SERVICE).forEach(out::add);
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
