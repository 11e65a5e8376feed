package dev.upstreamhealth.diagnosis;

import dev.upstreamhealth.api.Reason;
import dev.upstreamhealth.api.SiteSpec;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** 521-style causes read from cluster state: where the CDN connects and whether anything listens. */
final class OriginLayer {
  private OriginLayer() {}

  static void assess(Snapshot s, Optional<OriginEndpoint> origin, Findings findings) {
    SiteSpec spec = s.spec();
    List<NetworkAddress> lb = s.originLoadBalancer();
    String configured = spec.getOrigin().getAddress() == null ? "" : spec.getOrigin().getAddress().strip();
    GatewayState gateway = s.gateway();
    EndpointCount gatewayEndpoints = gateway == null || gateway.service() == null ? null
        : EndpointCount.of(gateway.slices(), gateway.pods());
    // The cause, not its symptom: ingress-nginx clears its Ingresses' addresses as its last pod
    // stops; Envoy Gateway sets its Gateway Programmed False (NoResources, "Deployment replicas
    // unavailable") once no replica is available, and a Gateway not Programmed gives no address.
    boolean addressClearedByTheGateway = origin.isEmpty() && gatewayEndpoints != null && gatewayEndpoints.noneReady()
        && (!s.viaHttpRoute() || s.attachment().filter(RouteAttachment::served).isPresent());
    if (origin.isEmpty()) {
      if (!addressClearedByTheGateway) { // else GATEWAY_DOWN below names the missing address
        findings.add(Reason.NO_ORIGIN_ADDRESS, s.noOriginAddressReason() + (CloudflareTunnel.isNamedBy(configured)
            ? CloudflareTunnel.noAddressNote(configured) : " and spec.origin.address is empty"));
      }
    } else if (!configured.isEmpty() && !lb.isEmpty() && !CloudflareTunnel.isNamedBy(configured)) {
      // A tunnel's name is where the CDN sends, not an address of the gateway's: nothing to compare.
      // A name not resolved yet is no evidence either way: its answer reconciles the Site again.
      OriginAddresses.Match match = OriginAddresses.compare(configured, lb, s.resolvedNames());
      boolean published = NetworkAddress.parse(configured).filter(s.publishedAddresses()::contains).isPresent();
      // The Site's own proxied host written as the origin: the CDN's edge, no address of the origin's.
      boolean cdnEdge = OriginAddresses.namesTheCdnsEdge(configured, s.resolvedNames(), cdnRanges(spec));
      if (!match.matches() && !match.pending() && !published && !cdnEdge) {
        String exposer = exposer(s);
        findings.add(Reason.ORIGIN_ADDRESS_MISMATCH, "the CDN is configured with " + match.configuredAs()
            + " but " + exposer + " is exposed at " + String.join(", ", s.originAddresses())
            + forwardingHint(lb, configured, exposer));
      }
    }
    if (gateway == null) {
      return;
    }
    if (gateway.service() == null) {
      findings.add(Reason.GATEWAY_DOWN, "gateway Service " + gateway.key()
          + " (spec.gateway) does not exist; install the ingress controller or fix spec.gateway");
      return;
    }
    if (gatewayEndpoints.noneReady()) {
      findings.add(Reason.GATEWAY_DOWN, gatewayEndpoints + " endpoints of gateway Service " + gateway.key() + " ready"
          + notReadyPod(gateway.pods()) + (!addressClearedByTheGateway ? ""
              : s.viaHttpRoute() ? "; " + s.noOriginAddressReason()
              : "; " + s.noOriginAddressReason() + ", which ingress-nginx clears as its last"
                  + " pod stops and writes back once a new pod leads"));
    }
    origin.ifPresent(o -> CdnPolicyBlock.assess(s, o, findings));
  }

  /**
   * What the first of the gateway's pods that is not ready says (its crash, the image it cannot
   * pull, no node to run on), so that a controller that is down is named with the cluster's words
   * for why; empty when no such pod is known.
   */
  private static String notReadyPod(List<Pod> pods) {
    List<Pod> notReady = pods.stream().filter(p -> !PodHealth.isGone(p) && !PodHealth.isReady(p)).toList();
    return notReady.isEmpty() ? "" : "; pod " + notReady.get(0).getMetadata().getName() + " "
        + PodHealth.problem(notReady.get(0)) + (notReady.size() > 1 ? " (and " + (notReady.size() - 1)
        + " more not ready)" : "");
  }

  /**
   * Whether the gateway pods see the CDN's own addresses, which is what a NetworkPolicy judges
   * them by. With externalTrafficPolicy Cluster (the default) kube-proxy rewrites the source of
   * what arrives through a load balancer or node port to a node's address: a policy admitting the
   * nodes lets the CDN in, one admitting only the CDN keeps it out, and its verdict on the CDN's
   * ranges says neither. A load balancer that is a proxy hides the CDN's address either way.
   */
  static boolean keepsClientAddress(GatewayState gateway) {
    Service service = gateway.service();
    return service.getSpec() != null && "Local".equals(service.getSpec().getExternalTrafficPolicy())
        && !ProxyingLoadBalancer.hidesClientAddress(service, gateway.loadBalancerIngress());
  }

  /**
   * Where every load-balancer address is private, no CDN connects there: the configured address
   * may be forwarded to it (a router in front of MetalLB), which the operator cannot see. How to say so.
   */
  private static String forwardingHint(List<NetworkAddress> lb, String configured, String exposer) {
    if (lb.isEmpty() || !lb.stream().allMatch(NetworkAddress::isPrivateIp)) {
      return "";
    }
    return ", a private address no CDN connects to; where " + configured + " is forwarded there, annotate "
        + exposer + " with " + ExternalDnsTarget.ANNOTATION + ": " + configured;
  }

  /** The object whose addresses the CDN should connect to: the Ingress, or the Gateway serving the HTTPRoute. */
  private static String exposer(Snapshot s) {
    return s.attachment().filter(RouteAttachment::served)
        .map(a -> "Gateway " + a.gatewayKey() + " (parent of " + s.routeDescription() + ")")
        .orElse(s.routeDescription());
  }

  /** The gateway pod port the origin port maps to through the gateway Service. */
  static NetworkPolicyAdmission.PodPort gatewayPodPort(GatewayState gateway, int originPort) {
    List<ServicePort> ports = gateway.service().getSpec() == null ? List.of() : gateway.service().getSpec().getPorts();
    for (ServicePort port : IngressRoutes.nullSafe(ports)) {
      if (port.getPort() != null && port.getPort() == originPort) {
        IntOrString target = port.getTargetPort();
        if (target == null) {
          return new NetworkPolicyAdmission.PodPort(originPort, null);
        }
        return target.getIntVal() != null
            ? new NetworkPolicyAdmission.PodPort(target.getIntVal(), null)
            : new NetworkPolicyAdmission.PodPort(null, target.getStrVal());
      }
    }
    return new NetworkPolicyAdmission.PodPort(originPort, null);
  }

  /** spec.cdn.sourceRanges, parsed: the spec was checked before anything is judged by them. */
  static List<Cidr> cdnRanges(SiteSpec spec) {
    List<Cidr> ranges = new ArrayList<>();
    if (spec.getCdn() != null && spec.getCdn().getSourceRanges() != null) {
      spec.getCdn().getSourceRanges().forEach(r -> ranges.add(Cidr.parse(r)));
    }
    return ranges;
  }
}
