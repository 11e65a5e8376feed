package dev.upstreamhealth.probe.transport;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslProvider;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLContext;

/**
 * What a probe's ClientHello offers: what the CDN offers an origin, or what the gateway offers its
 * upstreams. An offer narrower than theirs fails handshakes they complete: a false 525.
 */
final class TlsOffer {
  /**
   * Cloudflare connects to origins with TLS 1.0 to 1.3. ingress-nginx writes no
   * proxy_ssl_protocols unless proxy-ssl-secret is set, so nginx's default applies to https
   * upstreams: TLSv1 to TLSv1.2 (1.3 from nginx 1.23.4). The same range serves both.
   */
  static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2", "TLSv1.1", "TLSv1");

  /**
   * The cipher suites Cloudflare presents to origins, in its ClientHello's order
   * (developers.cloudflare.com/ssl/origin-configuration/cipher-suites/). Only these: an origin
   * that speaks none of them gets a 525 from Cloudflare, so it must fail the probe too.
   */
  static final List<String> CLOUDFLARE_TO_ORIGIN = List.of(
      "TLS_AES_128_GCM_SHA256",
      "TLS_AES_256_GCM_SHA384",
      "TLS_CHACHA20_POLY1305_SHA256",
      "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
      "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
      "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
      "TLS_RSA_WITH_AES_128_GCM_SHA256",
      "TLS_RSA_WITH_AES_128_CBC_SHA",
      "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
      "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
      "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384",
      "TLS_RSA_WITH_AES_256_CBC_SHA",
      "SSL_RSA_WITH_3DES_EDE_CBC_SHA");

  private TlsOffer() {}

  /** The CDN's suites that {@code provider} can offer. */
  static List<String> cdnCiphers(SslProvider provider) {
    Set<String> supported = supported(provider);
    return CLOUDFLARE_TO_ORIGIN.stream().filter(supported::contains).toList();
  }

  /**
   * The CDN's suites {@code provider} cannot offer: BoringSSL has no ECDHE-RSA-AES256-SHA384 and
   * no DES-CBC3-SHA. A handshake that found no common suite is tried once more with these on the
   * JDK's TLS before it counts as a 525.
   */
  static List<String> cdnCiphersMissing(SslProvider provider) {
    Set<String> supported = supported(provider);
    return CLOUDFLARE_TO_ORIGIN.stream().filter(c -> !supported.contains(c)).toList();
  }

  /**
   * nginx offers its upstreams OpenSSL's DEFAULT list (proxy_ssl_ciphers), wider than the CDN's:
   * the provider's own defaults and the CDN's suites together come closest without being narrower.
   */
  static List<String> gatewayCiphers(SslProvider provider) {
    Set<String> all = new LinkedHashSet<>(cdnCiphers(provider));
    all.addAll(defaults(provider));
    return new ArrayList<>(all);
  }

  private static Set<String> supported(SslProvider provider) {
    if (provider == SslProvider.JDK) {
      return Set.of(jdk().getSupportedSSLParameters().getCipherSuites());
    }
    Set<String> available = new LinkedHashSet<>();
    for (String suite : CLOUDFLARE_TO_ORIGIN) {
      if (OpenSsl.isCipherSuiteAvailable(suite)) {
        available.add(suite);
      }
    }
    return available;
  }

  private static List<String> defaults(SslProvider provider) {
    if (provider == SslProvider.JDK) {
      return List.of(jdk().getDefaultSSLParameters().getCipherSuites());
    }
    return List.copyOf(OpenSsl.availableJavaCipherSuites()).stream()
        .filter(s -> !s.startsWith("SSL_") && !s.contains("_PSK_"))
        .toList();
  }

  private static SSLContext jdk() {
    try {
      return SSLContext.getDefault();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JVM has no TLS", e);
    }
  }
}
