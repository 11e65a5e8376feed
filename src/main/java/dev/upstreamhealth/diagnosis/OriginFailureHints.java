package dev.upstreamhealth.diagnosis;

import dev.upstreamhealth.probe.ProbeLayer;
import dev.upstreamhealth.probe.ProbeOutcome;
import dev.upstreamhealth.probe.Scheme;
import dev.upstreamhealth.probe.ProbeResult;
import dev.upstreamhealth.probe.ProxyProtocol;
import dev.upstreamhealth.probe.TrackedProbe;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Listener;
import java.util.List;
import java.util.Optional;

/**
 * What an origin failure's message adds when the probe itself may be why it failed: not admitted
 * where only the CDN is, or a PROXY protocol header the gateway expected and did not get.
 */
final class OriginFailureHints {
  private OriginFailureHints() {}

  /**
   * An origin that accepts no connection while the gateway behind it serves, seen from inside the
   * cluster, may only be refusing this operator's probes: a load balancer that admits only the
   * CDN's ranges (the gateway Service's loadBalancerSourceRanges, which kube-proxy also applies to
   * traffic from pods) or a NetworkPolicy does. The message says so; the CDN's own view cannot be
   * probed from here.
   */
  static String admission(Snapshot s, Optional<TrackedProbe> gateway) {
    boolean gatewayServes = s.gateway() != null && gateway.map(g -> g.isConfirmed() && g.confirmedSuccess()).orElse(false);
    List<String> ranges = s.gateway() == null || s.gateway().service() == null
        || s.gateway().service().getSpec() == null || s.gateway().service().getSpec().getLoadBalancerSourceRanges() == null
        ? List.of() : s.gateway().service().getSpec().getLoadBalancerSourceRanges();
    if (!gatewayServes && ranges.isEmpty()) {
      boolean gatewayTimesOut = gateway.map(g -> g.isConfirmed() && g.confirmedFailure()
          && g.confirmed().outcome() == ProbeOutcome.CONNECT_TIMEOUT).orElse(false);
      if (!gatewayTimesOut) {
        return "";
      }
      String isolated = isolatedGateway(s);
      return isolated.isEmpty() ? probesKeptIn(s) : isolated;
    }
    String why = ranges.isEmpty() ? "" : "; gateway Service " + s.gateway().key() + " admits only loadBalancerSourceRanges "
        + ranges;
    return (gatewayServes ? "; the gateway Service " + s.gateway().key() + " answers from inside the cluster" : "") + why
        + ": if the load balancer admits only the CDN's ranges, admit this operator's pods too, or the probe"
        + " cannot see what the CDN sees";
  }

  /**
   * Where the gateway's own probe gets no connection either, NetworkPolicies that isolate the
   * gateway pods may be why: ones that admit only the CDN's ranges, or only a tunnel's cloudflared
   * pods, keep this operator's probes out wherever they come in.
   */
  private static String isolatedGateway(Snapshot s) {
    if (s.gateway() == null) {
      return "";
    }
    List<String> names = NetworkPolicyAdmission.isolating(s.gateway().policies(), s.gateway().pods()).stream()
        .map(ObjectKey::of).toList();
    return names.isEmpty() ? "" : "; NetworkPolic" + (names.size() == 1 ? "y " : "ies ") + String.join(", ", names)
        + (names.size() == 1 ? " selects" : " select") + " the gateway pods: if " + (names.size() == 1 ? "it admits" : "they admit")
        + " only the CDN's ranges or a tunnel's pods, admit this operator's pods too, or the probe cannot see what"
        + " the CDN sees";
  }

  /**
   * Where the endpoints behind the gateway, which the kubelet finds ready, time out at the connect
   * too, nothing of the Site takes the operator's connections: the probes' own way out (a
   * NetworkPolicy on the operator's egress, its node's network) is as likely as every layer down
   * at once. Every Site then says so at the same time.
   */
  private static String probesKeptIn(Snapshot s) {
    List<TrackedProbe> upstreams = s.probes().layer(ProbeLayer.UPSTREAM);
    boolean noneConnects = !upstreams.isEmpty() && upstreams.stream()
        .allMatch(p -> p.last() != null && p.last().outcome() == ProbeOutcome.CONNECT_TIMEOUT);
    return noneConnects ? "; the gateway Service and all " + upstreams.size() + " ready upstream endpoints probed"
        + " time out too, though the kubelet finds them ready: if every Site says so at once, look at the"
        + " operator's own way out (a NetworkPolicy on its egress, its node's network)" : "";
  }

  /**
   * For an HTTPRoute, what the Gateway reports of the listener the origin was derived from when
   * it is not ready: {@code ResolvedRefs} False (a TLS Secret missing: InvalidCertificateRef) or
   * {@code Programmed} False, in the controller's words. A refused connection or a failed
   * handshake there is what such a listener produces.
   */
  static String listenerNotReady(Snapshot s) {
    Optional<RouteAttachment> served = s.attachment().filter(RouteAttachment::served);
    Optional<OriginEndpoint> origin = s.originEndpoint();
    if (served.isEmpty() || origin.isEmpty() || served.get().gateway().getStatus() == null) {
      return "";
    }
    RouteAttachment a = served.get();
    Optional<Listener> listener = origin.get().scheme() == Scheme.HTTPS
        ? a.httpsListener().or(a::httpListener) : a.httpListener().or(a::httpsListener);
    if (listener.isEmpty() || listener.get().getName() == null) {
      return "";
    }
    String name = listener.get().getName();
    List<Condition> notReady = IngressRoutes.nullSafe(a.gateway().getStatus().getListeners()).stream()
        .filter(l -> name.equals(l.getName()))
        .flatMap(l -> IngressRoutes.nullSafe(l.getConditions()).stream())
        .filter(c -> ("ResolvedRefs".equals(c.getType()) || "Programmed".equals(c.getType())) && "False".equals(c.getStatus()))
        .toList();
    return notReady.isEmpty() ? "" : "; listener \"" + name + "\" of Gateway " + a.gatewayKey() + " reports "
        + String.join(" and ", notReady.stream().map(HttpRoutes::quote).toList());
  }

  /** That the probe sent a PROXY header first, when it did: a gateway not expecting one drops the connection. */
  static String proxyHeaderSent(ProbeResult r) {
    return r.target().proxyProtocol() == ProxyProtocol.NONE
        ? "" : " (the probe sent a PROXY protocol " + r.target().proxyProtocol().label() + " header first)";
  }

  /**
   * A gateway that expects a PROXY header closes a connection that starts without one, before
   * any answer (nginx: "broken header"): the probe did so because no cloud annotation or setting
   * said the load balancer speaks it.
   */
  static String closedWithoutAnswer(Snapshot s, ProbeResult r) {
    if (r.target().proxyProtocol() != ProxyProtocol.NONE) {
      return proxyHeaderSent(r);
    }
    return headerLeftToTheLoadBalancer(s, r) ? ""
        : " (the probe sent no PROXY protocol header: if the load balancer speaks PROXY protocol to the gateway,"
            + " set spec.origin.proxyProtocol)";
  }

  /**
   * A gateway that expects a PROXY header closes a TLS connection that starts without one during
   * the handshake, as it closes a plain one before any answer: the same hint, for that close only.
   */
  static String closedDuringHandshake(Snapshot s, ProbeResult r) {
    return r.detail() != null && r.detail().contains("connection closed during the TLS handshake") ? closedWithoutAnswer(s, r) : "";
  }

  /**
   * Whether no header was sent on purpose: {@code origin.proxyProtocol} says how, or the probe
   * passes the load balancer for real (a host name, or an address with {@code ipMode: Proxy}),
   * which adds its own.
   */
  private static boolean headerLeftToTheLoadBalancer(Snapshot s, ProbeResult r) {
    String declared = s.spec() == null || s.spec().getOrigin() == null ? null : s.spec().getOrigin().getProxyProtocol();
    if (declared != null && !declared.isEmpty()) {
      return true;
    }
    String address = r.target().address();
    if (NetworkAddress.parse(address).map(NetworkAddress::isName).orElse(false)) {
      return true;
    }
    return s.gateway() != null && s.gateway().loadBalancerIngress().stream()
        .anyMatch(i -> "Proxy".equals(i.getIpMode()) && address.equals(i.getIp()));
  }
}
