package dev.upstreamhealth.generate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.upstreamhealth.api.SiteRef;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One Site per public host: names, collisions, TLS, gateways and what is left out, on plain values. */
class SiteDraftsTest {
  private static final GatewayService NGINX =
      new GatewayService("ingress-nginx", "ingress-nginx-controller", List.of("203.0.113.7"));

  private static PublicHost host(String namespace, String host, String ingress, boolean tls, String... lb) {
    return new PublicHost(namespace, host, "Ingress", ingress, tls, List.of(lb), true);
  }

  /** A route of the host whose / reaches no backend: it only redirects, or routes other paths. */
  private static PublicHost notServingRoot(String kind, String host, String route) {
    return new PublicHost("web", host, kind, route, false, List.of(), false);
  }

  @Test
  void aTlsHostBecomesAnHttpsSiteOn443WithTheGatewayThatPublishesItsAddress() {
    SiteDrafts.Result result = SiteDrafts.draft(List.of(host("web", "shop.example.com", "shop", true, "203.0.113.7")),
        List.of(), List.of(), List.of(NGINX));

    assertThat(result.notes()).isEmpty();
    assertThat(result.yaml()).isEqualTo("""
        ---
        # From Ingress web/shop (TLS for this host: https on 443)
        apiVersion: upstreamhealth.dev/v1alpha1
        kind: Site
        metadata:
          name: shop-example-com
          namespace: web
        spec:
          host: shop.example.com
          origin:
            ingressName: shop
            scheme: https
            port: 443
          gateway:
            serviceNamespace: ingress-nginx
            serviceName: ingress-nginx-controller
        """);
  }

  @Test
  void aHostWithoutTlsLeavesTheSchemeToTheOperatorAndWithoutAnAddressGetsNoGatewayAndANote() {
    SiteDrafts.Result result = SiteDrafts.draft(List.of(host("web", "blog.example.com", "blog", false)),
        List.of(), List.of(), List.of(NGINX));

    assertThat(result.sites()).singleElement().satisfies(s -> assertThat(s.gateway()).isNull());
    // A written "scheme: http" would say the CDN fetches over http, which the route cannot tell.
    assertThat(result.yaml()).doesNotContain("gateway:", "\n    scheme:", "\n    port:")
        .contains("no TLS for this host: probed over http; if the CDN fetches over http, say so with origin.scheme: http");
    assertThat(result.notes()).singleElement().asString().contains("blog.example.com", "no load-balancer address");
  }

  @Test
  void namesThatCollideInANamespaceGetASuffixAndExistingNamesAreTaken() {
    SiteDrafts.Result result = SiteDrafts.draft(List.of(
            host("web", "a.b-c.example.com", "one", false),
            host("web", "a-b.c.example.com", "two", false),
            host("web", "a-b-c.example.com", "three", false),
            host("other", "a.b.c.example.com", "four", false)),
        List.of(), List.of(new ExistingSite(new SiteRef("web", "a-b-c-example-com"), "elsewhere.example.com")), List.of());

    assertThat(result.sites()).extracting(s -> s.namespace() + "/" + s.name() + " " + s.from().host()).containsExactly(
        "other/a-b-c-example-com a.b.c.example.com",
        "web/a-b-c-example-com-2 a.b-c.example.com",
        "web/a-b-c-example-com-3 a-b-c.example.com",
        "web/a-b-c-example-com-4 a-b.c.example.com");
  }

  @Test
  void aLongHostGivesAValidNameEvenWithASuffix() {
    String label = "x".repeat(60);
    SiteDrafts.Result result = SiteDrafts.draft(List.of(host("web", label + ".example.com", "a", false),
        host("web", label + ".example.net", "b", false)), List.of(), List.of(), List.of());

    assertThat(result.sites()).extracting(SiteDraft::name).allSatisfy(n -> assertThat(n)
        .hasSizeLessThanOrEqualTo(63).matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?")).doesNotHaveDuplicates();
  }

  @Test
  void aHostAlreadyWatchedBySomeSiteIsSkippedWithTheSiteNamed() {
    SiteDrafts.Result result = SiteDrafts.draft(List.of(host("web", "shop.example.com", "shop", true)),
        List.of(), List.of(new ExistingSite(new SiteRef("web", "shop"), "shop.example.com")), List.of(NGINX));

    assertThat(result.sites()).isEmpty();
    assertThat(result.notes()).singleElement().asString()
        .contains("skipped shop.example.com of Ingress web/shop", "Site web/shop already watches it");
  }

  /** Both serve /: the order decides, so that a second run drafts the same. */
  @Test
  void aHostRoutedByTwoIngressesGetsOneSite() {
    SiteDrafts.Result result = SiteDrafts.draft(List.of(host("web", "shop.example.com", "shop-api", false),
        host("web", "shop.example.com", "shop", false)), List.of(), List.of(), List.of());

    assertThat(result.sites()).singleElement().satisfies(s -> assertThat(s.from().routeName()).isEqualTo("shop"));
    assertThat(result.notes()).anySatisfy(n -> assertThat(n).contains("Ingress web/shop-api", "one Site per host"));
  }

  /** An Ingress for /api alone sorts before the site's own Ingress, which serves /: the Site names the latter. */
  @Test
  void aHostRoutedByAnApiIngressAndTheSitesOwnGetsItsSiteFromTheOneServingRoot() {
    SiteDrafts.Result result = SiteDrafts.draft(List.of(notServingRoot("Ingress", "shop.example.com", "shop-api"),
        host("web", "shop.example.com", "shop-web", false)), List.of(), List.of(), List.of());

    assertThat(result.sites()).singleElement().satisfies(s -> assertThat(s.from().routeName()).isEqualTo("shop-web"));
    assertThat(result.yaml()).contains("ingressName: shop-web").doesNotContain("ingressName: shop-api");
    assertThat(result.notes()).anySatisfy(n -> assertThat(n).contains("skipped shop.example.com of Ingress web/shop-api",
        "one Site per host: web/shop-example-com watches it through Ingress web/shop-web, which sends / to a backend"));
  }

  /** The Gateway API's http-to-https pattern: http-filter-redirect (RequestRedirect only) sorts before https-route. */
  @Test
  void aHostOfARedirectOnlyHttpRouteAndTheHttpsRouteGetsItsSiteFromTheHttpsRoute() {
    SiteDrafts.Result result = SiteDrafts.draft(List.of(notServingRoot("HTTPRoute", "redirect.example.com",
            "http-filter-redirect"),
        new PublicHost("web", "redirect.example.com", "HTTPRoute", "https-route", true, List.of(), true)),
        List.of(), List.of(), List.of());

    assertThat(result.sites()).singleElement().satisfies(s -> assertThat(s.from().routeName()).isEqualTo("https-route"));
    assertThat(result.yaml()).contains("httpRouteName: https-route").doesNotContain("http-filter-redirect");
  }

  @Test
  void twoGatewaysWithTheSameAddressAreAmbiguousAndNeitherIsGuessed() {
    GatewayService twin = new GatewayService("other", "lb", List.of("203.0.113.7"));
    SiteDrafts.Result result = SiteDrafts.draft(List.of(host("web", "shop.example.com", "shop", true, "203.0.113.7")),
        List.of(), List.of(), List.of(NGINX, twin));

    assertThat(result.sites()).singleElement().satisfies(s -> assertThat(s.gateway()).isNull());
    assertThat(result.notes()).singleElement().asString().contains("2 LoadBalancer Services have the address");
  }

  @Test
  void skippedRulesAreReportedWithTheirReason() {
    assertThat(PublicHostNames.whyNot("*.example.com")).get().asString().contains("wildcard");
    assertThat(PublicHostNames.whyNot(null)).get().asString().contains("no host");
    assertThat(PublicHostNames.whyNot("api.web.svc.cluster.local")).get().asString().contains("not public");
    assertThat(PublicHostNames.whyNot("10.0.0.1")).get().asString().contains("IP address");
    assertThat(PublicHostNames.whyNot("intranet")).get().asString().contains("not a fully qualified");
    assertThat(PublicHostNames.whyNot("shop.example.com")).isEmpty();
    SiteDrafts.Result result = SiteDrafts.draft(List.of(),
        List.of(new Skipped("a rule of Ingress web/all", "wildcard host *.example.com")), List.of(), List.of());
    assertThat(result.notes()).containsExactly("skipped a rule of Ingress web/all: wildcard host *.example.com");
  }
}
