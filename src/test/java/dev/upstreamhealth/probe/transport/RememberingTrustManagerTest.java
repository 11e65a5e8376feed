package dev.upstreamhealth.probe.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.upstreamhealth.loopback.CertificateAuthority;
import java.net.Socket;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import org.junit.jupiter.api.Test;

/** The PKIX verdicts a prober remembers: only acceptances, only for the same bytes, host and dates. */
class RememberingTrustManagerTest {
  private static final String HOST = "shop.example.com";
  private static final CertificateAuthority CA = CertificateAuthority.create("remembering test CA");
  private static final Instant T0 = Instant.now().truncatedTo(ChronoUnit.SECONDS);
  private static final X509Certificate[] CHAIN = CA.issue(HOST).chain().toArray(X509Certificate[]::new);

  private final AtomicLong now = new AtomicLong(T0.toEpochMilli());
  private final CountingVerifier verifier = new CountingVerifier();
  private final RememberingTrustManager trust = new RememberingTrustManager(verifier, now::get);

  @Test
  void theSameChainForTheSameHostIsCheckedInFullOnce() throws Exception {
    trust.checkServerTrusted(CHAIN, "UNKNOWN", engineFor(HOST));
    trust.checkServerTrusted(CHAIN.clone(), "UNKNOWN", engineFor(HOST));
    trust.checkServerTrusted(CHAIN, "UNKNOWN", engineFor(HOST));

    assertThat(verifier.serverChecks).isEqualTo(1);
  }

  @Test
  void anotherHostChainOrKeyExchangeIsCheckedInFull() throws Exception {
    X509Certificate[] reissued = CA.issue(HOST).chain().toArray(X509Certificate[]::new);

    trust.checkServerTrusted(CHAIN, "UNKNOWN", engineFor(HOST));
    trust.checkServerTrusted(CHAIN, "UNKNOWN", engineFor("other.example.com"));
    trust.checkServerTrusted(reissued, "UNKNOWN", engineFor(HOST));
    trust.checkServerTrusted(CHAIN, "ECDHE_ECDSA", engineFor(HOST));
    trust.checkServerTrusted(new X509Certificate[] {CHAIN[0]}, "UNKNOWN", engineFor(HOST));

    assertThat(verifier.serverChecks).isEqualTo(5);
  }

  @Test
  void aRefusalIsNeverRememberedAndAnAcceptanceAfterItIs() throws Exception {
    verifier.refusal = new CertificateException("No name matching " + HOST + " found");

    for (int i = 0; i < 2; i++) {
      assertThatThrownBy(() -> trust.checkServerTrusted(CHAIN, "UNKNOWN", engineFor(HOST)))
          .isSameAs(verifier.refusal);
    }
    verifier.refusal = null;
    trust.checkServerTrusted(CHAIN, "UNKNOWN", engineFor(HOST));
    trust.checkServerTrusted(CHAIN, "UNKNOWN", engineFor(HOST));

    assertThat(verifier.serverChecks).isEqualTo(3);
  }

  @Test
  void anAcceptedChainIsCheckedInFullAgainOnceItsEarliestCertificateExpires() throws Exception {
    Instant expiry = T0.plus(Duration.ofMinutes(10));
    X509Certificate[] expiring = CA.issue(T0.minus(Duration.ofDays(1)), expiry, HOST).chain()
        .toArray(X509Certificate[]::new);
    trust.checkServerTrusted(expiring, "UNKNOWN", engineFor(HOST));

    now.set(expiry.toEpochMilli());
    trust.checkServerTrusted(expiring, "UNKNOWN", engineFor(HOST));
    assertThat(verifier.serverChecks).as("still valid in its last millisecond").isEqualTo(1);

    now.set(expiry.toEpochMilli() + 1);
    verifier.refusal = new CertificateException("expired");
    assertThatThrownBy(() -> trust.checkServerTrusted(expiring, "UNKNOWN", engineFor(HOST)))
        .isSameAs(verifier.refusal);
    assertThat(verifier.serverChecks).isEqualTo(2);
  }

  @Test
  void anAcceptedChainIsCheckedInFullAgainWithinTheHourWhateverItsExpiry() throws Exception {
    trust.checkServerTrusted(CHAIN, "UNKNOWN", engineFor(HOST));

    now.addAndGet(RememberingTrustManager.REMEMBERED_FOR.toMillis() - 1);
    trust.checkServerTrusted(CHAIN, "UNKNOWN", engineFor(HOST));
    assertThat(verifier.serverChecks).isEqualTo(1);

    now.addAndGet(1);
    trust.checkServerTrusted(CHAIN, "UNKNOWN", engineFor(HOST));
    assertThat(verifier.serverChecks).isEqualTo(2);
  }

  @Test
  void aClockSetBackBeforeTheChainWasValidGetsAFullCheck() throws Exception {
    trust.checkServerTrusted(CHAIN, "UNKNOWN", engineFor(HOST));

    now.set(CHAIN[0].getNotBefore().getTime() - 1);
    trust.checkServerTrusted(CHAIN, "UNKNOWN", engineFor(HOST));

    assertThat(verifier.serverChecks).isEqualTo(2);
  }

  @Test
  void pastItsCapacityItForgetsAndChecksInFullAgain() throws Exception {
    for (int i = 0; i < RememberingTrustManager.CAPACITY; i++) {
      trust.checkServerTrusted(CHAIN, "UNKNOWN", engineFor("site-" + i + ".example.com"));
    }
    trust.checkServerTrusted(CHAIN, "UNKNOWN", engineFor("site-0.example.com"));
    assertThat(verifier.serverChecks).isEqualTo(RememberingTrustManager.CAPACITY);

    trust.checkServerTrusted(CHAIN, "UNKNOWN", engineFor("one-too-many.example.com"));
    trust.checkServerTrusted(CHAIN, "UNKNOWN", engineFor("site-0.example.com"));

    assertThat(verifier.serverChecks).isEqualTo(RememberingTrustManager.CAPACITY + 2);
  }

  @Test
  void withoutAnEngineNothingIsRemembered() throws Exception {
    trust.checkServerTrusted(CHAIN, "UNKNOWN");
    trust.checkServerTrusted(CHAIN, "UNKNOWN");
    trust.checkServerTrusted(CHAIN, "UNKNOWN", (SSLEngine) null);
    trust.checkServerTrusted(CHAIN, "UNKNOWN", (SSLEngine) null);

    assertThat(verifier.serverChecks).isEqualTo(4);
  }

  private static SSLEngine engineFor(String host) {
    try {
      return SSLContext.getDefault().createSSLEngine(host, 443);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Stands in for the JDK's PKIX check: counts server checks, and refuses while told to. */
  private static final class CountingVerifier extends X509ExtendedTrustManager {
    int serverChecks;
    CertificateException refusal;

    private void serverCheck() throws CertificateException {
      serverChecks++;
      if (refusal != null) {
        throw refusal;
      }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      serverCheck();
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      serverCheck();
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
      serverCheck();
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
      throw new UnsupportedOperationException("probes are clients");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
      throw new UnsupportedOperationException("probes are clients");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {
      throw new UnsupportedOperationException("probes are clients");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
