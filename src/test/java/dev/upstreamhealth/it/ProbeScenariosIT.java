package dev.upstreamhealth.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.upstreamhealth.api.LayerProbeStatus;
import dev.upstreamhealth.api.Site;
import dev.upstreamhealth.demo.SiteFixture;
import dev.upstreamhealth.demo.SiteFixtures;
import dev.upstreamhealth.gateway.NginxProcess;
import dev.upstreamhealth.gateway.NginxServer;
import dev.upstreamhealth.loopback.Behaviour;
import dev.upstreamhealth.loopback.CertificateAuthority;
import dev.upstreamhealth.loopback.LoopbackCertificate;
import dev.upstreamhealth.loopback.LoopbackServer;
import dev.upstreamhealth.loopback.UnansweredListener;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Probe faults through the real operator against real sockets on loopback: each test builds a
 * Site whose load balancer and pods are loopback servers, breaks one of them, and waits for the
 * status a user would see.
 */
class ProbeScenariosIT {
  static final String HOST = "shop.example.com";
  static CertificateAuthority ca;
  static OperatorHarness harness;
  static EndpointSliceController slices;
  static int counter;

  final List<LoopbackServer> servers = new ArrayList<>();
  final List<Ingress> tlsIngresses = new ArrayList<>();
  SiteFixture fixture;
  SiteTimeline timeline;

  @BeforeAll
  static void start() {
    ca = CertificateAuthority.create("loopback test CA");
    harness = OperatorHarness.start(List.of(ca.certificate()));
    slices = new EndpointSliceController(harness.client);
  }

  @AfterAll
  static void stop() {
    harness.close();
  }

  @AfterEach
  void closeServers() {
    // ingress-nginx merges a host's Ingresses across namespaces: the next test's host must not inherit this TLS.
    tlsIngresses.forEach(ingress -> harness.client.resource(ingress).delete());
    servers.forEach(LoopbackServer::close);
    if (timeline != null) {
      timeline.close();
    }
  }

  private LoopbackServer server(String address, Behaviour behaviour) {
    return server(address, 0, behaviour);
  }

  private LoopbackServer server(String address, int port, Behaviour behaviour) {
    LoopbackServer s = LoopbackServer.http(address, port, behaviour);
    servers.add(s);
    return s;
  }

  /**
   * A Site whose origin is {@code originPort} on 127.0.0.N0 and whose pods are {@code pods};
   * probes every 2 s with the given failure threshold.
   */
  private Site deploy(String lbAddress, int originPort, List<LoopbackServer> pods, int failureThreshold,
      Consumer<Site> adjust) {
    return deploy(lbAddress, originPort, pods, failureThreshold, adjust, ingress -> { });
  }

  private Site deploy(String lbAddress, int originPort, List<LoopbackServer> pods, int failureThreshold,
      Consumer<Site> adjust, Consumer<Ingress> adjustIngress) {
    return deploy(lbAddress, originPort, pods, failureThreshold, adjust, adjustIngress, world -> { });
  }

  /** The same, with {@code beforeTheRoute} creating what the cluster holds before the Site's Ingress. */
  private Site deploy(String lbAddress, int originPort, List<LoopbackServer> pods, int failureThreshold,
      Consumer<Site> adjust, Consumer<Ingress> adjustIngress, Consumer<SiteFixture> beforeTheRoute) {
    fixture = new SiteFixture("probe" + (++counter), "shop", HOST);
    timeline = new SiteTimeline(harness.client, fixture.namespace());
    int podPort = pods.isEmpty() ? 8080 : pods.get(0).port();
    for (int i = 0; i < pods.size(); i++) {
      harness.create(fixture.pod(i + 1, pods.get(i).address(), podPort, true));
    }
    harness.create(fixture.service(podPort));
    slices.sync(fixture.namespace(), fixture.serviceName());
    Site site = fixture.site(originPort, 2, failureThreshold);
    adjust.accept(site);
    Ingress ingress = fixture.ingress(lbAddress);
    adjustIngress.accept(ingress);
    beforeTheRoute.accept(fixture);
    harness.create(ingress, fixture.deployment(pods.size()), site);
    return site;
  }

  private Site deploy(LoopbackServer origin, LoopbackServer pod) {
    return deploy(origin.address(), origin.port(), List.of(pod), 1, s -> {});
  }

  private Site awaitFault(String fault, String reason) {
    return harness.awaitFault(fixture.namespace(), fixture.name(), fault, reason);
  }

  /** Besides waiting for probes, the Site showed exactly these verdicts, with a Warning for each fault. */
  private void assertTheWay(String... verdicts) {
    timeline.assertWay(fixture.name(), verdicts);
  }

  @Test
  void originRefusingConnectionsIsConnectionRefused() {
    LoopbackServer pod = server("127.0.0.31", Behaviour.status(200));
    deploy("127.0.0.30", LoopbackServer.unusedPort("127.0.0.30"), List.of(pod), 1, s -> {});
    Site site = awaitFault("521", "ConnectionRefused");
    assertThat(site.getStatus().getMessage()).contains("127.0.0.30").contains("refused");
    assertThat(site.getStatus().getProbes()).anySatisfy(p -> {
      assertThat(p.getLayer()).isEqualTo("origin");
      assertThat(p.getOutcome()).isEqualTo("ConnectionRefused");
    });
    assertTheWay("521/ConnectionRefused");
  }

  @Test
  void originThatNeverAcceptsIsConnectionTimedOut() {
    try (UnansweredListener silent = UnansweredListener.open("127.0.0.69")) {
      deploy("127.0.0.69", silent.port(), List.of(server("127.0.0.70", Behaviour.status(200))), 1, s -> {});
      Site site = awaitFault("521", "ConnectionTimedOut");
      assertThat(site.getStatus().getMessage()).contains("no TCP connection within 1s");
      assertTheWay("521/ConnectionTimedOut");
    }
  }

  @Test
  void originAndGatewayBothRefusingIsGatewayDown() {
    LoopbackServer pod = server("127.0.0.33", Behaviour.status(200));
    int port = LoopbackServer.unusedPort("127.0.0.32");
    String ns = "gw" + (++counter);
    harness.create(SiteFixtures.gatewayService(ns, "ingress-nginx-controller", "127.0.0.34", port));
    deploy("127.0.0.32", port, List.of(pod), 1, s -> SiteFixtures.useGateway(s, ns, "ingress-nginx-controller"));
    awaitFault("521", "GatewayDown");
    assertTheWay("521/GatewayDown");
  }

  /**
   * A gateway that served goes down: the origin and the gateway Service stop accepting. Their
   * probes run on phases of their own, and the origin's refusal may count first; the cause is
   * named from the start all the same, with one Warning, never ConnectionRefused on the way, nor
   * on the way back.
   */
  @Test
  void aGatewayThatStopsIsGatewayDownFromTheStart() {
    LoopbackServer pod = server("127.0.0.74", Behaviour.status(200));
    LoopbackServer lb = server("127.0.0.72", Behaviour.status(200));
    LoopbackServer gatewayPod = server("127.0.0.73", lb.port(), Behaviour.status(200));
    String ns = "gw" + (++counter);
    harness.create(SiteFixtures.gatewayService(ns, "ingress-nginx-controller", gatewayPod.address(), lb.port()),
        SiteFixtures.gatewaySlice(ns, "ingress-nginx-controller", gatewayPod.address(), true));
    deploy(lb.address(), lb.port(), List.of(pod), 3, s -> SiteFixtures.useGateway(s, ns, "ingress-nginx-controller"));
    harness.awaitSettledHealthy(fixture.namespace(), fixture.name());

    lb.close();
    gatewayPod.close();
    awaitFault("521", "GatewayDown");
    assertTheWay("None/Healthy", "521/GatewayDown");

    // Back again: the gateway probe may see it before the origin probe does; still no
    // ConnectionRefused on the way to Healthy.
    server(gatewayPod.address(), gatewayPod.port(), Behaviour.status(200));
    server(lb.address(), lb.port(), Behaviour.status(200));
    awaitFault("None", "Healthy");
    assertTheWay("None/Healthy", "521/GatewayDown", "None/Healthy");
  }

  /**
   * The app behind a real nginx stops listening while its pod stays ready (it has no readiness
   * probe): nginx answers 502 and the endpoint refuses. Whichever probe counts first, the way is
   * Healthy, then UpstreamNotListening, with one Warning: never GatewayReturned502 on the way, nor
   * on the way back, when the endpoint's probe may see the app again before the origin's does.
   */
  @Test
  void anAppThatStopsListeningBehindNginxIsUpstreamNotListeningFromTheStart() {
    LoopbackServer pod = server("127.0.0.82", Behaviour.status(200));
    try (NginxProcess nginx = NginxServer.start("127.0.0.81", "", """
        location / {
          proxy_pass http://%s:%d;
        }
        """.formatted(pod.address(), pod.port()))) {
      deploy(nginx.address(), nginx.port(), List.of(pod), 3, s -> {});
      harness.awaitSettledHealthy(fixture.namespace(), fixture.name());

      pod.close();
      Site site = awaitFault("502", "UpstreamNotListening");
      assertThat(site.getStatus().getMessage()).contains("refuse the TCP connection");
      assertTheWay("None/Healthy", "502/UpstreamNotListening");

      server(pod.address(), pod.port(), Behaviour.status(200));
      awaitFault("None", "Healthy");
      assertTheWay("None/Healthy", "502/UpstreamNotListening", "None/Healthy");
    }
  }

  @Test
  void originThatNeverAnswersIsUpstreamTimeout() {
    deploy(server("127.0.0.35", Behaviour.hang()), server("127.0.0.36", Behaviour.status(200)));
    Site site = awaitFault("502", "UpstreamTimeout");
    assertThat(site.getStatus().getMessage()).contains("no response within 1s");
    assertTheWay("502/UpstreamTimeout");
  }

  @Test
  void originSendingGarbageIsMalformedResponse() {
    deploy(server("127.0.0.37", Behaviour.garbage()), server("127.0.0.38", Behaviour.status(200)));
    awaitFault("502", "MalformedResponse");
    assertTheWay("502/MalformedResponse");
  }

  @Test
  void origin502WithUpstreamsRefusingIsUpstreamNotListening() {
    LoopbackServer origin = server("127.0.0.39", Behaviour.status(502));
    LoopbackServer pod = server("127.0.0.40", Behaviour.status(200));
    int podPort = pod.port();
    pod.close();
    deploy(origin.address(), origin.port(), List.of(pod), 1, s -> {});
    Site site = awaitFault("502", "UpstreamNotListening");
    assertThat(site.getStatus().getMessage()).contains("1/1").contains("127.0.0.40:" + podPort);
    // The origin's and the upstream's probes conclude on their own schedules: the origin's 502
    // alone may be shown first, and the cause once the upstream's probe has concluded too.
    timeline.assertWayIsOneOf(fixture.name(), List.of("502/UpstreamNotListening"),
        List.of("502/GatewayReturned502", "502/UpstreamNotListening"));
  }

  @Test
  void origin502AloneIsGatewayReturned502() {
    deploy(server("127.0.0.41", Behaviour.status(502)), server("127.0.0.42", Behaviour.status(200)));
    awaitFault("502", "GatewayReturned502");
    assertTheWay("502/GatewayReturned502");
  }

  @Test
  void origin504IsUpstreamTimeout() {
    deploy(server("127.0.0.43", Behaviour.status(504)), server("127.0.0.44", Behaviour.status(200)));
    awaitFault("502", "UpstreamTimeout");
    assertTheWay("502/UpstreamTimeout");
  }

  @Test
  void origin503WithRetryAfterIsMaintenanceMode() {
    deploy(server("127.0.0.45", Behaviour.status(503, "120")), server("127.0.0.46", Behaviour.status(200)));
    awaitFault("503", "MaintenanceMode");
    assertTheWay("503/MaintenanceMode");
  }

  @Test
  void origin503WithoutRetryAfterIsOverloaded() {
    deploy(server("127.0.0.47", Behaviour.status(503)), server("127.0.0.48", Behaviour.status(200)));
    awaitFault("503", "Overloaded");
    assertTheWay("503/Overloaded");
  }

  @Test
  void origin429IsRateLimited() {
    deploy(server("127.0.0.49", Behaviour.status(429)), server("127.0.0.50", Behaviour.status(200)));
    awaitFault("503", "RateLimited");
    assertTheWay("503/RateLimited");
  }

  @Test
  void origin500IsUnexpectedStatus() {
    deploy(server("127.0.0.51", Behaviour.status(500)), server("127.0.0.52", Behaviour.status(200)));
    Site seen = awaitFault("Other", "UnexpectedStatus");
    assertThat(seen.getStatus().getMessage()).contains("HTTP 500");
    assertThat(OperatorHarness.condition(seen, "Ready").orElseThrow().getStatus()).isEqualTo("False");
    assertTheWay("Other/UnexpectedStatus");
  }

  @Test
  void selfSignedOriginCertificateIsOriginCertificateInvalid() {
    LoopbackServer origin = LoopbackServer.https("127.0.0.53", 0, LoopbackCertificate.selfSigned(HOST),
        Behaviour.status(200));
    servers.add(origin);
    deploy("127.0.0.53", origin.port(), List.of(server("127.0.0.54", Behaviour.status(200))), 1,
        s -> s.getSpec().getOrigin().setScheme("https"));
    Site site = awaitFault("521", "OriginCertificateInvalid");
    assertThat(site.getStatus().getMessage()).contains("self-signed").contains("526");
    assertTheWay("521/OriginCertificateInvalid");
  }

  @Test
  void selfSignedOriginIsHealthyWhenTheCdnDoesNotVerifyIt() {
    LoopbackServer origin = LoopbackServer.https("127.0.0.53", 0, LoopbackCertificate.selfSigned(HOST),
        Behaviour.status(200));
    servers.add(origin);
    deploy("127.0.0.53", origin.port(), List.of(server("127.0.0.54", Behaviour.status(200))), 1, s -> {
      s.getSpec().getOrigin().setScheme("https");
      s.getSpec().getCdn().setVerifyOriginCertificate(false);
    });
    Site site = harness.awaitSettledHealthy(fixture.namespace(), fixture.name());
    assertThat(site.getStatus().getProbes()).filteredOn(p -> "origin".equals(p.getLayer())).singleElement()
        .satisfies(p -> assertThat(p.getCertificateNotAfter()).isNotNull());
    assertTheWay("None/Healthy");
  }

  @Test
  void originCertificateExpiringInFiveDaysIsDegradedWithTheDaysLeft() {
    Instant expiry = Instant.now().plus(java.time.Duration.ofDays(5)).plus(java.time.Duration.ofHours(1));
    LoopbackServer origin = LoopbackServer.https("127.0.0.53", 0,
        ca.issue(Instant.now().minus(java.time.Duration.ofDays(80)), expiry, HOST), Behaviour.status(200));
    servers.add(origin);
    deploy("127.0.0.53", origin.port(), List.of(server("127.0.0.54", Behaviour.status(200))), 1,
        s -> s.getSpec().getOrigin().setScheme("https"));
    Site site = await().atMost(OperatorHarness.SETTLE).until(() -> harness.site(fixture.namespace(), fixture.name()),
        s -> s != null && s.getStatus() != null && OperatorHarness.condition(s, "Degraded")
            .map(c -> "CertificateExpiring".equals(c.getReason())).orElse(false));
    assertThat(site.getStatus().getFault()).isEqualTo("None");
    assertThat(OperatorHarness.condition(site, "Degraded").orElseThrow().getMessage())
        .contains("5 days left").contains(java.time.LocalDate.ofInstant(expiry, java.time.ZoneOffset.UTC).toString());
    assertTheWay("None/Healthy");
  }

  @Test
  void expiredOriginCertificateIsOriginCertificateInvalidSayingWhen() {
    Instant expired = Instant.now().minus(java.time.Duration.ofDays(2));
    LoopbackServer origin = LoopbackServer.https("127.0.0.53", 0,
        ca.issue(expired.minus(java.time.Duration.ofDays(90)), expired, HOST), Behaviour.status(200));
    servers.add(origin);
    deploy("127.0.0.53", origin.port(), List.of(server("127.0.0.54", Behaviour.status(200))), 1,
        s -> s.getSpec().getOrigin().setScheme("https"));
    Site site = awaitFault("521", "OriginCertificateInvalid");
    assertThat(site.getStatus().getMessage()).contains("certificate expired on");
    assertTheWay("521/OriginCertificateInvalid");
  }

  /**
   * The host's other Ingress, of the same class, with the TLS section for it: ingress-nginx serves
   * the host's one server with that TLS, whichever Ingress a path comes from.
   */
  private Ingress tlsIngressOfTheHost(SiteFixture world, String lbAddress) {
    Ingress tls = new io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder(world.ingress(lbAddress))
        .editMetadata().withName("shop-tls").endMetadata()
        .editSpec().addNewTl().addToHosts(HOST).withSecretName("shop-tls").endTl().endSpec()
        .build();
    tlsIngresses.add(tls);
    return tls;
  }

  @Test
  void theCertificateOfTlsDeclaredOnAnotherIngressOfTheHostIsJudged() {
    Instant expired = Instant.now().minus(java.time.Duration.ofDays(2));
    LoopbackServer origin = LoopbackServer.https("127.0.0.57", 0,
        ca.issue(expired.minus(java.time.Duration.ofDays(90)), expired, HOST), Behaviour.status(200));
    servers.add(origin);
    deploy("127.0.0.57", origin.port(), List.of(server("127.0.0.58", Behaviour.status(200))), 1, s -> { },
        ingress -> { }, world -> harness.create(tlsIngressOfTheHost(world, "127.0.0.57")));
    Site site = awaitFault("521", "OriginCertificateInvalid");
    assertThat(site.getStatus().getMessage()).contains("certificate expired on")
        .contains("TLS for " + HOST + " is declared on Ingress " + fixture.namespace() + "/shop-tls");
    assertThat(origin.lastServerName()).isEqualTo(HOST);
    assertTheWay("521/OriginCertificateInvalid");
  }

  @Test
  void tlsDeclaredLaterOnAnotherIngressOfTheHostMovesTheProbeToHttps() {
    LoopbackServer origin = server("127.0.0.59", Behaviour.status(200));
    deploy(origin, server("127.0.0.60", Behaviour.status(200)));
    Site settled = harness.awaitSettledHealthy(fixture.namespace(), fixture.name());
    // Past the new Site's 5 s settling, whose timer looks at it once more: from here only the new
    // Ingress can make the operator look at the Site again.
    Instant created = Instant.parse(settled.getMetadata().getCreationTimestamp());
    await().atMost(OperatorHarness.SETTLE).until(() -> Instant.now().isAfter(created.plusSeconds(7)));

    harness.create(tlsIngressOfTheHost(fixture, "127.0.0.59"));
    // The plain http listener now stands where ingress-nginx would serve the host's TLS.
    Site site = awaitFault("521", "TLSHandshakeFailed");
    assertThat(site.getStatus().getMessage()).contains("https://127.0.0.59:" + origin.port())
        .contains("declared on Ingress " + fixture.namespace() + "/shop-tls");
    assertTheWay("None/Healthy", "521/TLSHandshakeFailed");
  }

  @Test
  void trustedOriginCertificateForHostIsHealthyAndSendsSni() {
    LoopbackServer origin = LoopbackServer.https("127.0.0.55", 0, ca.issue(HOST), Behaviour.status(200));
    servers.add(origin);
    deploy("127.0.0.55", origin.port(), List.of(server("127.0.0.56", Behaviour.status(200))), 1,
        s -> s.getSpec().getOrigin().setScheme("https"));
    awaitFault("None", "Healthy");
    assertThat(origin.lastServerName()).isEqualTo(HOST);
    assertThat(origin.lastRequestHead()).as("Host as the CDN sends it: no port").contains("host: " + HOST + "\r\n");
    assertTheWay("None/Healthy");
  }

  @Test
  void unresolvableOriginIsOriginUnreachable() {
    deploy(null, 80, List.of(server("127.0.0.57", Behaviour.status(200))), 1,
        s -> s.getSpec().getOrigin().setAddress("origin.shop.invalid"));
    awaitFault("521", "OriginUnreachable");
    assertTheWay("521/OriginUnreachable");
  }

  @Test
  void cloudMetadataOriginIsNeverProbedAndSaysWhatToFix() {
    deploy(null, 80, List.of(server("127.0.0.71", Behaviour.status(200))), 1,
        s -> s.getSpec().getOrigin().setAddress("169.254.169.254"));
    Site site = awaitFault("Unknown", "InvalidSpec");
    assertThat(site.getStatus().getMessage()).contains("169.254.169.254").contains("spec.origin.address");
    assertThat(OperatorHarness.condition(site, "Ready").orElseThrow().getStatus()).isEqualTo("False");
    assertTheWay("Unknown/InvalidSpec");
  }

  @Test
  void aNameThatResolvesToTheApiServerIsNotProbed() {
    // "localhost" resolves to 127.0.0.1, where the embedded API server listens: a Site must not be
    // able to point the operator's probes at it by name.
    deploy(null, 80, List.of(server("127.0.0.74", Behaviour.status(200))), 1,
        s -> s.getSpec().getOrigin().setAddress("localhost"));
    Site site = awaitFault("Unknown", "InvalidSpec");
    assertThat(site.getStatus().getMessage()).contains("localhost (127.0.0.1)").contains("the Kubernetes API server");
    assertThat(site.getStatus().getProbes()).filteredOn(p -> "origin".equals(p.getLayer())).singleElement()
        .satisfies(p -> {
          assertThat(p.getOutcome()).isEqualTo("NotProbed");
          assertThat(p.getRemoteAddress()).as("nothing was connected to").isNull();
        });
    assertTheWay("Unknown/InvalidSpec");
  }

  @Test
  void anOriginBehindAProxyProtocolLoadBalancerIsProbedWithTheHeader() {
    try (NginxProcess nginx = NginxServer.start("127.0.0.75", "proxy_protocol", """
        location / {
          if ($proxy_protocol_addr = "") { return 421; }
          return 200;
        }
        """)) {
      Site site = deploy(nginx.address(), nginx.port(), List.of(server("127.0.0.76", Behaviour.status(200))), 1,
          s -> {});
      // A probe without the header connects as no visitor's connection does: nginx drops it.
      awaitFault("502", "MalformedResponse");

      site = harness.site(fixture.namespace(), fixture.name());
      site.getSpec().getOrigin().setProxyProtocol("v1");
      harness.replace(site);

      Site healthy = harness.awaitSettledHealthy(fixture.namespace(), fixture.name());
      assertThat(healthy.getStatus().getProbes()).filteredOn(p -> "origin".equals(p.getLayer())).singleElement()
          .satisfies(p -> assertThat(p.getHttpStatus()).isEqualTo(200));
      assertTheWay("502/MalformedResponse", "None/Healthy");
    }
  }

  @Test
  void upstreamsAnsweringAnHttpErrorWhileTheOriginServesAreNotDegraded() {
    LoopbackServer origin = server("127.0.0.77", Behaviour.status(200));
    LoopbackServer pod = server("127.0.0.78", Behaviour.status(404));
    deploy(origin.address(), origin.port(), List.of(pod), 1, s -> {});
    Site site = await().atMost(OperatorHarness.SETTLE).until(() -> harness.site(fixture.namespace(), fixture.name()),
        s -> s != null && s.getStatus() != null && s.getStatus().getProbes() != null
            && s.getStatus().getProbes().stream().anyMatch(p -> "upstream".equals(p.getLayer()) && p.getNote() != null));
    assertThat(site.getStatus().getFault()).isEqualTo("None");
    assertThat(OperatorHarness.condition(site, "Degraded").orElseThrow().getStatus()).isEqualTo("False");
    LayerProbeStatus upstream = site.getStatus().getProbes().stream().filter(p -> "upstream".equals(p.getLayer()))
        .findFirst().orElseThrow();
    assertThat(upstream.getHttpStatus()).isEqualTo(404);
    assertThat(upstream.getNote()).contains("HTTP 404").contains("the gateway does not");
    assertTheWay("None/Healthy");
  }

  @Test
  void slowUpstreamsAgainstATightGatewayReadTimeoutAreTimeoutBudgetTight() {
    LoopbackServer origin = server("127.0.0.79", Behaviour.status(200));
    LoopbackServer pod = server("127.0.0.80", Behaviour.slowly(200, java.time.Duration.ofMillis(1500)));
    deploy(origin.address(), origin.port(), List.of(pod), 1, s -> {
      s.getSpec().getProbe().setIntervalSeconds(3);
      s.getSpec().getProbe().setTimeoutSeconds(2);
    }, ingress -> ingress.getMetadata().setAnnotations(
        Map.of("nginx.ingress.kubernetes.io/proxy-read-timeout", "2")));
    Site site = await().atMost(java.time.Duration.ofSeconds(15)).until(
        () -> harness.site(fixture.namespace(), fixture.name()),
        s -> s != null && s.getStatus() != null && OperatorHarness.condition(s, "Degraded")
            .map(c -> "TimeoutBudgetTight".equals(c.getReason())).orElse(false));
    assertThat(site.getStatus().getFault()).isEqualTo("None");
    assertThat(OperatorHarness.condition(site, "Degraded").orElseThrow().getMessage())
        .contains("read timeout of 2 s").contains("nginx.ingress.kubernetes.io/proxy-read-timeout");
    assertTheWay("None/Healthy");
  }

  @Test
  void oneRefusingEndpointOfTwoIsDegradedWithoutVisitorFault() {
    LoopbackServer origin = server("127.0.0.58", Behaviour.status(200));
    LoopbackServer good = server("127.0.0.59", Behaviour.status(200));
    LoopbackServer bad = LoopbackServer.http("127.0.0.60", good.port(), Behaviour.status(200));
    bad.close();
    deploy(origin.address(), origin.port(), List.of(good, bad), 1, s -> {});
    Site site = await().atMost(OperatorHarness.SETTLE).until(() -> harness.site(fixture.namespace(), "shop"),
        s -> s.getStatus() != null && "None".equals(s.getStatus().getFault())
            && OperatorHarness.condition(s, "Degraded").map(c -> "True".equals(c.getStatus())).orElse(false));
    assertThat(OperatorHarness.condition(site, "Ready").orElseThrow().getStatus()).isEqualTo("True");
    assertThat(OperatorHarness.condition(site, "Degraded").orElseThrow().getReason()).isEqualTo("PartialUpstreamFailure");
    assertTheWay("None/Healthy");
  }

  @Test
  void oneFailedProbeBelowTheThresholdChangesNothing() {
    LoopbackServer origin = server("127.0.0.61", Behaviour.status(200));
    deploy(origin.address(), origin.port(), List.of(server("127.0.0.62", Behaviour.status(200))), 3, s -> {});
    Site healthy = harness.awaitSettledHealthy(fixture.namespace(), "shop");
    int before = origin.requests();
    origin.behave(Behaviour.status(500));
    await().atMost(OperatorHarness.SETTLE).until(() -> origin.requests() > before);
    origin.behave(Behaviour.status(200));
    int after = origin.requests();
    await().atMost(OperatorHarness.SETTLE).until(() -> origin.requests() >= after + 2);
    Site later = harness.site(fixture.namespace(), "shop");
    assertThat(later.getStatus().getFault()).isEqualTo("None");
    assertThat(later.getMetadata().getResourceVersion()).isEqualTo(healthy.getMetadata().getResourceVersion());
    assertTheWay("None/Healthy");
  }

  @Test
  void recoveryAfterAnOutageEmitsRecoveredOnce() {
    LoopbackServer origin = server("127.0.0.63", Behaviour.status(503));
    deploy(origin.address(), origin.port(), List.of(server("127.0.0.64", Behaviour.status(200))), 1, s -> {});
    awaitFault("503", "Overloaded");
    origin.behave(Behaviour.status(200));
    awaitFault("None", "Healthy");
    await().atMost(OperatorHarness.SETTLE).untilAsserted(() ->
        assertThat(harness.events(fixture.namespace(), "shop")).extracting(Event::getReason)
            .containsExactly("Overloaded", "Recovered"));
    assertTheWay("503/Overloaded", "None/Healthy");
  }

  @Test
  void fixingTheOriginPortClearsTheFaultWithRecoveredThoughTheProbesStartOver() {
    LoopbackServer origin = server("127.0.0.72", Behaviour.status(200));
    deploy(origin.address(), LoopbackServer.unusedPort("127.0.0.72"), List.of(server("127.0.0.73", Behaviour.status(200))),
        1, s -> {});
    awaitFault("521", "ConnectionRefused");
    Site site = harness.site(fixture.namespace(), "shop");
    site.getSpec().getOrigin().setPort(origin.port());
    harness.client.resource(site).update();
    awaitFault("None", "Healthy");
    await().atMost(OperatorHarness.SETTLE).untilAsserted(() ->
        assertThat(harness.events(fixture.namespace(), "shop")).extracting(Event::getReason)
            .containsExactly("ConnectionRefused", "Recovered"));
    assertTheWay("521/ConnectionRefused", "None/Healthy");
  }

  @Test
  void changedProbePathIsProbedFromThenOn() {
    LoopbackServer origin = server("127.0.0.65", Behaviour.status(200));
    deploy(origin.address(), origin.port(), List.of(server("127.0.0.66", Behaviour.status(200))), 1, s -> {});
    awaitFault("None", "Healthy");
    Site site = harness.site(fixture.namespace(), "shop");
    site.getSpec().getProbe().setPath("/healthz");
    harness.client.resource(site).update();
    await().atMost(OperatorHarness.SETTLE).until(() -> String.valueOf(origin.lastRequestHead()).startsWith("GET /healthz "));
    assertThat(origin.lastRequestHead()).as("Host as the CDN sends it, though the origin listens on port %d",
        origin.port()).contains("host: " + HOST + "\r\n");
    assertTheWay("None/Healthy");
  }

  @Test
  void deletedSiteStopsItsProbes() {
    LoopbackServer origin = server("127.0.0.67", Behaviour.status(200));
    deploy(origin.address(), origin.port(), List.of(server("127.0.0.68", Behaviour.status(200))), 1, s -> {});
    awaitFault("None", "Healthy");
    harness.client.resources(Site.class).inNamespace(fixture.namespace()).withName("shop").delete();
    await().atMost(OperatorHarness.SETTLE).until(() -> harness.site(fixture.namespace(), "shop") == null);
    int afterDelete = origin.requests();
    // A probe interval is 2 s: over three intervals, at most one in-flight probe may still land.
    await().during(Duration.ofSeconds(6)).atMost(Duration.ofSeconds(8))
        .until(() -> origin.requests() <= afterDelete + 1);
  }
}
