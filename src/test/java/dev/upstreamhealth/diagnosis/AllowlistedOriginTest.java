package dev.upstreamhealth.diagnosis;

import static dev.upstreamhealth.diagnosis.SiteWorld.http;
import static dev.upstreamhealth.diagnosis.SiteWorld.outcome;
import static dev.upstreamhealth.diagnosis.SiteWorld.upstream;
import static org.assertj.core.api.Assertions.assertThat;

import dev.upstreamhealth.api.ConditionType;
import dev.upstreamhealth.api.Fault;
import dev.upstreamhealth.probe.ForbiddenReading;
import dev.upstreamhealth.probe.OriginReading;
import dev.upstreamhealth.probe.ProbeOutcome;
import dev.upstreamhealth.probe.ProbePlan;
import dev.upstreamhealth.probe.ProbeResult;
import dev.upstreamhealth.probe.ProbeTrace;
import dev.upstreamhealth.probe.StatusRanges;
import dev.upstreamhealth.probe.TrackedProbe;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An origin locked to its CDN by ingress-nginx's allowlist answers the operator's probe, which
 * comes from inside the cluster, with nginx's own 403. That is no fault of the Site's while the
 * list admits the CDN; it is one when the list leaves the CDN's ranges out.
 */
class AllowlistedOriginTest {
  private static final String ALLOWLIST = "nginx.ingress.kubernetes.io/allowlist-source-range";
  private static final String WHITELIST = "nginx.ingress.kubernetes.io/whitelist-source-range";
  private static final List<String> CLOUDFLARE = List.of("173.245.48.0/20", "103.21.244.0/22");
  /** How messages name the controller-wide list of ingress-nginx's ConfigMap. */
  private static final String GLOBAL_LIST = "ConfigMap ingress-nginx/ingress-nginx-controller whitelist-source-range";

  private static ProbeResult gatewaysOwn403() {
    return new ProbeResult(SiteWorld.originTarget(), ProbeOutcome.RESPONDED, 403, false, Duration.ofMillis(2), "",
        Instant.parse("2025-01-01T00:00:00Z"),
        new ProbeTrace(null, null, null, null, "127.0.0.10:80", null, ProbeTrace.AnswerSource.GATEWAY, 0));
  }

  /** The origin probe as the scheduler tracks it under the plan the Site gets (ProbePlanning's rule). */
  private static TrackedProbe originTracked(SiteWorld world, ProbeResult r) {
    ProbePlan plan = new ProbePlan(List.of(SiteWorld.originTarget()), Duration.ofSeconds(30), 3, 1,
        StatusRanges.DEFAULT, Duration.ZERO, 0,
        new OriginReading(SourceAllowlist.forbiddenReading(world.snapshot()), true, false, false));
    return SiteWorld.tracked(plan, SiteWorld.originTarget(), r);
  }

  /** The Site behind ingress-nginx whose controller ConfigMap admits only {@code list}, for every Ingress. */
  private static SiteWorld lockedByTheController(String list) {
    SiteWorld world = SiteWorld.healthy().withGateway()
        .controllerConfigMap(Map.of(IngressNginxConfigMap.WHITELIST_SOURCE_RANGE, list));
    world.spec.getCdn().setSourceRanges(CLOUDFLARE);
    return world;
  }

  private static SiteWorld lockedToTheCdn(String annotation, String list) {
    SiteWorld world = SiteWorld.healthy().ingressAnnotation(annotation, list);
    world.spec.getCdn().setSourceRanges(CLOUDFLARE);
    return world;
  }

  @Test
  void aListThatAdmitsTheCdnMakesTheGatewaysOwn403NoFault() {
    SiteWorld world = lockedToTheCdn(ALLOWLIST, "173.245.48.0/20,103.21.244.0/22");
    Verdict verdict = world.probes(originTracked(world, gatewaysOwn403()),
        upstream("10.0.0.11", http(200)), upstream("10.0.0.12", http(200))).diagnose();

    assertThat(verdict.fault()).isEqualTo(Fault.NONE);
    assertThat(verdict.message())
        .contains("answers the probe with 403: Ingress web/shop admits only 173.245.48.0/20,"
            + " 103.21.244.0/22 (annotation " + ALLOWLIST + ")")
        .contains("every range of spec.cdn.sourceRanges is admitted")
        .doesNotContain("answers 403");
  }

  @Test
  void theOlderAnnotationAndASiteThatNamesNoCdnRangesAreReadTheSameWay() {
    SiteWorld world = SiteWorld.healthy().ingressAnnotation(WHITELIST, "10.0.0.0/8");
    Verdict verdict = world.probes(originTracked(world, gatewaysOwn403()),
        upstream("10.0.0.11", http(200)), upstream("10.0.0.12", http(200))).diagnose();

    assertThat(verdict.fault()).isEqualTo(Fault.NONE);
    assertThat(verdict.message()).contains("(annotation " + WHITELIST + ")")
        .contains("set spec.cdn.sourceRanges to have them checked");
  }

  /** The refusal hides what the origin serves: endpoints that all refuse are the 502 they are. */
  @Test
  void aRefusedProbeLeavesTheVerdictToTheEndpoints() {
    SiteWorld world = lockedToTheCdn(ALLOWLIST, "173.245.48.0/20,103.21.244.0/22");
    Verdict verdict = world.probes(originTracked(world, gatewaysOwn403()),
        upstream("10.0.0.11", outcome(ProbeOutcome.CONNECTION_REFUSED)),
        upstream("10.0.0.12", outcome(ProbeOutcome.CONNECTION_REFUSED))).diagnose();

    assertThat(verdict.fault()).isEqualTo(Fault.BAD_GATEWAY);
    assertThat(verdict.reason()).isEqualTo("UpstreamNotListening");
    assertThat(verdict.condition(ConditionType.DEGRADED).isTrue()).isFalse();
  }

  @Test
  void aListThatLeavesOutACdnRangeIsTheFaultVisitorsMeet() {
    SiteWorld world = lockedToTheCdn(ALLOWLIST, "173.245.48.0/20");
    Verdict verdict = world.probes(originTracked(world, gatewaysOwn403()),
        upstream("10.0.0.11", http(200)), upstream("10.0.0.12", http(200))).diagnose();

    assertThat(verdict.fault()).isEqualTo(Fault.OTHER);
    assertThat(verdict.reason()).isEqualTo("UnexpectedStatus");
    assertThat(verdict.message()).contains("answers HTTP 403 (the gateway's own error page)")
        .contains("Ingress web/shop admits only 173.245.48.0/20 (annotation " + ALLOWLIST + "), leaving out"
            + " 103.21.244.0/22 of spec.cdn.sourceRanges: visitors the CDN sends from there get this 403 too");
  }

  private static ProbeResult passedOn403() {
    return new ProbeResult(SiteWorld.originTarget(), ProbeOutcome.RESPONDED, 403, false,
        Duration.ofMillis(2), "", Instant.parse("2025-01-01T00:00:00Z"),
        new ProbeTrace(null, null, null, null, "127.0.0.10:80", null, ProbeTrace.AnswerSource.UPSTREAM, 0));
  }

  @Test
  void withoutAListA403IsTheFaultItWas() {
    SiteWorld open = SiteWorld.healthy();
    assertThat(open.probes(originTracked(open, gatewaysOwn403()), upstream("10.0.0.11", http(200)),
        upstream("10.0.0.12", http(200))).diagnose().reason()).isEqualTo("UnexpectedStatus");
  }

  /**
   * A list of the CDN's public ranges alone never admits the probe, which comes from a pod: its
   * 403 is the refusal whoever wrote the page, as a custom-http-errors backend does for nginx.
   */
  @Test
  void aListOfPublicRangesAloneExcusesA403WhateverPageCarriesIt() {
    SiteWorld locked = lockedToTheCdn(ALLOWLIST, "173.245.48.0/20,103.21.244.0/22");
    Verdict verdict = locked.probes(originTracked(locked, passedOn403()), upstream("10.0.0.11", http(200)),
        upstream("10.0.0.12", http(200))).diagnose();
    assertThat(verdict.fault()).isEqualTo(Fault.NONE);
    assertThat(verdict.message()).contains("answers the probe with 403: Ingress web/shop admits only");
  }

  /** A list that also names cluster-internal ranges may admit the probe: then only nginx's own 403 is the list's. */
  @Test
  void aListThatMayAdmitTheProbeExcusesOnlyTheGatewaysOwn403() {
    SiteWorld locked = lockedToTheCdn(ALLOWLIST, "10.0.0.0/8,173.245.48.0/20,103.21.244.0/22");
    Verdict appsOwn = locked.probes(originTracked(locked, passedOn403()), upstream("10.0.0.11", http(200)),
        upstream("10.0.0.12", http(200))).diagnose();
    assertThat(appsOwn.reason()).isEqualTo("UnexpectedStatus");
    assertThat(appsOwn.message()).doesNotContain("leaving out");

    Verdict gatewaysOwn = locked.probes(originTracked(locked, gatewaysOwn403()), upstream("10.0.0.11", http(200)),
        upstream("10.0.0.12", http(200))).diagnose();
    assertThat(gatewaysOwn.fault()).isEqualTo(Fault.NONE);
  }

  @Test
  void theListsEntriesTogetherCoverARangeAndFamiliesDoNotMix() {
    SourceAllowlist list = new SourceAllowlist("Ingress web/shop", "annotation " + ALLOWLIST,
        List.of(Cidr.parse("173.245.56.0/21"), Cidr.parse("173.245.48.0/21"), Cidr.parse("2400:cb00::/32"),
            Cidr.parse("198.51.100.7")));

    assertThat(list.leavesOut(List.of(Cidr.parse("173.245.48.0/20"), Cidr.parse("2400:cb00::/32"),
        Cidr.parse("198.51.100.7/32")))).isEmpty();
    assertThat(list.leavesOut(List.of(Cidr.parse("173.245.48.0/19"), Cidr.parse("2400:cb00::/31"),
        Cidr.parse("198.51.100.0/24"), Cidr.parse("173.245.0.0/32"))))
        .containsExactly("173.245.48.0/19", "2400:cb00::/31", "198.51.100.0/24", "173.245.0.0/32");
  }
  /**
   * The CDN's full list names IPv6 ranges too, the allowlist only IPv4 ones: an origin reached over
   * IPv4 only, from the CDN's IPv4 ranges. The IPv6 ranges are not "left out".
   */
  @Test
  void cdnRangesOfAFamilyTheListNamesNothingOfAreNotJudged() {
    SiteWorld world = SiteWorld.healthy().ingressAnnotation(ALLOWLIST, "173.245.48.0/20,103.21.244.0/22");
    world.spec.getCdn().setSourceRanges(List.of("173.245.48.0/20", "103.21.244.0/22", "2400:cb00::/32"));
    Verdict verdict = world.probes(originTracked(world, gatewaysOwn403()),
        upstream("10.0.0.11", http(200)), upstream("10.0.0.12", http(200))).diagnose();
    assertThat(verdict.fault()).isEqualTo(Fault.NONE);
  }

  // ---------------------------------------------------------------- the controller's global list

  /**
   * ingress-nginx's ConfigMap key whitelist-source-range locks every Ingress of the controller to
   * the CDN: the probe's 403 is that list refusing it, not a page visitors get (it was read as
   * UnexpectedStatus, and paged as SiteFaultOther for every Site behind the controller).
   */
  @Test
  void theControllersGlobalListThatAdmitsTheCdnMakesTheGatewaysOwn403NoFault() {
    SiteWorld world = lockedByTheController("173.245.48.0/20, 103.21.244.0/22");
    Verdict verdict = world.probes(originTracked(world, gatewaysOwn403()),
        upstream("10.0.0.11", http(200)), upstream("10.0.0.12", http(200))).diagnose();

    assertThat(SourceAllowlist.forbiddenReading(world.snapshot())).isEqualTo(ForbiddenReading.PROBE_ALWAYS);
    assertThat(verdict.fault()).isEqualTo(Fault.NONE);
    assertThat(verdict.reason()).isEqualTo("Healthy");
    assertThat(verdict.message())
        .contains("answers the probe with 403: " + GLOBAL_LIST + " admits only 173.245.48.0/20, 103.21.244.0/22")
        .contains("every range of spec.cdn.sourceRanges is admitted")
        .doesNotContain("answers HTTP 403");
    assertThat(verdict.condition(ConditionType.DEGRADED).isTrue()).isFalse();
  }

  /** Behind the global list as behind the Ingress's own: endpoints that all refuse are the 502 they are. */
  @Test
  void behindTheGlobalListTheEndpointsStillJudgeTheApp() {
    SiteWorld world = lockedByTheController("173.245.48.0/20,103.21.244.0/22");
    Verdict verdict = world.probes(originTracked(world, gatewaysOwn403()),
        upstream("10.0.0.11", outcome(ProbeOutcome.CONNECTION_REFUSED)),
        upstream("10.0.0.12", outcome(ProbeOutcome.CONNECTION_REFUSED))).diagnose();

    assertThat(verdict.fault()).isEqualTo(Fault.BAD_GATEWAY);
    assertThat(verdict.reason()).isEqualTo("UpstreamNotListening");
  }

  @Test
  void aGlobalListThatLeavesOutACdnRangeIsTheFaultVisitorsMeetAndNamesTheConfigMap() {
    SiteWorld world = lockedByTheController("173.245.48.0/20");
    Verdict verdict = world.probes(originTracked(world, gatewaysOwn403()),
        upstream("10.0.0.11", http(200)), upstream("10.0.0.12", http(200))).diagnose();

    assertThat(verdict.fault()).isEqualTo(Fault.OTHER);
    assertThat(verdict.reason()).isEqualTo("UnexpectedStatus");
    assertThat(verdict.message()).contains("answers HTTP 403 (the gateway's own error page)")
        .contains(GLOBAL_LIST + " admits only 173.245.48.0/20", "leaving out 103.21.244.0/22 of spec.cdn.sourceRanges");
  }

  @Test
  void aGlobalListThatMayAdmitTheProbeExcusesOnlyTheGatewaysOwn403() {
    SiteWorld world = lockedByTheController("10.0.0.0/8,173.245.48.0/20,103.21.244.0/22");
    assertThat(SourceAllowlist.forbiddenReading(world.snapshot()))
        .isEqualTo(ForbiddenReading.PROBE_IF_GATEWAYS_OWN_PAGE);

    Verdict appsOwn = world.probes(originTracked(world, passedOn403()), upstream("10.0.0.11", http(200)),
        upstream("10.0.0.12", http(200))).diagnose();
    assertThat(appsOwn.reason()).isEqualTo("UnexpectedStatus");

    Verdict gatewaysOwn = world.probes(originTracked(world, gatewaysOwn403()), upstream("10.0.0.11", http(200)),
        upstream("10.0.0.12", http(200))).diagnose();
    assertThat(gatewaysOwn.fault()).isEqualTo(Fault.NONE);
  }

  /**
   * ingress-nginx applies the Ingress's own list in place of the global one, either way round: a
   * wider one admits the CDN where the global one would not, a narrower one refuses it.
   */
  @Test
  void theIngresssOwnListOverridesTheGlobalOne() {
    SiteWorld wider = lockedByTheController("173.245.48.0/20")
        .ingressAnnotation(ALLOWLIST, "173.245.48.0/20,103.21.244.0/22");
    Verdict admitted = wider.probes(originTracked(wider, gatewaysOwn403()),
        upstream("10.0.0.11", http(200)), upstream("10.0.0.12", http(200))).diagnose();
    assertThat(admitted.fault()).isEqualTo(Fault.NONE);
    assertThat(admitted.message()).contains("Ingress web/shop admits only 173.245.48.0/20, 103.21.244.0/22")
        .doesNotContain("ConfigMap");

    SiteWorld narrower = lockedByTheController("173.245.48.0/20,103.21.244.0/22")
        .ingressAnnotation(WHITELIST, "173.245.48.0/20");
    Verdict refused = narrower.probes(originTracked(narrower, gatewaysOwn403()),
        upstream("10.0.0.11", http(200)), upstream("10.0.0.12", http(200))).diagnose();
    assertThat(refused.reason()).isEqualTo("UnexpectedStatus");
    assertThat(refused.message()).contains("Ingress web/shop admits only 173.245.48.0/20 (annotation " + WHITELIST
        + "), leaving out 103.21.244.0/22").doesNotContain("ConfigMap");
  }

  /**
   * An Ingress list ingress-nginx cannot read denies the location rather than falling back to the
   * global list; a global list with an entry that is no address or CIDR explains nothing either.
   */
  @Test
  void aListThatCannotBeReadExplainsNo403() {
    SiteWorld unreadableAnnotation = lockedByTheController("173.245.48.0/20,103.21.244.0/22")
        .ingressAnnotation(ALLOWLIST, "cloudflare");
    assertThat(unreadableAnnotation.probes(originTracked(unreadableAnnotation, gatewaysOwn403()),
        upstream("10.0.0.11", http(200)), upstream("10.0.0.12", http(200))).diagnose().reason())
        .isEqualTo("UnexpectedStatus");

    SiteWorld unreadableGlobal = lockedByTheController("173.245.48.0/20,cloudflare");
    assertThat(SourceAllowlist.forbiddenReading(unreadableGlobal.snapshot())).isEqualTo(ForbiddenReading.VISITORS_TOO);
  }

  /**
   * A chart that renders an unset value as {@code whitelist-source-range: ""}: ingress-nginx takes
   * the older name only when it has a value, finds no list of the Ingress's own, and applies the
   * controller's, which admits the CDN. Visitors are served; the probe's 403 is no fault.
   */
  @Test
  void anEmptyOlderAnnotationLeavesTheControllersListInForce() {
    SiteWorld world = lockedByTheController("173.245.48.0/20,103.21.244.0/22").ingressAnnotation(WHITELIST, "");
    Verdict verdict = world.probes(originTracked(world, gatewaysOwn403()),
        upstream("10.0.0.11", http(200)), upstream("10.0.0.12", http(200))).diagnose();

    assertThat(verdict.fault()).isEqualTo(Fault.NONE);
    assertThat(verdict.message()).contains("answers the probe with 403: " + GLOBAL_LIST + " admits only");
  }

  /** An empty allowlist-source-range gives way to the older name's list, as ingress-nginx reads them. */
  @Test
  void anEmptyNewerAnnotationGivesWayToTheOlderOnesList() {
    SiteWorld world = lockedByTheController("173.245.48.0/20")
        .ingressAnnotation(ALLOWLIST, "").ingressAnnotation(WHITELIST, "173.245.48.0/20,103.21.244.0/22");
    Verdict verdict = world.probes(originTracked(world, gatewaysOwn403()),
        upstream("10.0.0.11", http(200)), upstream("10.0.0.12", http(200))).diagnose();

    assertThat(verdict.fault()).isEqualTo(Fault.NONE);
    assertThat(verdict.message()).contains("Ingress web/shop admits only 173.245.48.0/20, 103.21.244.0/22 (annotation "
        + WHITELIST + ")");
  }

  /** No ConfigMap known for the Site (none listed for its gateway, missing, not readable): as before. */
  @Test
  void withoutTheControllersConfigMapA403IsTheFaultItWas() {
    SiteWorld unknown = SiteWorld.healthy().withGateway();
    unknown.spec.getCdn().setSourceRanges(CLOUDFLARE);
    Verdict verdict = unknown.probes(originTracked(unknown, gatewaysOwn403()),
        upstream("10.0.0.11", http(200)), upstream("10.0.0.12", http(200))).diagnose();
    assertThat(verdict.reason()).isEqualTo("UnexpectedStatus");
    assertThat(verdict.message()).doesNotContain("ConfigMap").doesNotContain("leaving out");

    SiteWorld unset = SiteWorld.healthy().withGateway().controllerConfigMap(Map.of());
    assertThat(SourceAllowlist.forbiddenReading(unset.snapshot())).isEqualTo(ForbiddenReading.VISITORS_TOO);
  }
}
