package dev.upstreamhealth.generate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.upstreamhealth.demo.SiteFixture;
import dev.upstreamhealth.diagnosis.HttpRoutes;
import dev.upstreamhealth.diagnosis.IngressRoutes;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;

/**
 * Which of a host's routes sends {@code /}, the page visitors land on, to a backend: the one its
 * generated Site should name, where a redirect-only or an {@code /api}-only route shares the host.
 */
class RouteServesRootTest {
  private static final String HOST = "shop.example.com";
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
  final SiteFixture shop = new SiteFixture("web", "shop", HOST);

  @Test
  void anIngressServesRootUnlessItOnlyRedirectsOrRoutesOtherPaths() {
    assertThat(IngressRoutes.routesRootToABackend(shop.ingress(null), HOST)).isTrue();

    Ingress apiOnly = new IngressBuilder(shop.ingress(null)).editSpec().editFirstRule().editHttp().editFirstPath()
        .withPath("/api").endPath().endHttp().endRule().endSpec().build();
    assertThat(IngressRoutes.routesRootToABackend(apiOnly, HOST)).isFalse();
    assertThat(IngressRoutes.routesRootToABackend(new IngressBuilder(apiOnly).editSpec().withNewDefaultBackend()
        .withNewService().withName("shop-web").withNewPort().withNumber(80).endPort().endService().endDefaultBackend()
        .endSpec().build(), HOST)).as("its defaultBackend takes /").isTrue();

    Ingress redirect = new IngressBuilder(shop.ingress(null)).editMetadata()
        .addToAnnotations("nginx.ingress.kubernetes.io/permanent-redirect", "https://www.example.com").endMetadata().build();
    assertThat(IngressRoutes.routesRootToABackend(redirect, HOST)).isFalse();
  }

  /** The Gateway API's own http-to-https example: two routes for one host, one of them a redirect alone. */
  @Test
  void anHttpRouteServesRootUnlessItsRuleForRootOnlyRedirects() {
    assertThat(HttpRoutes.routesRootToABackend(route("""
        rules:
        - filters:
          - type: RequestRedirect
            requestRedirect: {scheme: https, statusCode: 301}
        """))).isFalse();
    assertThat(HttpRoutes.routesRootToABackend(route("""
        rules:
        - backendRefs:
          - {name: example-svc, port: 80}
        """))).isTrue();
    assertThat(HttpRoutes.routesRootToABackend(route("""
        rules:
        - matches:
          - path: {type: PathPrefix, value: /api}
          backendRefs:
          - {name: shop-api, port: 80}
        """))).isFalse();
  }

  /** An HTTPRoute as generate reads it, a generic object, converted as the client converts it. */
  private static HTTPRoute route(String rules) {
    String yaml = """
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: route, namespace: web}
        spec:
          hostnames: [shop.example.com]
          parentRefs: [{name: gateway}]
        """ + rules.indent(2);
    return SERIALIZATION.convertValue(SERIALIZATION.unmarshal(yaml, GenericKubernetesResource.class), HTTPRoute.class);
  }
}
