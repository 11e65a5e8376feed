package dev.upstreamhealth.loopback;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * A server certificate and its key for a loopback TLS server.
 *
 * @param chain what the server presents: the certificate first, then its issuers
 */
public record LoopbackCertificate(PrivateKey key, X509Certificate certificate, List<X509Certificate> chain) {
  public LoopbackCertificate {
    chain = List.copyOf(chain);
  }

  /** The same certificate sent alone, without the authorities that issued it (cert.pem where fullchain.pem belongs). */
  public LoopbackCertificate alone() {
    return new LoopbackCertificate(key, certificate, List.of(certificate));
  }

  /** A certificate that signs itself: no one trusts it unless told to trust exactly it. */
  public static LoopbackCertificate selfSigned(String hostName) {
    return CertificateAuthority.selfSigned(hostName);
  }
}
