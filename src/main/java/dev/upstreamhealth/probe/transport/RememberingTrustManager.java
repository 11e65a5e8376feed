package dev.upstreamhealth.probe.transport;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Remembers which certificate chains the JDK's PKIX check accepted for which host, so that a chain
 * presented again byte for byte is not put through the same check on every probe: the check cost
 * more CPU than the rest of an HTTPS probe. Nothing else is skipped: each probe still makes a full
 * handshake, the server still proves it holds the certificate's key (checked by the TLS engine),
 * and any other chain, any other host, a chain past the earliest expiry in it, or one accepted more
 * than {@link #REMEMBERED_FOR} ago is checked in full. The outcome cannot differ: the trust anchors
 * are fixed for the life of a prober and revocation is not checked (nor is it by the JDK for TLS,
 * by default). Refusals are never remembered, so each is explained afresh.
 */
final class RememberingTrustManager extends DelegatingTrustManager {
  /** Accepted chains are checked again at least this often, whatever their expiry. */
  static final Duration REMEMBERED_FOR = Duration.ofHours(1);
  /**
   * Chains remembered at most, about 2 MiB: more than the origins of 10,000 Sites, one chain and
   * host each. Past it the stale are dropped first, and everything if that is not enough.
   */
  static final int CAPACITY = 16_384;

  /** The wall clock in epoch milliseconds, which certificate dates are judged by. */
  private final LongSupplier clock;
  private final Map<ChainKey, Window> accepted = new ConcurrentHashMap<>();

  /** The SHA-256 of the host, the key exchange and the chain's encoded certificates. */
  private record ChainKey(long a, long b, long c, long d) {}

  /** When an accepted chain may be taken as accepted again, in epoch milliseconds. */
  private record Window(long fromMillis, long untilMillis) {
    boolean covers(long millis) {
      return millis >= fromMillis && millis < untilMillis;
    }
  }

  RememberingTrustManager(X509ExtendedTrustManager verifier, LongSupplier clock) {
    super(verifier);
    this.clock = clock;
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    ChainKey key = engine == null ? null : keyOf(chain, authType, engine.getPeerHost());
    Window known = key == null ? null : accepted.get(key);
    if (known != null && known.covers(clock.getAsLong())) {
      return;
    }
    verifier.checkServerTrusted(chain, authType, engine);
    if (key != null) {
      remember(key, chain);
    }
  }

  private void remember(ChainKey key, X509Certificate[] chain) {
    long now = clock.getAsLong();
    // Every certificate sent must be within its dates for the window to hold: narrower than the
    // path the check built when the server sends extra ones, never wider.
    long from = Long.MIN_VALUE;
    long until = now + REMEMBERED_FOR.toMillis();
    for (X509Certificate certificate : chain) {
      from = Math.max(from, certificate.getNotBefore().getTime());
      until = Math.min(until, certificate.getNotAfter().getTime() + 1);
    }
    if (accepted.size() >= CAPACITY) {
      accepted.values().removeIf(window -> !window.covers(now));
      if (accepted.size() >= CAPACITY) {
        accepted.clear();
      }
    }
    accepted.put(key, new Window(from, until));
  }

  private static ChainKey keyOf(X509Certificate[] chain, String authType, String host) {
    if (chain == null || chain.length == 0 || host == null) {
      return null;
    }
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      sha256.update(host.getBytes(StandardCharsets.UTF_8));
      sha256.update((byte) 0);
      sha256.update(String.valueOf(authType).getBytes(StandardCharsets.UTF_8));
      for (X509Certificate certificate : chain) {
        byte[] encoded = certificate.getEncoded();
        sha256.update(ByteBuffer.allocate(4).putInt(encoded.length).array());
        sha256.update(encoded);
      }
      ByteBuffer digest = ByteBuffer.wrap(sha256.digest());
      return new ChainKey(digest.getLong(), digest.getLong(), digest.getLong(), digest.getLong());
    } catch (CertificateEncodingException | NoSuchAlgorithmException | RuntimeException unreadable) {
      return null; // checked in full, and not remembered
    }
  }
}
