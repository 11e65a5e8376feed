package dev.upstreamhealth.diagnosis;

import dev.upstreamhealth.api.Reason;
import dev.upstreamhealth.probe.ProbeLayer;
import dev.upstreamhealth.probe.ProbeResult;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.RouteParentStatus;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * An HTTPRoute origin: whether it can be judged at all (Gateway API installed, caches synced, the
 * route there and serving host), then the 502 causes the Gateway API names itself: backendRefs
 * the route may not use, Services that do not exist, ports they lack.
 */
final class RouteLayer {
  private RouteLayer() {}

  /** What stops any further judgement of the route, if anything: Unknown or Other. */
  static Optional<Finding> blocking(Snapshot s) {
    RouteState state = s.route();
    switch (state.availability()) {
      case NOT_INSTALLED -> {
        return Optional.of(new Finding(Reason.GATEWAY_API_NOT_INSTALLED, "spec.origin.httpRouteName names "
            + s.routeDescription() + " but the cluster does not serve the Gateway API: " + state.detail()
            + "; install its standard CRDs and a Gateway implementation, or use spec.origin.ingressName"));
      }
      case STARTING -> {
        return Optional.of(new Finding(Reason.CACHES_NOT_SYNCED, "the Gateway API caches have not synced yet: "
            + state.detail()));
      }
      default -> { }
    }
    if (state.route() == null) {
      return Optional.of(new Finding(Reason.ROUTE_NOT_FOUND, s.routeDescription()
          + " (spec.origin.httpRouteName) does not exist"));
    }
    RouteAttachment attachment = s.attachment().orElseThrow();
    if (!attachment.served()) {
      return Optional.of(new Finding(Reason.HOST_NOT_ROUTED, attachment.problem()));
    }
    return Optional.empty();
  }

  /** 502 causes the route itself shows; added before the upstream layer's, so these words win a tie. */
  static void assess(Snapshot s, Findings findings) {
    HTTPRoute route = s.route().route();
    String routeNamespace = route.getMetadata().getNamespace();
    String host = s.spec().getHost();
    String answer = invalidBackendAnswer(s);
    Set<BackendRef> cannotServe = TrafficSplit.cannotServe(s);
    for (BackendRef ref : HttpRoutes.backendsFor(route)) {
      if (!HttpRoutes.permitted(routeNamespace, ref, s.route().grants())) {
        add(findings, Reason.BACKEND_NOT_PERMITTED, s.routeDescription() + " sends " + host + " to Service "
            + ref.serviceKey() + " in another namespace, and no ReferenceGrant in " + ref.namespace()
            + " lets HTTPRoutes of " + routeNamespace + " refer to it" + answer,
            TrafficSplit.shareOnly(route, ref, cannotServe));
      }
    }
    for (Backend backend : s.backends()) {
      Optional<String> share = TrafficSplit.shareOnly(route, backend.ref(), cannotServe);
      if (backend.service() == null) {
        add(findings, Reason.BACKEND_SERVICE_MISSING, s.routeDescription() + " sends " + host + " to Service "
            + backend.ref().serviceKey() + ", which does not exist" + answer, share);
      } else if (!backend.isExternalName() && !hasPort(backend)) {
        // An ExternalName Service often lists no ports: the name is the backend. Whether the
        // implementation can use it (Envoy Gateway cannot: ResolvedRefs False, UnsupportedValue,
        // and 500) is for the probes through the gateway, with the Gateway's words quoted.
        UpstreamLayer.portMismatch(backend, false, s.routeDescription(), s.probes(), s.backends().size() == 1)
            .ifPresent(m -> add(findings, Reason.SERVICE_PORT_MISMATCH, m.message() + answer, share));
      }
    }
    resolvedRefs(s).filter(c -> CAUSES.contains(c.getReason()) && !onlyRefsOfOtherKindsCanBeInvalid(s)).ifPresent(c -> {
      String quoted = "Gateway " + s.attachment().get().gatewayKey() + " reports for " + s.routeDescription() + " "
          + HttpRoutes.quote(c) + answer;
      // The condition names no ref: when every ref it can be about fails only a share of the
      // requests, so does what it reports.
      Optional<String> share = shareOfUnresolved(s, cannotServe);
      switch (c.getReason() == null ? "" : c.getReason()) {
        case "BackendNotFound" -> add(findings, Reason.BACKEND_SERVICE_MISSING, quoted, share);
        case "PortNotFound" -> add(findings, Reason.SERVICE_PORT_MISMATCH, quoted, share);
        case "RefNotPermitted" -> add(findings, Reason.BACKEND_NOT_PERMITTED, quoted, share);
        default -> { }
      }
    });
  }

  /** A cause of the whole Site, or a partial failure where the backend gets only a share of the requests. */
  private static void add(Findings findings, Reason cause, String message, Optional<String> share) {
    findings.add(share.isPresent() ? Reason.PARTIAL_UPSTREAM_FAILURE : cause, message + share.orElse(""));
  }

  /**
   * The shares of the refs a False ResolvedRefs can be about (those not seen whole: not
   * permitted, the Service or its port missing), when each of them gets only a share; else empty.
   */
  private static Optional<String> shareOfUnresolved(Snapshot s, Set<BackendRef> cannotServe) {
    HTTPRoute route = s.route().route();
    List<BackendRef> unresolved = HttpRoutes.backendsFor(route).stream().filter(ref -> !seenWhole(s, ref)).toList();
    List<Optional<String>> shares = unresolved.stream().map(ref -> TrafficSplit.shareOnly(route, ref, cannotServe)).toList();
    if (unresolved.isEmpty() || shares.stream().anyMatch(Optional::isEmpty)) {
      return Optional.empty();
    }
    return Optional.of(String.join("", shares.stream().map(Optional::get).toList()));
  }

  /** The ResolvedRefs reasons read above as causes of their own; the others are only quoted. */
  private static final Set<String> CAUSES = Set.of("BackendNotFound", "PortNotFound", "RefNotPermitted");

  /**
   * The serving Gateway's own words when it reports ResolvedRefs False for a reason none of the
   * catalogue's causes names (InvalidKind, UnsupportedValue for an ExternalName Service,
   * UnsupportedProtocol ...), or about a backendRef of another kind than Service: the likely source
   * of an answer of 500, which Gateway API implementations give for a backend they cannot use.
   * Empty for an Ingress Site.
   */
  static String unresolvedRefsNote(Snapshot s) {
    if (!s.viaHttpRoute() || s.route() == null || s.route().route() == null
        || s.attachment().filter(RouteAttachment::served).isEmpty()) {
      return "";
    }
    return resolvedRefs(s).filter(c -> !CAUSES.contains(c.getReason()) || onlyRefsOfOtherKindsCanBeInvalid(s))
        .map(c -> "; Gateway " + s.attachment().get().gatewayKey() + " reports for " + s.routeDescription() + " "
            + HttpRoutes.quote(c) + ": Gateway API implementations answer 500 for a backend they cannot use")
        .orElse("");
  }

  /** Whether the backendRef's port is a port of its Service: a gateway cannot use one that is not. */
  private static boolean hasPort(Backend backend) {
    Integer port = backend.ref().portNumber();
    return backend.service().getSpec() != null && backend.service().getSpec().getPorts() != null
        && backend.service().getSpec().getPorts().stream().anyMatch(p -> port != null && port.equals(p.getPort()));
  }

  /**
   * The serving parent's ResolvedRefs condition when False. A condition written for an older
   * generation of the route is left out: the controller has not looked at the current one yet.
   */
  private static Optional<Condition> resolvedRefs(Snapshot s) {
    HTTPRoute route = s.route().route();
    RouteAttachment attachment = s.attachment().orElseThrow();
    Optional<RouteParentStatus> status = HttpRoutes.parentStatus(route, attachment.parent(),
        HttpRoutes.controllerOf(attachment.gateway(), s.route()));
    return status.flatMap(st -> HttpRoutes.condition(st.getConditions(), "ResolvedRefs"))
        .filter(c -> "False".equals(c.getStatus()))
        .filter(c -> HttpRoutes.current(c, route))
        .filter(c -> !onlyUnusedRefsCanBeInvalid(s));
  }

  /**
   * Whether a False ResolvedRefs can only be about backendRefs of another kind than Service (Envoy
   * Gateway's Backend, a multi-cluster ServiceImport), which this operator does not see: the route
   * has some that carry traffic, and every Service it sends to is seen whole. What share of the
   * requests such a ref gets, and so whether visitors notice, is the gateway's to know: a missing
   * one is answered 500 there, which the probe through the gateway sees where it is sent there.
   * Its words are quoted ({@link #unresolvedRefsNote}) rather than read as a Service's cause.
   */
  private static boolean onlyRefsOfOtherKindsCanBeInvalid(Snapshot s) {
    HTTPRoute route = s.route().route();
    return HttpRoutes.sendsToOtherKinds(route) && HttpRoutes.backendsFor(route).stream().allMatch(ref -> seenWhole(s, ref));
  }

  /**
   * Whether a False ResolvedRefs can only be about refs that carry no visitor's traffic:
   * backendRefs of weight 0 or a RequestMirror filter's backendRef. The route has some, and every
   * backend that gets traffic is one this operator sees whole (permitted, its Service there with
   * the port), which the checks above judge. The Gateway API has ResolvedRefs report an invalid
   * ref whatever its weight or use; a gateway sends a ref of weight 0 nothing, and drops a mirror
   * it cannot resolve while the rule still serves.
   */
  private static boolean onlyUnusedRefsCanBeInvalid(Snapshot s) {
    HTTPRoute route = s.route().route();
    if (!HttpRoutes.hasRefsOfWeightZero(route) && !HttpRoutes.mirrors(route)) {
      return false;
    }
    return HttpRoutes.backendsFor(route).stream().allMatch(ref -> seenWhole(s, ref));
  }

  /** Whether the operator sees the ref whole: permitted, its Service there with the port. */
  private static boolean seenWhole(Snapshot s, BackendRef ref) {
    return HttpRoutes.permitted(s.route().route().getMetadata().getNamespace(), ref, s.route().grants())
        && s.backends().stream().anyMatch(b -> b.ref().equals(ref) && b.service() != null && hasPort(b));
  }

  /**
   * Gateway API implementations answer 500 for a backend they cannot use (ingress-nginx: 503);
   * the message says what this origin was seen to answer, when a probe saw it.
   */
  private static String invalidBackendAnswer(Snapshot s) {
    // Only an error answer speaks for the broken backend; a success is from before the change.
    Optional<ProbeResult> seen = s.probes().first(ProbeLayer.ORIGIN)
        .map(p -> p.confirmed() != null ? p.confirmed() : p.last())
        .filter(r -> r != null && r.responded() && r.statusCode() >= 500);
    return seen.map(r -> "; the origin answers HTTP " + r.statusCode()
            + (r.statusCode() == 500 ? ", as Gateway API implementations do for an invalid backend" : ""))
        .orElse("; Gateway API implementations answer 500 for an invalid backend");
  }
}
