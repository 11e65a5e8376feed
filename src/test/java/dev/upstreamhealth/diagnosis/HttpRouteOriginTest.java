package dev.upstreamhealth.diagnosis;

import static dev.upstreamhealth.diagnosis.SiteWorld.http;
import static dev.upstreamhealth.diagnosis.SiteWorld.origin;
import static org.assertj.core.api.Assertions.assertThat;

import dev.upstreamhealth.api.ConditionStatus;
import dev.upstreamhealth.api.ConditionType;
import dev.upstreamhealth.api.Fault;
import dev.upstreamhealth.api.Reason;
import dev.upstreamhealth.probe.Scheme;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ParentReferenceBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.RouteParentStatusBuilder;
import java.time.Duration;
import java.util.HashMap;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Listener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** An HTTPRoute origin read the way Gateway API implementations read it. */
class HttpRouteOriginTest {

  @Test
  void healthyRouteIsReadyWithTheGatewaysAddressAsOrigin() {
    Verdict v = SiteWorld.healthy().viaHttpRoute().diagnose();

    assertThat(v.fault()).isEqualTo(Fault.NONE);
    assertThat(v.reason()).isEqualTo(Reason.HEALTHY);
    assertThat(v.message()).contains("origin http://127.0.0.10:80", "2/2 endpoints of Service web/shop-web ready");
    assertThat(v.origin()).hasValueSatisfying(o -> assertThat(o.source()).isEqualTo(OriginEndpoint.Source.LOAD_BALANCER));
    assertThat(v.conditions().values()).filteredOn(c -> c.type().isFaultCondition())
        .allSatisfy(c -> assertThat(c.status()).isEqualTo(ConditionStatus.FALSE));
  }

  @Test
  void httpsListenerCoveringHostMakesTheOriginHttpsOnItsPort() {
    SiteWorld w = SiteWorld.healthy().viaHttpRoute().route.listener("https", "HTTPS", 443, "*.example.com");
    Optional<OriginEndpoint> origin = w.snapshot().originEndpoint();

    assertThat(origin).hasValueSatisfying(o -> {
      assertThat(o.scheme()).isEqualTo(Scheme.HTTPS);
      assertThat(o.port()).isEqualTo(443);
      assertThat(o.address()).isEqualTo("127.0.0.10");
    });
  }

  /**
   * Traefik's default Gateway listens on its entrypoint's container port 8000 and reports its
   * LoadBalancer Service's address, which takes 80 (targetPort web, 8000): the CDN connects to 80,
   * and nothing answers 8000 at that address.
   */
  @Test
  void aListenerPortThatTheLoadBalancerOnlyTargetsIsReachedOnTheServicePort() {
    SiteWorld w = SiteWorld.healthy().viaHttpRoute().route.traefik();

    Verdict v = w.diagnose();

    assertThat(v.origin()).hasValueSatisfying(o -> {
      assertThat(o.address()).isEqualTo("127.0.0.10");
      assertThat(o.port()).isEqualTo(80);
      assertThat(o.scheme()).isEqualTo(Scheme.HTTP);
    });
    assertThat(v.fault()).isEqualTo(Fault.NONE);
    assertThat(v.message()).contains("origin http://127.0.0.10:80").doesNotContain(":8000");
  }

  /**
   * k3s's ServiceLB gives every LoadBalancer Service the nodes' addresses: another app's Service at
   * the Gateway's address whose targetPort is 8000 too (8080 to 8000) makes the choice ambiguous.
   * No other app's port is probed for the Site; the listener's stays.
   */
  @Test
  void anotherServiceTargetingTheListenerPortAtTheSameAddressLeavesTheListenerPort() {
    SiteWorld w = SiteWorld.healthy().viaHttpRoute().route.traefik();
    Service other = new ServiceBuilder().withNewMetadata().withNamespace("apps").withName("django").endMetadata()
        .withNewSpec().withType("LoadBalancer").addNewPort().withPort(8080).withTargetPort(new IntOrString(8000))
        .withProtocol("TCP").endPort().endSpec()
        .withNewStatus().withNewLoadBalancer().addNewIngress().withIp("127.0.0.10").endIngress().endLoadBalancer()
        .endStatus().build();
    w.route.loadBalancers.add(new GatewayState("apps", "django", other, List.of(), List.of(), List.of()));

    assertThat(w.snapshot().originEndpoint()).hasValueSatisfying(o -> assertThat(o.port()).isEqualTo(8000));
  }

  /** A port the spec gives is where the CDN connects, whatever the load balancer's ports. */
  @Test
  void aGivenPortIsKeptBesideALoadBalancerThatTargetsTheListener() {
    SiteWorld w = SiteWorld.healthy().viaHttpRoute().route.traefik();
    w.spec.getOrigin().setPort(8000);

    assertThat(w.snapshot().originEndpoint()).hasValueSatisfying(o -> assertThat(o.port()).isEqualTo(8000));
  }

  /** Envoy Gateway's Service serves the listener's port itself (80, targetPort 10080): the origin stays on 80. */
  @Test
  void aLoadBalancerServingTheListenerPortLeavesTheOriginOnIt() {
    SiteWorld w = SiteWorld.healthy().viaHttpRoute().route.dataPlaneIsTheLoadBalancer();
    assertThat(w.diagnose().origin()).hasValueSatisfying(o -> assertThat(o.port()).isEqualTo(80));

    assertThat(w.diagnose().fault()).isEqualTo(Fault.NONE);

    // A listener port the Service neither serves nor targets is left as the listener says.
    w.route.listener("alt", "HTTP", 8080, null);
    assertThat(w.snapshot().originEndpoint()).hasValueSatisfying(o -> assertThat(o.port()).isEqualTo(8080));
  }

  /**
   * The Gateway API's listener hostname precedence (conformance HTTPRouteListenerHostnameMatching):
   * a request for shop.example.com on port 80 goes to the listener named for it, not to the
   * wildcard one beside it; a route attached only to the wildcard listener does not serve it.
   */
  @Test
  void aRouteOnTheWildcardListenerBesideOneNamingTheHostIsNotServingIt() {
    SiteWorld w = SiteWorld.healthy().viaHttpRoute().route.listener("wild", "HTTP", 80, "*.example.com")
        .route.addListener("shop", "HTTP", 80, "shop.example.com");
    w.route.route.getSpec().getParentRefs().get(0).setSectionName("wild");
    assertThat(w.diagnose().reason()).as("a class that does not say it keeps its listeners apart (Traefik)")
        .isEqualTo(Reason.HEALTHY);
    isolating(w);

    Verdict v = w.diagnose();

    assertThat(v.fault()).isEqualTo(Fault.OTHER);
    assertThat(v.reason()).isEqualTo(Reason.HOST_NOT_ROUTED.reasonName());
    assertThat(v.message()).contains("HTTPRoute web/shop", "Gateway gateways/eg", "listener \"shop\"",
        "hostname shop.example.com", "before listener \"wild\"", "port 80");
  }

  @Test
  void theWildcardListenerStillServesWhereTheHostsOwnListenerIsOnAnotherPortOrAlsoAttached() {
    SiteWorld otherPort = SiteWorld.healthy().viaHttpRoute().route.listener("wild", "HTTP", 80, "*.example.com")
        .route.addListener("shop-tls", "HTTPS", 443, "shop.example.com");
    otherPort.route.route.getSpec().getParentRefs().get(0).setSectionName("wild");
    Verdict v = otherPort.diagnose();
    assertThat(v.reason()).isEqualTo(Reason.HEALTHY);
    assertThat(v.origin()).hasValueSatisfying(o -> assertThat(o.port()).isEqualTo(80));

    // Attached to every listener (no sectionName), the route is served by the one that takes the host.
    Verdict both = SiteWorld.healthy().viaHttpRoute().route.listener("wild", "HTTP", 80, "*.example.com")
        .route.addListener("shop", "HTTP", 80, "shop.example.com").diagnose();
    assertThat(both.reason()).isEqualTo(Reason.HEALTHY);

    // A wildcard of more labels takes the host before a shorter one.
    SiteWorld deeper = SiteWorld.healthy().viaHttpRoute().route.listener("wide", "HTTP", 80, "*.com")
        .route.addListener("narrow", "HTTP", 80, "*.example.com");
    deeper.route.route.getSpec().getParentRefs().get(0).setSectionName("wide");
    assertThat(isolating(deeper).diagnose().reason()).isEqualTo(Reason.HOST_NOT_ROUTED.reasonName());
  }

  /** The GatewayClass reports the Extended feature GatewayHTTPListenerIsolation, as Envoy Gateway's does. */
  private static SiteWorld isolating(SiteWorld w) {
    w.route.gatewayClass.getStatus().setSupportedFeatures(List.of(
        new io.fabric8.kubernetes.api.model.gatewayapi.v1.SupportedFeatureBuilder().withName("HTTPRoute").build(),
        new io.fabric8.kubernetes.api.model.gatewayapi.v1.SupportedFeatureBuilder()
            .withName("GatewayHTTPListenerIsolation").build()));
    return w;
  }

  /**
   * The HTTPS listener's certificate Secret is missing: Envoy Gateway reports the listener
   * ResolvedRefs False, InvalidCertificateRef, and its handshake fails. The 525 says why.
   */
  @Test
  void aFailedHandshakeOnAListenerWhoseCertificateRefIsUnresolvedQuotesTheListener() {
    SiteWorld w = SiteWorld.healthy().viaHttpRoute().route.listener("https", "HTTPS", 443, null);
    w.route.gateway.getStatus().setListeners(new java.util.ArrayList<>(List.of(
        new io.fabric8.kubernetes.api.model.gatewayapi.v1.ListenerStatusBuilder().withName("https").withAttachedRoutes(1)
            .withConditions(RouteWorld.condition("Programmed", "False", "Invalid", "Listener is invalid, see other Conditions"),
                RouteWorld.condition("ResolvedRefs", "False", "InvalidCertificateRef",
                    "Secret gateways/shop-tls does not exist."))
            .build())));
    w.probes(SiteWorld.origin(SiteWorld.outcome(dev.upstreamhealth.probe.ProbeOutcome.TLS_FAILED, "connection reset")));

    Verdict v = w.diagnose();

    assertThat(v.reason()).isEqualTo(Reason.TLS_HANDSHAKE_FAILED.reasonName());
    assertThat(v.message()).contains("listener \"https\" of Gateway gateways/eg reports",
        "ResolvedRefs False, InvalidCertificateRef: \"Secret gateways/shop-tls does not exist.\"",
        "Programmed False, Invalid");

    // A listener the Gateway reports ready adds nothing.
    w.route.gateway.getStatus().setListeners(new java.util.ArrayList<>(List.of(
        new io.fabric8.kubernetes.api.model.gatewayapi.v1.ListenerStatusBuilder().withName("https").withAttachedRoutes(1)
            .withConditions(RouteWorld.condition("ResolvedRefs", "True", "ResolvedRefs", "resolved")).build())));
    assertThat(w.diagnose().message()).doesNotContain("listener \"https\"");
  }

  /**
   * Contour rolls one listener's failure up into the Gateway: an HTTPS listener for another host,
   * whose certificate cert-manager has not issued yet, makes the Gateway Programmed False,
   * ListenersNotValid, while Envoy keeps serving host's listener at the same address. Visitors of
   * host are served: no 521 for them, and none until host's own listener is reported not Programmed.
   */
  @Test
  void aGatewayNotProgrammedForAnotherHostsListenerStillGivesHostItsAddress() {
    SiteWorld w = SiteWorld.healthy().viaHttpRoute().route.addListener("https-new", "HTTPS", 443, "new.example.com")
        .route.gatewayNotProgrammed("ListenersNotValid", "Listeners are not valid");
    w.route.gateway.getStatus().setListeners(new java.util.ArrayList<>(List.of(
        listenerStatus("http", RouteWorld.condition("Programmed", "True", "Programmed", "Valid listener")),
        listenerStatus("https-new", RouteWorld.condition("Programmed", "False", "Invalid", "Invalid listener, see other listener conditions"),
            RouteWorld.condition("ResolvedRefs", "False", "InvalidCertificateRef", "Secret gateways/new-tls does not exist")))));

    Verdict v = w.diagnose();

    assertThat(v.fault()).isEqualTo(Fault.NONE);
    assertThat(v.reason()).isEqualTo(Reason.HEALTHY);
    assertThat(w.snapshot().originEndpoint()).hasValueSatisfying(o -> assertThat(o.address()).isEqualTo(SiteWorld.LB_IP));

    // host's own listener not Programmed: the Gateway gives host no address.
    w.route.gateway.getStatus().getListeners().set(0,
        listenerStatus("http", RouteWorld.condition("Programmed", "False", "Invalid", "Invalid listener")));
    Verdict down = w.diagnose();
    assertThat(down.reason()).isEqualTo(Reason.NO_ORIGIN_ADDRESS.reasonName());
    assertThat(down.message()).contains("Programmed False, ListenersNotValid");

    // Programmed False for the data plane itself is no listener's matter, whatever the listeners say.
    w.route.gateway.getStatus().getListeners().set(0,
        listenerStatus("http", RouteWorld.condition("Programmed", "True", "Programmed", "Valid listener")));
    w.route.gatewayNotProgrammed("AddressNotAssigned", "No addresses have been assigned to the Gateway");
    assertThat(w.diagnose().reason()).isEqualTo(Reason.NO_ORIGIN_ADDRESS.reasonName());
  }

  private static io.fabric8.kubernetes.api.model.gatewayapi.v1.ListenerStatus listenerStatus(String name,
      io.fabric8.kubernetes.api.model.Condition... conditions) {
    return new io.fabric8.kubernetes.api.model.gatewayapi.v1.ListenerStatusBuilder().withName(name).withAttachedRoutes(1)
        .withConditions(conditions).build();
  }

  @Test
  void listenerPortIsTheOriginPortUnlessTheSpecGivesOne() {
    SiteWorld w = SiteWorld.healthy().viaHttpRoute().route.listener("web", "HTTP", 8080, null);
    assertThat(w.snapshot().originEndpoint()).hasValueSatisfying(o -> assertThat(o.port()).isEqualTo(8080));

    w.spec.getOrigin().setPort(80);
    assertThat(w.snapshot().originEndpoint()).hasValueSatisfying(o -> assertThat(o.port()).isEqualTo(80));
  }

  /** Cloudflare's Flexible mode: the CDN speaks http to port 80, though an HTTPS listener covers host too. */
  @Test
  void aPortGivenAloneTakesTheSchemeOfItsListener() {
    SiteWorld w = SiteWorld.healthy().viaHttpRoute().route.addListener("https", "HTTPS", 443, null);
    assertThat(w.snapshot().originEndpoint()).hasValueSatisfying(o -> assertThat(o.scheme()).isEqualTo(Scheme.HTTPS));

    w.spec.getOrigin().setPort(80);

    assertThat(w.snapshot().originEndpoint()).hasValueSatisfying(o -> {
      assertThat(o.port()).isEqualTo(80);
      assertThat(o.scheme()).isEqualTo(Scheme.HTTP);
    });
  }

  @Test
  void aListenerThatDoesNotAdmitTheRoutesNamespaceIsNotWhereTheCdnConnects() {
    SiteWorld w = SiteWorld.healthy().viaHttpRoute().route.httpsListenerForItsOwnNamespaceOnly();

    assertThat(w.snapshot().originEndpoint()).hasValueSatisfying(o -> {
      assertThat(o.scheme()).isEqualTo(Scheme.HTTP);
      assertThat(o.port()).isEqualTo(80);
    });
    assertThat(w.diagnose().reason()).isEqualTo(Reason.HEALTHY);
  }

  @ParameterizedTest(name = "{0} covers {1}: {2}")
  @CsvSource({
      "shop.example.com, shop.example.com, true",
      "SHOP.example.com, shop.example.com, true",
      "*.example.com, shop.example.com, true",
      "*.example.com, a.shop.example.com, true",
      "*.example.com, example.com, false",
      "*.shop.example.com, shop.example.com, false",
      "www.example.com, shop.example.com, false",
      "*.example.com, *.shop.example.com, true",
      "shop.example.com, *.example.com, false",
      "*.shop.example.com, *.example.com, false"})
  void wildcardHostnamesMatchAsTheGatewayApiSays(String pattern, String host, boolean covers) {
    assertThat(HttpRoutes.hostnameCovers(pattern, host)).isEqualTo(covers);
  }

  @Test
  void routeWithoutHostnamesServesWhatItsListenerServes() {
    Verdict v = SiteWorld.healthy().viaHttpRoute().route.hostnames()
        .route.listener("http", "HTTP", 80, "*.example.com").diagnose();

    assertThat(v.reason()).isEqualTo(Reason.HEALTHY);
  }

  @Test
  void backendWithWeightZeroIsNoUpstream() {
    // Its Service is gone, but a weight of 0 sends it nothing: no BackendServiceMissing.
    Verdict v = SiteWorld.healthy().viaHttpRoute().backendServiceMissing().route.backendWeight(0).diagnose();

    assertThat(v.condition(ConditionType.BAD_GATEWAY).status()).isEqualTo(ConditionStatus.FALSE);
    assertThat(v.upstreams()).isEmpty();
  }

  @Test
  void referenceGrantAdmittingTheRouteLetsItUseAnotherNamespacesService() {
    Verdict v = SiteWorld.healthy().viaHttpRoute().route.backendIn("shared")
        .route.grant("shared", "web", "shop-web").diagnose();

    assertThat(v.fault()).isEqualTo(Fault.NONE);
    assertThat(v.condition(ConditionType.BAD_GATEWAY).reason()).isEqualTo(Reason.NO_FAULT);
  }

  @Test
  void referenceGrantForAnotherNamespaceOrServiceAdmitsNothing() {
    Verdict otherNamespace = SiteWorld.healthy().viaHttpRoute().route.backendIn("shared")
        .route.grant("shared", "blog", "shop-web").diagnose();
    Verdict otherService = SiteWorld.healthy().viaHttpRoute().route.backendIn("shared")
        .route.grant("shared", "web", "db").diagnose();

    assertThat(otherNamespace.reason()).isEqualTo("BackendNotPermitted");
    assertThat(otherService.reason()).isEqualTo("BackendNotPermitted");
  }

  @Test
  void resolvedRefsWrittenForAnOlderGenerationIsNotBelieved() {
    SiteWorld w = SiteWorld.healthy().viaHttpRoute().route.resolvedRefs("BackendNotFound", "service web/old not found");
    w.route.route.getMetadata().setGeneration(2L);

    Verdict v = w.diagnose();

    assertThat(v.fault()).isEqualTo(Fault.NONE);
  }

  @Test
  void missingServiceMessageSaysWhatGatewayApiImplementationsAnswerWithoutAProbe() {
    Verdict v = SiteWorld.healthy().viaHttpRoute().backendServiceMissing().probes().diagnose();

    assertThat(v.reason()).isEqualTo("BackendServiceMissing");
    assertThat(v.message()).contains("Gateway API implementations answer 500 for an invalid backend")
        .doesNotContain("the origin answers");
  }

  /**
   * A backend the implementation cannot use for a reason of its own (Envoy Gateway: an
   * ExternalName Service, UnsupportedValue): the origin's 500 is quoted with the Gateway's words,
   * the cause a user would otherwise dig for.
   */
  @Test
  void aBackendTheGatewayCannotUseForAReasonOfItsOwnIsQuotedWithTheOriginsAnswer() {
    Verdict v = SiteWorld.healthy().viaHttpRoute()
        .route.resolvedRefs("UnsupportedValue", "ExternalName Service web/shop-web is not supported")
        .probes(origin(http(500))).diagnose();

    assertThat(v.reason()).isEqualTo("UnexpectedStatus");
    assertThat(v.message()).contains("Gateway gateways/eg reports for HTTPRoute web/shop ResolvedRefs False, UnsupportedValue: "
        + "\"ExternalName Service web/shop-web is not supported\"");

    Verdict served = SiteWorld.healthy().viaHttpRoute()
        .route.resolvedRefs("UnsupportedValue", "ExternalName Service web/shop-web is not supported")
        .probes(origin(http(200))).diagnose();
    assertThat(served.fault()).as("no fault from the words alone while the origin serves").isEqualTo(Fault.NONE);
  }

  /** An ExternalName Service without ports is no port mismatch: the name is the backend. */
  @Test
  void anExternalNameBackendWithoutPortsIsJudgedByTheProbes() {
    SiteWorld world = SiteWorld.healthy().externalNameService("shop.backend.example.net");
    world.service.getSpec().setPorts(new java.util.ArrayList<>());
    Verdict served = world.viaHttpRoute().diagnose();
    assertThat(served.fault()).isEqualTo(Fault.NONE);
    assertThat(served.reason()).isEqualTo(Reason.HEALTHY);

    SiteWorld refused = SiteWorld.healthy().externalNameService("shop.backend.example.net");
    refused.service.getSpec().setPorts(new java.util.ArrayList<>());
    Verdict v = refused.viaHttpRoute()
        .route.resolvedRefs("UnsupportedValue", "ExternalName Service web/shop-web is not supported")
        .probes(origin(http(500))).diagnose();
    assertThat(v.reason()).as("the Gateway's words, not a port the Service never needed").isEqualTo("UnexpectedStatus");
    assertThat(v.message()).contains("UnsupportedValue").doesNotContain("which has no ports");
  }

  @Test
  void originAnswering500ForAMissingBackendIsBadGatewayNotUnexpectedStatus() {
    Verdict v = SiteWorld.healthy().viaHttpRoute().backendServiceMissing().probes(origin(http(500))).diagnose();

    assertThat(v.fault().code()).isEqualTo("502");
    assertThat(v.message()).contains("the origin answers HTTP 500, as Gateway API implementations do for an invalid backend");
  }

  @Test
  void notProgrammedGatewayWithAnAddressInTheSpecIsProbedThere() {
    SiteWorld w = SiteWorld.healthy().viaHttpRoute().originAddress("203.0.113.7")
        .route.gatewayNotProgrammed("AddressNotAssigned", "No addresses have been assigned to the Gateway");
    Verdict v = w.diagnose();

    // The CDN's own address stands in; nothing to compare it with while the Gateway has none.
    assertThat(v.condition(ConditionType.ORIGIN_DOWN).reason()).isEqualTo(Reason.NO_FAULT);
    assertThat(v.origin()).hasValueSatisfying(o -> {
      assertThat(o.address()).isEqualTo("203.0.113.7");
      assertThat(o.source()).isEqualTo(OriginEndpoint.Source.SPEC);
    });
  }

  /** Timeouts are per rule: another path's says nothing of the probe's, and the longest meets the CDN's. */
  @Test
  void theTimeoutOfTheRuleTheProbesPathReachesIsTheOneJudged() {
    SiteWorld slowSuggestions = SiteWorld.healthy().viaHttpRoute().route.ruleWithTimeout("/api/suggest", "2s")
        .upstreamLatencies(Duration.ofMillis(1200), Duration.ofMillis(1200), Duration.ofMillis(1300));
    assertThat(slowSuggestions.snapshot().routeReadTimeout()).as("the probe's / has no timeout").isEmpty();
    Verdict v = slowSuggestions.diagnose();
    assertThat(v.condition(ConditionType.DEGRADED).status()).isEqualTo(ConditionStatus.FALSE);

    slowSuggestions.spec.getProbe().setPath("/api/suggest?q=a");
    assertThat(slowSuggestions.snapshot().routeReadTimeout()).contains(Duration.ofSeconds(2));
    assertThat(slowSuggestions.diagnose().condition(ConditionType.DEGRADED).reason()).isEqualTo("TimeoutBudgetTight");

    Verdict export = SiteWorld.healthy().viaHttpRoute().route.timeouts("10s", null)
        .route.ruleWithTimeout("/export", "300s").diagnose();
    assertThat(export.condition(ConditionType.DEGRADED).reason()).isEqualTo("TimeoutBudgetTight");
    assertThat(export.condition(ConditionType.DEGRADED).message()).contains("waits up to 300 s")
        .contains("the CDN gives up after 100 s");
  }

  /**
   * A rule without timeouts gets its implementation's default: Envoy Gateway's 15 s request
   * timeout, past which visitors get its 504, is what the upstreams' latency is measured against.
   */
  @Test
  void aRuleWithoutTimeoutsIsJudgedByTheImplementationsDefault() {
    SiteWorld envoyGateway = SiteWorld.healthy().viaHttpRoute()
        .upstreamLatencies(Duration.ofSeconds(11), Duration.ofSeconds(11), Duration.ofSeconds(12));

    Verdict v = envoyGateway.diagnose();

    assertThat(v.condition(ConditionType.DEGRADED).reason()).isEqualTo("TimeoutBudgetTight");
    assertThat(v.condition(ConditionType.DEGRADED).message()).contains("read timeout of 15 s",
        "Envoy Gateway's default request timeout; the rule sets no timeouts");
  }

  @Test
  void aRuleThatTurnsItsTimeoutOffOrAnImplementationWithoutAKnownDefaultIsNotJudged() {
    Verdict off = SiteWorld.healthy().viaHttpRoute().route.timeouts("0s", null)
        .upstreamLatencies(Duration.ofSeconds(11), Duration.ofSeconds(11), Duration.ofSeconds(12)).diagnose();
    SiteWorld istio = SiteWorld.healthy().viaHttpRoute()
        .upstreamLatencies(Duration.ofSeconds(11), Duration.ofSeconds(11), Duration.ofSeconds(12));
    istio.route.gatewayClass.getSpec().setControllerName("istio.io/gateway-controller");
    istio.route.route.getStatus().getParents().forEach(p -> p.setControllerName("istio.io/gateway-controller"));
    Verdict underIstio = istio.diagnose();

    assertThat(off.condition(ConditionType.DEGRADED).status()).as(off.message()).isEqualTo(ConditionStatus.FALSE);
    assertThat(underIstio.reason()).as(underIstio.message()).isEqualTo(Reason.HEALTHY);
    assertThat(underIstio.condition(ConditionType.DEGRADED).status()).isEqualTo(ConditionStatus.FALSE);
  }

  @Test
  void routeTimeoutsAreTheGatewaysReadTimeoutForTheRoute() {
    assertThat(SiteWorld.healthy().viaHttpRoute().snapshot().routeReadTimeout()).isEmpty();
    assertThat(SiteWorld.healthy().viaHttpRoute().route.timeouts("30s", "10s").snapshot().routeReadTimeout())
        .contains(Duration.ofSeconds(10));
    assertThat(SiteWorld.healthy().viaHttpRoute().route.timeouts("1m30s", null).snapshot().routeReadTimeout())
        .contains(Duration.ofSeconds(90));
    assertThat(SiteWorld.healthy().viaHttpRoute().route.timeouts("0s", null).snapshot().routeReadTimeout())
        .as("0s turns the timeout off").isEmpty();
    assertThat(SiteWorld.healthy().snapshot().routeReadTimeout()).as("an Ingress").isEmpty();
  }

  @Test
  void gatewayApiDurationsParseAsGep2257Says() {
    assertThat(HttpRoutes.parseDuration("500ms")).contains(Duration.ofMillis(500));
    assertThat(HttpRoutes.parseDuration("1h2m3s")).contains(Duration.ofSeconds(3723));
    assertThat(HttpRoutes.parseDuration("10")).isEmpty();
    assertThat(HttpRoutes.parseDuration("-1s")).isEmpty();
    assertThat(HttpRoutes.parseDuration(null)).isEmpty();
  }

  @Test
  void secondParentServesWhenTheFirstRefusesTheRoute() {
    SiteWorld w = SiteWorld.healthy().viaHttpRoute();
    // The first parentRef names a Gateway that does not exist; the second is the working one.
    w.route.route.getSpec().getParentRefs().add(0,
        new io.fabric8.kubernetes.api.model.gatewayapi.v1.ParentReferenceBuilder().withName("gone").build());

    Verdict v = w.diagnose();

    assertThat(v.reason()).isEqualTo(Reason.HEALTHY);
  }

  /** Gateway API v1.5: the route's parent is a ListenerSet; its Gateway serves host on the set's listener. */
  @Test
  void aRouteAttachedThroughAListenerSetIsServedByItsGatewayOnTheSetsListener() {
    SiteWorld w = SiteWorld.healthy().viaHttpRoute().route.throughListenerSet();

    RouteAttachment attachment = w.snapshot().attachment().orElseThrow();
    Verdict v = w.diagnose();

    assertThat(attachment.served()).as(attachment.problem()).isTrue();
    assertThat(attachment.gatewayKey()).isEqualTo(RouteWorld.GATEWAY_KEY);
    assertThat(w.snapshot().originEndpoint()).hasValueSatisfying(o -> {
      assertThat(o.address()).isEqualTo(SiteWorld.LB_IP);
      assertThat(o.port()).isEqualTo(8443);
      assertThat(o.scheme()).isEqualTo(Scheme.HTTPS);
    });
    assertThat(v.fault()).isNotEqualTo(Fault.OTHER);
    assertThat(v.reason()).isNotEqualTo("HostNotRouted");
  }

  @Test
  void aListenerSetItsGatewayRefusesDoesNotServeTheRoute() {
    Verdict v = SiteWorld.healthy().viaHttpRoute().route.throughListenerSet()
        .route.listenerSetNotAccepted("NotAllowed", "ListenerSets from namespace web are not allowed by the Gateway")
        .diagnose();

    assertThat(v.reason()).isEqualTo("HostNotRouted");
    assertThat(v.message()).contains("Gateway gateways/eg has not accepted ListenerSet web/shop-listeners",
        "Accepted False, NotAllowed", "not allowed by the Gateway");
  }

  /** A controller without ListenerSets leaves the CRD's Pending; the Gateway's allowedListeners decide. */
  @Test
  void aPendingListenerSetOnAGatewayThatAllowsNoneIsNotAttached() {
    Verdict byDefault = SiteWorld.healthy().viaHttpRoute().route.throughListenerSet()
        .route.listenerSetPending(null).diagnose();
    Verdict sameOnly = SiteWorld.healthy().viaHttpRoute().route.throughListenerSet()
        .route.listenerSetPending("Same").diagnose();

    assertThat(byDefault.reason()).isEqualTo("HostNotRouted");
    assertThat(byDefault.message()).contains("Gateway gateways/eg does not allow ListenerSet web/shop-listeners",
        "allows no ListenerSets by default", "Accepted Unknown, Pending");
    assertThat(sameOnly.reason()).isEqualTo("HostNotRouted");
    assertThat(sameOnly.message()).contains("from is Same, and the set is in namespace web");
  }

  @Test
  void aPendingListenerSetTheGatewayAllowsIsLeftToTheProbes() {
    SiteWorld w = SiteWorld.healthy().viaHttpRoute().route.throughListenerSet().route.listenerSetPending("All");

    assertThat(w.snapshot().attachment().orElseThrow().served()).isTrue();
  }

  @Test
  void aListenerSetRefusalWrittenForAnOlderGenerationIsNotBelieved() {
    SiteWorld w = SiteWorld.healthy().viaHttpRoute().route.throughListenerSet()
        .route.listenerSetNotAccepted("NotAllowed", "not allowed");
    w.route.listenerSet.getMetadata().setGeneration(2L);

    assertThat(w.snapshot().attachment().orElseThrow().served()).isTrue();
  }

  @Test
  void aMissingListenerSetParentSaysWhetherTheClusterServesListenerSets() {
    Verdict missing = SiteWorld.healthy().viaHttpRoute().route.throughListenerSet().route.listenerSetMissing().diagnose();
    Verdict notServed = SiteWorld.healthy().viaHttpRoute().route.throughListenerSet().route.listenerSetsNotServed().diagnose();

    assertThat(missing.reason()).isEqualTo("HostNotRouted");
    assertThat(missing.message()).contains("names parent ListenerSet web/shop-listeners, which does not exist")
        .doesNotContain("v1.5");
    assertThat(notServed.reason()).isEqualTo("HostNotRouted");
    assertThat(notServed.message()).contains("serves no ListenerSets", "older than v1.5");
  }

  @Test
  void aGatewaysStatusEntryOfTheSameNameIsNotTheListenerSetsWord() {
    SiteWorld w = SiteWorld.healthy().viaHttpRoute().route.throughListenerSet();
    // The controller refused the route on a Gateway that happens to share the set's name.
    w.route.route.getStatus().getParents().add(0, new io.fabric8.kubernetes.api.model.gatewayapi.v1.RouteParentStatusBuilder()
        .withNewParentRef().withName("shop-listeners").withNamespace(SiteWorld.NS).endParentRef()
        .withControllerName(RouteWorld.CONTROLLER)
        .withConditions(RouteWorld.condition("Accepted", "False", "NoMatchingParent", "no such Gateway"))
        .build());

    assertThat(w.snapshot().attachment().orElseThrow().served()).isTrue();
  }

  @Test
  void aRouteOnAnInternalAndAPublicGatewayIsJudgedByTheOneTheCdnIsConfiguredWith() {
    SiteWorld w = SiteWorld.healthy().viaHttpRoute().route.internalGatewayFirst("10.20.0.5").originAddress(SiteWorld.LB_IP);

    Verdict v = w.diagnose();

    assertThat(v.reason()).isEqualTo(Reason.HEALTHY);
    assertThat(v.message()).contains(SiteWorld.LB_IP);
  }

  @Test
  void aConfiguredNameThatResolvesToThePublicGatewayPicksIt() {
    SiteWorld w = SiteWorld.healthy().viaHttpRoute().route.internalGatewayFirst("10.20.0.5")
        .originAddress("origin.shop.example").resolves("origin.shop.example", SiteWorld.LB_IP);

    Verdict v = w.diagnose();

    assertThat(v.reason()).isEqualTo(Reason.HEALTHY);
  }

  /**
   * A route on an internal and a public Gateway, both known by their load balancers' names; the
   * CDN is configured with a name that resolves to the public one, and the internal Gateway's data
   * plane is down. Only the names the Snapshot asks for are answered, as the reconciler does: it
   * must ask for both Gateways' names, or the public one is never matched and the internal one is
   * judged (a false OriginAddressMismatch); and the gateway judged must be the public Gateway's
   * data plane, picked once the name resolved (else a false GatewayDown).
   */
  @Test
  void aConfiguredNameIsComparedWithEveryServingGatewaysNameAndPicksItsDataPlane() {
    String internal = "internal-1.eu-west-1.elb.amazonaws.com";
    String external = "public-1.eu-west-1.elb.amazonaws.com";
    SiteWorld w = SiteWorld.healthy().viaHttpRoute().route.gatewaysKnownByName(internal, external)
        .route.internalDataPlaneNotReady().originAddress("origin.shop.example");
    Map<String, List<String>> dns = Map.of("origin.shop.example", List.of("198.51.100.7"),
        external, List.of("198.51.100.7"), internal, List.of("10.20.0.5"));

    Snapshot bare = w.snapshot();
    Set<String> asked = bare.namesToResolve();
    assertThat(asked).contains("origin.shop.example", external);
    Map<String, List<String>> answered = new HashMap<>();
    asked.forEach(name -> answered.put(name, dns.get(name)));
    Verdict v = Diagnosis.diagnose(bare.withResolvedNames(answered));

    assertThat(v.reason()).as(v.message()).isEqualTo(Reason.HEALTHY);
    Snapshot resolved = bare.withResolvedNames(answered);
    assertThat(resolved.attachment().orElseThrow().gatewayKey()).isEqualTo(RouteWorld.GATEWAY_KEY);
    assertThat(resolved.gateway().name()).isEqualTo(RouteWorld.DATA_PLANE);
    w.route.dataPlane = null; // a public Gateway run outside the cluster: no data plane Service here
    Snapshot managed = w.snapshot().withResolvedNames(answered);
    assertThat(managed.gateway()).as("not the internal Gateway's data plane in its stead").isNull();
    assertThat(Diagnosis.diagnose(managed).reason()).isEqualTo(Reason.HEALTHY);

    Snapshot pending = bare.withResolvedNames(Map.of());
    assertThat(pending.gateway()).as("the name not resolved yet: no Gateway's data plane is judged").isNull();
    assertThat(Diagnosis.diagnose(pending).reason()).as("no GatewayDown from the internal data plane")
        .isNotEqualTo("GatewayDown");
  }

  @Test
  void theCdnConfiguredWithNeitherGatewaysAddressIsStillAMismatch() {
    // The control: the same two Gateways, and an address that is neither's.
    SiteWorld w = SiteWorld.healthy().viaHttpRoute().route.internalGatewayFirst("10.20.0.5").originAddress("203.0.113.7");

    Verdict v = w.diagnose();

    assertThat(v.reason()).isEqualTo("OriginAddressMismatch");
    assertThat(v.message()).contains("203.0.113.7", "Gateway gateways/internal");
  }

  @Test
  void aFirstParentNotProgrammedYetGivesWayToOneThatHasAnAddress() {
    SiteWorld w = SiteWorld.healthy().viaHttpRoute().route.internalGatewayFirst(null);

    Verdict v = w.diagnose();

    assertThat(v.reason()).isEqualTo(Reason.HEALTHY);
  }

  /**
   * A route on an internal Gateway (a private load balancer, or a ClusterIP Gateway whose cluster
   * IP Envoy Gateway reports as its address) and a public one, origin.address empty: the CDN can
   * only reach the public one, so its address is the origin and its data plane is judged. The
   * internal data plane being down is no 521.
   */
  @ParameterizedTest(name = "internal at {0}, public at {1}")
  @CsvSource({
      "10.20.0.5, 198.51.100.7",
      "172.20.0.5, 198.51.100.7",
      "192.168.1.5, 198.51.100.7",
      "100.64.0.5, 198.51.100.7",
      "fd00:10::5, 2001:db8::7",
      "fe80::5, 2001:db8::7"})
  void ofAnInternalAndAPublicGatewayThePublicOneIsJudgedWhenOriginAddressIsEmpty(String internal, String external) {
    SiteWorld w = SiteWorld.healthy().viaHttpRoute().route.internalGatewayFirst(internal)
        .route.internalDataPlaneNotReady().route.gatewayAt(external);

    Verdict v = w.diagnose();

    assertThat(v.reason()).as(v.message()).isEqualTo(Reason.HEALTHY);
    assertThat(v.origin().orElseThrow().address()).isEqualTo(external);
    assertThat(w.snapshot().gateway().name()).isEqualTo(RouteWorld.DATA_PLANE);
    assertThat(v.message()).as("no guess to own up to").doesNotContain("is judged");
  }

  @Test
  void thePublicGatewaysDataPlaneDownIsGatewayDownThoughTheInternalOneServes() {
    SiteWorld w = SiteWorld.healthy().viaHttpRoute().route.internalGatewayFirst("10.20.0.5")
        .route.gatewayAt("198.51.100.7").route.dataPlaneNotReady();

    Verdict v = w.diagnose();

    assertThat(v.reason()).isEqualTo("GatewayDown");
    assertThat(v.message()).contains(RouteWorld.DATA_PLANE);
  }

  @Test
  void aGatewayKnownByNameIsPreferredToOneAtAPrivateAddress() {
    // An AWS load balancer reports a name; it may be public, a private IP cannot be.
    SiteWorld w = SiteWorld.healthy().viaHttpRoute().route.gatewaysKnownByName("internal-1.eu-west-1.elb.amazonaws.com",
        "public-1.eu-west-1.elb.amazonaws.com");
    w.route.otherGateways.get(RouteWorld.GATEWAY_NS + "/internal").getStatus().getAddresses().get(0).setValue("10.20.0.5");
    w.route.internalDataPlaneNotReady();

    Verdict v = w.diagnose();

    assertThat(v.reason()).as(v.message()).isEqualTo(Reason.HEALTHY);
    assertThat(v.origin().orElseThrow().address()).isEqualTo("public-1.eu-west-1.elb.amazonaws.com");
  }

  /**
   * The usual way to serve a host on both listeners of a Gateway: a parentRef for each section.
   * The CDN in Full (strict) mode connects to the HTTPS one, so the probe does, and sees its certificate.
   */
  @Test
  void aRouteOnBothListenersOfOneGatewayBySectionNameIsProbedOnTheHttpsOne() {
    SiteWorld w = SiteWorld.healthy().viaHttpRoute().route.addListener("https", "HTTPS", 443, null);
    w.route.route.getSpec().getParentRefs().get(0).setSectionName("http");
    w.route.route.getSpec().getParentRefs().add(new ParentReferenceBuilder()
        .withName(RouteWorld.GATEWAY).withNamespace(RouteWorld.GATEWAY_NS).withSectionName("https").build());
    w.route.route.getStatus().getParents().get(0).getParentRef().setSectionName("http");
    w.route.route.getStatus().getParents().add(new RouteParentStatusBuilder()
        .withNewParentRef().withName(RouteWorld.GATEWAY).withNamespace(RouteWorld.GATEWAY_NS).withSectionName("https")
        .endParentRef()
        .withControllerName(RouteWorld.CONTROLLER)
        .withConditions(RouteWorld.condition("Accepted", "True", "Accepted", "accepted"))
        .build());

    OriginEndpoint origin = w.snapshot().originEndpoint().orElseThrow();

    assertThat(origin.scheme()).isEqualTo(Scheme.HTTPS);
    assertThat(origin.port()).isEqualTo(443);
    assertThat(w.snapshot().attachment().orElseThrow().listeners()).extracting(Listener::getName)
        .containsExactly("http", "https");
    assertThat(w.diagnose().reason()).isEqualTo(Reason.HEALTHY);
  }

  /** Istio reports a ClusterIP Gateway by its Service's cluster DNS name: only the cluster resolves it. */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"internal-istio.gateways.svc.cluster.local", "internal-istio.gateways.svc",
      "internal-istio.gateways.svc.k8s.example.net."})
  void aGatewayKnownByItsClusterServiceNameIsNotWhereTheCdnConnects(String clusterName) {
    SiteWorld w = SiteWorld.healthy().viaHttpRoute().route.gatewaysKnownByName(clusterName,
        "public-1.eu-west-1.elb.amazonaws.com");
    w.route.internalDataPlaneNotReady();

    Verdict v = w.diagnose();

    assertThat(v.reason()).as(v.message()).isEqualTo(Reason.HEALTHY);
    assertThat(v.origin().orElseThrow().address()).isEqualTo("public-1.eu-west-1.elb.amazonaws.com");
  }

  /**
   * Two Gateways neither of which is known to be out of the CDN's reach (both public, or, as the
   * fixtures have them, both private): the first is judged as before, and the verdict says so and
   * how to pick the other.
   */
  @ParameterizedTest(name = "internal at {0}, the other at {1}")
  @CsvSource({"203.0.113.5, 198.51.100.7", "10.20.0.5, " + SiteWorld.LB_IP})
  void ofTwoGatewaysEquallyLikelyTheFirstIsJudgedAndTheVerdictSaysSo(String first, String second) {
    SiteWorld w = SiteWorld.healthy().viaHttpRoute().route.internalGatewayFirst(first).route.gatewayAt(second);

    Verdict healthy = w.diagnose();

    assertThat(healthy.reason()).isEqualTo(Reason.HEALTHY);
    assertThat(healthy.origin().orElseThrow().address()).isEqualTo(first);
    assertThat(healthy.message()).contains("Gateway gateways/internal is judged", "also " + RouteWorld.GATEWAY_KEY,
        "spec.origin.address");

    Verdict down = w.route.internalDataPlaneNotReady().diagnose();
    assertThat(down.reason()).isEqualTo("GatewayDown");
    assertThat(down.message()).contains("Gateway gateways/internal is judged", "spec.origin.address");
    assertThat(down.condition(ConditionType.ORIGIN_DOWN).message()).contains("Gateway gateways/internal is judged");

    Verdict configured = w.originAddress(second).diagnose();
    assertThat(configured.message()).as("origin.address says which").doesNotContain("is judged");
  }

  /**
   * Two parentRefs to the same Gateway, by port and without sectionName: the controller refuses
   * the route on port 80 and accepts it on 443, an entry each. Each parentRef is judged by its
   * own entry: host is served on 443.
   */
  @Test
  void eachParentRefByPortIsJudgedByTheStatusEntryOfItsPort() {
    SiteWorld w = SiteWorld.healthy().viaHttpRoute().route.addListener("https", "HTTPS", 443, null);
    var spec = w.route.route.getSpec();
    spec.getParentRefs().get(0).setPort(80);
    spec.getParentRefs().add(new ParentReferenceBuilder()
        .withName(RouteWorld.GATEWAY).withNamespace(RouteWorld.GATEWAY_NS).withPort(443).build());
    var statuses = w.route.route.getStatus().getParents();
    var accepted = statuses.get(0);
    accepted.getParentRef().setPort(443);
    statuses.add(0, new RouteParentStatusBuilder()
        .withNewParentRef().withName(RouteWorld.GATEWAY).withNamespace(RouteWorld.GATEWAY_NS).withPort(80).endParentRef()
        .withControllerName(RouteWorld.CONTROLLER)
        .withConditions(RouteWorld.condition("Accepted", "False", "NotAllowedByListeners", "No listener on port 80 admits the route"))
        .build());

    Verdict v = w.diagnose();

    assertThat(v.reason()).as(v.message()).isEqualTo(Reason.HEALTHY);
    assertThat(w.snapshot().attachment().orElseThrow().parent().getPort()).isEqualTo(443);
    assertThat(v.origin().orElseThrow().port()).isEqualTo(443);
  }

  @Test
  void aRouteReportingItsSwitchedOffCanaryMissingIsNoBadGateway() {
    SiteWorld w = SiteWorld.healthy().viaHttpRoute().route.canaryOfWeightZero("shop-canary")
        .route.resolvedRefs("BackendNotFound", "Failed to process route rule 0 backendRef 1: service web/shop-canary not found.");

    Verdict v = w.diagnose();

    assertThat(v.reason()).isEqualTo(Reason.HEALTHY);
    assertThat(v.condition(ConditionType.BAD_GATEWAY).status()).isEqualTo(ConditionStatus.FALSE);
  }

  /**
   * A mirror's backendRef that cannot be resolved: the implementation reports ResolvedRefs False
   * and drops only the mirror; visitors get the page from the backend that serves.
   */
  @Test
  void aRouteReportingTheShadowItMirrorsToMissingIsNoBadGateway() {
    SiteWorld w = SiteWorld.healthy().viaHttpRoute().route.mirroredTo("shadow")
        .route.resolvedRefs("BackendNotFound", "service web/shadow not found");

    assertThat(w.diagnose().reason()).isEqualTo(Reason.HEALTHY);

    SiteWorld servedGone = SiteWorld.healthy().viaHttpRoute().backendServiceMissing().route.mirroredTo("shadow")
        .route.resolvedRefs("BackendNotFound", "service web/shop-web not found");
    assertThat(servedGone.diagnose().reason()).as("the backend that serves is the one missing")
        .isEqualTo("BackendServiceMissing");
  }

  /**
   * A rule sends a tenth of its requests to an Envoy Gateway Backend that does not exist: the
   * Gateway reports ResolvedRefs False, BackendNotFound, for the route, and answers those requests
   * 500. The Service the rest goes to is there and serves: no 502 for the whole Site on the
   * Service's account. The probe through the gateway judges what it is answered, and a 500 there
   * quotes the Gateway's words.
   */
  @Test
  void aRouteReportingAMissingBackendOfAnotherKindIsNoServiceMissing() {
    SiteWorld w = SiteWorld.healthy().viaHttpRoute().route.envoyBackend("shop-edge", 90, 10)
        .route.resolvedRefs("BackendNotFound", "Failed to process route rule 0 backendRef 1: backend web/shop-edge not found.");

    Verdict v = w.diagnose();

    assertThat(v.reason()).as(v.message()).isEqualTo(Reason.HEALTHY);
    assertThat(v.condition(ConditionType.BAD_GATEWAY).status()).isEqualTo(ConditionStatus.FALSE);

    // The probed path sent there: what the origin answers is judged, with the Gateway's words.
    w.probes(origin(http(500)));
    Verdict answered500 = w.diagnose();
    assertThat(answered500.reason()).isNotEqualTo("BackendServiceMissing");
    assertThat(answered500.message()).contains("Gateway gateways/eg reports for HTTPRoute web/shop",
        "BackendNotFound", "answer 500 for a backend they cannot use");

    // The control: the Service the rule sends the rest to is the one missing.
    SiteWorld serviceGone = SiteWorld.healthy().viaHttpRoute().backendServiceMissing().route.envoyBackend("shop-edge", 90, 10)
        .route.resolvedRefs("BackendNotFound", "service web/shop-web not found");
    assertThat(serviceGone.diagnose().reason()).isEqualTo("BackendServiceMissing");
  }

  @Test
  void theSameReportWithTheServedBackendGoneIsStillBackendServiceMissing() {
    // The control: the backend that gets the traffic is the one missing.
    SiteWorld w = SiteWorld.healthy().viaHttpRoute().backendServiceMissing().route.canaryOfWeightZero("shop-canary")
        .route.resolvedRefs("BackendNotFound", "service web/shop-web not found");

    assertThat(w.diagnose().reason()).isEqualTo("BackendServiceMissing");
  }

  @Test
  void statusEntriesTheGatewaysControllerDidNotWriteAreNotItsWord() {
    Verdict v = SiteWorld.healthy().viaHttpRoute().route.foreignStatusEntriesFirst().diagnose();

    assertThat(v.reason()).isEqualTo(Reason.HEALTHY);
  }

  @Test
  void theGatewaysOwnControllerRefusingTheRouteStillCounts() {
    // The control: the same foreign entries, and the serving controller's own refusal.
    Verdict v = SiteWorld.healthy().viaHttpRoute().route.notAccepted("NotAllowedByListeners", "no listener admits it")
        .route.foreignStatusEntriesFirst().diagnose();

    assertThat(v.reason()).isEqualTo("HostNotRouted");
    assertThat(v.message()).contains("gateway.envoyproxy.io/gatewayclass-controller");
  }

  /**
   * A controller still at work on the route writes Accepted Unknown (or False) with reason
   * Pending: "not reconciled yet", not a refusal. The probes judge meanwhile.
   */
  @Test
  void aRouteItsControllerHasNotReconciledYetIsNotRefused() {
    assertThat(SiteWorld.healthy().viaHttpRoute().route.accepted("Unknown", "Pending", "Reconciling")
        .diagnose().reason()).isEqualTo(Reason.HEALTHY);
    assertThat(SiteWorld.healthy().viaHttpRoute().route.accepted("False", "Pending", "Waiting for the Gateway")
        .diagnose().reason()).isEqualTo(Reason.HEALTHY);
  }

  @Test
  void refusalWrittenForAnOlderGenerationIsNotBelieved() {
    SiteWorld w = SiteWorld.healthy().viaHttpRoute().route.notAccepted("NoMatchingListenerHostname", "no listener for old.example.com");
    w.route.route.getMetadata().setGeneration(2L);

    assertThat(w.diagnose().reason()).isEqualTo(Reason.HEALTHY);
  }

  @Test
  void routeObjectsWithPartsMissingStillGetACompleteVerdict() {
    SiteWorld noStatus = SiteWorld.healthy().viaHttpRoute();
    noStatus.route.route.setStatus(null);
    noStatus.route.gateway.setStatus(null);
    noStatus.route.gatewayClass.setStatus(null);
    noStatus.route.gatewayClass.setSpec(null);
    SiteWorld noSpec = SiteWorld.healthy().viaHttpRoute();
    noSpec.route.route.setSpec(null);
    noSpec.route.gateway.setSpec(null);

    for (SiteWorld w : java.util.List.of(noStatus, noSpec)) {
      Verdict v = w.diagnose();
      assertThat(v.conditions()).containsOnlyKeys(ConditionType.values());
      assertThat(v.fault()).isNotEqualTo(Fault.NONE);
    }
    assertThat(noStatus.diagnose().message()).contains("GatewayClass \"eg\"", "no controller has reported on it");
    assertThat(noSpec.diagnose().reason()).isEqualTo("HostNotRouted");
  }

  @ParameterizedTest(name = "{0}: {1} {2} -> {3}")
  @CsvSource({
      "/api, ReplacePrefixMatch, /, /api/healthz, /healthz",
      "/api, ReplacePrefixMatch, /v2, /api/healthz, /v2/healthz",
      "/api/, ReplacePrefixMatch, /v2/, /api/healthz, /v2/healthz",
      "/api, ReplacePrefixMatch, /, /api, /",
      "/, ReplaceFullPath, /status, /healthz, /status"})
  void urlRewriteFilterGivesThePathTheUpstreamIsAsked(String prefix, String type, String value, String path, String sent) {
    SiteWorld w = SiteWorld.healthy().viaHttpRoute();
    var rule = w.route.route.getSpec().getRules().get(0);
    rule.setMatches(java.util.List.of(new io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteMatchBuilder()
        .withNewPath().withType("PathPrefix").withValue(prefix).endPath().build()));
    var modifier = new io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPPathModifierBuilder().withType(type);
    if (type.equals("ReplaceFullPath")) {
      modifier.withReplaceFullPath(value);
    } else {
      modifier.withReplacePrefixMatch(value);
    }
    rule.setFilters(java.util.List.of(new io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteFilterBuilder()
        .withType("URLRewrite").withNewUrlRewrite().withPath(modifier.build()).endUrlRewrite().build()));

    assertThat(w.snapshot().routeUpstreamPath(path)).contains(sent);
    if (!prefix.equals("/")) {
      assertThat(w.snapshot().routeUpstreamPath("/apix")).as("a prefix matches whole path elements").isEmpty();
    }
  }

  /**
   * A canary rule that rewrites only for requests with a header, before the plain rule: the
   * probe sends no such header, so the gateway serves it by the plain rule, unrewritten; and a
   * probe path's query stays on the rewritten path.
   */
  @Test
  void aRuleMatchingOnAHeaderIsNotTheProbesAndTheQueryOutlivesTheRewrite() {
    SiteWorld w = SiteWorld.healthy().viaHttpRoute();
    var plain = w.route.route.getSpec().getRules().get(0);
    var canary = new io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRuleBuilder(plain)
        .withMatches(new io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteMatchBuilder()
            .withNewPath().withType("PathPrefix").withValue("/").endPath()
            .addNewHeader().withName("x-canary").withValue("1").endHeader().build())
        .withFilters(new io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteFilterBuilder().withType("URLRewrite")
            .withNewUrlRewrite().withNewPath().withType("ReplacePrefixMatch").withReplacePrefixMatch("/v2").endPath()
            .endUrlRewrite().build())
        .build();
    w.route.route.getSpec().setRules(java.util.List.of(canary, plain));

    assertThat(w.snapshot().routeUpstreamPath("/healthz")).as("served by the plain rule: no rewrite").isEmpty();

    canary.getMatches().get(0).setHeaders(java.util.List.of());
    assertThat(w.snapshot().routeUpstreamPath("/healthz")).contains("/v2/healthz");
    assertThat(w.snapshot().routeUpstreamPath("/healthz?full=1")).contains("/v2/healthz?full=1");
  }

  @Test
  void routeWithoutRewriteLeavesThePathAsItIs() {
    assertThat(SiteWorld.healthy().viaHttpRoute().snapshot().routeUpstreamPath("/healthz")).isEmpty();
    assertThat(SiteWorld.healthy().snapshot().routeUpstreamPath("/healthz")).isEmpty();
  }
}
