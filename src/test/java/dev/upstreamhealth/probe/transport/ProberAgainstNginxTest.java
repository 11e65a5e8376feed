package dev.upstreamhealth.probe.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.upstreamhealth.gateway.NginxProcess;
import dev.upstreamhealth.gateway.NginxServer;
import dev.upstreamhealth.loopback.Behaviour;
import dev.upstreamhealth.loopback.CertificateAuthority;
import dev.upstreamhealth.loopback.LoopbackCertificate;
import dev.upstreamhealth.loopback.LoopbackServer;
import dev.upstreamhealth.probe.ProbeLayer;
import dev.upstreamhealth.probe.ProbeOutcome;
import dev.upstreamhealth.probe.ProbeResult;
import dev.upstreamhealth.probe.ProbeTarget;
import dev.upstreamhealth.probe.ProbeTrace;
import dev.upstreamhealth.probe.ProxyProtocol;
import dev.upstreamhealth.probe.Scheme;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The prober against a real nginx standing in for the gateway: PROXY protocol and its error pages. */
class ProberAgainstNginxTest {
  private static final String HOST = "shop.example.com";
  private static final CertificateAuthority CA = CertificateAuthority.create("nginx test CA");
  /** Answers 200 only to a connection that came with a PROXY header, 421 to one that did not say. */
  private static final String PROXIED_ONLY = """
      location / {
        if ($proxy_protocol_addr = "") { return 421; }
        return 200 "client $proxy_protocol_addr\\n";
      }
      """;

  private static NettyProber prober;

  @BeforeAll
  static void startProber() {
    prober = NettyProbers.anyAddress(CA.certificate());
  }

  @AfterAll
  static void stopProber() {
    prober.close();
  }

  private static ProbeResult probe(ProbeTarget target) throws Exception {
    return prober.probe(target).get(15, TimeUnit.SECONDS);
  }

  private static ProbeTarget target(NginxProcess nginx, Scheme scheme, String path) {
    return new ProbeTarget(ProbeLayer.GATEWAY, nginx.address(), nginx.port(), scheme, HOST, path,
        Duration.ofSeconds(5), "ingress-nginx/ingress-nginx-controller");
  }

  @Test
  void aGatewayExpectingProxyProtocolClosesPlainConnectionsAndServesV1AndV2() throws Exception {
    try (NginxProcess nginx = NginxServer.start("127.0.0.81", "proxy_protocol", PROXIED_ONLY)) {
      ProbeResult plain = probe(target(nginx, Scheme.HTTP, "/"));
      ProbeResult v1 = probe(target(nginx, Scheme.HTTP, "/").withProxyProtocol(ProxyProtocol.V1));
      ProbeResult v2 = probe(target(nginx, Scheme.HTTP, "/").withProxyProtocol(ProxyProtocol.V2));

      assertThat(plain.responded()).as("without the header nginx drops the connection: " + plain.summary()).isFalse();
      assertThat(v1.statusCode()).as(nginx.log()).isEqualTo(200);
      assertThat(v2.statusCode()).as(nginx.log()).isEqualTo(200);
    }
  }

  @Test
  void theProxyHeaderGoesBeforeTheTlsHandshake(@TempDir Path dir) throws Exception {
    LoopbackCertificate certificate = CA.issue(HOST);
    Path cert = dir.resolve("tls.crt");
    Path key = dir.resolve("tls.key");
    Files.writeString(cert, pem("CERTIFICATE", certificate.certificate().getEncoded()));
    Files.writeString(key, pem("PRIVATE KEY", certificate.key().getEncoded()));
    String tls = "ssl_certificate " + cert + "; ssl_certificate_key " + key + ";\n";
    try (NginxProcess nginx = NginxServer.start("127.0.0.82", "ssl proxy_protocol", tls + PROXIED_ONLY)) {
      ProbeResult v1 = probe(target(nginx, Scheme.HTTPS, "/").withProxyProtocol(ProxyProtocol.V1));
      ProbeResult without = probe(target(nginx, Scheme.HTTPS, "/"));

      assertThat(without.outcome()).isEqualTo(ProbeOutcome.TLS_FAILED);
      assertThat(without.detail()).as("what the diagnosis reads as a PROXY header perhaps missing")
          .contains("connection closed during the TLS handshake");
      assertThat(v1.outcome()).as(nginx.log() + v1.detail()).isEqualTo(ProbeOutcome.RESPONDED);
      assertThat(v1.statusCode()).isEqualTo(200);
      assertThat(v1.trace().certificate().subject()).isEqualTo("CN=" + HOST);
    }
  }

  /**
   * ingress-nginx's auth-tls-verify-client "on", as an origin locked to its CDN (Authenticated
   * Origin Pulls) sets it: nginx completes the handshake and answers 400 "No required SSL
   * certificate was sent" to a client without one. With "optional" it serves, and its other 400s
   * and closes are read as ever.
   */
  @Test
  void aGatewayDemandingAClientCertificateTurnsTheProbeAwayWith400(@TempDir Path dir) throws Exception {
    LoopbackCertificate certificate = CA.issue(HOST);
    Path cert = dir.resolve("tls.crt");
    Path key = dir.resolve("tls.key");
    Path clientCa = dir.resolve("origin-pull-ca.crt");
    Files.writeString(cert, pem("CERTIFICATE", certificate.certificate().getEncoded()));
    Files.writeString(key, pem("PRIVATE KEY", certificate.key().getEncoded()));
    Files.writeString(clientCa, CertificateAuthority.create("origin pull CA").pem());
    String tls = "ssl_certificate " + cert + "; ssl_certificate_key " + key + ";\n"
        + "ssl_client_certificate " + clientCa + ";\n";
    try (NginxProcess nginx = NginxServer.start("127.0.0.89", "ssl",
        tls + "ssl_verify_client on;\nlocation / { return 200; }\n")) {
      ProbeResult refused = probe(target(nginx, Scheme.HTTPS, "/"));

      assertThat(refused.outcome()).as(nginx.log() + refused.detail()).isEqualTo(ProbeOutcome.CLIENT_CERTIFICATE_REQUIRED);
      assertThat(refused.detail()).contains("(HTTP 400)");
      assertThat(refused.trace().certificate().subject()).as("its certificate was still seen").isEqualTo("CN=" + HOST);
    }
    try (NginxProcess nginx = NginxServer.start("127.0.0.89", "ssl",
        tls + "ssl_verify_client optional;\nlocation / { return 200; }\nlocation /bad { return 400; }\n"
            + "location /dropped { return 444; }\n")) {
      ProbeResult served = probe(target(nginx, Scheme.HTTPS, "/"));
      ProbeResult bad = probe(target(nginx, Scheme.HTTPS, "/bad"));
      ProbeResult dropped = probe(target(nginx, Scheme.HTTPS, "/dropped"));

      assertThat(served.outcome()).as(nginx.log() + served.detail()).isEqualTo(ProbeOutcome.RESPONDED);
      assertThat(served.statusCode()).isEqualTo(200);
      assertThat(bad.outcome()).as("asked optionally, a 400 of another kind is no refusal: " + bad.detail())
          .isEqualTo(ProbeOutcome.RESPONDED);
      assertThat(bad.statusCode()).isEqualTo(400);
      assertThat(dropped.outcome()).as("nor is a close without an answer: " + dropped.detail())
          .isEqualTo(ProbeOutcome.CONNECTION_CLOSED);
    }
  }

  /**
   * ingress-nginx's allowlist-source-range, as an origin locked to its CDN's ranges sets it:
   * {@code allow} each range, {@code deny all}. nginx answers a client outside them with its own
   * 403 page, told from a 403 the app behind it writes.
   */
  @Test
  void aGatewaysAllowlistRefusalIsToldFromTheAppsOwn403() throws Exception {
    try (LoopbackServer app = LoopbackServer.http("127.0.0.172", 0, Behaviour.status(403));
        LoopbackServer serving = LoopbackServer.http("127.0.0.173", 0, Behaviour.status(200));
        NginxProcess nginx = NginxServer.start("127.0.0.171", "", """
            location /listed { allow 173.245.48.0/20; allow 103.21.244.0/22; deny all; proxy_pass http://127.0.0.173:%d; }
            location /app { proxy_pass http://127.0.0.172:%d; }
            """.formatted(serving.port(), app.port()))) {
      ProbeResult refused = probe(target(nginx, Scheme.HTTP, "/listed"));
      ProbeResult appsOwn = probe(target(nginx, Scheme.HTTP, "/app"));
      ProbeResult podDirectly = probe(new ProbeTarget(ProbeLayer.UPSTREAM, nginx.address(), nginx.port(), Scheme.HTTP,
          HOST, "/listed", Duration.ofSeconds(5), "web/shop-web"));

      assertThat(refused.statusCode()).as(nginx.log()).isEqualTo(403);
      assertThat(refused.trace().answeredBy()).isEqualTo(ProbeTrace.AnswerSource.GATEWAY);
      assertThat(appsOwn.statusCode()).isEqualTo(403);
      assertThat(appsOwn.trace().answeredBy()).as("the app's 403, passed on").isEqualTo(ProbeTrace.AnswerSource.UPSTREAM);
      assertThat(podDirectly.trace().answeredBy()).as("a pod's own nginx is no gateway")
          .isEqualTo(ProbeTrace.AnswerSource.NOT_APPLICABLE);
    }
  }

  /**
   * What ingress-nginx answers before the app is asked, basic auth's 401 and app-root's redirect,
   * is told from a redirect the app writes and nginx passes on.
   */
  @Test
  void answersTheGatewayMakesBeforeTheAppIsAskedAreToldFromTheApps(@TempDir Path dir) throws Exception {
    Path users = dir.resolve("auth");
    Files.writeString(users, "staff:{PLAIN}not-the-probes\n");
    try (LoopbackServer app = LoopbackServer.http("127.0.0.175", 0, Behaviour.redirect(302, "/login"));
        NginxProcess nginx = NginxServer.start("127.0.0.174", "", """
            location = / { return 302 /app; }
            location /staff { auth_basic "staff"; auth_basic_user_file %s; proxy_pass http://127.0.0.175:%d; }
            location /app { proxy_pass http://127.0.0.175:%d; }
            """.formatted(users, app.port(), app.port()))) {
      ProbeResult appRoot = probe(target(nginx, Scheme.HTTP, "/"));
      ProbeResult credentials = probe(target(nginx, Scheme.HTTP, "/staff"));
      ProbeResult appsOwn = probe(target(nginx, Scheme.HTTP, "/app"));

      assertThat(appRoot.statusCode()).as(nginx.log()).isEqualTo(302);
      assertThat(appRoot.trace().answeredBy()).isEqualTo(ProbeTrace.AnswerSource.GATEWAY);
      assertThat(appRoot.turnedAway()).isTrue();
      assertThat(credentials.statusCode()).isEqualTo(401);
      assertThat(credentials.trace().answeredBy()).isEqualTo(ProbeTrace.AnswerSource.GATEWAY);
      assertThat(appsOwn.statusCode()).isEqualTo(302);
      assertThat(appsOwn.trace().answeredBy()).as("the app's redirect, passed on").isEqualTo(ProbeTrace.AnswerSource.UPSTREAM);
      assertThat(appsOwn.turnedAway()).isFalse();
    }
  }

  @Test
  void theGatewaysOwnErrorPagesAreToldFromAnswersItPassesOn() throws Exception {
    int closed = LoopbackServer.unusedPort("127.0.0.84");
    try (LoopbackServer busy = LoopbackServer.http("127.0.0.85", 0, Behaviour.status(503));
        LoopbackServer slow = LoopbackServer.http("127.0.0.86", 0, Behaviour.slowly(200, Duration.ofSeconds(4)));
        NginxProcess nginx = NginxServer.start("127.0.0.83", "", """
            location /down { proxy_pass http://127.0.0.84:%d; }
            location /busy { proxy_pass http://127.0.0.85:%d; }
            location /slow { proxy_pass http://127.0.0.86:%d; proxy_read_timeout 1s; }
            """.formatted(closed, busy.port(), slow.port()))) {
      ProbeResult down = probe(target(nginx, Scheme.HTTP, "/down"));
      ProbeResult passedOn = probe(target(nginx, Scheme.HTTP, "/busy"));
      ProbeResult timedOut = probe(target(nginx, Scheme.HTTP, "/slow"));

      assertThat(down.statusCode()).isEqualTo(502);
      assertThat(down.trace().answeredBy()).isEqualTo(ProbeTrace.AnswerSource.GATEWAY);
      assertThat(down.summary()).isEqualTo("HTTP 502 (the gateway's own error page)");
      assertThat(passedOn.statusCode()).isEqualTo(503);
      assertThat(passedOn.trace().answeredBy()).isEqualTo(ProbeTrace.AnswerSource.UPSTREAM);
      assertThat(timedOut.statusCode()).isEqualTo(504);
      assertThat(timedOut.trace().answeredBy()).isEqualTo(ProbeTrace.AnswerSource.GATEWAY);
    }
  }

  /**
   * An app's own nginx in front of its backend (php-fpm) answers 502 with nginx's page. Probed
   * directly as an upstream endpoint, no gateway wrote it: the summary must not say so.
   */
  @Test
  void aPodsOwnNginxPageIsNotTheGatewaysWhenThePodIsProbedDirectly() throws Exception {
    int closed = LoopbackServer.unusedPort("127.0.0.84");
    try (NginxProcess appNginx = NginxServer.start("127.0.0.88", "", """
            location / { proxy_pass http://127.0.0.84:%d; }
            """.formatted(closed))) {
      ProbeTarget asGateway = target(appNginx, Scheme.HTTP, "/");
      ProbeTarget asPod = new ProbeTarget(ProbeLayer.UPSTREAM, appNginx.address(), appNginx.port(), Scheme.HTTP, HOST,
          "/", Duration.ofSeconds(5), "web/shop-web");

      assertThat(probe(asGateway).trace().answeredBy()).isEqualTo(ProbeTrace.AnswerSource.GATEWAY);
      ProbeResult direct = probe(asPod);
      assertThat(direct.statusCode()).isEqualTo(502);
      assertThat(direct.trace().answeredBy()).isEqualTo(ProbeTrace.AnswerSource.NOT_APPLICABLE);
      assertThat(direct.summary()).isEqualTo("HTTP 502");
    }
  }

  /**
   * ingress-nginx's ssl-redirect is this very return: a CDN fetching the origin over http gets it,
   * passes it on, and its visitors come back for the same fetch. A redirect to www leads elsewhere.
   */
  @Test
  void nginxRedirectingHttpToItselfOverHttpsIsALoopAndToWwwIsNot() throws Exception {
    try (NginxProcess nginx = NginxServer.start("127.0.0.80", "", """
        location /apex { return 301 https://www.$host$request_uri; }
        location /trusting {
          if ($http_x_forwarded_proto != "https") { return 308 https://$host$request_uri; }
          return 200;
        }
        location / { return 308 https://$host$request_uri; }
        """)) {
      ProbeResult loop = probe(target(nginx, Scheme.HTTP, "/cart?item=7"));
      ProbeResult toWww = probe(target(nginx, Scheme.HTTP, "/apex"));
      // ingress-nginx with use-forwarded-headers, or an app behind a trusted proxy: the CDN says
      // its visitor came over https, and gets the page; so does a probe that says what it says.
      ProbeResult trustingAsTheCdnAsks = probe(target(nginx, Scheme.HTTP, "/trusting")
          .withHeaders(java.util.Map.of("X-Forwarded-Proto", "https")));
      ProbeResult trustingAskedBare = probe(target(nginx, Scheme.HTTP, "/trusting"));

      assertThat(loop.outcome()).as(nginx.log()).isEqualTo(ProbeOutcome.REDIRECT_LOOP);
      assertThat(loop.statusCode()).isEqualTo(308);
      assertThat(loop.detail()).isEqualTo("https://" + HOST + "/cart?item=7");
      assertThat(toWww.outcome()).isEqualTo(ProbeOutcome.RESPONDED);
      assertThat(toWww.statusCode()).isEqualTo(301);
      assertThat(trustingAsTheCdnAsks.outcome()).isEqualTo(ProbeOutcome.RESPONDED);
      assertThat(trustingAsTheCdnAsks.statusCode()).isEqualTo(200);
      assertThat(trustingAskedBare.outcome()).isEqualTo(ProbeOutcome.REDIRECT_LOOP);
    }
  }

  /**
   * Cloudflare connects to origins with TLS 1.0 to 1.3 and a documented list of suites: an origin
   * that speaks only an old protocol, or only a suite of that list the probe's TLS library lacks,
   * is served, and must not read as a 525; one that speaks only a suite outside the list gets the
   * CDN's 525, and the probe must fail too.
   */
  @Test
  void theOriginProbeOffersWhatTheCdnOffersAndNoMore(@TempDir Path dir) throws Exception {
    String tls = certificate(dir, CA.issueRsa(HOST));
    try (NginxProcess tls10 = NginxServer.start("127.0.0.90", "ssl",
            tls + "ssl_protocols TLSv1 TLSv1.1; ssl_ciphers 'DEFAULT:@SECLEVEL=0';\nlocation / { return 200; }\n");
        NginxProcess sha384 = NginxServer.start("127.0.0.91", "ssl",
            tls + "ssl_protocols TLSv1.2; ssl_ciphers ECDHE-RSA-AES256-SHA384;\nlocation / { return 200; }\n");
        NginxProcess notCloudflares = NginxServer.start("127.0.0.92", "ssl",
            tls + "ssl_protocols TLSv1.2; ssl_ciphers ECDHE-RSA-AES256-SHA;\nlocation / { return 200; }\n")) {
      ProbeResult old = probe(origin(tls10));
      ProbeResult onlySha384 = probe(origin(sha384));
      ProbeResult outsideTheList = probe(origin(notCloudflares));
      ProbeResult outsideTheListAsTheGatewayAsks = probe(new ProbeTarget(ProbeLayer.UPSTREAM, notCloudflares.address(),
          notCloudflares.port(), Scheme.HTTPS, HOST, "/", Duration.ofSeconds(5), "web/shop-web"));

      if (NettyProber.TLS_PROVIDER == io.netty.handler.ssl.SslProvider.OPENSSL) {
        assertThat(old.outcome()).as(tls10.log() + old.detail()).isEqualTo(ProbeOutcome.RESPONDED);
        assertThat(old.statusCode()).isEqualTo(200);
      } else {
        assertThat(old.outcome()).as("the JDK's TLS will not offer TLS 1.0: not judged, no 525: " + old.detail())
            .isEqualTo(ProbeOutcome.TLS_NOT_JUDGED);
        assertThat(old.outcome().isEvidence()).isFalse();
      }
      assertThat(onlySha384.outcome()).as(sha384.log() + onlySha384.detail()).isEqualTo(ProbeOutcome.RESPONDED);
      assertThat(onlySha384.statusCode()).isEqualTo(200);
      assertThat(outsideTheList.outcome()).as("ECDHE-RSA-AES256-SHA is no suite Cloudflare offers: " + outsideTheList.detail())
          .isEqualTo(ProbeOutcome.TLS_FAILED);
      assertThat(outsideTheListAsTheGatewayAsks.outcome()).as("nginx offers its upstreams OpenSSL's DEFAULT list")
          .isEqualTo(ProbeOutcome.RESPONDED);
    }
  }

  private static ProbeTarget origin(NginxProcess nginx) {
    return new ProbeTarget(ProbeLayer.ORIGIN, nginx.address(), nginx.port(), Scheme.HTTPS, HOST, "/",
        Duration.ofSeconds(5), "");
  }

  private static String certificate(Path dir, LoopbackCertificate certificate) throws Exception {
    Path cert = dir.resolve("tls.crt");
    Path key = dir.resolve("tls.key");
    Files.writeString(cert, pem("CERTIFICATE", certificate.certificate().getEncoded()));
    Files.writeString(key, pem("PRIVATE KEY", certificate.key().getEncoded()));
    return "ssl_certificate " + cert + "; ssl_certificate_key " + key + ";\n";
  }

  @Test
  void plainHttpOnATlsPortIsAHandshakeFailureNotACertificateOne() throws Exception {
    try (NginxProcess nginx = NginxServer.start("127.0.0.87", "", "location / { return 200; }")) {
      ProbeResult result = probe(target(nginx, Scheme.HTTPS, "/"));

      assertThat(result.outcome()).isEqualTo(ProbeOutcome.TLS_FAILED);
      assertThat(result.detail()).isEqualTo("handshake failed: the server does not speak TLS");
    }
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }
}
