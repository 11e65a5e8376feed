package dev.upstreamhealth.diagnosis;

import dev.upstreamhealth.api.Reason;
import dev.upstreamhealth.probe.ProbeLayer;
import dev.upstreamhealth.probe.ProbeOutcome;
import dev.upstreamhealth.probe.ProbeResult;
import dev.upstreamhealth.probe.TrackedProbe;
import java.util.Optional;
import java.util.Set;

/**
 * NetworkPolicies that admit none of the CDN's ranges, weighed against what the origin probe met.
 * The policies read here are the Kubernetes ones only: a CNI's own (Cilium's, Calico's) may admit
 * more beside them, and some CNIs enforce none at all (the AWS VPC CNI until told to). Where the
 * policies admit nothing from inside the cluster either, they keep the operator's probes out as
 * they would the CDN, so the origin probe tests them: a probe that got through shows they are not
 * what decides, and visitors may well be served. The block is then shown once the probe confirms
 * it (its connection dropped too), never against a probe that got through. Where the policies may
 * admit the probe (pods, namespaces, cluster ranges), its getting through proves nothing, and the
 * policies as read are the cause at once, as they are where no origin probe runs.
 *
 * @param blocked what the policies do to the CDN's ranges, as the message says it
 * @param mayAdmitTheProbe whether they may admit a connection from inside the cluster
 */
record CdnPolicyBlock(String blocked, boolean mayAdmitTheProbe) {
  /** The probe made no connection: what a policy that drops it leaves. */
  private static final Set<ProbeOutcome> NO_CONNECTION = Set.of(ProbeOutcome.CONNECT_TIMEOUT,
      ProbeOutcome.CONNECTION_REFUSED, ProbeOutcome.UNREACHABLE);

  /**
   * The policies on the gateway pods, where they admit none of the CDN's ranges on the origin
   * port. Only where the gateway pods see the CDN's own addresses ({@link OriginLayer#keepsClientAddress}).
   */
  static Optional<CdnPolicyBlock> of(Snapshot s, OriginEndpoint origin) {
    GatewayState gateway = s.gateway();
    if (gateway == null || gateway.service() == null || !OriginLayer.keepsClientAddress(gateway)) {
      return Optional.empty();
    }
    NetworkPolicyAdmission.PodPort port = OriginLayer.gatewayPodPort(gateway, origin.port());
    return NetworkPolicyAdmission.blocked(gateway.policies(), gateway.pods(), OriginLayer.cdnRanges(s.spec()), port)
        .map(message -> new CdnPolicyBlock(message, NetworkPolicyAdmission.mayAdmitFromInside(
            NetworkPolicyAdmission.isolating(gateway.policies(), gateway.pods()), port, gateway.pods())));
  }

  static void assess(Snapshot s, OriginEndpoint origin, Findings findings) {
    of(s, origin).ifPresent(policies -> {
      Optional<TrackedProbe> probe = s.probes().first(ProbeLayer.ORIGIN)
          .filter(p -> p.last() == null || p.last().outcome() != ProbeOutcome.NOT_PROBED);
      if (policies.mayAdmitTheProbe() || probe.isEmpty()) {
        findings.add(Reason.CDN_BLOCKED_BY_NETWORK_POLICY, policies.blocked());
      } else if (probe.get().confirmedFailure() && NO_CONNECTION.contains(probe.get().confirmed().outcome())) {
        // On what is confirmed only, as every probe fault: a single result either way decides nothing.
        // Resting on the probe's confirmation, it waits for the probes again after a restart.
        findings.observedByProbes().add(Reason.CDN_BLOCKED_BY_NETWORK_POLICY, policies.blocked()
            + ", and admit nothing from inside the cluster either: the origin probe's connection is dropped too");
      }
    });
  }

  /**
   * What a Healthy message says where the policies admit none of the CDN's ranges and nothing
   * from inside the cluster, yet the origin probe got through.
   */
  static String unenforcedNote(Snapshot s) {
    boolean through = s.probes().first(ProbeLayer.ORIGIN).filter(TrackedProbe::isConfirmed)
        .map(p -> gotThrough(p.confirmed())).orElse(false);
    return !through ? "" : s.originEndpoint().flatMap(origin -> of(s, origin))
        .filter(policies -> !policies.mayAdmitTheProbe())
        .map(policies -> "; " + policies.blocked() + ", nor anything from inside the cluster, yet the probe got"
            + " through: the network admits more than these policies say (a CNI's own policies, or one that"
            + " enforces none), so they are not taken to keep the CDN out")
        .orElse("");
  }

  /** The probe reached the gateway: a TCP connection was made, whatever came of it. */
  private static boolean gotThrough(ProbeResult result) {
    if (result == null) {
      return false;
    }
    ProbeOutcome outcome = result.outcome();
    return !NO_CONNECTION.contains(outcome) && outcome != ProbeOutcome.NOT_PROBED
        && outcome != ProbeOutcome.NAME_LOOKUP_FAILED
        && !(outcome == ProbeOutcome.ADDRESS_NOT_ADMITTED && result.statusCode() == 0);
  }
}
