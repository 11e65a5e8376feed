package dev.upstreamhealth.diagnosis;

import static dev.upstreamhealth.diagnosis.SiteWorld.http;
import static dev.upstreamhealth.diagnosis.SiteWorld.outcome;
import static dev.upstreamhealth.diagnosis.SiteWorld.upstream;
import static org.assertj.core.api.Assertions.assertThat;

import dev.upstreamhealth.api.Fault;
import dev.upstreamhealth.probe.ForbiddenReading;
import dev.upstreamhealth.probe.OriginReading;
import dev.upstreamhealth.probe.ProbeLayer;
import dev.upstreamhealth.probe.ProbeOutcome;
import dev.upstreamhealth.probe.ProbePlan;
import dev.upstreamhealth.probe.ProbeTarget;
import dev.upstreamhealth.probe.StatusRanges;
import dev.upstreamhealth.probe.TrackedProbe;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The gateway pods locked to the CDN by a NetworkPolicy on Cloudflare's ranges, the gateway
 * Service keeping the client's address (externalTrafficPolicy Local): the CDN's connections get
 * in, and the operator's probes, from a pod's or a node's address, are dropped at the load
 * balancer's address and at the Service's alike. Both time out while visitors get the page.
 */
class CdnOnlyNetworkPoliciesTest {
  private static final List<String> CLOUDFLARE = List.of("173.245.48.0/20", "103.21.244.0/22");

  private static NetworkPolicy admitting(String... blocks) {
    StringBuilder from = new StringBuilder();
    for (String block : blocks) {
      from.append(from.isEmpty() ? "" : ", ").append("{\"ipBlock\": {\"cidr\": \"").append(block).append("\"}}");
    }
    return SiteWorld.policy("cdn-only", """
        {"spec": {"podSelector": {"matchLabels": {"app.kubernetes.io/name": "ingress-nginx"}},
          "policyTypes": ["Ingress"],
          "ingress": [{"from": [%s], "ports": [{"port": 80}, {"port": 443}]},
                      {"from": [{"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "monitoring"}}}],
                       "ports": [{"port": 10254}]}]}}
        """.formatted(from));
  }

  private static SiteWorld lockedToTheCdn(NetworkPolicy policy) {
    return SiteWorld.healthy().withGateway().cdnBehind(CLOUDFLARE, policy);
  }

  /** Origin and gateway probes timing out at their connect, as the scheduler tracks them under the Site's plan. */
  private static SiteWorld timingOut(SiteWorld world) {
    return timingOut(world, outcome(ProbeOutcome.CONNECT_TIMEOUT));
  }

  private static SiteWorld timingOut(SiteWorld world, dev.upstreamhealth.probe.ProbeResult gatewaySees) {
    ProbeTarget gatewayTarget = SiteWorld.target(ProbeLayer.GATEWAY, "10.96.0.20", 80, "");
    ProbePlan plan = new ProbePlan(List.of(SiteWorld.originTarget(), gatewayTarget), Duration.ofSeconds(30), 3, 1,
        StatusRanges.DEFAULT, Duration.ZERO, 0, new OriginReading(ForbiddenReading.VISITORS_TOO, true, false,
            LoadBalancerSourceRanges.dropOnlyTheProbe(world.snapshot())
                || CdnOnlyNetworkPolicies.dropOnlyTheProbe(world.snapshot())));
    TrackedProbe origin = SiteWorld.tracked(plan, SiteWorld.originTarget(), outcome(ProbeOutcome.CONNECT_TIMEOUT));
    TrackedProbe gateway = SiteWorld.tracked(plan, gatewayTarget, gatewaySees);
    return world.probes(origin, gateway, upstream("10.0.0.11", http(200)), upstream("10.0.0.12", http(200)));
  }

  @Test
  void aPolicyThatAdmitsTheCdnOnlyMakesTimedOutProbesNoFault() {
    Verdict verdict = timingOut(lockedToTheCdn(admitting(CLOUDFLARE.toArray(String[]::new)))).diagnose();

    assertThat(verdict.fault()).isEqualTo(Fault.NONE);
    assertThat(verdict.message())
        .contains("accepts no connection from the probe: NetworkPolicy ingress-nginx/cdn-only admits to the gateway"
            + " pods only 173.245.48.0/20, 103.21.244.0/22")
        .contains("every range of spec.cdn.sourceRanges is admitted");
  }

  /** What the drop hides is judged from the gateway's endpoints: none ready is the 521 visitors get. */
  @Test
  void theGatewaysReadyEndpointsStillSpeakForIt() {
    Verdict verdict = timingOut(lockedToTheCdn(admitting(CLOUDFLARE.toArray(String[]::new))).gatewayEndpointsNotReady())
        .diagnose();

    assertThat(verdict.fault()).isEqualTo(Fault.ORIGIN_DOWN);
    assertThat(verdict.reason()).isEqualTo("GatewayDown");
  }

  /** A policy that admits only one of the CDN's ranges drops the others' visitors: the timeout stands. */
  @Test
  void aPolicyLeavingACdnRangeOutLeavesTheTimeoutA521() {
    Verdict verdict = timingOut(lockedToTheCdn(admitting("173.245.48.0/20"))).diagnose();

    assertThat(verdict.reason()).isEqualTo("ConnectionTimedOut");
  }

  /**
   * The gateway's probe at its cluster IP connects: the policies admit the operator's pods after all
   * (not enforced by the network plugin, pods on the host's network), and the origin's timeout is
   * the 522 it looks like.
   */
  @Test
  void aGatewayProbeThatConnectsLeavesTheOriginsTimeoutA521() {
    Verdict verdict = timingOut(lockedToTheCdn(admitting(CLOUDFLARE.toArray(String[]::new))), http(200)).diagnose();

    assertThat(verdict.fault()).isEqualTo(Fault.ORIGIN_DOWN);
    assertThat(verdict.reason()).isEqualTo("ConnectionTimedOut");
  }

  /** A slice of a CDN range admitted leaves the rest of its edges out: their visitors get the 522 too. */
  @Test
  void aPolicyAdmittingPartOfACdnRangeLeavesTheTimeoutA521() {
    Verdict verdict = timingOut(lockedToTheCdn(admitting("173.245.48.0/24", "103.21.244.0/22"))).diagnose();

    assertThat(verdict.reason()).isEqualTo("ConnectionTimedOut");
  }

  /** A block of the cluster's own addresses may admit the probe's pod: a timeout is then a timeout. */
  @Test
  void aPolicyAdmittingClusterAddressesLeavesTheTimeoutA521() {
    Verdict verdict = timingOut(lockedToTheCdn(admitting("173.245.48.0/20", "103.21.244.0/22", "10.0.0.0/8"))).diagnose();

    assertThat(verdict.reason()).isEqualTo("ConnectionTimedOut");
  }

  /** With the source rewritten to a node's address the CDN's connections are dropped as the probe's are. */
  @Test
  void aGatewayThatSeesNodeAddressesDropsTheCdnToo() {
    SiteWorld world = lockedToTheCdn(admitting(CLOUDFLARE.toArray(String[]::new))).gatewaySourceRewritten();

    assertThat(CdnOnlyNetworkPolicies.dropOnlyTheProbe(world.snapshot())).isFalse();
    assertThat(timingOut(world).diagnose().reason()).isEqualTo("ConnectionTimedOut");
  }

  /** A rule open to pods of another namespace on the origin's port may admit the operator's: no excuse. */
  @Test
  void aRuleAdmittingPodsOnTheOriginPortExcusesNothing() {
    NetworkPolicy tunnelToo = SiteWorld.policy("cdn-and-tunnel", """
        {"spec": {"podSelector": {}, "policyTypes": ["Ingress"],
          "ingress": [{"from": [{"ipBlock": {"cidr": "173.245.48.0/20"}}, {"ipBlock": {"cidr": "103.21.244.0/22"}},
                                {"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "cloudflared"}}}]}]}}
        """);

    assertThat(CdnOnlyNetworkPolicies.dropOnlyTheProbe(lockedToTheCdn(tunnelToo).snapshot())).isFalse();
    assertThat(CdnOnlyNetworkPolicies.dropOnlyTheProbe(lockedToTheCdn(admitting(CLOUDFLARE.toArray(String[]::new)))
        .snapshot())).as("the monitoring rule is on another port").isTrue();
  }
}
