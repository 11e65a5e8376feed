package dev.upstreamhealth.probe.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.upstreamhealth.loopback.CertificateAuthority;
import dev.upstreamhealth.loopback.LoopbackCertificate;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import org.junit.jupiter.api.Test;

/**
 * What a refused chain is said to lack, for chains a handshake cannot be made to present: the
 * advice to serve the full chain only where the JDK found no path at all, and only for a server
 * certificate that is not its own issuer.
 */
class ExplainingTrustManagerTest {
  private static final String HOST = "shop.example.com";
  private static final CertificateException NO_PATH = new CertificateException(
      "PKIX path building failed: unable to find valid certification path to requested target");

  @Test
  void aSelfSignedCertificateSentWithAnUnrelatedAuthorityIsSelfSigned() {
    X509Certificate own = LoopbackCertificate.selfSigned(HOST).certificate();
    X509Certificate unrelated = CertificateAuthority.create("some CA").certificate();

    assertThat(ExplainingTrustManager.explain(NO_PATH, new X509Certificate[] {own, unrelated}, HOST))
        .isEqualTo("certificate not trusted: self-signed (CN=" + HOST + ")");
  }

  /** A path the JDK found and refused (a weak algorithm, a bad signature) is no missing intermediate. */
  @Test
  void aPathRefusedForAnotherReasonGivesNoChainAdvice() {
    X509Certificate leaf = CertificateAuthority.create("R11").issue(HOST).certificate();
    CertificateException refused = new CertificateException(
        "PKIX path validation failed: java.security.cert.CertPathValidatorException: Algorithm constraints check failed");

    assertThat(ExplainingTrustManager.explain(refused, new X509Certificate[] {leaf}, HOST))
        .isEqualTo("certificate not trusted: issuer CN=R11 is not a trusted authority")
        .doesNotContain("full chain");
    assertThat(ExplainingTrustManager.explain(NO_PATH, new X509Certificate[] {leaf}, HOST))
        .contains("serve the full chain");
  }
}
