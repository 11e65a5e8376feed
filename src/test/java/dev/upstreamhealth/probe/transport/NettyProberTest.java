package dev.upstreamhealth.probe.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.upstreamhealth.loopback.Behaviour;
import dev.upstreamhealth.loopback.CertificateAuthority;
import dev.upstreamhealth.loopback.LoopbackCertificate;
import dev.upstreamhealth.loopback.LoopbackServer;
import dev.upstreamhealth.loopback.UnansweredListener;
import dev.upstreamhealth.probe.AddressGate;
import dev.upstreamhealth.probe.CertificateCheck;
import dev.upstreamhealth.probe.ProbeLayer;
import dev.upstreamhealth.probe.ProbeOutcome;
import dev.upstreamhealth.probe.ProbePlan;
import dev.upstreamhealth.probe.ProbeResult;
import dev.upstreamhealth.probe.ProbeTarget;
import dev.upstreamhealth.probe.ProbeTrace;
import dev.upstreamhealth.probe.Scheme;
import dev.upstreamhealth.probe.StatusRanges;
import io.netty.handler.ssl.SslProvider;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The prober against real loopback servers that answer, misbehave or stay silent. */
class NettyProberTest {
  private static final String HOST = "shop.example.com";
  private static final Duration TIMEOUT = Duration.ofMillis(600);
  private static final CertificateAuthority CA = CertificateAuthority.create("loopback test CA");

  private static NettyProber prober;
  private LoopbackServer server;

  @BeforeAll
  static void startProber() {
    prober = NettyProbers.anyAddress(CA.certificate());
    // The first TLS handshake of a JVM loads much of its crypto: not what a 600 ms timeout is for.
    try (LoopbackServer warmUp = LoopbackServer.https("127.0.0.29", 0, CA.issue(HOST), Behaviour.status(200))) {
      probe(new ProbeTarget(ProbeLayer.ORIGIN, "127.0.0.29", warmUp.port(), Scheme.HTTPS, HOST, "/",
          Duration.ofSeconds(10), ""));
    }
  }

  @AfterAll
  static void stopProber() {
    prober.close();
  }

  @AfterEach
  void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  /**
   * The image's platform: there probes must run on epoll and BoringSSL unless told not to (the
   * second run of these tests, on the JDK alone, which every other platform gets).
   */
  @Test
  void probesRunOnNativeEpollAndBoringSslOnTheImagesPlatform() {
    Assumptions.assumeTrue(System.getProperty("os.name").equals("Linux") && System.getProperty("os.arch").equals("amd64"));
    boolean jdkAsked = Boolean.getBoolean("io.netty.handler.ssl.noOpenSsl");
    boolean selectorAsked = Boolean.getBoolean("io.netty.transport.noNative");

    assertThat(NettyProber.TLS_PROVIDER).isEqualTo(jdkAsked ? SslProvider.JDK : SslProvider.OPENSSL);
    assertThat(NettyProber.tlsLibrary()).contains(jdkAsked ? "JDK" : "BoringSSL");
    assertThat(NettyProber.NATIVE_EPOLL).isEqualTo(!selectorAsked);
  }

  @Test
  void nothingListeningIsConnectionRefused() {
    int port = LoopbackServer.unusedPort("127.0.0.21");

    ProbeResult result = probe(http("127.0.0.21", port));

    assertThat(result.outcome()).isEqualTo(ProbeOutcome.CONNECTION_REFUSED);
    assertThat(result.detail()).isEqualTo("connection refused by 127.0.0.21:" + port);
  }

  @Test
  void listenerThatNeverCompletesTheConnectionIsConnectTimeout() {
    try (UnansweredListener blackhole = UnansweredListener.open("127.0.0.22")) {
      ProbeResult result = probe(http("127.0.0.22", blackhole.port()));

      assertThat(result.outcome()).isEqualTo(ProbeOutcome.CONNECT_TIMEOUT);
      assertThat(result.latency()).isGreaterThanOrEqualTo(TIMEOUT);
    }
  }

  @Test
  void reservedInvalidNameIsUnreachable() {
    ProbeResult result = probe(http("origin.shop.invalid", 80));

    assertThat(result.outcome()).isEqualTo(ProbeOutcome.UNREACHABLE);
    assertThat(result.detail()).isEqualTo("name origin.shop.invalid does not resolve");
  }

  @ParameterizedTest
  @ValueSource(ints = {200, 301, 404, 429, 500, 502, 503, 504})
  void statusIsReportedAsAnswered(int status) {
    server = LoopbackServer.http("127.0.0.23", 0, Behaviour.status(status));

    ProbeResult result = probe(http("127.0.0.23", server.port()));

    assertThat(result.outcome()).isEqualTo(ProbeOutcome.RESPONDED);
    assertThat(result.statusCode()).isEqualTo(status);
    assertThat(result.retryAfter()).isFalse();
  }

  @Test
  void retryAfterHeaderIsNoticed() {
    server = LoopbackServer.http("127.0.0.23", 0, Behaviour.status(503, "120"));

    ProbeResult result = probe(http("127.0.0.23", server.port()));

    assertThat(result.summary()).isEqualTo("HTTP 503 with Retry-After (passed on from the upstream)");
  }

  /** ingress-nginx's ssl-redirect as a CDN fetching over http meets it: visitors are sent back for ever. */
  @ParameterizedTest
  @ValueSource(ints = {301, 302, 303, 307, 308})
  void aRedirectOfTheHttpAddressToItselfOverHttpsIsALoopAndFails(int status) {
    server = LoopbackServer.http("127.0.0.23", 0, Behaviour.redirect(status, "https://Shop.Example.com/healthz"));

    ProbeResult origin = probe(http("127.0.0.23", server.port()));
    ProbeResult gateway = probe(on(ProbeLayer.GATEWAY, http("127.0.0.23", server.port())));

    assertThat(origin.outcome()).isEqualTo(ProbeOutcome.REDIRECT_LOOP);
    assertThat(origin.statusCode()).isEqualTo(status);
    assertThat(origin.detail()).isEqualTo("https://Shop.Example.com/healthz");
    assertThat(ProbePlan.none().isSuccess(origin)).as("a loop is a failure, though 3xx is expected").isFalse();
    assertThat(gateway.outcome()).as("the gateway is asked as the CDN asks").isEqualTo(ProbeOutcome.REDIRECT_LOOP);
  }

  /** An apex that sends visitors to www, a page that sends them to log in: the CDN's next fetch is another. */
  @Test
  void onlyARedirectToTheVeryAddressIsALoop() {
    server = LoopbackServer.http("127.0.0.23", 0, Behaviour.redirect(308, "https://shop.example.com/healthz"));
    ProbeResult itself = probe(http("127.0.0.23", server.port()));
    server.behave(Behaviour.redirect(308, "https://www.shop.example.com/healthz"));
    ProbeResult otherHost = probe(http("127.0.0.23", server.port()));
    server.behave(Behaviour.redirect(302, "https://shop.example.com/login"));
    ProbeResult otherPath = probe(http("127.0.0.23", server.port()));

    assertThat(itself.outcome()).isEqualTo(ProbeOutcome.REDIRECT_LOOP);
    assertThat(List.of(otherHost, otherPath)).allSatisfy(r -> {
      assertThat(r.outcome()).as(r.detail()).isEqualTo(ProbeOutcome.RESPONDED);
      assertThat(ProbePlan.none().isSuccess(r)).isTrue();
    });
    assertThat(List.of(otherHost, otherPath)).extracting(ProbeResult::statusCode).containsExactly(308, 302);
  }

  /**
   * Over https the CDN's fetch is already what the redirect asks for; an upstream probe asks what
   * the gateway asks, whose answer visitors never get.
   */
  @Test
  void theSameRedirectIsNoLoopForAnHttpsProbeOrAnUpstreamProbe() {
    Behaviour toItself = Behaviour.redirect(308, "https://shop.example.com/healthz");
    server = LoopbackServer.http("127.0.0.23", 0, toItself);
    try (LoopbackServer tls = LoopbackServer.https("127.0.0.36", 0, CA.issue(HOST), toItself)) {
      ProbeResult overHttp = probe(http("127.0.0.23", server.port()));
      ProbeResult upstream = probe(on(ProbeLayer.UPSTREAM, http("127.0.0.23", server.port())));
      ProbeResult overHttps = probe(https("127.0.0.36", tls.port()));

      assertThat(overHttp.outcome()).isEqualTo(ProbeOutcome.REDIRECT_LOOP);
      assertThat(List.of(upstream, overHttps)).allSatisfy(r -> {
        assertThat(r.outcome()).as(r.detail()).isEqualTo(ProbeOutcome.RESPONDED);
        assertThat(r.statusCode()).isEqualTo(308);
      });
    }
  }

  @Test
  void interimResponseIsSkippedForTheRealOne() {
    server = LoopbackServer.http("127.0.0.23", 0, Behaviour.status(103));

    ProbeResult result = probe(http("127.0.0.23", server.port()));

    assertThat(result.statusCode()).isEqualTo(200);
  }

  @Test
  void requestNamesTheSiteWithoutThePortAndAsksToClose() {
    server = LoopbackServer.http("127.0.0.24", 0, Behaviour.status(200));

    probe(http("127.0.0.24", server.port()));

    assertThat(server.lastRequestHead())
        .startsWith("GET /healthz HTTP/1.1\r\n")
        .contains("host: " + HOST + "\r\n")
        .doesNotContain(HOST + ":")
        .contains("user-agent: upstream-health-operator")
        .contains("accept: */*")
        .contains("connection: close");
  }

  @Test
  void hostHeaderNeverCarriesAPort() {
    assertThat(NettyProber.hostHeader(target(Scheme.HTTP, "10.0.0.1", 80))).isEqualTo(HOST);
    assertThat(NettyProber.hostHeader(target(Scheme.HTTPS, "10.0.0.1", 443))).isEqualTo(HOST);
    assertThat(NettyProber.hostHeader(target(Scheme.HTTP, "10.0.0.1", 443))).isEqualTo(HOST);
    assertThat(NettyProber.hostHeader(target(Scheme.HTTPS, "10.0.0.1", 8443))).isEqualTo(HOST);
  }

  @Test
  void forwardingHeadersAreSentWithTheProbesOwnAddressForTheClient() {
    server = LoopbackServer.http("127.0.0.24", 0, Behaviour.status(200));

    probe(http("127.0.0.24", server.port()).withHeaders(java.util.Map.of("X-Forwarded-Proto", "https",
        "X-Forwarded-For", ProbeTarget.CONNECTION_ADDRESS)));

    assertThat(server.lastRequestHead())
        .contains("X-Forwarded-Proto: https\r\n")
        .containsPattern("X-Forwarded-For: 127\\.0\\.0\\.\\d+\r\n")
        .doesNotContain(ProbeTarget.CONNECTION_ADDRESS);
  }

  @Test
  void aConnectOnlyTargetIsCheckedWithoutARequest() {
    server = LoopbackServer.http("127.0.0.24", 0, Behaviour.hang());

    ProbeResult result = probe(http("127.0.0.24", server.port()).connectOnly("gRPC port: checked with a TCP connect only"));

    assertThat(result.outcome()).isEqualTo(ProbeOutcome.CONNECTED);
    assertThat(result.detail()).isEqualTo("TCP connection accepted; gRPC port: checked with a TCP connect only");
    assertThat(server.requests()).isZero();
    assertThat(new ProbePlan(List.of(), Duration.ofSeconds(30), 1, 1, StatusRanges.DEFAULT).isSuccess(result)).isTrue();
  }

  @Test
  void theTraceShowsPhasesAndWhoAnswered() {
    server = LoopbackServer.https("127.0.0.24", 0, CA.issue(HOST), Behaviour.status(200));

    ProbeResult result = probe(https("127.0.0.24", server.port()));

    ProbeTrace trace = result.trace();
    assertThat(trace.remoteAddress()).isEqualTo("127.0.0.24:" + server.port());
    assertThat(trace.dns()).isNotNull();
    assertThat(trace.connect()).isNotNull();
    assertThat(trace.tls()).isNotNull();
    assertThat(trace.firstByte()).isNotNull();
    assertThat(trace.certificate().subject()).isEqualTo("CN=" + HOST);
    assertThat(trace.answeredBy()).isEqualTo(ProbeTrace.AnswerSource.NOT_APPLICABLE);
  }

  @Test
  void silentServerIsResponseTimeout() {
    server = LoopbackServer.http("127.0.0.25", 0, Behaviour.hang());

    ProbeResult result = probe(http("127.0.0.25", server.port()));

    assertThat(result.outcome()).isEqualTo(ProbeOutcome.RESPONSE_TIMEOUT);
    assertThat(result.detail()).isEqualTo("no complete response head within 600ms");
    assertThat(result.latency()).isGreaterThanOrEqualTo(TIMEOUT);
  }

  @Test
  void headersThatTrickleInForeverAreResponseTimeout() {
    server = LoopbackServer.http("127.0.0.25", 0, Behaviour.slowHeaders());

    ProbeResult result = probe(http("127.0.0.25", server.port()));

    assertThat(result.outcome()).isEqualTo(ProbeOutcome.RESPONSE_TIMEOUT);
    assertThat(result.detail()).contains("bytes of it received");
  }

  @Test
  void bytesThatAreNotHttpAreMalformed() {
    server = LoopbackServer.http("127.0.0.26", 0, Behaviour.garbage());

    ProbeResult result = probe(http("127.0.0.26", server.port()));

    assertThat(result.outcome()).isEqualTo(ProbeOutcome.MALFORMED_RESPONSE);
    assertThat(result.detail()).startsWith("response does not start with HTTP/: \"\\x00\\x01");
  }

  /** Past the 128 KiB the probe reads, a head is no valid answer. */
  @Test
  void headersLargerThanTheProbeReadsAreMalformed() {
    server = LoopbackServer.http("127.0.0.26", 0, Behaviour.hugeHeaders(200));

    ProbeResult result = probe(http("127.0.0.26", server.port()));

    assertThat(result.outcome()).isEqualTo(ProbeOutcome.MALFORMED_RESPONSE);
    assertThat(result.detail()).isEqualTo("response headers larger than 128 KiB");
  }

  /** Large CSP and preload headers, a few cookies: 40 KiB of headers a CDN passes on are an answer. */
  @Test
  void headersTheCdnPassesOnAreAnAnswer() {
    server = LoopbackServer.http("127.0.0.26", 0, Behaviour.hugeHeaders(40));

    ProbeResult result = probe(http("127.0.0.26", server.port()));

    assertThat(result.outcome()).isEqualTo(ProbeOutcome.RESPONDED);
    assertThat(result.statusCode()).isEqualTo(200);
  }

  /**
   * The trace carries the head's size byte for byte: what ingress-nginx's 4k proxy-buffer-size is
   * measured against. The loopback server's 200 is this head, then its body.
   */
  @Test
  void theTraceCarriesTheResponseHeadsSize() {
    server = LoopbackServer.http("127.0.0.26", 0, Behaviour.status(200));
    String body = "200 OK from a loopback server\n";
    String head = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + body.length()
        + "\r\nConnection: close\r\n\r\n";

    ProbeResult small = probe(http("127.0.0.26", server.port()));
    server.behave(Behaviour.headOf(4097));
    ProbeResult large = probe(http("127.0.0.26", server.port()));

    assertThat(small.trace().headBytes()).isEqualTo(head.length());
    assertThat(large.trace().headBytes()).isEqualTo(4097);
  }

  @Test
  void closeRightAfterAcceptIsConnectionClosed() {
    server = LoopbackServer.http("127.0.0.27", 0, Behaviour.closeImmediately());

    ProbeResult result = probe(http("127.0.0.27", server.port()));

    assertThat(result.outcome()).isEqualTo(ProbeOutcome.CONNECTION_CLOSED);
  }

  @Test
  void endlessBodyEndsTheProbeAtTheHead() {
    server = LoopbackServer.http("127.0.0.28", 0, Behaviour.endlessBody());

    ProbeResult result = probe(http("127.0.0.28", server.port()));

    assertThat(result.outcome()).isEqualTo(ProbeOutcome.RESPONDED);
    assertThat(result.statusCode()).isEqualTo(200);
    // The head is all a probe reads: the connection is closed while the body still streams.
    await().atMost(Duration.ofSeconds(5)).until(() -> server.openConnections() == 0);
  }

  @Test
  void trustedCertificateForTheHostAnswersAndGetsSni() {
    server = LoopbackServer.https("127.0.0.29", 0, CA.issue(HOST), Behaviour.status(200));

    ProbeResult result = probe(https("127.0.0.29", server.port()));

    assertThat(result.outcome()).isEqualTo(ProbeOutcome.RESPONDED);
    assertThat(result.statusCode()).isEqualTo(200);
    assertThat(server.lastServerName()).isEqualTo(HOST);
    assertThat(server.lastRequestHead()).contains("host: " + HOST + "\r\n");
  }

  @Test
  void aHostWithoutADotGetsSniToo() {
    server = LoopbackServer.https("127.0.0.29", 0, CA.issue("origin"), Behaviour.status(200));

    ProbeResult result = probe(new ProbeTarget(ProbeLayer.ORIGIN, "127.0.0.29", server.port(), Scheme.HTTPS, "origin",
        "/healthz", TIMEOUT, ""));

    assertThat(result.outcome()).isEqualTo(ProbeOutcome.RESPONDED);
    assertThat(server.lastServerName()).isEqualTo("origin");
  }

  @Test
  void selfSignedCertificateIsNotTrusted() {
    server = LoopbackServer.https("127.0.0.30", 0, LoopbackCertificate.selfSigned(HOST), Behaviour.status(200));

    ProbeResult result = probe(https("127.0.0.30", server.port()));

    assertThat(result.outcome()).isEqualTo(ProbeOutcome.CERTIFICATE_INVALID);
    assertThat(result.detail()).isEqualTo("certificate not trusted: self-signed (CN=" + HOST + ")");
  }

  @Test
  void certificateForAnotherNameDoesNotMatch() {
    server = LoopbackServer.https("127.0.0.31", 0, CA.issue("other.example.net"), Behaviour.status(200));

    ProbeResult result = probe(https("127.0.0.31", server.port()));

    assertThat(result.outcome()).isEqualTo(ProbeOutcome.CERTIFICATE_INVALID);
    assertThat(result.detail()).isEqualTo("certificate names [other.example.net], not host " + HOST);
  }

  /** A wildcard certificate holds for a name under it: the one a wildcard Site's probes ask for (ProbePlanningTest). */
  @Test
  void aWildcardCertificateIsValidForTheNameAWildcardSiteIsProbedAs() {
    server = LoopbackServer.https("127.0.0.31", 0, CA.issue("*.example.com"), Behaviour.status(200));

    ProbeResult result = probe(new ProbeTarget(ProbeLayer.ORIGIN, "127.0.0.31", server.port(), Scheme.HTTPS,
        "upstream-health-probe.example.com", "/healthz", TIMEOUT, ""));

    assertThat(result.outcome()).isEqualTo(ProbeOutcome.RESPONDED);
    assertThat(result.statusCode()).isEqualTo(200);
  }

  /**
   * An origin that demands the CDN's client certificate turns the probe away, by its handshake
   * (Envoy, HAProxy) or with nginx's 400 page: it is up, not broken. A server that only wants one
   * and serves without it, its app's 400, or a 400 from a server that never asked, is read as ever.
   */
  @Test
  void aServerDemandingAClientCertificateTurnsTheProbeAwayForWantOfOne() {
    server = LoopbackServer.httpsAskingForClientCertificate("127.0.0.32", 0, CA.issue(HOST), true, Behaviour.status(200));
    ProbeResult handshake = probe(https("127.0.0.32", server.port()));
    assertThat(handshake.outcome()).isEqualTo(ProbeOutcome.CLIENT_CERTIFICATE_REQUIRED);
    assertThat(handshake.detail()).startsWith("the server asks for a client certificate");
    assertThat(server.requests()).as("no request got past the handshake").isZero();
    server.close();

    // A server that only wants one (nginx's "optional", Istio's OPTIONAL_MUTUAL) asks on every
    // handshake: its app's own 400, or a close without an answer, is what it is.
    server = LoopbackServer.httpsAskingForClientCertificate("127.0.0.32", 0, CA.issue(HOST), false, Behaviour.status(400));
    ProbeResult apps400 = probe(https("127.0.0.32", server.port()));
    assertThat(apps400.outcome()).as(apps400.detail()).isEqualTo(ProbeOutcome.RESPONDED);
    assertThat(apps400.statusCode()).isEqualTo(400);
    server.close();

    server = LoopbackServer.httpsAskingForClientCertificate("127.0.0.32", 0, CA.issue(HOST), false, Behaviour.hang());
    ProbeResult silent = probe(https("127.0.0.32", server.port()));
    assertThat(silent.outcome()).as(silent.detail()).isEqualTo(ProbeOutcome.RESPONSE_TIMEOUT);
    server.close();

    server = LoopbackServer.httpsAskingForClientCertificate("127.0.0.32", 0, CA.issue(HOST), false, Behaviour.status(200));
    assertThat(probe(https("127.0.0.32", server.port())).outcome()).isEqualTo(ProbeOutcome.RESPONDED);
    server.close();

    server = LoopbackServer.https("127.0.0.32", 0, CA.issue(HOST), Behaviour.status(400));
    ProbeResult plain400 = probe(https("127.0.0.32", server.port()));
    assertThat(plain400.outcome()).as("a 400 from a server that asked for nothing").isEqualTo(ProbeOutcome.RESPONDED);
    assertThat(plain400.statusCode()).isEqualTo(400);
  }

  @Test
  void fixedCertificateIsTrustedOnTheNextConnection() {
    server = LoopbackServer.https("127.0.0.31", 0, LoopbackCertificate.selfSigned(HOST), Behaviour.status(200));
    assertThat(probe(https("127.0.0.31", server.port())).outcome()).isEqualTo(ProbeOutcome.CERTIFICATE_INVALID);

    server.present(CA.issue(HOST));

    assertThat(probe(https("127.0.0.31", server.port())).outcome()).isEqualTo(ProbeOutcome.RESPONDED);
  }

  @Test
  void stalledHandshakeIsTlsFailure() {
    server = LoopbackServer.https("127.0.0.32", 0, CA.issue(HOST), Behaviour.stallHandshake());

    ProbeResult result = probe(https("127.0.0.32", server.port()));

    assertThat(result.outcome()).isEqualTo(ProbeOutcome.TLS_FAILED);
    assertThat(result.detail()).isEqualTo("TLS handshake timed out after 600ms");
  }

  @Test
  void silenceAfterTheHandshakeIsResponseTimeout() {
    server = LoopbackServer.https("127.0.0.32", 0, CA.issue(HOST), Behaviour.hang());

    ProbeResult result = probe(https("127.0.0.32", server.port()));

    assertThat(result.outcome()).isEqualTo(ProbeOutcome.RESPONSE_TIMEOUT);
  }

  @Test
  void closeDuringTheHandshakeIsTlsFailure() {
    server = LoopbackServer.https("127.0.0.33", 0, CA.issue(HOST), Behaviour.closeImmediately());

    ProbeResult result = probe(https("127.0.0.33", server.port()));

    assertThat(result.outcome()).isEqualTo(ProbeOutcome.TLS_FAILED);
    assertThat(result.detail()).contains("connection closed during the TLS handshake");
  }

  @Test
  void ipv6LiteralIsProbed() throws Exception {
    Assumptions.assumeTrue(ipv6LoopbackWorks(), "no IPv6 loopback here");
    server = LoopbackServer.http("::1", 0, Behaviour.status(204));

    ProbeResult result = probe(http("::1", server.port()));

    assertThat(result.statusCode()).isEqualTo(204);
  }

  @Test
  void closingTheProberEndsProbesStillRunning() {
    server = LoopbackServer.http("127.0.0.34", 0, Behaviour.hang());
    NettyProber own = NettyProbers.anyAddress();
    ProbeTarget slow = new ProbeTarget(ProbeLayer.ORIGIN, "127.0.0.34", server.port(), Scheme.HTTP, HOST, "/",
        Duration.ofSeconds(30), "");
    CompletableFuture<ProbeResult> running = own.probe(slow);
    await().until(() -> server.acceptedConnections() == 1);

    own.close();

    assertThat(running).succeedsWithin(Duration.ofSeconds(5))
        .extracting(ProbeResult::outcome).isEqualTo(ProbeOutcome.CONNECTION_CLOSED);
    assertThat(own.probe(slow)).succeedsWithin(Duration.ofSeconds(5))
        .extracting(ProbeResult::detail).isEqualTo("prober is shut down");
  }

  @Test
  void expiredCertificateIsInvalidAndSaysWhen() {
    Instant expired = Instant.now().minus(Duration.ofDays(3)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    server = LoopbackServer.https("127.0.0.35", 0, CA.issue(expired.minus(Duration.ofDays(90)), expired, HOST),
        Behaviour.status(200));

    ProbeResult result = probe(https("127.0.0.35", server.port()));

    assertThat(result.outcome()).isEqualTo(ProbeOutcome.CERTIFICATE_INVALID);
    assertThat(result.detail()).isEqualTo("certificate expired on " + expired + " (CN=" + HOST + ")");
  }

  /**
   * Every probe makes a full handshake and judges the certificate anew, as the CDN's first
   * connection does: a resumed TLS session skips the certificate, so one that expired since the
   * last probe would still pass.
   */
  @Test
  void aCertificateThatExpiresBetweenTwoProbesFailsTheSecond() {
    Instant expiry = Instant.now().plusSeconds(3).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    server = LoopbackServer.https("127.0.0.35", 0, CA.issue(expiry.minus(Duration.ofDays(90)), expiry, HOST),
        Behaviour.status(200));
    ProbeResult whileValid = probe(https("127.0.0.35", server.port()));
    assertThat(whileValid.outcome()).isEqualTo(ProbeOutcome.RESPONDED);

    await().atMost(Duration.ofSeconds(5)).until(() -> Instant.now().isAfter(expiry));
    ProbeResult afterExpiry = probe(https("127.0.0.35", server.port()));

    assertThat(afterExpiry.outcome()).isEqualTo(ProbeOutcome.CERTIFICATE_INVALID);
    assertThat(afterExpiry.detail()).isEqualTo("certificate expired on " + expiry + " (CN=" + HOST + ")");
  }

  @Test
  void notYetValidCertificateIsInvalid() {
    Instant from = Instant.now().plus(Duration.ofDays(2)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    server = LoopbackServer.https("127.0.0.35", 0, CA.issue(from, from.plus(Duration.ofDays(90)), HOST),
        Behaviour.status(200));

    ProbeResult result = probe(https("127.0.0.35", server.port()));

    assertThat(result.outcome()).isEqualTo(ProbeOutcome.CERTIFICATE_INVALID);
    assertThat(result.detail()).isEqualTo("certificate not yet valid: valid from " + from + " (CN=" + HOST + ")");
  }

  @Test
  void privateCaNobodyWasToldToTrustIsAnUntrustedIssuer() {
    CertificateAuthority privateCa = CertificateAuthority.create("internal CA");
    server = LoopbackServer.https("127.0.0.35", 0, privateCa.issue(HOST), Behaviour.status(200));

    ProbeResult result = probe(https("127.0.0.35", server.port()));

    assertThat(result.outcome()).isEqualTo(ProbeOutcome.CERTIFICATE_INVALID);
    assertThat(result.detail()).isEqualTo("certificate not trusted: issuer CN=internal CA is not a trusted authority");
  }

  /** A public CA's intermediate behind the server's certificate, sent with it: trusted through the root. */
  @Test
  void aCertificateSentWithItsIntermediateIsTrustedThroughTheRoot() {
    server = LoopbackServer.https("127.0.0.35", 0, CA.intermediate("R11").issue(HOST), Behaviour.status(200));

    ProbeResult result = probe(https("127.0.0.35", server.port()));

    assertThat(result.outcome()).isEqualTo(ProbeOutcome.RESPONDED);
  }

  /**
   * The server sends its own certificate without the intermediate (cert.pem where fullchain.pem
   * belongs): refused, as the CDN refuses it (526), and the detail says what to serve.
   */
  @Test
  void aCertificateSentWithoutItsIntermediateSaysToServeTheFullChain() {
    server = LoopbackServer.https("127.0.0.35", 0, CA.intermediate("R11").issue(HOST).alone(), Behaviour.status(200));

    ProbeResult result = probe(https("127.0.0.35", server.port()));

    assertThat(result.outcome()).isEqualTo(ProbeOutcome.CERTIFICATE_INVALID);
    assertThat(result.detail()).isEqualTo("certificate not trusted: issuer CN=R11 is not a trusted authority, and the"
        + " server sends no certificate of it: if it is an intermediate authority, serve the full chain (the CDN does"
        + " not fetch a missing intermediate)");
  }

  /** An intermediate sent up to a root nobody trusts: the untrusted authority named is the root, not the intermediate. */
  @Test
  void aChainUpToAnUntrustedRootNamesTheRoot() {
    CertificateAuthority privateRoot = CertificateAuthority.create("internal root");
    server = LoopbackServer.https("127.0.0.35", 0, privateRoot.intermediate("internal issuing CA").issue(HOST),
        Behaviour.status(200));

    ProbeResult result = probe(https("127.0.0.35", server.port()));

    assertThat(result.outcome()).isEqualTo(ProbeOutcome.CERTIFICATE_INVALID);
    assertThat(result.detail()).isEqualTo("certificate not trusted: issuer CN=internal root is not a trusted authority");
  }

  @Test
  void withAnyCertificateAcceptedSelfSignedExpiredAndPrivateCertificatesPassAndAreStillRecorded() {
    Instant expired = Instant.now().minus(Duration.ofDays(3));
    for (LoopbackCertificate certificate : List.of(LoopbackCertificate.selfSigned(HOST),
        CA.issue(expired.minus(Duration.ofDays(90)), expired, HOST),
        CertificateAuthority.create("internal CA").issue("other.example.net"))) {
      try (LoopbackServer full = LoopbackServer.https("127.0.0.36", 0, certificate, Behaviour.status(200))) {
        ProbeResult result = probe(https("127.0.0.36", full.port()).withCertificateCheck(CertificateCheck.ANY));

        assertThat(result.outcome()).as(certificate.certificate().getSubjectX500Principal().getName())
            .isEqualTo(ProbeOutcome.RESPONDED);
        assertThat(result.trace().certificate().notAfter()).isEqualTo(certificate.certificate().getNotAfter().toInstant());
      }
    }
  }

  @Test
  void aCertificateExpiringInFiveDaysPassesWithItsDaysLeft() {
    Instant soon = Instant.now().plus(Duration.ofDays(5)).plus(Duration.ofHours(1));
    server = LoopbackServer.https("127.0.0.36", 0, CA.issue(Instant.now().minus(Duration.ofDays(85)), soon, HOST),
        Behaviour.status(200));

    ProbeResult result = probe(https("127.0.0.36", server.port()));

    assertThat(result.outcome()).isEqualTo(ProbeOutcome.RESPONDED);
    assertThat(result.certificateDaysLeft()).hasValue(5); // whole days: 5 days and an hour
  }

  @Test
  void cloudflareOriginCaRootsAreTrustedForStrictChecks() {
    assertThat(ProbeTrust.cloudflareOriginCa()).extracting(c -> c.getSubjectX500Principal().getName())
        .anySatisfy(n -> assertThat(n).contains("CloudFlare Origin SSL Certificate Authority"))
        .anySatisfy(n -> assertThat(n).contains("CloudFlare Origin SSL ECC Certificate Authority"));
    assertThat(ProbeTrust.cloudflareOriginCa()).allSatisfy(root -> assertThat(root.getNotAfter().toInstant())
        .as("replace the shipped roots (src/main/resources/trust/README.md)")
        .isAfter(Instant.now().plus(Duration.ofDays(90))));
  }

  @Test
  void aCaBundleFileIsTrustedForStrictChecks(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    CertificateAuthority internal = CertificateAuthority.create("internal CA");
    java.nio.file.Path bundle = dir.resolve("ca.pem");
    java.nio.file.Files.writeString(bundle, internal.pem());
    server = LoopbackServer.https("127.0.0.38", 0, internal.issue(HOST), Behaviour.status(200));
    try (NettyProber trusting = NettyProbers.anyAddress(ProbeTrust.bundle(bundle))) {
      ProbeResult result = trusting.probe(https("127.0.0.38", server.port())).get(10, TimeUnit.SECONDS);

      assertThat(result.outcome()).isEqualTo(ProbeOutcome.RESPONDED);
    }
  }

  @Test
  void anAddressTheGateRefusesIsNotConnectedToAndTheRuleIsNamed() throws Exception {
    server = LoopbackServer.http("127.0.0.39", 0, Behaviour.status(200));
    AddressGate noLoopback = address -> address.isLoopbackAddress()
        ? java.util.Optional.of("loopback (127.0.0.0/8)") : java.util.Optional.empty();
    try (NettyProber guarded = new NettyProber(List.of(), noLoopback)) {
      ProbeResult literal = guarded.probe(http("127.0.0.39", server.port())).get(10, TimeUnit.SECONDS);
      ProbeResult name = guarded.probe(http("localhost", server.port())).get(10, TimeUnit.SECONDS);

      assertThat(literal.outcome()).isEqualTo(ProbeOutcome.NOT_PROBED);
      assertThat(literal.detail()).isEqualTo("not probed: 127.0.0.39 is loopback (127.0.0.0/8)");
      assertThat(name.outcome()).as("a name is judged by what it resolves to").isEqualTo(ProbeOutcome.NOT_PROBED);
      assertThat(name.detail()).startsWith("not probed: localhost (").endsWith(") is loopback (127.0.0.0/8)");
      assertThat(server.acceptedConnections()).isZero();
    }
  }

  /** A control-plane node refused on its API server's port only: its other ports are probed. */
  @Test
  void aGateThatRefusesOnePortOfAnAddressLetsItsOtherPortsThrough() throws Exception {
    server = LoopbackServer.http("127.0.0.40", 0, Behaviour.status(200));
    LoopbackServer apiPort = LoopbackServer.http("127.0.0.40", 0, Behaviour.status(200));
    AddressGate onePort = new AddressGate() {
      @Override
      public java.util.Optional<String> refusal(InetAddress address) {
        return java.util.Optional.of("refused on every port");
      }

      @Override
      public java.util.Optional<String> refusal(InetAddress address, int port) {
        return port == apiPort.port() ? java.util.Optional.of("the API server's port") : java.util.Optional.empty();
      }
    };
    try (apiPort; NettyProber guarded = new NettyProber(List.of(), onePort)) {
      ProbeResult origin = guarded.probe(http("127.0.0.40", server.port())).get(10, TimeUnit.SECONDS);
      ProbeResult api = guarded.probe(http("127.0.0.40", apiPort.port())).get(10, TimeUnit.SECONDS);

      assertThat(origin.outcome()).isEqualTo(ProbeOutcome.RESPONDED);
      assertThat(api.outcome()).isEqualTo(ProbeOutcome.NOT_PROBED);
      assertThat(apiPort.acceptedConnections()).isZero();
    }
  }

  private static boolean ipv6LoopbackWorks() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("::1"))) {
      return true;
    } catch (Exception e) {
      return false;
    }
  }

  private static ProbeResult probe(ProbeTarget target) {
    try {
      return prober.probe(target).get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("the probe future must complete normally", e);
    }
  }

  private static ProbeTarget http(String address, int port) {
    return target(Scheme.HTTP, address, port);
  }

  private static ProbeTarget https(String address, int port) {
    return target(Scheme.HTTPS, address, port);
  }

  private static ProbeTarget on(ProbeLayer layer, ProbeTarget t) {
    return new ProbeTarget(layer, t.address(), t.port(), t.scheme(), t.host(), t.path(), t.timeout(), t.service());
  }

  private static ProbeTarget target(Scheme scheme, String address, int port) {
    return new ProbeTarget(ProbeLayer.ORIGIN, address, port, scheme, HOST, "/healthz", TIMEOUT, "");
  }
}
