package dev.upstreamhealth.diagnosis;

import static dev.upstreamhealth.diagnosis.SiteWorld.http;
import static dev.upstreamhealth.diagnosis.SiteWorld.ok;
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
import dev.upstreamhealth.probe.ProbeTracker;
import dev.upstreamhealth.probe.StatusRanges;
import dev.upstreamhealth.probe.TrackedProbe;
import io.fabric8.kubernetes.api.model.LoadBalancerIngressBuilder;
import io.fabric8.kubernetes.api.model.ServiceStatusBuilder;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The ingress controller's Service locked to the CDN with {@code loadBalancerSourceRanges} (the
 * ingress-nginx chart's {@code controller.service.loadBalancerSourceRanges} set to Cloudflare's
 * ranges): kube-proxy drops the operator's probe to the load-balancer address, which comes from a
 * pod, and lets the CDN through. A connect that times out there is that filter, not the 521 the
 * CDN would see, while the ranges admit the CDN's.
 */
class LoadBalancerSourceRangesTest {
  private static final List<String> CLOUDFLARE = List.of("173.245.48.0/20", "103.21.244.0/22");

  private static SiteWorld lockedToTheCdn(List<String> serviceRanges) {
    SiteWorld world = SiteWorld.healthy().withGateway();
    world.gateway.service().getSpec().setLoadBalancerSourceRanges(serviceRanges);
    world.gateway.service().setStatus(new ServiceStatusBuilder().withNewLoadBalancer()
        .withIngress(new LoadBalancerIngressBuilder().withIp(SiteWorld.LB_IP).build()).endLoadBalancer().build());
    world.spec.getCdn().setSourceRanges(CLOUDFLARE);
    return world;
  }

  /** The origin probe timing out at its connect, as the scheduler tracks it under the Site's plan. */
  private static TrackedProbe originTimingOut(SiteWorld world) {
    ProbePlan plan = new ProbePlan(List.of(SiteWorld.originTarget()), Duration.ofSeconds(30), 3, 1,
        StatusRanges.DEFAULT, Duration.ZERO, 0, new OriginReading(ForbiddenReading.VISITORS_TOO, true, false,
            LoadBalancerSourceRanges.dropOnlyTheProbe(world.snapshot())));
    return SiteWorld.tracked(plan, SiteWorld.originTarget(), outcome(ProbeOutcome.CONNECT_TIMEOUT));
  }

  @Test
  void rangesThatAdmitTheCdnMakeATimedOutConnectNoFault() {
    SiteWorld world = lockedToTheCdn(CLOUDFLARE);
    Verdict verdict = world.probes(originTimingOut(world), SiteWorld.gatewayProbe(ok(200)),
        upstream("10.0.0.11", http(200)), upstream("10.0.0.12", http(200))).diagnose();

    assertThat(verdict.fault()).isEqualTo(Fault.NONE);
    assertThat(verdict.message())
        .contains("accepts no connection from the probe: gateway Service ingress-nginx/ingress-nginx-controller admits"
            + " only loadBalancerSourceRanges 173.245.48.0/20, 103.21.244.0/22")
        .contains("every range of spec.cdn.sourceRanges is admitted");
  }

  /** The drop hides what the origin serves: the gateway and the endpoints behind it are judged as they are. */
  @Test
  void whatTheDropHidesIsJudgedFromTheProbesBehindIt() {
    SiteWorld world = lockedToTheCdn(CLOUDFLARE);
    Verdict verdict = world.probes(originTimingOut(world), SiteWorld.gatewayProbe(ok(200)),
        upstream("10.0.0.11", outcome(ProbeOutcome.CONNECTION_REFUSED)),
        upstream("10.0.0.12", outcome(ProbeOutcome.CONNECTION_REFUSED))).diagnose();

    assertThat(verdict.reason()).isEqualTo("UpstreamNotListening");
  }

  /**
   * The gateway accepts nothing at its cluster IP either (its accept queue full, its node cut
   * off): the CDN's connections hang as the probe's did. The drop is the 522 it looks like.
   */
  @Test
  void aDropIsNoExcuseWhileTheGatewayItselfAcceptsNothing() {
    SiteWorld world = lockedToTheCdn(CLOUDFLARE);
    Verdict verdict = world.probes(originTimingOut(world),
        SiteWorld.gatewayProbe(outcome(ProbeOutcome.CONNECT_TIMEOUT))).diagnose();

    assertThat(verdict.fault()).isEqualTo(Fault.ORIGIN_DOWN);
    assertThat(verdict.reason()).isEqualTo("ConnectionTimedOut");
  }

  /** Until the gateway's own probe has concluded, the dropped origin probe says nothing either way. */
  @Test
  void aDropWaitsForTheGatewaysProbe() {
    SiteWorld world = lockedToTheCdn(CLOUDFLARE);
    TrackedProbe gatewayNotYet = ProbeTracker.untried(SiteWorld.gatewayProbe(ok(200)).target());
    Verdict verdict = world.probes(originTimingOut(world), gatewayNotYet).diagnose();

    assertThat(verdict.fault()).isEqualTo(Fault.UNKNOWN);
    assertThat(verdict.reason()).isEqualTo("AwaitingFirstProbe");
  }

  @Test
  void rangesThatLeaveTheCdnOutDropVisitorsTooAndThe521Stands() {
    SiteWorld world = lockedToTheCdn(List.of("173.245.48.0/20"));
    Verdict verdict = world.probes(originTimingOut(world), SiteWorld.gatewayProbe(ok(200))).diagnose();

    assertThat(verdict.reason()).isEqualTo("ConnectionTimedOut");
    assertThat(verdict.message()).contains("loadBalancerSourceRanges [173.245.48.0/20]");
  }

  /** Ranges that name the cluster's own addresses may admit the probe: a timeout is then a timeout. */
  @Test
  void rangesNamingClusterAddressesLeaveATimeoutA521() {
    SiteWorld world = lockedToTheCdn(List.of("173.245.48.0/20", "103.21.244.0/22", "10.0.0.0/8"));

    assertThat(world.probes(originTimingOut(world)).diagnose().reason()).isEqualTo("ConnectionTimedOut");
  }

  /** The CDN pointed elsewhere than this load balancer (origin.address): its ranges say nothing of that address. */
  @Test
  void anOriginAddressNotOnTheGatewaysLoadBalancerIsNotExcused() {
    SiteWorld world = lockedToTheCdn(CLOUDFLARE);
    world.gateway.service().getStatus().getLoadBalancer().getIngress().get(0).setIp("127.0.0.99");

    assertThat(LoadBalancerSourceRanges.dropOnlyTheProbe(world.snapshot())).isFalse();
    assertThat(world.probes(originTimingOut(world)).diagnose().reason()).isEqualTo("ConnectionTimedOut");
  }

  /**
   * An AWS load balancer publishes a name, not an address: the origin is that name, and the probe
   * leaves the cluster for it, where the load balancer's security group, built from the same
   * ranges, drops it as kube-proxy would.
   */
  @Test
  void aLoadBalancerKnownByItsNameIsExcusedAsOneKnownByItsAddress() {
    String elb = "a1b2c3-123456.eu-west-1.elb.amazonaws.com";
    SiteWorld world = lockedToTheCdn(CLOUDFLARE);
    world.gateway.service().getStatus().getLoadBalancer().getIngress().get(0).setIp(null);
    world.gateway.service().getStatus().getLoadBalancer().getIngress().get(0).setHostname("A1B2C3-123456.eu-west-1.elb.amazonaws.com");
    world.ingress.getStatus().getLoadBalancer().getIngress().get(0).setIp(null);
    world.ingress.getStatus().getLoadBalancer().getIngress().get(0).setHostname(elb);
    ProbeTarget byName = SiteWorld.target(ProbeLayer.ORIGIN, elb, 80, "");
    ProbePlan plan = new ProbePlan(List.of(byName), Duration.ofSeconds(30), 3, 1, StatusRanges.DEFAULT, Duration.ZERO, 0,
        new OriginReading(ForbiddenReading.VISITORS_TOO, true, false, LoadBalancerSourceRanges.dropOnlyTheProbe(world.snapshot())));
    TrackedProbe timingOut = SiteWorld.tracked(plan, byName, outcome(ProbeOutcome.CONNECT_TIMEOUT));

    assertThat(LoadBalancerSourceRanges.dropOnlyTheProbe(world.snapshot())).isTrue();
    Verdict verdict = world.probes(timingOut, SiteWorld.gatewayProbe(ok(200)),
        upstream("10.0.0.11", http(200)), upstream("10.0.0.12", http(200))).diagnose();
    assertThat(verdict.fault()).isEqualTo(Fault.NONE);
    assertThat(verdict.message()).contains("admits only loadBalancerSourceRanges 173.245.48.0/20, 103.21.244.0/22");

    world.gateway.service().getMetadata().setAnnotations(
        java.util.Map.of("service.beta.kubernetes.io/aws-load-balancer-security-groups", "sg-0123456789abcdef0"));
    assertThat(LoadBalancerSourceRanges.dropOnlyTheProbe(world.snapshot()))
        .as("security groups of the Service's own stand instead of the ranges").isFalse();
  }

  @Test
  void aServiceWithoutRangesExcusesNothing() {
    SiteWorld world = SiteWorld.healthy().withGateway();

    assertThat(LoadBalancerSourceRanges.dropOnlyTheProbe(world.snapshot())).isFalse();
    assertThat(LoadBalancerSourceRanges.dropOnlyTheProbe(lockedToTheCdn(CLOUDFLARE).snapshot())).isTrue();
  }
}
