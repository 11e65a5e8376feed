package dev.upstreamhealth.diagnosis;

import static dev.upstreamhealth.diagnosis.SiteWorld.http;
import static org.assertj.core.api.Assertions.assertThat;

import dev.upstreamhealth.api.ConditionStatus;
import dev.upstreamhealth.api.ConditionType;
import dev.upstreamhealth.api.Fault;
import dev.upstreamhealth.api.Reason;
import dev.upstreamhealth.probe.ProbeOutcome;
import dev.upstreamhealth.probe.Scheme;
import io.fabric8.kubernetes.api.model.networking.v1.IngressTLSBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Names ingress-nginx answers for an Ingress beyond its rule hosts: its server-alias names, served
 * as the rule host that owns them, and the www twins of its rule hosts, answered with a redirect
 * when it asks for from-to-www-redirect. A Site for either is routed; any other name is not.
 */
class IngressNginxHostNamesTest {
  private static final String SERVER_ALIAS = "nginx.ingress.kubernetes.io/server-alias";
  private static final String FROM_TO_WWW = "nginx.ingress.kubernetes.io/from-to-www-redirect";

  /** The Site's host, shop.example.com, is no rule host of its Ingress: only shop.example.net is. */
  private static SiteWorld ruleForShopExampleNet() {
    return SiteWorld.healthy().ingressRoutesOnly("shop.example.net");
  }

  private static void assertNoFault(Verdict v) {
    assertThat(v.reason()).as(v.message()).isEqualTo(Reason.HEALTHY);
    assertThat(v.fault()).isEqualTo(Fault.NONE);
    for (ConditionType type : ConditionType.values()) {
      if (type.isFaultCondition()) {
        assertThat(v.condition(type).status()).as(type.typeName()).isEqualTo(ConditionStatus.FALSE);
      }
    }
  }

  // ---------------------------------------------------------------- server-alias

  @Test
  void aServerAliasIsServedByTheRuleThatOwnsIt() {
    Verdict v = ruleForShopExampleNet().ingressAnnotation(SERVER_ALIAS, "www.shop.example.net, shop.example.com")
        .diagnose();

    assertNoFault(v);
    assertThat(v.upstreams()).extracting(UpstreamCount::service).containsExactly("web/shop-web");
    assertThat(v.message()).contains("2/2 endpoints of Service web/shop-web ready",
        "shop.example.com is a server-alias of rule shop.example.net of Ingress web/shop");
  }

  @Test
  void aServerAliasSitesBackendFaultsAreItsOwnAndNameTheRule() {
    Verdict v = ruleForShopExampleNet().ingressAnnotation(SERVER_ALIAS, "shop.example.com").backendServiceMissing()
        .diagnose();

    assertThat(v.reason()).isEqualTo("BackendServiceMissing");
    assertThat(v.fault()).isEqualTo(Fault.BAD_GATEWAY);
    assertThat(v.message()).contains(
        "Ingress web/shop (server-alias shop.example.com of rule shop.example.net, path /)", "Service web/shop-web");
  }

  /** nginx's server_name forms, as ingress-nginx writes the annotation into it. */
  @ParameterizedTest
  @ValueSource(strings = {"*.example.com", ".example.com", "shop.example.*", "~^shop\\.example\\.(com|org)$",
      "SHOP.Example.com"})
  void everyServerNameFormNamingHostServesIt(String alias) {
    Verdict v = ruleForShopExampleNet().ingressAnnotation(SERVER_ALIAS, alias).diagnose();

    assertNoFault(v);
    assertThat(v.upstreams()).extracting(UpstreamCount::service).containsExactly("web/shop-web");
  }

  /** What must not happen: a name the Ingress does not declare is still not routed, nor one nginx cannot match. */
  @ParameterizedTest
  @ValueSource(strings = {"www.shop.example.com", "*.example.org", "example.com", "*.shop.example.com",
      "~^shop\\.example\\.org$", "~(?P<broken"})
  void anAliasThatDoesNotNameHostLeavesItUnrouted(String alias) {
    Verdict v = ruleForShopExampleNet().ingressAnnotation(SERVER_ALIAS, alias).diagnose();

    assertThat(v.reason()).isEqualTo("HostNotRouted");
    assertThat(v.message()).contains("Ingress web/shop has no rule for shop.example.com");
  }

  /** The Ingress's defaultBackend answers only names no server takes; the alias's server takes it. */
  @Test
  void aServerAliasIsNotJudgedByTheDefaultBackend() {
    Verdict v = ruleForShopExampleNet().defaultBackend("default-missing").ingressAnnotation(SERVER_ALIAS,
        "shop.example.com").diagnose();

    assertNoFault(v);
    assertThat(v.message()).doesNotContain("default-missing");
  }

  /** An exact rule for host keeps its own routing, even where a wildcard alias also covers it. */
  @Test
  void aRuleHostKeepsItsOwnRoutingBesideAnAliasCoveringIt() {
    Verdict v = SiteWorld.healthy().rule("api.example.com", "/", "api-missing")
        .ingressAnnotation(SERVER_ALIAS, "*.example.com").diagnose();

    assertNoFault(v);
    assertThat(v.upstreams()).extracting(UpstreamCount::service).containsExactly("web/shop-web");
    assertThat(v.message()).doesNotContain("server-alias");
  }

  /**
   * ingress-nginx gives the aliases to the server of every rule host of the Ingress, and nginx keeps
   * a name for the first of them in its configuration, which lists servers sorted by host.
   */
  @Test
  void anAliasOfSeveralRulesIsServedByTheFirstRuleHost() {
    Verdict v = ruleForShopExampleNet().rule("api.example.net", "/", "api-missing")
        .ingressAnnotation(SERVER_ALIAS, "shop.example.com").diagnose();

    assertThat(v.reason()).isEqualTo("BackendServiceMissing");
    assertThat(v.message()).contains("server-alias shop.example.com of rule api.example.net", "Service web/api-missing");
  }

  /** The alias is answered on its rule host's TLS server: the CDN reaches it on 443, as the rule host. */
  @Test
  void aServerAliasOfARuleWithTlsIsProbedOverHttps() {
    SiteWorld world = ruleForShopExampleNet().ingressAnnotation(SERVER_ALIAS, "shop.example.com");
    world.ingress.getSpec().setTls(List.of(new IngressTLSBuilder().withHosts("shop.example.net")
        .withSecretName("shop-tls").build()));

    OriginEndpoint origin = world.diagnose().origin().orElseThrow();
    assertThat(origin.scheme()).isEqualTo(Scheme.HTTPS);
    assertThat(origin.port()).isEqualTo(443);

    world.ingress.getSpec().setTls(List.of(new IngressTLSBuilder().withHosts("other.example.net")
        .withSecretName("other-tls").build()));
    assertThat(world.diagnose().origin().orElseThrow().scheme()).as("TLS for another rule only").isEqualTo(Scheme.HTTP);
  }

  /**
   * TLS declared for www.shop.example.com only, on the Ingress that also routes shop.example.com:
   * ingress-nginx serves shop.example.com over TLS all the same, with its default certificate where
   * the Secret's does not name it (and redirects plain http there). The CDN fetches it over https
   * and refuses that certificate (526): probed there, not over plain http, where the redirect hid it.
   */
  @Test
  void aHostLeftOutOfTheTlsSectionIsProbedOverHttpsAndItsCertificateJudged() {
    SiteWorld world = SiteWorld.healthy();
    world.ingress.getSpec().setTls(List.of(new IngressTLSBuilder().withHosts("www.shop.example.com")
        .withSecretName("www-tls").build()));
    assertThat(world.diagnose().origin().orElseThrow().scheme()).as("the controller not known to be ingress-nginx")
        .isEqualTo(Scheme.HTTP);
    world.controllerConfig = new IngressNginxConfigMap("ingress-nginx/ingress-nginx-controller", "", "", false, true, "", "");
    assertThat(world.diagnose().origin().orElseThrow().scheme()).as("its ConfigMap turns ssl-redirect off")
        .isEqualTo(Scheme.HTTP);
    world.controllerConfig = new IngressNginxConfigMap("ingress-nginx/ingress-nginx-controller", "", "");

    OriginEndpoint origin = world.diagnose().origin().orElseThrow();
    assertThat(origin.scheme()).isEqualTo(Scheme.HTTPS);
    assertThat(origin.port()).isEqualTo(443);

    Verdict refused = world.probes(SiteWorld.origin(SiteWorld.outcome(ProbeOutcome.CERTIFICATE_INVALID))).diagnose();
    assertThat(refused.reason()).isEqualTo("OriginCertificateInvalid");
    assertThat(refused.message()).contains("the TLS section of Ingress web/shop does not name shop.example.com",
        "else with its default certificate");

    world.ingressAnnotation("nginx.ingress.kubernetes.io/ssl-redirect", "False");
    assertThat(world.diagnose().origin().orElseThrow().scheme())
        .as("the redirect turned off: the host is served over plain http too, as a CDN fetching over http wants")
        .isEqualTo(Scheme.HTTP);

    world.ingress.getSpec().setTls(List.of(new IngressTLSBuilder().withHosts("shop.example.com")
        .withSecretName("shop-tls").build()));
    assertThat(world.diagnose().origin().orElseThrow().scheme()).as("a host the section names").isEqualTo(Scheme.HTTPS);
    assertThat(world.probes(SiteWorld.origin(SiteWorld.outcome(ProbeOutcome.CERTIFICATE_INVALID))).diagnose().message())
        .as("a host the section names gets its Secret's certificate").doesNotContain("does not name");
  }

  /**
   * A host reached only through a rule without a host (a catch-all for customers' domains) gets
   * nginx's catch-all server, with no TLS of the section and no redirect: plain http stays.
   */
  @Test
  void aHostReachedOnlyByARuleWithoutAHostStaysOnPlainHttp() {
    SiteWorld world = SiteWorld.healthy();
    world.ingress.getSpec().getRules().forEach(rule -> rule.setHost(null));
    world.ingress.getSpec().setTls(List.of(new IngressTLSBuilder().withHosts("app.example.com")
        .withSecretName("app-tls").build()));
    world.controllerConfig = new IngressNginxConfigMap("ingress-nginx/ingress-nginx-controller", "", "");

    assertThat(world.diagnose().origin().orElseThrow().scheme()).isEqualTo(Scheme.HTTP);
  }

  // ---------------------------------------------------------------- from-to-www-redirect

  /** The apex twin of rule www.shop.example.com: the redirect answers, no backend is asked. */
  @Test
  void theApexTwinOfARuleIsAnsweredByTheRedirectAndNoBackendIsJudged() {
    Verdict v = SiteWorld.healthy().ingressRoutesOnly("www.shop.example.com").backendServiceMissing()
        .ingressAnnotation(FROM_TO_WWW, "true").originProbed(http(308)).diagnose();

    assertNoFault(v);
    assertThat(v.upstreams()).as("no backend is asked").isEmpty();
    assertThat(v.message()).contains("answers 308",
        "shop.example.com is answered by ingress-nginx's redirect to www.shop.example.com"
            + " (from-to-www-redirect of Ingress web/shop)");
  }

  @Test
  void theWwwTwinOfARuleIsAnsweredByTheRedirect() {
    SiteWorld world = SiteWorld.healthy().scaledToZero().ingressAnnotation(FROM_TO_WWW, "true").originProbed(http(308));
    world.spec.setHost("www.shop.example.com");

    Verdict v = world.diagnose();
    assertNoFault(v);
    assertThat(v.upstreams()).isEmpty();
    assertThat(v.message()).contains("www.shop.example.com is answered by ingress-nginx's redirect to shop.example.com");
  }

  /** nginx takes an exact name before its regular expressions: the twin's server, not the wildcard rule. */
  @Test
  void theTwinsRedirectComesBeforeAWildcardRuleCoveringIt() {
    Verdict v = SiteWorld.healthy().ingressRoutesOnly("www.shop.example.com")
        .rule("*.example.com", "/", "wildcard-missing").ingressAnnotation(FROM_TO_WWW, "true")
        .originProbed(http(308)).diagnose();

    assertNoFault(v);
    assertThat(v.message()).doesNotContain("wildcard-missing");
  }

  /** A twin that is a rule host itself keeps that rule, whose broken backend is the Site's. */
  @Test
  void aTwinThatIsARuleHostKeepsItsOwnRule() {
    Verdict v = SiteWorld.healthy().backendServiceMissing().rule("www.shop.example.com", "/", "www-web")
        .ingressAnnotation(FROM_TO_WWW, "true").originProbed(http(503)).diagnose();

    assertThat(v.reason()).isEqualTo("BackendServiceMissing");
    assertThat(v.message()).contains("Service web/shop-web").doesNotContain("redirect");
  }

  /** What must not happen: no annotation, "false", or a rule without paths: no redirect, HostNotRouted. */
  @ParameterizedTest
  @ValueSource(strings = {"", "false", "yes"})
  void withoutTheRedirectTheTwinIsNotRouted(String annotation) {
    SiteWorld world = SiteWorld.healthy().ingressRoutesOnly("www.shop.example.com");
    if (!annotation.isEmpty()) {
      world.ingressAnnotation(FROM_TO_WWW, annotation);
    }

    Verdict v = world.diagnose();
    assertThat(v.reason()).isEqualTo("HostNotRouted");
  }

  @Test
  void aRuleWithoutPathsGetsNoRedirect() {
    Verdict v = SiteWorld.healthy().ingressRoutesOnly("www.shop.example.com")
        .with(x -> { x.ingress.getSpec().getRules().get(0).setHttp(null); return x; })
        .ingressAnnotation(FROM_TO_WWW, "true").diagnose();

    assertThat(v.reason()).isEqualTo("HostNotRouted");
  }

  /** A host that is neither a rule host, an alias nor a twin stays unrouted whatever else the Ingress declares. */
  @Test
  void aDifferentHostIsUnaffected() {
    SiteWorld world = SiteWorld.healthy().ingressAnnotation(FROM_TO_WWW, "true")
        .ingressAnnotation(SERVER_ALIAS, "shop.example.org, *.shop.example.com");
    world.spec.setHost("blog.example.com");

    Verdict v = world.diagnose();
    assertThat(v.reason()).isEqualTo("HostNotRouted");
    assertThat(v.message()).contains("has no rule for blog.example.com");
  }

  /** The twin is answered on the rule host's TLS server, as the alias is. */
  @Test
  void theTwinOfARuleWithTlsIsProbedOverHttps() {
    SiteWorld world = SiteWorld.healthy().ingressRoutesOnly("www.shop.example.com").ingressAnnotation(FROM_TO_WWW, "1");
    world.ingress.getSpec().setTls(List.of(new IngressTLSBuilder().withHosts("www.shop.example.com")
        .withSecretName("shop-tls").build()));

    assertThat(world.diagnose().origin().orElseThrow().scheme()).isEqualTo(Scheme.HTTPS);
  }
}
