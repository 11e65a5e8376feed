package dev.upstreamhealth.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.upstreamhealth.demo.SiteFixture;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import org.junit.jupiter.api.Test;

/** The path the gateway sends upstream, after the route's rewrite. */
class UpstreamRequestPathTest {
  final SiteFixture shop = new SiteFixture("web", "shop", "shop.example.com");

  private Ingress rewriting(String path, String target) {
    Ingress ingress = new IngressBuilder(shop.ingress("203.0.113.7")).editMetadata()
        .addToAnnotations("nginx.ingress.kubernetes.io/rewrite-target", target).endMetadata().build();
    ingress.getSpec().getRules().get(0).getHttp().getPaths().get(0).setPath(path);
    return ingress;
  }

  @Test
  void ingressNginxRewriteTargetReplacesThePathWithItsCaptures() {
    Ingress ingress = rewriting("/shop(/|$)(.*)", "/$2");
    assertThat(UpstreamRequestPath.afterIngressNginxRewrite(ingress, "shop.example.com", "/shop/healthz")).isEqualTo("/healthz");
    assertThat(UpstreamRequestPath.afterIngressNginxRewrite(ingress, "shop.example.com", "/SHOP")).isEqualTo("/");
    assertThat(UpstreamRequestPath.afterIngressNginxRewrite(ingress, "shop.example.com", "/shop/a?b=1")).isEqualTo("/a?b=1");
    assertThat(UpstreamRequestPath.afterIngressNginxRewrite(ingress, "shop.example.com", "/other")).isEqualTo("/other");
  }

  @Test
  void aTargetWithoutCapturesReplacesTheWholePath() {
    Ingress ingress = rewriting("/api", "/");
    assertThat(UpstreamRequestPath.afterIngressNginxRewrite(ingress, "shop.example.com", "/api/v1/health")).isEqualTo("/");
  }

  @Test
  void withoutRewriteTargetThePathIsUnchanged() {
    assertThat(UpstreamRequestPath.afterIngressNginxRewrite(shop.ingress("203.0.113.7"), "shop.example.com", "/healthz"))
        .isEqualTo("/healthz");
  }

  @Test
  void rulesOfOtherHostsDoNotRewrite() {
    Ingress ingress = rewriting("/shop(/|$)(.*)", "/$2");
    ingress.getSpec().getRules().get(0).setHost("blog.example.com");
    assertThat(UpstreamRequestPath.afterIngressNginxRewrite(ingress, "shop.example.com", "/shop/x")).isEqualTo("/shop/x");
  }

  /** A server-alias is served by its rule host's locations: their rewrite is the alias's too. */
  @Test
  void aServerAliasIsRewrittenByTheRuleThatOwnsIt() {
    Ingress ingress = rewriting("/shop(/|$)(.*)", "/$2");
    ingress.getMetadata().getAnnotations().put("nginx.ingress.kubernetes.io/server-alias", "shop.example.org");
    assertThat(UpstreamRequestPath.afterIngressNginxRewrite(ingress, "shop.example.org", "/shop/healthz"))
        .isEqualTo("/healthz");
    assertThat(UpstreamRequestPath.afterIngressNginxRewrite(ingress, "blog.example.org", "/shop/healthz"))
        .as("a name the Ingress does not declare").isEqualTo("/shop/healthz");
  }
}
