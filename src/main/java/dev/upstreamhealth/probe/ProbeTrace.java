package dev.upstreamhealth.probe;

import java.time.Duration;
import java.time.Instant;

/**
 * How one probe went, beyond its outcome: for the status a person reads, not for the verdict's
 * thresholds.
 *
 * @param dns time to resolve the name (zero for an IP address), null if never finished
 * @param connect time for the TCP connection, null if it never completed
 * @param tls time for the TLS handshake, null for plain HTTP or when it never completed
 * @param firstByte time from sending the request to the first byte of the answer, null if none came
 * @param remoteAddress the address:port that answered, empty when no connection was made
 * @param certificate the server's certificate as presented (https), or null
 * @param answeredBy for a 502, 503 or 504: who wrote the answer, else {@link AnswerSource#NOT_APPLICABLE}
 * @param headBytes the size of the response head (status line, header lines, the blank line), 0
 *     when none came: what a gateway must hold in its buffer before it can pass the answer on
 */
public record ProbeTrace(
    Duration dns,
    Duration connect,
    Duration tls,
    Duration firstByte,
    String remoteAddress,
    PresentedCertificate certificate,
    AnswerSource answeredBy,
    int headBytes) {

  public static final ProbeTrace NONE =
      new ProbeTrace(null, null, null, null, "", null, AnswerSource.NOT_APPLICABLE, 0);

  /** The same trace, with another certificate counted as presented. */
  public ProbeTrace withCertificate(PresentedCertificate counted) {
    return new ProbeTrace(dns, connect, tls, firstByte, remoteAddress, counted, answeredBy, headBytes);
  }

  /** Phases under this many milliseconds (nearly all) share one Duration instance per millisecond. */
  private static final int SHARED_MILLIS = 10_000;
  private static final Duration[] MILLIS = new Duration[SHARED_MILLIS];

  static {
    for (int i = 0; i < SHARED_MILLIS; i++) {
      MILLIS[i] = Duration.ofMillis(i);
    }
  }

  /**
   * Phases are kept to the millisecond, the precision the status shows them in: one trace is kept
   * per target (70,000 at 10,000 Sites), and four Durations of their own each would add up.
   */
  public ProbeTrace {
    dns = toMillis(dns);
    connect = toMillis(connect);
    tls = toMillis(tls);
    firstByte = toMillis(firstByte);
    remoteAddress = remoteAddress == null ? "" : remoteAddress;
    answeredBy = answeredBy == null ? AnswerSource.NOT_APPLICABLE : answeredBy;
  }

  private static Duration toMillis(Duration phase) {
    if (phase == null) {
      return null;
    }
    long ms = phase.toMillis();
    return ms >= 0 && ms < SHARED_MILLIS ? MILLIS[(int) ms] : Duration.ofMillis(ms);
  }

  /** The leaf certificate a server presented: enough to warn before it expires and to say whose it is. */
  public record PresentedCertificate(String subject, String issuer, Instant notBefore, Instant notAfter) {}

  /** For a 502, 503 or 504: whether the gateway made the page up or passed on an upstream's answer. */
  public enum AnswerSource {
    NOT_APPLICABLE(""),
    /** The body is the gateway's own error page (ingress-nginx's default page, Envoy's text). */
    GATEWAY("gateway"),
    /** Not the gateway's own page: the upstream answered this itself. */
    UPSTREAM("upstream");

    private final String label;

    AnswerSource(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }
}
