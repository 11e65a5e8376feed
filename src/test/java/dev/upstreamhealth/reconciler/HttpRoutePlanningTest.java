package dev.upstreamhealth.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.upstreamhealth.api.Site;
import dev.upstreamhealth.demo.EnvoyDataPlane;
import dev.upstreamhealth.demo.GatewayApiFixture;
import dev.upstreamhealth.demo.SiteFixture;
import dev.upstreamhealth.diagnosis.Backend;
import dev.upstreamhealth.diagnosis.BackendRef;
import dev.upstreamhealth.diagnosis.GatewayState;
import dev.upstreamhealth.diagnosis.RouteState;
import dev.upstreamhealth.diagnosis.Snapshot;
import dev.upstreamhealth.diagnosis.SnapshotBuilder;
import dev.upstreamhealth.diagnosis.Workloads;
import dev.upstreamhealth.probe.ProbeLayer;
import dev.upstreamhealth.probe.ProbeTarget;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClass;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What gets probed for an HTTPRoute Site: the Gateway's address on its listener, its data plane, the backendRefs. */
class HttpRoutePlanningTest {
  final SiteFixture shop = new SiteFixture("web", "shop", "shop.example.com");
  final GatewayApiFixture gateway = new GatewayApiFixture(shop);
  final EnvoyDataPlane envoy = new EnvoyDataPlane(shop, gateway);

  private Snapshot snapshot(HTTPRoute route, Gateway gw) {
    return snapshot(route, gw, "/api/healthz");
  }

  private Snapshot snapshot(HTTPRoute route, Gateway gw, String probePath) {
    Site site = gateway.site(30, 3);
    site.getSpec().getProbe().setPath(probePath);
    HTTPRoute accepted = gateway.acceptedRouteStatus(route);
    GatewayClass gatewayClass = gateway.gatewayClassStatus(true);
    RouteState state = RouteState.of(accepted, Map.of("web/eg", gw), Map.of(gatewayClass.getMetadata().getName(), gatewayClass),
        List.of());
    Backend backend = new Backend(new BackendRef("web", "shop-web", 80, null), shop.service(8080),
        List.of(shop.endpointSlice(8080, Map.of("10.0.0.11", true))), List.of(), Workloads.NONE);
    GatewayState dataPlane = new GatewayState(EnvoyDataPlane.NAMESPACE, envoy.name(),
        envoy.service("10.96.0.30", 8443), List.of(), List.of(), List.of());
    return SnapshotBuilder.snapshot("web", "shop", site.getSpec()).backends(List.of(backend)).gateway(dataPlane)
        .route(state).build();
  }

  @Test
  void gatewayAddressOnTheListenerPortDataPlaneAndBackendRefsAreProbed() {
    var planned = ProbePlanning.plan(snapshot(gateway.route(), gateway.gatewayStatus(8443, "203.0.113.9")));

    assertThat(planned.targets()).extracting(ProbeTarget::layer, ProbeTarget::address, ProbeTarget::port)
        .containsExactly(
            tuple(ProbeLayer.ORIGIN, "203.0.113.9", 8443),
            tuple(ProbeLayer.GATEWAY, "10.96.0.30", 8443),
            tuple(ProbeLayer.UPSTREAM, "10.0.0.11", 8080));
    assertThat(planned.targets()).allSatisfy(t -> assertThat(t.host()).isEqualTo("shop.example.com"));
  }

  @Test
  void upstreamsAreAskedThePathAfterTheRoutesUrlRewrite() {
    HTTPRoute rewriting = new HTTPRouteBuilder(gateway.route()).editSpec().editFirstRule()
        .editFirstMatch().editPath().withValue("/api").endPath().endMatch()
        .addNewFilter().withType("URLRewrite").withNewUrlRewrite().withNewPath().withType("ReplacePrefixMatch")
        .withReplacePrefixMatch("/").endPath().endUrlRewrite().endFilter()
        .endRule().endSpec().build();

    var planned = ProbePlanning.plan(snapshot(rewriting, gateway.gatewayStatus(8443, "203.0.113.9")));

    assertThat(planned.targets()).extracting(ProbeTarget::layer, ProbeTarget::path).containsExactly(
        tuple(ProbeLayer.ORIGIN, "/api/healthz"), tuple(ProbeLayer.GATEWAY, "/api/healthz"),
        tuple(ProbeLayer.UPSTREAM, "/healthz"));
  }

  /**
   * A rule that answers / with the gateway's own redirect to /app (the Gateway API's app-root):
   * the probes ask /app at every layer, as the browser does next; a redirect to https or to another
   * host is not followed.
   */
  @Test
  void aRuleRedirectingTheProbePathToAnotherPathIsProbedWhereItSendsVisitors() {
    HTTPRoute appRoot = new HTTPRouteBuilder(gateway.route()).editSpec().editFirstRule()
        .editFirstMatch().editPath().withValue("/app").endPath().endMatch().endRule()
        .addNewRule().addNewMatch().withNewPath().withType("Exact").withValue("/").endPath().endMatch()
        .addNewFilter().withType("RequestRedirect").withNewRequestRedirect().withStatusCode(302).withNewPath()
        .withType("ReplaceFullPath").withReplaceFullPath("/app").endPath().endRequestRedirect().endFilter().endRule()
        .endSpec().build();

    var planned = ProbePlanning.plan(snapshot(appRoot, gateway.gatewayStatus(8443, "203.0.113.9"), "/"));

    assertThat(planned.targets()).extracting(ProbeTarget::layer, ProbeTarget::path).containsExactly(
        tuple(ProbeLayer.ORIGIN, "/app"), tuple(ProbeLayer.GATEWAY, "/app"), tuple(ProbeLayer.UPSTREAM, "/app"));

    HTTPRoute toHttps = new HTTPRouteBuilder(appRoot).editSpec().editLastRule().editFirstFilter().editRequestRedirect()
        .withScheme("https").endRequestRedirect().endFilter().endRule().endSpec().build();
    assertThat(ProbePlanning.plan(snapshot(toHttps, gateway.gatewayStatus(8443, "203.0.113.9"), "/")).targets())
        .extracting(ProbeTarget::path).containsOnly("/");
  }

  @Test
  void gatewayNotProgrammedGivesNothingToProbe() {
    var planned = ProbePlanning.plan(snapshot(gateway.route(), gateway.gatewayStatus(8443, null)));

    assertThat(planned.targets()).extracting(ProbeTarget::layer).doesNotContain(ProbeLayer.ORIGIN);
  }
}
