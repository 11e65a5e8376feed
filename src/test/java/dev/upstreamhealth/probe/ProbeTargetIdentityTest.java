package dev.upstreamhealth.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A target's identity says what its key says: the same targets keep one history, others do not. */
class ProbeTargetIdentityTest {
  private static final ProbeTarget ORIGIN = new ProbeTarget(ProbeLayer.ORIGIN, "203.0.113.7", 443, Scheme.HTTPS,
      "shop.example.com", "/healthz", Duration.ofSeconds(5), "");

  @Test
  void identityAndKeyAgreeOnWhichTargetsAreTheSame() {
    List<ProbeTarget> variants = List.of(
        ORIGIN,
        ORIGIN.withHeaders(Map.of("X-Forwarded-Proto", "https")),
        ORIGIN.withProxyProtocol(ProxyProtocol.V1),
        ORIGIN.withCertificateCheck(CertificateCheck.ANY),
        new ProbeTarget(ProbeLayer.ORIGIN, "203.0.113.7", 443, Scheme.HTTPS, "shop.example.com", "/", Duration.ofSeconds(5), ""),
        new ProbeTarget(ProbeLayer.ORIGIN, "203.0.113.8", 443, Scheme.HTTPS, "shop.example.com", "/healthz", Duration.ofSeconds(5), ""),
        new ProbeTarget(ProbeLayer.GATEWAY, "203.0.113.7", 443, Scheme.HTTPS, "shop.example.com", "/healthz", Duration.ofSeconds(5), ""),
        new ProbeTarget(ProbeLayer.ORIGIN, "203.0.113.7", 8443, Scheme.HTTPS, "shop.example.com", "/healthz", Duration.ofSeconds(5), ""),
        new ProbeTarget(ProbeLayer.ORIGIN, "203.0.113.7", 443, Scheme.HTTP, "shop.example.com", "/healthz", Duration.ofSeconds(5), ""),
        new ProbeTarget(ProbeLayer.ORIGIN, "203.0.113.7", 443, Scheme.HTTPS, "blog.example.com", "/healthz", Duration.ofSeconds(5), ""),
        ORIGIN.connectOnly("gRPC"),
        new ProbeTarget(ProbeLayer.ORIGIN, "203.0.113.7", 443, Scheme.HTTP, "shop.example.com", "/", Duration.ofSeconds(5), "")
            .connectOnly("gRPC"));

    for (ProbeTarget a : variants) {
      for (ProbeTarget b : variants) {
        assertThat(a.identity().equals(b.identity()))
            .as("%s vs %s", a.key(), b.key())
            .isEqualTo(a.key().equals(b.key()));
      }
    }
    // How a target is asked (headers, PROXY header, certificate check) is not part of what it is.
    assertThat(ORIGIN.withProxyProtocol(ProxyProtocol.V1).identity()).isEqualTo(ORIGIN.identity());
    assertThat(ORIGIN.connectOnly("gRPC").identity()).isNotEqualTo(ORIGIN.identity());
  }
}
