package dev.upstreamhealth.diagnosis;

import io.fabric8.kubernetes.api.model.networking.v1.IPBlock;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * NetworkPolicies that lock the gateway pods to the CDN: on the origin's port they admit only
 * address blocks outside the cluster, which let the CDN's connections in (the gateway Service keeps
 * the client's address) and drop this operator's probes, whose source is a pod's or a node's
 * address wherever they come in, at the load balancer's address or at the Service's. Both the origin
 * and the gateway probe then time out at their connect while visitors get the page.
 *
 * @param names the isolating policies, "namespace/name"
 * @param admitted the blocks they admit on the origin's port
 */
public record CdnOnlyNetworkPolicies(List<String> names, List<Cidr> admitted) {
  public CdnOnlyNetworkPolicies {
    names = List.copyOf(names);
    admitted = List.copyOf(admitted);
  }

  /**
   * The policies, where they admit on the origin's port nothing but blocks that name no
   * cluster-internal address (a rule open to every source, or to pods or namespaces, may admit the
   * probe's pod: a timeout is then a timeout), and admit the whole of every range of {@code
   * spec.cdn.sourceRanges} (a Site that names none is taken to have listed its CDN's, as for a load
   * balancer's source ranges). Only where the gateway pods see the client's own address: else the
   * CDN's connections arrive from a node's address too, and are dropped as the probe's are.
   */
  static Optional<CdnOnlyNetworkPolicies> of(Snapshot s) {
    GatewayState gateway = s.gateway();
    if (gateway == null || gateway.service() == null || gateway.pods().isEmpty() || s.spec().getOrigin() == null
        || !OriginLayer.keepsClientAddress(gateway)) {
      return Optional.empty();
    }
    Optional<OriginEndpoint> origin = s.originEndpoint();
    if (origin.isEmpty()) {
      return Optional.empty();
    }
    List<NetworkPolicy> isolating = NetworkPolicyAdmission.isolating(gateway.policies(), gateway.pods());
    if (isolating.isEmpty()) {
      return Optional.empty();
    }
    NetworkPolicyAdmission.PodPort port = OriginLayer.gatewayPodPort(gateway, origin.get().port());
    List<Cidr> admitted = new ArrayList<>();
    for (NetworkPolicy policy : isolating) {
      for (NetworkPolicyIngressRule rule : IngressRoutes.nullSafe(policy.getSpec().getIngress())) {
        if (!NetworkPolicyAdmission.admitsPort(rule, port, gateway.pods())) {
          continue;
        }
        List<NetworkPolicyPeer> from = IngressRoutes.nullSafe(rule.getFrom());
        if (from.isEmpty()) {
          return Optional.empty();
        }
        for (NetworkPolicyPeer peer : from) {
          Optional<Cidr> block = externalBlock(peer.getIpBlock());
          if (block.isEmpty() || peer.getPodSelector() != null || peer.getNamespaceSelector() != null) {
            return Optional.empty();
          }
          // A block with exceptions admits less than its range: not counted as covering any CDN range.
          if (IngressRoutes.nullSafe(peer.getIpBlock().getExcept()).isEmpty()) {
            admitted.add(block.get());
          }
        }
      }
    }
    boolean cdnAdmitted = !admitted.isEmpty() && SourceAllowlist.leftOut(admitted, OriginLayer.cdnRanges(s.spec())).isEmpty();
    return cdnAdmitted ? Optional.of(new CdnOnlyNetworkPolicies(isolating.stream().map(ObjectKey::of).toList(), admitted))
        : Optional.empty();
  }

  /** Whether a connection the origin probe never made was these policies dropping it, with the CDN admitted. */
  public static boolean dropOnlyTheProbe(Snapshot s) {
    return of(s).isPresent();
  }

  /** An ipBlock's range, where it names no cluster-internal address; empty for any other peer. */
  private static Optional<Cidr> externalBlock(IPBlock block) {
    if (block == null || block.getCidr() == null) {
      return Optional.empty();
    }
    try {
      Cidr range = Cidr.parse(block.getCidr());
      return SourceAllowlist.namesClusterInternal(List.of(range)) ? Optional.empty() : Optional.of(range);
    } catch (IllegalArgumentException malformed) {
      return Optional.empty();
    }
  }

  /** What a Healthy message says of an origin whose probe these policies dropped. */
  String droppedNote(Snapshot s) {
    boolean named = !OriginLayer.cdnRanges(s.spec()).isEmpty();
    return " accepts no connection from the probe: NetworkPolic" + (names.size() == 1 ? "y " : "ies ")
        + String.join(", ", names) + " admit" + (names.size() == 1 ? "s" : "") + " to the gateway pods only "
        + String.join(", ", admitted.stream().map(Cidr::text).toList())
        + ", no address of the cluster's, so the gateway's own probe gets no connection either"
        + (named ? "; every range of spec.cdn.sourceRanges is admitted"
            : "; taken to list the CDN's ranges (set spec.cdn.sourceRanges to have them checked)")
        + ": what it serves is judged from the gateway's ready endpoints and the probes behind it (admit this"
        + " operator's pods to see the page)";
  }
}
