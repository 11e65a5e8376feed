package dev.upstreamhealth.diagnosis;

import static dev.upstreamhealth.diagnosis.SiteWorld.http;
import static dev.upstreamhealth.diagnosis.SiteWorld.origin;
import static org.assertj.core.api.Assertions.assertThat;

import dev.upstreamhealth.api.ConditionStatus;
import dev.upstreamhealth.api.ConditionType;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Which backends serve host, as ingress controllers choose them: exact host rules, else wildcard
 * rules, else rules without a host, else the default backend. A backend that does not serve host
 * never affects the Site.
 */
class BackendPrecedenceTest {

  record Row(String behaviour, java.util.function.UnaryOperator<SiteWorld> world, String reason, String... mentions) {
    @Override
    public String toString() {
      return behaviour;
    }
  }

  static Stream<Row> rows() {
    return Stream.of(
        new Row("brokenWildcardRuleDoesNotFaultAHealthyExactRule",
            w -> w.rule("*.example.com", "/", "wildcard-missing"), "Healthy", "2/2 endpoints of Service web/shop-web"),
        new Row("brokenHostlessRuleDoesNotFaultAHealthyExactRule",
            w -> w.rule(null, "/", "catch-all-missing"), "Healthy"),
        new Row("brokenDefaultBackendDoesNotFaultAHealthyExactRule",
            w -> w.defaultBackend("default-missing"), "Healthy"),
        new Row("emptyDefaultBackendDoesNotFaultAHealthyExactRule",
            w -> w.serviceWithoutPods("default-http-backend").defaultBackend("default-http-backend"), "Healthy"),
        new Row("healthyWildcardRuleServesWhenNoExactRuleDoes",
            w -> w.ingressRoutesOnly("*.example.com").rule(null, "/", "catch-all-missing").defaultBackend("default-missing"),
            "Healthy"),
        new Row("brokenWildcardRuleFaultsTheSiteItServes",
            w -> w.ingressRoutesOnly("other.example.com").rule("*.example.com", "/", "wildcard-missing"),
            "BackendServiceMissing", "Ingress web/shop (rule *.example.com, path /)", "Service web/wildcard-missing"),
        new Row("hostlessRuleServesWhenNoHostRuleDoes",
            w -> w.ingressRoutesOnly("other.example.com").rule(null, "/", "catch-all-missing"),
            "BackendServiceMissing", "Ingress web/shop (rule without host, path /)"),
        new Row("defaultBackendServesWhenNoRuleMatches",
            w -> w.ingressRoutesOnly("other.example.com").defaultBackend("shop-web"),
            "Healthy", "2/2 endpoints of Service web/shop-web"),
        new Row("defaultBackendsHealthIsTheSitesWhenNoRuleMatches",
            w -> w.ingressRoutesOnly("other.example.com").serviceWithoutPods("default-http-backend")
                .defaultBackend("default-http-backend"),
            "NoReadyEndpoints", "Service web/default-http-backend", "matches no pod", "Ingress web/shop (defaultBackend)"),
        // A rule naming host without paths still makes the controller's server for host: its paths
        // go to the Ingress's defaultBackend, never to a wildcard or hostless rule's Service.
        new Row("anExactRuleWithoutPathsKeepsABrokenHostlessRuleAway",
            w -> w.with(x -> { x.ingress.getSpec().getRules().get(0).setHttp(null); return x; })
                .rule(null, "/", "catch-all-missing").defaultBackend("shop-web"),
            "Healthy", "2/2 endpoints of Service web/shop-web"),
        new Row("anExactRuleWithoutPathsAndNoDefaultBackendRoutesNothing",
            w -> w.with(x -> { x.ingress.getSpec().getRules().get(0).setHttp(null); return x; })
                .rule("*.example.com", "/", "wildcard-missing"),
            "HostNotRouted", "has no rule for shop.example.com with a Service backend"),
        // cert-manager's http01-edit-in-place adds its challenge path to the Site's own rule, to a
        // solver whose pod is still starting (here: a Service with no pod at all): no 503 of the Site.
        new Row("anAcmeChallengePathCertManagerAddsToTheRuleIsNoBackendOfTheSite",
            w -> w.serviceWithoutPods("cm-acme-http-solver-x7k2p").with(x -> {
              x.ingress.getSpec().getRules().get(0).getHttp().getPaths().add(
                  new io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPathBuilder()
                      .withPath("/.well-known/acme-challenge/Zm9vYmFyYmF6").withPathType("ImplementationSpecific")
                      .withNewBackend().withNewService().withName("cm-acme-http-solver-x7k2p")
                      .withNewPort().withNumber(8089).endPort().endService().endBackend().build());
              return x;
            }),
            "Healthy", "2/2 endpoints of Service web/shop-web"),
        // The Site's rule routes /api only: ingress-nginx sends the rest of the host, / included,
        // to the Ingress's defaultBackend, whose state is then what visitors of / get.
        new Row("theDefaultBackendTakesTheProbedPathNoPathOfTheRuleRoutes",
            w -> onlyApi(w).serviceWithoutPods("default-http-backend").defaultBackend("default-http-backend"),
            "NoReadyEndpoints", "Service web/default-http-backend",
            "Ingress web/shop (defaultBackend, which takes /: no path of the rule for shop.example.com routes it)"),
        new Row("aMissingDefaultBackendThatTakesTheProbedPathIsNamed",
            w -> onlyApi(w).defaultBackend("default-missing"),
            "BackendServiceMissing", "Service web/default-missing"),
        new Row("aHealthyDefaultBackendThatTakesTheProbedPathServes",
            w -> onlyApi(w).defaultBackend("shop-web"), "Healthy", "2/2 endpoints of Service web/shop-web"),
        new Row("theDefaultBackendIsNotTheSitesWhereTheRuleRoutesTheProbedPath",
            w -> onlyApi(w).with(x -> { x.spec.getProbe().setPath("/api/health"); return x; })
                .defaultBackend("default-missing"),
            "Healthy", "2/2 endpoints of Service web/shop-web"),
        new Row("everyPathOfTheMatchingRuleCountsAndIsNamed",
            w -> w.with(x -> {
              x.ingress.getSpec().getRules().get(0).getHttp().getPaths().add(
                  new io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPathBuilder().withPath("/api")
                      .withPathType("Prefix").withNewBackend().withNewService().withName("shop-api")
                      .withNewPort().withNumber(80).endPort().endService().endBackend().build());
              return x;
            }),
            "BackendServiceMissing", "Ingress web/shop (path /api) sends shop.example.com to Service web/shop-api"));
  }

  /** The Site's own rule, its one path made Prefix /api: / of the host is no path of it. */
  private static SiteWorld onlyApi(SiteWorld w) {
    return w.with(x -> {
      var path = x.ingress.getSpec().getRules().get(0).getHttp().getPaths().get(0);
      path.setPath("/api");
      path.setPathType("Prefix");
      return x;
    });
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void theBackendsOfHostAloneDecide(Row row) {
    Verdict v = row.world().apply(SiteWorld.healthy()).diagnose();

    assertThat(v.reason()).isEqualTo(row.reason());
    if (row.mentions().length > 0) {
      assertThat(v.message()).contains(row.mentions());
    }
    if ("Healthy".equals(row.reason())) {
      for (ConditionType type : ConditionType.values()) {
        if (type.isFaultCondition()) {
          assertThat(v.condition(type).status()).as(type.typeName()).isEqualTo(ConditionStatus.FALSE);
        }
      }
    }
  }

  @Test
  void backendsOfOtherTiersAreNotEvenCounted() {
    Verdict v = SiteWorld.healthy().rule("*.example.com", "/", "wildcard-missing").rule(null, "/", "catch-all")
        .defaultBackend("default-missing").diagnose();

    assertThat(v.upstreams()).extracting(UpstreamCount::service).containsExactly("web/shop-web");
  }

  /**
   * Another Ingress of the class for the same host merges its paths into the host's server (one
   * for /, an app split over two charts): the Site's defaultBackend may then take nothing.
   */
  @Test
  void theDefaultBackendIsNotAddedWhereAnotherIngressSharesTheServer() {
    SiteWorld w = onlyApi(SiteWorld.healthy()).defaultBackend("default-missing");
    Ingress root = new IngressBuilder().withNewMetadata().withNamespace("web").withName("shop-root").endMetadata()
        .withNewSpec().addNewRule().withHost("shop.example.com").withNewHttp().addNewPath().withPath("/")
        .withPathType("Prefix").withNewBackend().withNewService().withName("shop-web").withNewPort().withNumber(80)
        .endPort().endService().endBackend().endPath().endHttp().endRule().endSpec().build();

    assertThat(IngressRoutes.upstreamsFor(w.ingress, "shop.example.com", "/", List.of()))
        .extracting(BackendRef::serviceName).containsExactly("shop-web", "default-missing");
    assertThat(IngressRoutes.upstreamsFor(w.ingress, "shop.example.com", "/", List.of(root)))
        .extracting(BackendRef::serviceName).containsExactly("shop-web");
    assertThat(IngressRoutes.upstreamsFor(w.ingress, "shop.example.com", "/api/orders?page=2", List.of()))
        .as("a path the rule routes").extracting(BackendRef::serviceName).containsExactly("shop-web");
  }

  @Test
  void aWildcardCoversOneLabelOnly() {
    assertThat(IngressRoutes.backendsFor(SiteWorld.healthy().ingressRoutesOnly("*.example.com").ingress,
        "a.shop.example.com")).isEmpty();
  }

  @Test
  void anExternalNameBackendIsJudgedByProbesAndNamedInStatus() {
    Verdict healthy = SiteWorld.healthy().externalNameService("shop.backend.example.net").diagnose();

    assertThat(healthy.reason()).isEqualTo("Healthy");
    assertThat(healthy.message()).contains("Service web/shop-web is ExternalName shop.backend.example.net");
    assertThat(healthy.upstreams()).containsExactly(new UpstreamCount("web/shop-web", 0, 0, "shop.backend.example.net"));

    Verdict failing = SiteWorld.healthy().externalNameService("shop.backend.example.net").probes(origin(http(502))).diagnose();

    assertThat(failing.reason()).isEqualTo("GatewayReturned502");
    assertThat(failing.condition(ConditionType.SERVICE_UNAVAILABLE).status()).isEqualTo(ConditionStatus.FALSE);
  }
}
