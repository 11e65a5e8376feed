package dev.upstreamhealth.diagnosis;

import static dev.upstreamhealth.diagnosis.SiteWorld.outcome;
import static dev.upstreamhealth.diagnosis.SiteWorld.upstream;
import static dev.upstreamhealth.diagnosis.SiteWorld.http;
import static org.assertj.core.api.Assertions.assertThat;

import dev.upstreamhealth.api.Fault;
import dev.upstreamhealth.probe.ProbeOutcome;
import dev.upstreamhealth.probe.Scheme;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * ingress-nginx gives TLS to a host's server whichever of the host's Ingresses declares it: a
 * Site naming the Ingress without the TLS section is fetched over https all the same, and its
 * certificate is the one visitors depend on.
 */
class HostTlsTest {
  private static Ingress ingress(String name, String className, String tlsHost, String... ruleHosts) {
    IngressBuilder b = new IngressBuilder().withNewMetadata().withNamespace("web").withName(name).endMetadata()
        .withNewSpec().withIngressClassName(className).endSpec();
    for (String host : ruleHosts) {
      b.editSpec().addNewRule().withHost(host).withNewHttp().addNewPath().withPath("/").withPathType("Prefix")
          .withNewBackend().withNewService().withName("web").withNewPort().withNumber(80).endPort().endService()
          .endBackend().endPath().endHttp().endRule().endSpec();
    }
    if (tlsHost != null) {
      b.editSpec().addNewTl().addAllToHosts(tlsHost.isEmpty() ? java.util.List.of() : java.util.List.of(tlsHost))
          .withSecretName("shop-tls").endTl().endSpec();
    }
    return b.build();
  }

  @Test
  void theServersAnIngressGivesTlsAreItsRuleHostsItsTlsSectionNames() {
    assertThat(HostTls.serversWithTls(ingress("shop", "nginx", "Shop.Example.com", "shop.example.com", "api.example.com")))
        .containsExactly("shop.example.com");
    assertThat(HostTls.serversWithTls(ingress("shop", "nginx", "", "shop.example.com", "api.example.com")))
        .as("a TLS entry without hosts covers every rule host").containsExactly("shop.example.com", "api.example.com");
    assertThat(HostTls.serversWithTls(ingress("shop", "nginx", "*.example.com", "*.example.com")))
        .containsExactly("*.example.com");
    assertThat(HostTls.serversWithTls(ingress("shop", "nginx", null, "shop.example.com"))).isEmpty();
    assertThat(HostTls.serversWithTls(ingress("certs", "nginx", "shop.example.com")))
        .as("TLS without a rule for the host makes no server").isEmpty();
  }

  /** A canary Ingress (Flagger, Argo Rollouts) repeats the host with a TLS section ingress-nginx never applies. */
  @Test
  void aCanaryIngressGivesNoServerTls() {
    Ingress canary = ingress("shop-canary", "nginx", "shop.example.com", "shop.example.com");
    canary.getMetadata().setAnnotations(Map.of("nginx.ingress.kubernetes.io/canary", "true",
        "nginx.ingress.kubernetes.io/canary-weight", "10"));

    assertThat(HostTls.serversWithTls(canary)).isEmpty();
    canary.getMetadata().setAnnotations(Map.of("nginx.ingress.kubernetes.io/canary", "false"));
    assertThat(HostTls.serversWithTls(canary)).containsExactly("shop.example.com");
  }

  @Test
  void theServerOfAHostIsItsRuleElseTheWildcardThatCoversIt() {
    assertThat(HostTls.serverOf(ingress("shop", "nginx", null, "Shop.example.com"), "shop.example.com"))
        .contains("shop.example.com");
    assertThat(HostTls.serverOf(ingress("shop", "nginx", null, "*.example.com"), "shop.example.com"))
        .contains("*.example.com");
    assertThat(HostTls.serverOf(ingress("shop", "nginx", null, ""), "shop.example.com"))
        .as("the default server: TLS there is no host's").isEmpty();
  }

  @Test
  void onlyIngressesOfTheSameClassShareAServer() {
    Ingress nginx = ingress("a", "nginx", null, "shop.example.com");
    Ingress annotated = new IngressBuilder(ingress("b", null, null, "shop.example.com"))
        .editMetadata().withAnnotations(Map.of("kubernetes.io/ingress.class", "nginx")).endMetadata().build();
    assertThat(HostTls.sameClass(nginx, ingress("c", "nginx", "shop.example.com", "shop.example.com"))).isTrue();
    assertThat(HostTls.sameClass(nginx, annotated)).as("the older annotation names the class too").isTrue();
    assertThat(HostTls.sameClass(nginx, ingress("d", "traefik", "shop.example.com", "shop.example.com"))).isFalse();
    assertThat(HostTls.sameClass(ingress("e", null, null), ingress("f", null, null))).isTrue();
  }

  @Test
  void tlsDeclaredOnAnotherIngressOfTheHostMakesTheOriginHttps() {
    SiteWorld plain = SiteWorld.healthy();
    assertThat(plain.snapshot().originEndpoint().orElseThrow().scheme()).isEqualTo(Scheme.HTTP);
    assertThat(plain.snapshot().originEndpoint().orElseThrow().port()).isEqualTo(80);

    Snapshot elsewhere = SiteWorld.healthy().tlsDeclaredOn("web/shop-tls").snapshot();
    assertThat(elsewhere.originEndpoint().orElseThrow().scheme()).isEqualTo(Scheme.HTTPS);
    assertThat(elsewhere.originEndpoint().orElseThrow().port()).isEqualTo(443);
    assertThat(elsewhere.tlsElsewhereNote()).contains("declared on Ingress web/shop-tls");
  }

  @Test
  void aSchemeOrDefaultPortTheSiteGivesStillDecides() {
    SiteWorld flexible = SiteWorld.healthy().tlsDeclaredOn("web/shop-tls");
    flexible.spec.getOrigin().setPort(80);
    assertThat(flexible.snapshot().originEndpoint().orElseThrow().scheme()).isEqualTo(Scheme.HTTP);
    assertThat(flexible.snapshot().tlsElsewhereNote()).isEmpty();

    SiteWorld nodePort = SiteWorld.healthy().tlsDeclaredOn("web/shop-tls");
    nodePort.spec.getOrigin().setPort(30443);
    assertThat(nodePort.snapshot().originEndpoint().orElseThrow()).hasToString("https://127.0.0.10:30443");
    assertThat(nodePort.snapshot().tlsElsewhereNote()).as("the scheme is still derived").isNotEmpty();
  }

  @Test
  void aCertificateFaultNamesTheIngressThatDeclaresIt() {
    Verdict verdict = SiteWorld.healthy().tlsDeclaredOn("web/shop-tls")
        .probes(SiteWorld.origin(outcome(ProbeOutcome.CERTIFICATE_INVALID, "certificate expired on 2025-03-01")),
            upstream("10.0.0.11", http(200)), upstream("10.0.0.12", http(200)))
        .diagnose();
    assertThat(verdict.fault()).isEqualTo(Fault.ORIGIN_DOWN);
    assertThat(verdict.message()).contains("certificate expired on 2025-03-01")
        .contains("TLS for shop.example.com is declared on Ingress web/shop-tls");

    Verdict expiring = SiteWorld.healthy().tlsDeclaredOn("web/shop-tls")
        .probes(SiteWorld.originWithCertificate(java.time.Instant.parse("2025-01-06T12:00:00Z")),
            upstream("10.0.0.11", http(200)), upstream("10.0.0.12", http(200)))
        .diagnose();
    assertThat(expiring.conditions().get(dev.upstreamhealth.api.ConditionType.DEGRADED).message())
        .contains("declared on Ingress web/shop-tls");
    assertThat(expiring.message()).as("Healthy says where the https comes from")
        .contains("declared on Ingress web/shop-tls");
  }

  @Test
  void theSitesOwnTlsNeedsNoNote() {
    SiteWorld own = SiteWorld.healthy().tlsDeclaredOn("web/shop-tls");
    own.ingress = ingress("shop", "nginx", "shop.example.com", "shop.example.com");
    assertThat(own.snapshot().tlsElsewhereNote()).isEmpty();
  }
}
