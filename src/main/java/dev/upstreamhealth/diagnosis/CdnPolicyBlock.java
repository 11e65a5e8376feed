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
 */
final class CdnPolicyBlock {
  /** The probe made no connection: what a policy that drops it leaves. */
  private static final Set<ProbeOutcome> NO_CONNECTION = Set.of(ProbeOutcome.CONNECT_TIMEOUT,
      ProbeOutcome.CONNECTION_REFUSED, ProbeOutcome.UNREACHABLE);

  private CdnPolicyBlock() {}

  static void assess(Snapshot s, NetworkPolicyAdmission.PodPort port, String blocked, Findings findings) {
    GatewayState gateway = s.gateway();
    if (NetworkPolicyAdmission.mayAdmitFromInside(NetworkPolicyAdmission.isolating(gateway.policies(), gateway.pods()),
        port, gateway.pods())) {
      findings.add(Reason.CDN_BLOCKED_BY_NETWORK_POLICY, blocked);
      return;
    }
    Optional<TrackedProbe> probe = s.probes().first(ProbeLayer.ORIGIN)
        .filter(p -> p.last() == null || p.last().outcome() != ProbeOutcome.NOT_PROBED);
    if (probe.isEmpty()) {
      findings.add(Reason.CDN_BLOCKED_BY_NETWORK_POLICY, blocked);
    } else if (!gotThrough(probe.get().last()) && probe.get().confirmedFailure()
        && NO_CONNECTION.contains(probe.get().confirmed().outcome())) {
      // Resting on the probe's confirmation, it waits for the probes again after a restart.
      findings.observedByProbes().add(Reason.CDN_BLOCKED_BY_NETWORK_POLICY, blocked
          + ", and admit nothing from inside the cluster either: the origin probe's connection is dropped too");
    }
  }

  /**
   * What a Healthy message says where the policies admit none of the CDN's ranges and nothing
   * from inside the cluster, yet the origin probe got through.
   */
  static String unenforcedNote(Snapshot s) {
    GatewayState gateway = s.gateway();
    Optional<OriginEndpoint> origin = s.originEndpoint();
    if (gateway == null || gateway.service() == null || origin.isEmpty() || !OriginLayer.keepsClientAddress(gateway)) {
      return "";
    }
    NetworkPolicyAdmission.PodPort port = OriginLayer.gatewayPodPort(gateway, origin.get().port());
    Optional<String> blocked = NetworkPolicyAdmission.blocked(gateway.policies(), gateway.pods(),
        OriginLayer.cdnRanges(s.spec()), port);
    boolean through = s.probes().first(ProbeLayer.ORIGIN).map(p -> gotThrough(p.last())).orElse(false);
    if (blocked.isEmpty() || !through || NetworkPolicyAdmission.mayAdmitFromInside(
        NetworkPolicyAdmission.isolating(gateway.policies(), gateway.pods()), port, gateway.pods())) {
      return "";
    }
    return "; " + blocked.get() + ", nor anything from inside the cluster, yet the probe got through: the network"
        + " admits more than these policies say (a CNI's own policies, or one that enforces none), so they are not"
        + " taken to keep the CDN out";
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
