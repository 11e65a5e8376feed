package dev.upstreamhealth.diagnosis;

import dev.upstreamhealth.probe.ProbeFindings;
import dev.upstreamhealth.probe.ProbeLayer;
import dev.upstreamhealth.probe.ProbeOutcome;
import dev.upstreamhealth.probe.ProbeResult;
import dev.upstreamhealth.probe.TrackedProbe;
import io.fabric8.kubernetes.api.model.Service;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The gateway Service's {@code loadBalancerSourceRanges}: the client ranges its load balancer
 * admits. kube-proxy applies them to traffic from pods to the load-balancer address too, and
 * drops the rest without an answer, so an origin locked to its CDN this way never accepts the
 * operator's probe: its connect times out while the CDN's connections are let through.
 *
 * @param service the gateway Service, "namespace/name"
 * @param ranges the admitted blocks, in the Service's order
 */
public record LoadBalancerSourceRanges(String service, List<Cidr> ranges) {
  public LoadBalancerSourceRanges {
    ranges = List.copyOf(ranges);
  }

  /** The gateway Service's ranges; empty without a gateway Service of type LoadBalancer that lists valid ones. */
  static Optional<LoadBalancerSourceRanges> of(Snapshot s) {
    Service service = s.gateway() == null ? null : s.gateway().service();
    if (service == null || service.getSpec() == null || !"LoadBalancer".equals(service.getSpec().getType())
        || service.getSpec().getLoadBalancerSourceRanges() == null) {
      return Optional.empty();
    }
    List<Cidr> ranges = new ArrayList<>();
    for (String entry : service.getSpec().getLoadBalancerSourceRanges()) {
      try {
        ranges.add(Cidr.parse(entry));
      } catch (IllegalArgumentException notARange) {
        return Optional.empty();
      }
    }
    return ranges.isEmpty() ? Optional.empty() : Optional.of(new LoadBalancerSourceRanges(s.gateway().key(), ranges));
  }

  /**
   * Whether a connection the origin probe never made is these ranges dropping it, with the CDN
   * admitted: the probe goes to one of the gateway Service's load-balancer addresses, the ranges
   * name no cluster-internal address (else the probe's pod may well be admitted, and a timeout is
   * a timeout), and they admit every range of {@code spec.cdn.sourceRanges} (a Site that names none
   * is taken to have listed its CDN's, as for an Ingress's allowlist). Ranges that leave some of
   * them out drop visitors too, and the 521 stands.
   */
  public static boolean dropOnlyTheProbe(Snapshot s) {
    Optional<OriginEndpoint> origin = s.originEndpoint();
    return origin.isPresent() && of(s).filter(r -> r.guard(s, origin.get().address())).isPresent();
  }

  private boolean guard(Snapshot s, String originAddress) {
    return OriginAddresses.named(originAddress, loadBalancerAddresses(s)).isPresent()
        && !SourceAllowlist.namesClusterInternal(ranges)
        && SourceAllowlist.leftOut(ranges, OriginLayer.cdnRanges(s.spec())).isEmpty();
  }

  /**
   * The Site's probes as the verdict reads them. A connect the ranges dropped counts as the origin
   * reached only while the gateway, probed at its cluster IP where no range applies, serves: a
   * gateway that accepts nothing there leaves the CDN's connections hanging too (its 522), and the
   * drop is read as the timeout it was. Until the gateway's probe has concluded, the origin has no
   * view yet, so that nothing is shown on the way.
   */
  static Snapshot withDropsJudged(Snapshot s) {
    Optional<TrackedProbe> origin = s.probes().first(ProbeLayer.ORIGIN);
    if (origin.isEmpty() || !dropped(origin.get())) {
      return s;
    }
    Optional<TrackedProbe> gateway = s.probes().first(ProbeLayer.GATEWAY);
    if (CdnOnlyNetworkPolicies.dropOnlyTheProbe(s)) {
      // NetworkPolicies that admit only the CDN drop the gateway's probe at its cluster IP too: the
      // gateway's ready endpoints speak for it (GatewayDown when there are none). A gateway probe
      // that connects says the policies admit the probe (not enforced, pods on the host's network),
      // and the origin's timeout is the 522 it looks like.
      if (gateway.map(g -> g.isConfirmed() && g.confirmedFailure()
          && g.confirmed().outcome() == ProbeOutcome.CONNECT_TIMEOUT).orElse(false)) {
        return s;
      }
    } else if (gateway.map(g -> g.isConfirmed() && g.confirmedSuccess()).orElse(false)) {
      return s;
    }
    TrackedProbe o = origin.get();
    TrackedProbe judged;
    if (gateway.map(g -> g.isConfirmed()).orElse(true)) {
      ProbeResult timedOut = o.confirmed().withOutcome(ProbeOutcome.CONNECT_TIMEOUT);
      judged = new TrackedProbe(o.target(), o.last(), timedOut, false, o.consecutiveSuccesses(), 0, timedOut,
          o.consecutiveSuccesses());
    } else {
      judged = new TrackedProbe(o.target(), o.last(), null, false, 0, 0, o.lastFailure(), 0);
    }
    List<TrackedProbe> probes = s.probes().probes().stream().map(p -> p == o ? judged : p).toList();
    return s.withProbes(new ProbeFindings(probes, s.probes().upstreamLatencies()));
  }

  private static boolean dropped(TrackedProbe origin) {
    return origin.isConfirmed() && origin.confirmedSuccess()
        && origin.confirmed().outcome() == ProbeOutcome.ADDRESS_NOT_ADMITTED && origin.confirmed().statusCode() == 0;
  }

  /** What a Healthy message says of an origin whose load balancer dropped the probe. */
  static String droppedNote(Snapshot s) {
    if (!dropOnlyTheProbe(s)) {
      Optional<CdnOnlyNetworkPolicies> policies = CdnOnlyNetworkPolicies.of(s);
      if (policies.isPresent()) {
        return policies.get().droppedNote(s);
      }
    }
    boolean named = !OriginLayer.cdnRanges(s.spec()).isEmpty();
    return of(s).map(r -> " accepts no connection from the probe: gateway Service " + r.service
        + " admits only loadBalancerSourceRanges " + String.join(", ", r.ranges.stream().map(Cidr::text).toList())
        + ", which kube-proxy applies to the probe's pod too"
        + (named ? "; every range of spec.cdn.sourceRanges is admitted"
            : "; taken to list the CDN's ranges (set spec.cdn.sourceRanges to have them checked)")
        + ": what it serves is judged from the probes behind it (admit this operator's pods to see the page)")
        .orElse(" accepts no connection from the probe");
  }

  /**
   * The load balancer's addresses, and an AWS load balancer's name: it publishes only that, and the
   * probe to it leaves the cluster, where its security group, built from the same ranges, drops it.
   * Not where the Service names security groups of its own, which then stand instead of the ranges.
   */
  private static List<String> loadBalancerAddresses(Snapshot s) {
    boolean rangesInItsSecurityGroup = !CloudLoadBalancers.annotations(s.gateway().service())
        .containsKey(CloudLoadBalancers.AWS + "security-groups");
    return s.gateway().loadBalancerIngress().stream()
        .flatMap(i -> Stream.of(i.getIp(),
            rangesInItsSecurityGroup && CloudLoadBalancers.isAwsName(i.getHostname()) ? i.getHostname() : null))
        .filter(Objects::nonNull).toList();
  }
}
