package dev.upstreamhealth.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.upstreamhealth.api.Fault;
import dev.upstreamhealth.api.Site;
import dev.upstreamhealth.demo.SiteFixture;
import dev.upstreamhealth.demo.SiteFixtures;
import dev.upstreamhealth.diagnosis.Backend;
import dev.upstreamhealth.diagnosis.BackendRef;
import dev.upstreamhealth.diagnosis.Diagnosis;
import dev.upstreamhealth.diagnosis.GatewayState;
import dev.upstreamhealth.diagnosis.Snapshot;
import dev.upstreamhealth.diagnosis.SnapshotBuilder;
import dev.upstreamhealth.diagnosis.Verdict;
import dev.upstreamhealth.diagnosis.Workloads;
import dev.upstreamhealth.probe.ProbeFindings;
import dev.upstreamhealth.probe.ProbeLayer;
import dev.upstreamhealth.probe.ProbeOutcome;
import dev.upstreamhealth.probe.ProbePlan;
import dev.upstreamhealth.probe.ProbeResult;
import dev.upstreamhealth.probe.ProbeTarget;
import dev.upstreamhealth.probe.ProbeTrace;
import dev.upstreamhealth.probe.ProbeTracker;
import dev.upstreamhealth.probe.TrackedProbe;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;
import org.junit.jupiter.api.Test;

/**
 * ingress-nginx's app-root answers {@code /} with a 302 of its own and never sends it to the app:
 * with the default probe.path the probes would see only that redirect. They ask for the page the
 * browser asks next, at every layer.
 */
class LandingPagePlanningTest {
  private static final String APP_ROOT = "nginx.ingress.kubernetes.io/app-root";
  final SiteFixture shop = new SiteFixture("web", "shop", "shop.example.com");

  private Snapshot snapshot(Site site, Ingress ingress) {
    SiteFixtures.useGateway(site, "ingress-nginx", "ingress-nginx-controller");
    GatewayState gateway = new GatewayState("ingress-nginx", "ingress-nginx-controller",
        SiteFixtures.gatewayService("ingress-nginx", "ingress-nginx-controller", "10.96.0.20", 80),
        List.of(SiteFixtures.gatewaySlice("ingress-nginx", "ingress-nginx-controller", "10.1.0.5", true)), List.of(),
        List.of());
    Backend backend = new Backend(new BackendRef("web", "shop-web", 80, null), shop.service(8080),
        List.of(shop.endpointSlice(8080, Map.of("10.0.0.11", true))), List.of(), Workloads.NONE);
    return SnapshotBuilder.snapshot("web", "shop", site.getSpec()).ingress(ingress).backends(List.of(backend))
        .gateway(gateway).build();
  }

  private Ingress withAppRoot(String appRoot) {
    return new IngressBuilder(shop.ingress("203.0.113.7")).editMetadata().addToAnnotations(APP_ROOT, appRoot)
        .endMetadata().build();
  }

  @Test
  void anAppRootIsProbedWhereTheRedirectSendsVisitorsAtEveryLayer() {
    ProbePlan plan = ProbePlanning.plan(snapshot(shop.site(0, 30, 3), withAppRoot("/app")));

    assertThat(plan.targets()).extracting(ProbeTarget::layer, ProbeTarget::path).containsExactly(
        tuple(ProbeLayer.ORIGIN, "/app"), tuple(ProbeLayer.GATEWAY, "/app"), tuple(ProbeLayer.UPSTREAM, "/app"));
    assertThat(plan.targets().get(2).headers()).containsEntry("X-Original-URI", "/app");
  }

  @Test
  void withoutAnAppRootOrWithAPathOfItsOwnTheProbePathIsAskedAsWritten() {
    assertThat(ProbePlanning.plan(snapshot(shop.site(0, 30, 3), shop.ingress("203.0.113.7"))).targets())
        .extracting(ProbeTarget::path).containsOnly("/");

    Site healthz = shop.site(0, 30, 3);
    healthz.getSpec().getProbe().setPath("/healthz");
    assertThat(ProbePlanning.plan(snapshot(healthz, withAppRoot("/app"))).targets())
        .as("nginx redirects only /").extracting(ProbeTarget::path).containsOnly("/healthz");

    assertThat(ProbePlanning.plan(snapshot(shop.site(0, 30, 3), withAppRoot("https://app.example.com/"))).targets())
        .as("ingress-nginx drops an app-root with a scheme").extracting(ProbeTarget::path).containsOnly("/");

    Site checksTheRedirect = shop.site(0, 30, 3);
    checksTheRedirect.getSpec().getProbe().setExpectedStatus("302");
    assertThat(ProbePlanning.plan(snapshot(checksTheRedirect, withAppRoot("/app"))).targets())
        .as("a Site expecting the 302 itself").extracting(ProbeTarget::path).containsOnly("/");
  }

  /** An app answering 500 on every page behind the app-root was read Healthy: nginx's own 302 was all the origin showed. */
  @Test
  void anAppFailingOnThePageTheAppRootLandsOnIsNotHealthy() {
    Snapshot world = snapshot(shop.site(0, 30, 3), withAppRoot("/app"));

    Verdict v = probedThrough(world, appAnswering(500));

    assertThat(v.fault()).isEqualTo(Fault.OTHER);
    assertThat(v.reason()).isEqualTo("UnexpectedStatus").isNotEqualTo("Healthy");
    assertThat(v.message()).contains("origin http://203.0.113.7:80/app", "answers HTTP 500",
        "spec.probe.path / is answered with ingress-nginx's 302 (annotation " + APP_ROOT + " on Ingress web/shop) to /app")
        .doesNotContain("is not routed");
  }

  @Test
  void anAppServingThePageTheAppRootLandsOnIsHealthy() {
    Snapshot world = snapshot(shop.site(0, 30, 3), withAppRoot("/app"));

    Verdict v = probedThrough(world, appAnswering(200));

    assertThat(v.fault()).isEqualTo(Fault.NONE);
    assertThat(v.reason()).isEqualTo("Healthy");
  }

  /** ingress-nginx in front of an app: its own 302 for / (app-root /app), the app's {@code status} for every other path. */
  private static ToIntFunction<ProbeTarget> appAnswering(int status) {
    return t -> t.layer() != ProbeLayer.UPSTREAM && t.path().equals("/") ? 302 : status;
  }

  /** The world after every planned probe got its answer until the thresholds confirmed it. */
  private static Verdict probedThrough(Snapshot world, ToIntFunction<ProbeTarget> answers) {
    ProbePlan plan = ProbePlanning.plan(world);
    ProbeTracker tracker = ProbeTracker.of(plan);
    List<TrackedProbe> tracked = plan.targets().stream().map(t -> {
      int status = answers.applyAsInt(t);
      ProbeResult answer = new ProbeResult(t, ProbeOutcome.RESPONDED, status, false, Duration.ofMillis(3), "",
          Instant.parse("2025-01-01T00:00:00Z"), new ProbeTrace(null, null, null, null, t.address() + ":" + t.port(), null,
              status == 302 ? ProbeTrace.AnswerSource.GATEWAY : ProbeTrace.AnswerSource.NOT_APPLICABLE, 0));
      TrackedProbe probe = ProbeTracker.untried(t);
      for (int i = 0; i < plan.failureThreshold(); i++) {
        probe = tracker.fold(probe, answer).probe();
      }
      return probe;
    }).toList();
    return Diagnosis.diagnose(SnapshotBuilder.from(world).probes(new ProbeFindings(tracked)).build());
  }
}
