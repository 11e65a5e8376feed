package dev.upstreamhealth.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.upstreamhealth.demo.SiteFixture;
import dev.upstreamhealth.demo.SiteFixtures;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which Sites a changed object wakes: exactly those that read it. */
class SiteDependentsTest {
  final SiteFixture shop = new SiteFixture("web", "shop", "shop.example.com");
  final SiteFixture blog = new SiteFixture("web", "blog", "blog.example.com");
  final Service gateway = SiteFixtures.gatewayService("ingress-nginx", "ingress-nginx-controller", "10.0.0.10", 443);

  /** Two Sites in one namespace, each with its own Ingress and Service; "shop" also names a gateway. */
  final SiteDependents dependents = new SiteDependents(new SiteDependents.Lookups() {
    @Override
    public Collection<ResourceID> sitesByIngress(String ingressKey) {
      return switch (ingressKey) {
        case "web/shop" -> List.of(new ResourceID("shop", "web"));
        case "web/blog" -> List.of(new ResourceID("blog", "web"));
        default -> List.of();
      };
    }

    @Override
    public Collection<ResourceID> sitesByGatewayService(String serviceKey) {
      return serviceKey.equals("ingress-nginx/ingress-nginx-controller") ? List.of(new ResourceID("shop", "web")) : List.of();
    }

    @Override
    public Collection<Ingress> ingressesByBackend(String serviceKey) {
      return switch (serviceKey) {
        case "web/shop-web" -> List.of(shop.ingress(null));
        case "web/blog-web" -> List.of(blog.ingress(null));
        default -> List.of();
      };
    }

    @Override
    public Collection<Service> servicesSelectingAny(String namespace, Map<String, String> labels) {
      return switch (namespace) {
        case "web" -> List.of(shop.service(8080), blog.service(8080));
        case "ingress-nginx" -> List.of(gateway);
        default -> List.of();
      };
    }
  });

  @Test
  void aPodWakesOnlyTheSiteWhoseBackendServiceSelectsIt() {
    assertThat(dependents.ofLabels("web", Map.of("app", "shop-web", "pod-template-hash", "abc")))
        .containsExactly(new ResourceID("shop", "web"));
    assertThat(dependents.ofLabels("web", Map.of("app", "blog-web"))).containsExactly(new ResourceID("blog", "web"));
  }

  @Test
  void aPodNoServiceSelectsWakesNothing() {
    assertThat(dependents.ofLabels("web", Map.of("app", "batch-job"))).isEmpty();
    assertThat(dependents.ofLabels("other", Map.of("app", "shop-web"))).isEmpty();
    assertThat(dependents.ofLabels("web", Map.of())).isEmpty();
  }

  @Test
  void aGatewayPodInAnotherNamespaceWakesTheSitesBehindThatGateway() {
    assertThat(dependents.ofLabels("ingress-nginx", Map.of("app.kubernetes.io/name", "ingress-nginx-controller")))
        .containsExactly(new ResourceID("shop", "web"));
  }

  @Test
  void aServiceWakesTheSitesWhoseIngressRoutesToIt() {
    assertThat(dependents.ofService("web/blog-web")).containsExactly(new ResourceID("blog", "web"));
    assertThat(dependents.ofService("web/unrelated")).isEmpty();
  }
}
