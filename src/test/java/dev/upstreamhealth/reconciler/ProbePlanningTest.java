package dev.upstreamhealth.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.upstreamhealth.api.Site;
import dev.upstreamhealth.demo.SiteFixture;
import dev.upstreamhealth.demo.SiteFixtures;
import dev.upstreamhealth.diagnosis.Backend;
import dev.upstreamhealth.diagnosis.BackendRef;
import dev.upstreamhealth.diagnosis.GatewayState;
import dev.upstreamhealth.diagnosis.IngressNginxConfigMap;
import dev.upstreamhealth.diagnosis.Snapshot;
import dev.upstreamhealth.diagnosis.SnapshotBuilder;
import dev.upstreamhealth.diagnosis.Workloads;
import dev.upstreamhealth.probe.CertificateCheck;
import dev.upstreamhealth.probe.ForbiddenReading;
import dev.upstreamhealth.probe.ProbeLayer;
import dev.upstreamhealth.probe.ProbeOutcome;
import dev.upstreamhealth.probe.ProbePlan;
import dev.upstreamhealth.probe.ProbeResult;
import dev.upstreamhealth.probe.ProbeTarget;
import dev.upstreamhealth.probe.ProbeTrace;
import dev.upstreamhealth.probe.ProxyProtocol;
import dev.upstreamhealth.probe.Scheme;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What gets probed for a Site: the origin as the CDN sees it, the gateway, ready endpoints. */
class ProbePlanningTest {
  final SiteFixture shop = new SiteFixture("web", "shop", "shop.example.com");

  private Snapshot snapshot(Site site, Ingress ingress, EndpointSlice slice, GatewayState gateway) {
    Backend backend = new Backend(new BackendRef("web", "shop-web", 80, null), shop.service(8080), List.of(slice),
        List.of(), Workloads.NONE);
    return SnapshotBuilder.snapshot("web", "shop", site.getSpec()).ingress(ingress).backends(List.of(backend))
        .gateway(gateway).build();
  }

  private ProbePlan plan(Snapshot s) {
    return ProbePlanning.plan(s);
  }

  @Test
  void originGatewayAndReadyEndpointsAreProbedWithTheSitesHost() {
    Site site = shop.site(0, 30, 3);
    SiteFixtures.useGateway(site, "ingress-nginx", "ingress-nginx-controller");
    GatewayState gateway = new GatewayState("ingress-nginx", "ingress-nginx-controller",
        SiteFixtures.gatewayService("ingress-nginx", "ingress-nginx-controller", "10.96.0.20", 80),
        List.of(), List.of(), List.of());
    Map<String, Boolean> ready = new LinkedHashMap<>();
    ready.put("10.0.0.11", true);
    ready.put("10.0.0.12", false);
    var planned = plan(snapshot(site, shop.ingress("203.0.113.7"), shop.endpointSlice(8080, ready), gateway));

    assertThat(planned.targets()).extracting(ProbeTarget::layer, ProbeTarget::address, ProbeTarget::port)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(ProbeLayer.ORIGIN, "203.0.113.7", 80),
            org.assertj.core.groups.Tuple.tuple(ProbeLayer.GATEWAY, "10.96.0.20", 80),
            org.assertj.core.groups.Tuple.tuple(ProbeLayer.UPSTREAM, "10.0.0.11", 8080));
    assertThat(planned.targets()).allSatisfy(t -> assertThat(t.host()).isEqualTo("shop.example.com"));
    assertThat(planned.failureThreshold()).isEqualTo(3);
  }

  /** A wildcard Site is probed as a visitor of one of its names would ask: a concrete name, for Host, SNI and the certificate. */
  @Test
  void aWildcardSiteIsProbedWithAConcreteNameUnderTheWildcard() {
    SiteFixture tenants = new SiteFixture("web", "shop", "*.example.com");
    Site site = tenants.site(0, 30, 3);
    SiteFixtures.useGateway(site, "ingress-nginx", "ingress-nginx-controller");
    GatewayState gateway = new GatewayState("ingress-nginx", "ingress-nginx-controller",
        SiteFixtures.gatewayService("ingress-nginx", "ingress-nginx-controller", "10.96.0.20", 80),
        List.of(), List.of(), List.of());
    Backend backend = new Backend(new BackendRef("web", "shop-web", 80, null), tenants.service(8080),
        List.of(tenants.endpointSlice(8080, Map.of("10.0.0.11", true))), List.of(), Workloads.NONE);
    var planned = plan(SnapshotBuilder.snapshot("web", "shop", site.getSpec()).ingress(tenants.ingress("203.0.113.7"))
        .backends(List.of(backend)).gateway(gateway).build());

    assertThat(planned.targets()).extracting(ProbeTarget::layer)
        .containsExactly(ProbeLayer.ORIGIN, ProbeLayer.GATEWAY, ProbeLayer.UPSTREAM);
    assertThat(planned.targets()).allSatisfy(t -> assertThat(t.host()).isEqualTo("upstream-health-probe.example.com"));
    assertThat(planned.targets().get(2).headers()).containsEntry("X-Forwarded-Host", "upstream-health-probe.example.com");
  }

  @Test
  void tlsForTheHostMeansHttpsOn443() {
    Ingress tls = new IngressBuilder(shop.ingress("203.0.113.7")).editSpec()
        .addNewTl().withHosts("shop.example.com").withSecretName("shop-tls").endTl().endSpec().build();
    var planned = plan(snapshot(shop.site(0, 30, 3), tls, shop.endpointSlice(8080, Map.of()), null));
    ProbeTarget origin = planned.targets().get(0);
    assertThat(origin.scheme()).isEqualTo(Scheme.HTTPS);
    assertThat(origin.port()).isEqualTo(443);

    // A TLS entry without hosts covers every host of the Ingress; one for other hosts does not.
    Ingress everyHost = new IngressBuilder(shop.ingress("203.0.113.7")).editSpec()
        .addNewTl().withSecretName("wildcard-tls").endTl().endSpec().build();
    ProbeTarget byDefault = plan(snapshot(shop.site(0, 30, 3), everyHost, shop.endpointSlice(8080, Map.of()), null))
        .targets().get(0);
    assertThat(byDefault.scheme()).isEqualTo(Scheme.HTTPS);
    assertThat(byDefault.port()).isEqualTo(443);
    Ingress otherHost = new IngressBuilder(shop.ingress("203.0.113.7")).editSpec()
        .addNewTl().withHosts("www.example.com").withSecretName("www-tls").endTl().endSpec().build();
    assertThat(plan(snapshot(shop.site(0, 30, 3), otherHost, shop.endpointSlice(8080, Map.of()), null))
        .targets().get(0).scheme()).isEqualTo(Scheme.HTTP);
  }

  /** What is given decides what is not; the TLS section only when neither is given. */
  @ParameterizedTest(name = "TLS section {0}, scheme \"{1}\", port {2}: {3}://:{4}")
  @CsvSource({
      "false, https, 0, HTTPS, 443",   // Cloudflare Full on an Ingress without a TLS section
      "true, http, 0, HTTP, 80",       // Flexible beside a TLS section
      "false, '', 443, HTTPS, 443",
      "true, '', 80, HTTP, 80",
      "true, '', 0, HTTPS, 443",
      "false, '', 0, HTTP, 80",
      "true, '', 8443, HTTPS, 8443"})
  void theOriginsSchemeAndPortFollowWhatIsGiven(boolean tlsSection, String scheme, int port, Scheme expectedScheme,
      int expectedPort) {
    Ingress ingress = shop.ingress("203.0.113.7");
    if (tlsSection) {
      ingress = new IngressBuilder(ingress).editSpec()
          .addNewTl().withHosts("shop.example.com").withSecretName("shop-tls").endTl().endSpec().build();
    }
    var site = shop.site(port, 30, 3);
    site.getSpec().getOrigin().setScheme(scheme);

    ProbeTarget origin = plan(snapshot(site, ingress, shop.endpointSlice(8080, Map.of()), null)).targets().get(0);

    assertThat(origin.scheme()).isEqualTo(expectedScheme);
    assertThat(origin.port()).isEqualTo(expectedPort);
  }

  @Test
  void aServiceWithThousandsOfEndpointsCostsAtMostFiftyProbes() {
    Map<String, Boolean> many = new LinkedHashMap<>();
    for (int i = 0; i < 3000; i++) {
      many.put("10.1." + (i / 250) + "." + (i % 250), true);
    }
    var planned = plan(snapshot(shop.site(0, 30, 3), shop.ingress("203.0.113.7"), shop.endpointSlice(8080, many), null));
    List<ProbeTarget> upstreams = planned.targets().stream().filter(t -> t.layer() == ProbeLayer.UPSTREAM).toList();
    assertThat(upstreams).hasSize(ProbePlanning.MAX_UPSTREAM_TARGETS_PER_SERVICE);
    var again = plan(snapshot(shop.site(0, 30, 3), shop.ingress("203.0.113.7"), shop.endpointSlice(8080, many), null));
    assertThat(again.targets()).as("the same sample each time, so probe history is kept")
        .isEqualTo(planned.targets());
  }

  private Snapshot withServicePort(Site site, Ingress ingress, io.fabric8.kubernetes.api.model.ServicePort port) {
    var service = new io.fabric8.kubernetes.api.model.ServiceBuilder(shop.service(8080)).editSpec()
        .withPorts(port).endSpec().build();
    Backend backend = new Backend(new BackendRef("web", "shop-web", 80, null), service,
        List.of(shop.endpointSlice(8080, Map.of("10.0.0.11", true))), List.of(), Workloads.NONE);
    return SnapshotBuilder.snapshot("web", "shop", site.getSpec()).ingress(ingress).backends(List.of(backend)).build();
  }

  private static io.fabric8.kubernetes.api.model.ServicePortBuilder port() {
    return new io.fabric8.kubernetes.api.model.ServicePortBuilder().withName("http").withPort(80)
        .withTargetPort(new io.fabric8.kubernetes.api.model.IntOrString(8080));
  }

  private ProbeTarget upstream(ProbePlan plan) {
    return plan.targets().stream().filter(t -> t.layer() == ProbeLayer.UPSTREAM).findFirst().orElseThrow();
  }

  private static Ingress annotated(Ingress ingress, String key, String value) {
    return new IngressBuilder(ingress).editMetadata().addToAnnotations(key, value).endMetadata().build();
  }

  @Test
  void tlsUpstreamPortsAreProbedWithTlsAndAnyCertificate() {
    Site site = shop.site(0, 30, 3);
    ProbeTarget byAppProtocol = upstream(plan(withServicePort(site, shop.ingress("203.0.113.7"),
        port().withAppProtocol("https").build())));
    ProbeTarget byAnnotation = upstream(plan(withServicePort(site,
        annotated(shop.ingress("203.0.113.7"), "nginx.ingress.kubernetes.io/backend-protocol", "HTTPS"),
        port().build())));

    for (ProbeTarget t : List.of(byAppProtocol, byAnnotation)) {
      assertThat(t.scheme()).isEqualTo(Scheme.HTTPS);
      assertThat(t.certificateCheck()).as("ingress-nginx does not verify upstream certificates").isEqualTo(CertificateCheck.ANY);
      assertThat(t.isConnectOnly()).isFalse();
    }
  }

  /**
   * A Service port named https in front of an app that speaks HTTP (TLS ends at the load
   * balancer): ingress-nginx reads only its backend-protocol annotation and asks it in HTTP, so
   * behind one known as ingress-nginx (its ConfigMap read) the probe does too. Behind a controller
   * not known, the port's name still says TLS; the annotation says it anywhere.
   */
  @Test
  void behindIngressNginxOnlyItsAnnotationMakesAnUpstreamTls() {
    Site site = shop.site(0, 30, 3);
    var httpsNamed = port().withName("https").withAppProtocol("https").build();
    var service = new io.fabric8.kubernetes.api.model.ServiceBuilder(shop.service(8080)).editSpec()
        .withPorts(httpsNamed).endSpec().build();
    var slice = new io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder(
        shop.endpointSlice(8080, Map.of("10.0.0.11", true))).editFirstPort().withName("https").endPort().build();
    Backend backend = new Backend(new BackendRef("web", "shop-web", 80, null), service, List.of(slice), List.of(),
        Workloads.NONE);
    IngressNginxConfigMap config = IngressNginxConfigMap.of(new io.fabric8.kubernetes.api.model.ConfigMapBuilder()
        .withNewMetadata().withNamespace("ingress-nginx").withName("ingress-nginx-controller").endMetadata()
        .withData(Map.of()).build());
    java.util.function.BiFunction<Ingress, IngressNginxConfigMap, ProbeTarget> probed = (ingress, known) ->
        upstream(plan(SnapshotBuilder.snapshot("web", "shop", site.getSpec()).ingress(ingress)
            .backends(List.of(backend)).controllerConfig(known).build()));

    assertThat(probed.apply(shop.ingress("203.0.113.7"), config).scheme()).isEqualTo(Scheme.HTTP);
    assertThat(probed.apply(shop.ingress("203.0.113.7"), null).scheme()).isEqualTo(Scheme.HTTPS);
    assertThat(probed.apply(annotated(shop.ingress("203.0.113.7"), "nginx.ingress.kubernetes.io/backend-protocol",
        "HTTPS"), config).scheme()).isEqualTo(Scheme.HTTPS);
  }

  @Test
  void grpcUpstreamPortsGetAConnectCheckThatSaysSo() {
    Site site = shop.site(0, 30, 3);
    ProbeTarget byAppProtocol = upstream(plan(withServicePort(site, shop.ingress("203.0.113.7"),
        port().withAppProtocol("kubernetes.io/h2c").build())));
    ProbeTarget byAnnotation = upstream(plan(withServicePort(site,
        annotated(shop.ingress("203.0.113.7"), "nginx.ingress.kubernetes.io/backend-protocol", "GRPC"),
        port().build())));

    for (ProbeTarget t : List.of(byAppProtocol, byAnnotation)) {
      assertThat(t.isConnectOnly()).isTrue();
      assertThat(t.connectOnly()).contains("gRPC").contains("TCP connect");
      assertThat(t.url()).startsWith("tcp://10.0.0.11:8080");
    }
  }

  /** ingress-nginx serves an Ingress that names the targetPort (8080 of port 80 → 8080): so are its endpoints probed. */
  @Test
  void anIngressNamingTheTargetPortHasItsEndpointsProbed() {
    Site site = shop.site(0, 30, 3);
    var service = shop.service(8080);
    Backend byTarget = new Backend(new BackendRef("web", "shop-web", 8080, null), service,
        List.of(shop.endpointSlice(8080, Map.of("10.0.0.11", true))), List.of(), Workloads.NONE);
    ProbePlan viaIngress = plan(SnapshotBuilder.snapshot("web", "shop", site.getSpec())
        .ingress(shop.ingress("203.0.113.7")).backends(List.of(byTarget)).build());
    assertThat(upstream(viaIngress).port()).isEqualTo(8080);

    Backend neither = new Backend(new BackendRef("web", "shop-web", 9090, null), service,
        List.of(shop.endpointSlice(8080, Map.of("10.0.0.11", true))), List.of(), Workloads.NONE);
    assertThat(plan(SnapshotBuilder.snapshot("web", "shop", site.getSpec()).ingress(shop.ingress("203.0.113.7"))
        .backends(List.of(neither)).build()).targets()).noneMatch(t -> t.layer() == ProbeLayer.UPSTREAM);
  }

  @Test
  void udpPortsAreNotProbed() {
    ProbePlan plan = plan(withServicePort(shop.site(0, 30, 3), shop.ingress("203.0.113.7"),
        port().withProtocol("UDP").build()));
    assertThat(plan.targets()).noneMatch(t -> t.layer() == ProbeLayer.UPSTREAM);
  }

  @Test
  void upstreamsAreAskedWhatTheGatewayAsks() {
    Site site = shop.site(0, 30, 3);
    site.getSpec().getProbe().setPath("/shop/healthz?full=1");
    Ingress ingress = annotated(shop.ingress("203.0.113.7"), "nginx.ingress.kubernetes.io/rewrite-target", "/$2");
    ingress.getSpec().getRules().get(0).getHttp().getPaths().get(0).setPath("/shop(/|$)(.*)");
    ingress.getSpec().getRules().get(0).getHttp().getPaths().get(0).setPathType("ImplementationSpecific");
    ingress = new IngressBuilder(ingress).editSpec().addNewTl().withHosts("shop.example.com").endTl().endSpec().build();

    ProbePlan plan = plan(snapshot(site, ingress, shop.endpointSlice(8080, Map.of("10.0.0.11", true)), null));

    ProbeTarget origin = plan.targets().get(0);
    assertThat(origin.path()).as("the CDN asks for the path as written").isEqualTo("/shop/healthz?full=1");
    ProbeTarget upstream = upstream(plan);
    assertThat(upstream.path()).as("after rewrite-target").isEqualTo("/healthz?full=1");
    assertThat(upstream.host()).isEqualTo("shop.example.com");
    assertThat(upstream.headers())
        .containsEntry("X-Forwarded-Proto", "https")
        .containsEntry("X-Forwarded-Host", "shop.example.com")
        .containsEntry("X-Forwarded-Port", "443")
        .containsEntry("X-Forwarded-For", ProbeTarget.CONNECTION_ADDRESS)
        .containsEntry("X-Original-URI", "/shop/healthz?full=1");
  }

  @Test
  void verifyOriginCertificateFalseAcceptsAnyCertificate() {
    Site strict = shop.site(0, 30, 3);
    Site full = shop.site(0, 30, 3);
    full.getSpec().getCdn().setVerifyOriginCertificate(false);
    Ingress ingress = shop.ingress("203.0.113.7");

    assertThat(plan(snapshot(strict, ingress, shop.endpointSlice(8080, Map.of()), null)).targets().get(0)
        .certificateCheck()).isEqualTo(CertificateCheck.STRICT);
    assertThat(plan(snapshot(full, ingress, shop.endpointSlice(8080, Map.of()), null)).targets().get(0)
        .certificateCheck()).isEqualTo(CertificateCheck.ANY);
  }

  private GatewayState gatewayWith(java.util.function.Consumer<io.fabric8.kubernetes.api.model.Service> change) {
    var service = SiteFixtures.gatewayService("ingress-nginx", "ingress-nginx-controller", "10.96.0.20", 80);
    change.accept(service);
    return new GatewayState("ingress-nginx", "ingress-nginx-controller", service, List.of(), List.of(), List.of());
  }

  private static void annotate(io.fabric8.kubernetes.api.model.Service s, String key, String value) {
    Map<String, String> annotations = new java.util.HashMap<>(
        s.getMetadata().getAnnotations() == null ? Map.of() : s.getMetadata().getAnnotations());
    annotations.put(key, value);
    s.getMetadata().setAnnotations(annotations);
  }

  private static void loadBalancer(io.fabric8.kubernetes.api.model.Service s, String ip, String ipMode) {
    s.setStatus(new io.fabric8.kubernetes.api.model.ServiceStatusBuilder().withNewLoadBalancer()
        .addNewIngress().withIp(ip).withIpMode(ipMode).endIngress().endLoadBalancer().build());
  }

  private List<ProxyProtocol> proxyHeaders(Site site, GatewayState gateway) {
    SiteFixtures.useGateway(site, "ingress-nginx", "ingress-nginx-controller");
    ProbePlan plan = plan(snapshot(site, shop.ingress("203.0.113.7"), shop.endpointSlice(8080, Map.of("10.0.0.11", true)),
        gateway));
    return plan.targets().stream().map(ProbeTarget::proxyProtocol).toList(); // origin, gateway, upstream
  }

  /**
   * An AWS ELB known only by its hostname: the probe passes through it for real, and it adds its
   * own PROXY header. The probe sends none; to a load balancer's IP, which the cluster intercepts,
   * it does.
   */
  @Test
  void aLoadBalancerKnownByItsNameGetsNoHeaderFromTheProbe() {
    Site site = shop.site(0, 30, 3);
    site.getSpec().getOrigin().setProxyProtocol("v1");
    Ingress byName = new IngressBuilder(shop.ingress(null)).withNewStatus().withNewLoadBalancer()
        .addNewIngress().withHostname("a1b2c3-123456789.eu-west-1.elb.amazonaws.com").endIngress()
        .endLoadBalancer().endStatus().build();

    ProbeTarget toName = plan(snapshot(site, byName, shop.endpointSlice(8080, Map.of()), null)).targets().get(0);
    ProbeTarget toIp = plan(snapshot(site, shop.ingress("203.0.113.7"), shop.endpointSlice(8080, Map.of()), null))
        .targets().get(0);

    assertThat(toName.address()).isEqualTo("a1b2c3-123456789.eu-west-1.elb.amazonaws.com");
    assertThat(toName.proxyProtocol()).isEqualTo(ProxyProtocol.NONE);
    assertThat(toIp.proxyProtocol()).isEqualTo(ProxyProtocol.V1);
  }

  @Test
  void cloudProxyProtocolAnnotationsMakeOriginAndGatewayProbesSendTheHeader() {
    for (String key : List.of("service.beta.kubernetes.io/aws-load-balancer-proxy-protocol",
        "service.beta.kubernetes.io/do-loadbalancer-enable-proxy-protocol", "load-balancer.hetzner.cloud/uses-proxyprotocol")) {
      String value = key.contains("aws") ? "*" : "true";
      assertThat(proxyHeaders(shop.site(0, 30, 3), gatewayWith(s -> annotate(s, key, value)))).as(key)
          .containsExactly(ProxyProtocol.V1, ProxyProtocol.V1, ProxyProtocol.NONE);
    }
    assertThat(proxyHeaders(shop.site(0, 30, 3), gatewayWith(s -> { })))
        .containsExactly(ProxyProtocol.NONE, ProxyProtocol.NONE, ProxyProtocol.NONE);
    assertThat(proxyHeaders(shop.site(0, 30, 3),
        gatewayWith(s -> annotate(s, "service.beta.kubernetes.io/do-loadbalancer-enable-proxy-protocol", "false"))))
        .containsExactly(ProxyProtocol.NONE, ProxyProtocol.NONE, ProxyProtocol.NONE);
  }

  /** Each cloud's annotation, with the values its controller takes, gives the header its load balancer sends. */
  @Test
  void eachCloudsAnnotationGivesTheVersionItsLoadBalancerSends() {
    record Case(String key, String value, ProxyProtocol expected) {}
    List<Case> cases = List.of(
        new Case("loadbalancer.openstack.org/proxy-protocol", "true", ProxyProtocol.V1),
        new Case("loadbalancer.openstack.org/proxy-protocol", "v2", ProxyProtocol.V2),
        new Case("loadbalancer.openstack.org/proxy-protocol", "false", ProxyProtocol.NONE),
        new Case("service.beta.kubernetes.io/ovh-loadbalancer-proxy-protocol", "v2-ssl", ProxyProtocol.V2),
        new Case("service.beta.kubernetes.io/linode-loadbalancer-default-proxy-protocol", "v2", ProxyProtocol.V2),
        new Case("service.beta.kubernetes.io/linode-loadbalancer-proxy-protocol", "v1", ProxyProtocol.V1),
        new Case("service.beta.kubernetes.io/linode-loadbalancer-default-proxy-protocol", "none", ProxyProtocol.NONE),
        new Case("service.beta.kubernetes.io/scw-loadbalancer-proxy-protocol-v2", "*", ProxyProtocol.V2),
        new Case("service.beta.kubernetes.io/scw-loadbalancer-proxy-protocol-v1", "80,443", ProxyProtocol.V1),
        new Case("service.beta.kubernetes.io/scw-loadbalancer-proxy-protocol-v2", "false", ProxyProtocol.NONE),
        new Case("service.beta.kubernetes.io/vultr-loadbalancer-proxy-protocol", "true", ProxyProtocol.V1),
        new Case("kubernetes.civo.com/loadbalancer-enable-proxy-protocol", "send-proxy-v2", ProxyProtocol.V2),
        new Case("kubernetes.civo.com/loadbalancer-enable-proxy-protocol", "send-proxy", ProxyProtocol.V1));
    for (Case c : cases) {
      assertThat(proxyHeaders(shop.site(0, 30, 3), gatewayWith(s -> annotate(s, c.key(), c.value()))))
          .as(c.key() + ": " + c.value()).containsExactly(c.expected(), c.expected(), ProxyProtocol.NONE);
    }
    assertThat(proxyHeaders(shop.site(0, 30, 3), gatewayWith(s -> {
      annotate(s, "service.beta.kubernetes.io/aws-load-balancer-proxy-protocol", "*");
      annotate(s, "service.beta.kubernetes.io/aws-load-balancer-type", "nlb");
    }))).as("a Network Load Balancer sends v2 only").containsExactly(ProxyProtocol.V2, ProxyProtocol.V2, ProxyProtocol.NONE);
    assertThat(proxyHeaders(shop.site(0, 30, 3), gatewayWith(s -> {
      annotate(s, "service.beta.kubernetes.io/aws-load-balancer-proxy-protocol", "*");
      s.getSpec().setLoadBalancerClass("eks.amazonaws.com/nlb");
    }))).as("EKS Auto Mode's Network Load Balancer").containsExactly(ProxyProtocol.V2, ProxyProtocol.V2, ProxyProtocol.NONE);
  }

  /**
   * ingress-nginx's own use-proxy-protocol: nginx then demands the header on every connection,
   * the probes short-cut to its pods included, whatever the Service's annotations say (none here).
   */
  @Test
  void ingressNginxUseProxyProtocolMakesOriginAndGatewayProbesSendV1() {
    java.util.function.BiFunction<Site, Map<String, String>, List<ProxyProtocol>> headersWith = (site, data) -> {
      SiteFixtures.useGateway(site, "ingress-nginx", "ingress-nginx-controller");
      Backend backend = new Backend(new BackendRef("web", "shop-web", 80, null), shop.service(8080),
          List.of(shop.endpointSlice(8080, Map.of("10.0.0.11", true))), List.of(), Workloads.NONE);
      IngressNginxConfigMap config = IngressNginxConfigMap.of(new io.fabric8.kubernetes.api.model.ConfigMapBuilder()
          .withNewMetadata().withNamespace("ingress-nginx").withName("ingress-nginx-controller").endMetadata()
          .withData(data).build());
      // The gateway Service's own load balancer holds the Ingress's address: kube-proxy short-cuts it to the pods.
      GatewayState gateway = gatewayWith(s -> s.setStatus(new io.fabric8.kubernetes.api.model.ServiceStatusBuilder()
          .withNewLoadBalancer().addNewIngress().withIp(data.getOrDefault("lb", "203.0.113.7")).endIngress()
          .endLoadBalancer().build()));
      return plan(SnapshotBuilder.snapshot("web", "shop", site.getSpec()).ingress(shop.ingress("203.0.113.7"))
          .backends(List.of(backend)).gateway(gateway).controllerConfig(config).build())
          .targets().stream().map(ProbeTarget::proxyProtocol).toList(); // origin, gateway, upstream
    };

    assertThat(headersWith.apply(shop.site(0, 30, 3), Map.of("use-proxy-protocol", "true")))
        .containsExactly(ProxyProtocol.V1, ProxyProtocol.V1, ProxyProtocol.NONE);
    assertThat(headersWith.apply(shop.site(0, 30, 3), Map.of("use-proxy-protocol", "true", "lb", "10.0.0.200")))
        .as("the Ingress's address is a load balancer outside (bare metal's HAProxy), which adds its own header")
        .containsExactly(ProxyProtocol.NONE, ProxyProtocol.V1, ProxyProtocol.NONE);
    assertThat(headersWith.apply(shop.site(0, 30, 3), Map.of("use-proxy-protocol", "false")))
        .containsExactly(ProxyProtocol.NONE, ProxyProtocol.NONE, ProxyProtocol.NONE);
    assertThat(headersWith.apply(shop.site(0, 30, 3), Map.of()))
        .containsExactly(ProxyProtocol.NONE, ProxyProtocol.NONE, ProxyProtocol.NONE);
    Site none = shop.site(0, 30, 3);
    none.getSpec().getOrigin().setProxyProtocol("none");
    assertThat(headersWith.apply(none, Map.of("use-proxy-protocol", "true"))).as("origin.proxyProtocol: none overrides it")
        .containsExactly(ProxyProtocol.NONE, ProxyProtocol.NONE, ProxyProtocol.NONE);
  }

  @Test
  void originProxyProtocolOverridesDetectionAndIpModeProxyLeavesTheHeaderToTheLoadBalancer() {
    Site v2 = shop.site(0, 30, 3);
    v2.getSpec().getOrigin().setProxyProtocol("v2");
    assertThat(proxyHeaders(v2, gatewayWith(s -> { })))
        .containsExactly(ProxyProtocol.V2, ProxyProtocol.V2, ProxyProtocol.NONE);

    Site none = shop.site(0, 30, 3);
    none.getSpec().getOrigin().setProxyProtocol("none");
    assertThat(proxyHeaders(none, gatewayWith(s -> annotate(s, "load-balancer.hetzner.cloud/uses-proxyprotocol", "true"))))
        .containsExactly(ProxyProtocol.NONE, ProxyProtocol.NONE, ProxyProtocol.NONE);

    // Traffic to a load-balancer IP with ipMode Proxy really passes the load balancer, which adds the header.
    assertThat(proxyHeaders(shop.site(0, 30, 3), gatewayWith(s -> {
      annotate(s, "load-balancer.hetzner.cloud/uses-proxyprotocol", "true");
      loadBalancer(s, "203.0.113.7", "Proxy");
    }))).containsExactly(ProxyProtocol.NONE, ProxyProtocol.V1, ProxyProtocol.NONE);
    assertThat(proxyHeaders(shop.site(0, 30, 3), gatewayWith(s -> {
      annotate(s, "load-balancer.hetzner.cloud/uses-proxyprotocol", "true");
      loadBalancer(s, "203.0.113.7", "VIP");
    }))).containsExactly(ProxyProtocol.V1, ProxyProtocol.V1, ProxyProtocol.NONE);
  }

  /**
   * Hetzner's load balancer ends TLS with its managed certificate and sends plain HTTP on to the
   * pods (ingress-nginx's targetPorts.https: http); the CDN fetches over https. From inside, the
   * load-balancer IP and the cluster IP land on the pods' plain port: probes speak plain HTTP
   * there, where TLS would fail as a false 525. A load balancer known by its name, which the probe
   * really passes, still gets TLS.
   */
  @Test
  void tlsTheLoadBalancerEndsIsNotSpokenToThePods() {
    java.util.function.Consumer<io.fabric8.kubernetes.api.model.Service> hetznerEndingTls = s -> {
      annotate(s, "load-balancer.hetzner.cloud/protocol", "https");
      annotate(s, "load-balancer.hetzner.cloud/http-certificates", "shop-cert");
      s.getSpec().setPorts(List.of(
          new io.fabric8.kubernetes.api.model.ServicePortBuilder().withName("http").withPort(80)
              .withTargetPort(new io.fabric8.kubernetes.api.model.IntOrString("http")).build(),
          new io.fabric8.kubernetes.api.model.ServicePortBuilder().withName("https").withPort(443)
              .withTargetPort(new io.fabric8.kubernetes.api.model.IntOrString("http")).build()));
    };
    assertThat(schemes(httpsSite(), gatewayWith(hetznerEndingTls))).containsExactly(Scheme.HTTP, Scheme.HTTP);

    assertThat(schemes(httpsSite(), gatewayWith(s -> {
      hetznerEndingTls.accept(s);
      s.getSpec().getPorts().get(1).setTargetPort(new io.fabric8.kubernetes.api.model.IntOrString("https"));
    }))).as("the pods' own https port: TLS reaches them").containsExactly(Scheme.HTTPS, Scheme.HTTPS);

    assertThat(schemes(httpsSite(), gatewayWith(s -> {
      hetznerEndingTls.accept(s);
      s.getMetadata().getAnnotations().remove("load-balancer.hetzner.cloud/protocol");
    }))).as("a plain TCP load balancer in front of a plain port: the CDN's TLS fails there too")
        .containsExactly(Scheme.HTTPS, Scheme.HTTPS);

    Site site = httpsSite();
    SiteFixtures.useGateway(site, "ingress-nginx", "ingress-nginx-controller");
    Ingress byName = new IngressBuilder(shop.ingress(null)).withNewStatus().withNewLoadBalancer()
        .addNewIngress().withHostname("shop-lb.example.net").endIngress().endLoadBalancer().endStatus().build();
    List<ProbeTarget> named = plan(snapshot(site, byName, shop.endpointSlice(8080, Map.of("10.0.0.11", true)),
        gatewayWith(hetznerEndingTls))).targets();
    assertThat(named.get(0).scheme()).as("through the load balancer, its TLS").isEqualTo(Scheme.HTTPS);
    assertThat(named.get(1).scheme()).as("the cluster IP lands on the pods").isEqualTo(Scheme.HTTP);
  }

  private Site httpsSite() {
    Site site = shop.site(0, 30, 3);
    site.getSpec().getOrigin().setScheme("https");
    return site;
  }

  /** The schemes of the origin and gateway probes. */
  private List<Scheme> schemes(Site site, GatewayState gateway) {
    SiteFixtures.useGateway(site, "ingress-nginx", "ingress-nginx-controller");
    ProbePlan plan = plan(snapshot(site, shop.ingress("203.0.113.7"), shop.endpointSlice(8080, Map.of("10.0.0.11", true)),
        gateway));
    return plan.targets().stream().filter(t -> t.layer() != ProbeLayer.UPSTREAM).map(ProbeTarget::scheme).toList();
  }

  @Test
  void aMetadataOriginIsPlannedAndRefusedWhenItConnects() {
    var planned = plan(snapshot(shop.site(0, 30, 3), shop.ingress("169.254.169.254"),
        shop.endpointSlice(8080, Map.of()), null));
    assertThat(planned.targets()).anyMatch(t -> t.layer() == ProbeLayer.ORIGIN && t.address().equals("169.254.169.254"));
  }

  @Test
  void theGatewaysReadTimeoutSetsTheUpstreamLatencyBudget() {
    Ingress ingress = annotated(shop.ingress("203.0.113.7"), "nginx.ingress.kubernetes.io/proxy-read-timeout", "8");
    assertThat(plan(snapshot(shop.site(0, 30, 3), ingress, shop.endpointSlice(8080, Map.of()), null))
        .upstreamLatencyBudget()).hasSeconds(4);
    assertThat(plan(snapshot(shop.site(0, 30, 3), shop.ingress("203.0.113.7"), shop.endpointSlice(8080, Map.of()), null))
        .upstreamLatencyBudget()).as("ingress-nginx's default 60 s").hasSeconds(30);
  }
  /**
   * An Ingress locked to its CDN's ranges refuses the operator's own address with nginx's 403: the
   * plan counts that refusal as the origin reached (its page unseen), but only the gateway's own
   * 403, and only while the list admits every range the Site says the CDN comes from.
   */
  @Test
  void theGatewaysOwn403CountsAsReachedOnlyWhereItsAllowlistAdmitsTheCdn() {
    String allowlist = "nginx.ingress.kubernetes.io/allowlist-source-range";
    Ingress locked = annotated(shop.ingress("203.0.113.7"), allowlist, "173.245.48.0/21, 173.245.56.0/21,103.21.244.0/22");
    Site site = shop.site(0, 30, 3);
    site.getSpec().getCdn().setSourceRanges(List.of("173.245.48.0/20", "103.21.244.0/22"));
    ProbePlan plan = plan(snapshot(site, locked, shop.endpointSlice(8080, Map.of("10.0.0.11", true)), null));
    ProbeTarget origin = plan.targets().get(0);
    ProbeTarget pod = plan.targets().get(1);

    assertThat(plan.originReading().forbidden()).as("two /21 entries cover the CDN's /20; no internal range")
        .isEqualTo(ForbiddenReading.PROBE_ALWAYS);
    assertThat(counts(plan, answer(origin, 403, ProbeTrace.AnswerSource.GATEWAY))).isTrue();
    assertThat(counts(plan, answer(origin, 403, ProbeTrace.AnswerSource.UPSTREAM)))
        .as("a custom error backend's 403 page").isTrue();
    assertThat(counts(plan, answer(pod, 403, ProbeTrace.AnswerSource.GATEWAY))).as("a pod probed directly").isFalse();
    assertThat(counts(plan, answer(origin, 502, ProbeTrace.AnswerSource.GATEWAY))).isFalse();

    Ingress alsoInternal = annotated(shop.ingress("203.0.113.7"), allowlist, "10.0.0.0/8,173.245.48.0/20,103.21.244.0/22");
    ProbePlan mayAdmitTheProbe = plan(snapshot(site, alsoInternal, shop.endpointSlice(8080, Map.of("10.0.0.11", true)), null));
    assertThat(mayAdmitTheProbe.originReading().forbidden()).isEqualTo(ForbiddenReading.PROBE_IF_GATEWAYS_OWN_PAGE);
    assertThat(counts(mayAdmitTheProbe, answer(origin, 403, ProbeTrace.AnswerSource.GATEWAY))).isTrue();
    assertThat(counts(mayAdmitTheProbe, answer(origin, 403, ProbeTrace.AnswerSource.UPSTREAM))).as("the app's own 403")
        .isFalse();

    site.getSpec().getCdn().setSourceRanges(List.of("173.245.48.0/20", "198.41.128.0/17"));
    ProbePlan leavesOutACdnRange = plan(snapshot(site, locked, shop.endpointSlice(8080, Map.of("10.0.0.11", true)), null));
    assertThat(counts(leavesOutACdnRange, answer(origin, 403, ProbeTrace.AnswerSource.GATEWAY)))
        .as("visitors from 198.41.128.0/17 get that 403 too").isFalse();

    ProbePlan open = plan(snapshot(shop.site(0, 30, 3), shop.ingress("203.0.113.7"),
        shop.endpointSlice(8080, Map.of("10.0.0.11", true)), null));
    assertThat(counts(open, answer(origin, 403, ProbeTrace.AnswerSource.GATEWAY))).as("no allowlist").isFalse();
    ProbePlan unreadable = plan(snapshot(shop.site(0, 30, 3), annotated(shop.ingress("203.0.113.7"), allowlist,
        "173.245.48.0/20,cloudflare"), shop.endpointSlice(8080, Map.of("10.0.0.11", true)), null));
    assertThat(counts(unreadable, answer(origin, 403, ProbeTrace.AnswerSource.GATEWAY)))
        .as("ingress-nginx applies no list with an entry it cannot read").isFalse();
  }

  /**
   * The ingress controller's Service admits only the CDN's ranges (loadBalancerSourceRanges, which
   * kube-proxy applies to pods too): the origin probe's connect timing out there counts as the
   * origin reached, its page unseen; the gateway probe to the cluster IP, which no range filters,
   * and every other outcome count as they are.
   */
  @Test
  void aConnectThatTimesOutCountsAsReachedWhereTheLoadBalancerAdmitsOnlyTheCdn() {
    Site site = shop.site(0, 30, 3);
    site.getSpec().getCdn().setSourceRanges(List.of("173.245.48.0/20"));
    SiteFixtures.useGateway(site, "ingress-nginx", "ingress-nginx-controller");
    var service = SiteFixtures.gatewayService("ingress-nginx", "ingress-nginx-controller", "10.96.0.20", 80);
    service.getSpec().setType("LoadBalancer");
    service.getSpec().setLoadBalancerSourceRanges(List.of("173.245.48.0/20", "103.21.244.0/22"));
    service.setStatus(new io.fabric8.kubernetes.api.model.ServiceStatusBuilder().withNewLoadBalancer()
        .addNewIngress().withIp("203.0.113.7").endIngress().endLoadBalancer().build());
    GatewayState gateway = new GatewayState("ingress-nginx", "ingress-nginx-controller", service, List.of(), List.of(),
        List.of());
    ProbePlan plan = plan(snapshot(site, shop.ingress("203.0.113.7"),
        shop.endpointSlice(8080, Map.of()), gateway));
    ProbeTarget origin = plan.targets().get(0);
    ProbeTarget gatewayTarget = plan.targets().get(1);

    assertThat(plan.originReading().onlyTheCdnAdmitted()).isTrue();
    assertThat(plan.read(result(origin, ProbeOutcome.CONNECT_TIMEOUT)).outcome()).isEqualTo(ProbeOutcome.ADDRESS_NOT_ADMITTED);
    assertThat(counts(plan, result(origin, ProbeOutcome.CONNECT_TIMEOUT))).isTrue();
    assertThat(counts(plan, result(origin, ProbeOutcome.CONNECTION_REFUSED))).as("a refusal is an answer").isFalse();
    assertThat(counts(plan, result(gatewayTarget, ProbeOutcome.CONNECT_TIMEOUT))).as("the cluster IP").isFalse();

    service.getSpec().setLoadBalancerSourceRanges(List.of("173.245.48.0/20", "10.0.0.0/8"));
    assertThat(plan(snapshot(site, shop.ingress("203.0.113.7"), shop.endpointSlice(8080, Map.of()),
        gateway)).originReading().onlyTheCdnAdmitted()).as("pods may be admitted").isFalse();
  }

  private static ProbeResult result(ProbeTarget target, ProbeOutcome outcome) {
    return new ProbeResult(target, outcome, 0, false, Duration.ofSeconds(5), "", Instant.parse("2025-01-01T00:00:00Z"));
  }

  /** Whether the plan counts the result a success, read as it means it. */
  private static boolean counts(ProbePlan plan, ProbeResult result) {
    return plan.isSuccess(plan.read(result));
  }

  /**
   * A redirect back to the same address over https is a loop only where the Site says the CDN
   * fetches over http: derived from an Ingress without TLS, the CDN may fetch over https from
   * elsewhere (TLS on another Ingress for the host, or ended at the load balancer).
   */
  @Test
  void aRedirectToTheSameAddressOverHttpsCountsAsALoopOnlyWhereTheSiteSaysHttp() {
    ProbeResult loop = new ProbeResult(new ProbeTarget(ProbeLayer.ORIGIN, "203.0.113.7", 80, Scheme.HTTP,
        "shop.example.com", "/", Duration.ofSeconds(5), ""), ProbeOutcome.REDIRECT_LOOP, 308, false, Duration.ofMillis(2),
        "https://shop.example.com/", Instant.parse("2025-01-01T00:00:00Z"));
    ProbePlan derived = plan(snapshot(shop.site(0, 30, 3), shop.ingress("203.0.113.7"),
        shop.endpointSlice(8080, Map.of()), null));
    assertThat(derived.targets().get(0).scheme()).isEqualTo(Scheme.HTTP);
    assertThat(counts(derived, loop)).isTrue();

    Site flexible = shop.site(0, 30, 3);
    flexible.getSpec().getOrigin().setScheme("http");
    assertThat(counts(plan(snapshot(flexible, shop.ingress("203.0.113.7"), shop.endpointSlice(8080, Map.of()), null)),
        loop)).isFalse();
    // A port alone names an endpoint; scheme and port together are what generate wrote for every
    // host without TLS before it left the scheme to be derived, also where a load balancer ends TLS.
    Site port80 = shop.site(80, 30, 3);
    assertThat(counts(plan(snapshot(port80, shop.ingress("203.0.113.7"), shop.endpointSlice(8080, Map.of()), null)),
        loop)).isTrue();
    Site generatedBefore = shop.site(80, 30, 3);
    generatedBefore.getSpec().getOrigin().setScheme("http");
    assertThat(counts(plan(snapshot(generatedBefore, shop.ingress("203.0.113.7"), shop.endpointSlice(8080, Map.of()),
        null)), loop)).isTrue();
  }

  private static ProbeResult answer(ProbeTarget target, int status, ProbeTrace.AnswerSource by) {
    return new ProbeResult(target, ProbeOutcome.RESPONDED, status, false, Duration.ofMillis(2), "",
        Instant.parse("2025-01-01T00:00:00Z"), new ProbeTrace(null, null, null, null, "", null, by, 0));
  }
  /**
   * The CDN tells the origin its visitor came over https (X-Forwarded-Proto): an origin that
   * trusts the header redirects an http fetch only without it, so the origin and gateway probes
   * say it too. The upstream probes say what the gateway says, the scheme it was asked over.
   */
  @Test
  void theOriginAndGatewayProbesSayTheVisitorCameOverHttpsAsTheCdnDoes() {
    Site site = shop.site(0, 30, 3);
    SiteFixtures.useGateway(site, "ingress-nginx", "ingress-nginx-controller");
    GatewayState gateway = new GatewayState("ingress-nginx", "ingress-nginx-controller",
        SiteFixtures.gatewayService("ingress-nginx", "ingress-nginx-controller", "10.96.0.20", 80),
        List.of(), List.of(), List.of());
    List<ProbeTarget> targets = plan(snapshot(site, shop.ingress("203.0.113.7"),
        shop.endpointSlice(8080, Map.of("10.0.0.11", true)), gateway)).targets();

    assertThat(targets).extracting(ProbeTarget::layer)
        .containsExactly(ProbeLayer.ORIGIN, ProbeLayer.GATEWAY, ProbeLayer.UPSTREAM);
    assertThat(targets.get(0).scheme()).isEqualTo(Scheme.HTTP);
    assertThat(targets.get(0).headers()).containsExactly(Map.entry("X-Forwarded-Proto", "https"));
    assertThat(targets.get(1).headers()).containsExactly(Map.entry("X-Forwarded-Proto", "https"));
    assertThat(targets.get(2).headers()).containsEntry("X-Forwarded-Proto", "http");
  }
  /** An Ingress that asks every visitor for credentials first: its 401 to the origin probe is that question. */
  @Test
  void aGatewayAskingForCredentialsMakesIts401TheQuestionNotAFault() {
    Ingress withAuth = annotated(shop.ingress("203.0.113.7"), "nginx.ingress.kubernetes.io/auth-type", "basic");
    ProbePlan plan = plan(snapshot(shop.site(0, 30, 3), withAuth, shop.endpointSlice(8080, Map.of("10.0.0.11", true)), null));
    ProbeTarget origin = plan.targets().get(0);
    ProbeTarget pod = plan.targets().get(1);

    assertThat(plan.read(answer(origin, 401, ProbeTrace.AnswerSource.GATEWAY)).outcome())
        .isEqualTo(ProbeOutcome.CREDENTIALS_REQUIRED);
    assertThat(counts(plan, answer(origin, 401, ProbeTrace.AnswerSource.GATEWAY))).isTrue();
    assertThat(counts(plan, answer(pod, 401, ProbeTrace.AnswerSource.UPSTREAM))).as("a pod asked directly").isFalse();
    assertThat(counts(plan, answer(origin, 403, ProbeTrace.AnswerSource.GATEWAY))).isFalse();

    ProbePlan open = plan(snapshot(shop.site(0, 30, 3), shop.ingress("203.0.113.7"),
        shop.endpointSlice(8080, Map.of("10.0.0.11", true)), null));
    assertThat(counts(open, answer(origin, 401, ProbeTrace.AnswerSource.GATEWAY))).as("no auth on the Ingress").isFalse();
  }
}
