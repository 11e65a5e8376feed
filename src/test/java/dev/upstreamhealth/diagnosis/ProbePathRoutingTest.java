package dev.upstreamhealth.diagnosis;

import static dev.upstreamhealth.diagnosis.SiteWorld.http;
import static dev.upstreamhealth.diagnosis.SiteWorld.origin;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPPathMatchBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteMatchBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A 404 on a path the route does not send anywhere names the probe's path as the cause. */
class ProbePathRoutingTest {
  @Test
  void anIngressRoutingHostOnlyForApiSaysTheProbePathIsNotRouted() {
    SiteWorld w = SiteWorld.healthy();
    w.ingress.getSpec().getRules().get(0).getHttp().getPaths().get(0).setPath("/api");
    Verdict v = w.probes(origin(http(404))).diagnose();

    assertThat(v.reason()).isEqualTo("UnexpectedStatus");
    assertThat(v.message()).contains("routes shop.example.com only for Prefix /api",
        "spec.probe.path / is not routed");
  }

  @Test
  void aRoutedPathOrADefaultBackendGivesNoSuchWord() {
    Verdict routed = SiteWorld.healthy().probes(origin(http(404))).diagnose();
    assertThat(routed.reason()).isEqualTo("UnexpectedStatus");
    assertThat(routed.message()).doesNotContain("not routed");

    SiteWorld withDefault = SiteWorld.healthy().defaultBackend("fallback");
    withDefault.ingress.getSpec().getRules().get(0).getHttp().getPaths().get(0).setPath("/api");
    assertThat(withDefault.probes(origin(http(404))).diagnose().message()).doesNotContain("not routed");

    SiteWorld elementWise = SiteWorld.healthy();
    elementWise.ingress.getSpec().getRules().get(0).getHttp().getPaths().get(0).setPath("/");
    assertThat(elementWise.probes(origin(http(500))).diagnose().message()).doesNotContain("not routed");
  }

  @Test
  void anHttpRouteMatchingOnlyApiSaysTheSame() {
    SiteWorld w = SiteWorld.healthy().viaHttpRoute();
    w.route.route.getSpec().getRules().get(0).setMatches(List.of(new HTTPRouteMatchBuilder()
        .withPath(new HTTPPathMatchBuilder().withType("PathPrefix").withValue("/api").build()).build()));
    Verdict v = w.probes(origin(http(404))).diagnose();

    assertThat(v.message()).contains("only for PathPrefix /api", "spec.probe.path / is not routed");

    w.route.route.getSpec().getRules().get(0).setMatches(List.of(new HTTPRouteMatchBuilder()
        .withPath(new HTTPPathMatchBuilder().withType("RegularExpression").withValue("/.*").build()).build()));
    assertThat(w.diagnose().message()).as("a regular expression may match").doesNotContain("not routed");
  }
}
