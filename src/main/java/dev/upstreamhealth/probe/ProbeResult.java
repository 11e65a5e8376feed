package dev.upstreamhealth.probe;

import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;

/**
 * What one probe saw.
 *
 * @param statusCode the HTTP status when {@code outcome} is RESPONDED, REDIRECT_LOOP,
 *     ADDRESS_NOT_ADMITTED or CREDENTIALS_REQUIRED, else 0
 * @param retryAfter whether the response carried a {@code Retry-After} header
 * @param detail a short human-readable explanation, e.g. the TLS alert or the certificate problem
 * @param trace phase timings, the remote address, the certificate, who wrote an error answer
 */
public record ProbeResult(
    ProbeTarget target,
    ProbeOutcome outcome,
    int statusCode,
    boolean retryAfter,
    Duration latency,
    String detail,
    Instant finishedAt,
    ProbeTrace trace) {

  public ProbeResult {
    trace = trace == null ? ProbeTrace.NONE : trace;
  }

  /** A result without a trace (what a scripted prober or a test gives). */
  public ProbeResult(ProbeTarget target, ProbeOutcome outcome, int statusCode, boolean retryAfter, Duration latency,
      String detail, Instant finishedAt) {
    this(target, outcome, statusCode, retryAfter, latency, detail, finishedAt, ProbeTrace.NONE);
  }

  public boolean responded() {
    return outcome == ProbeOutcome.RESPONDED;
  }

  /**
   * Whether the probe was turned away or sent elsewhere before the app was asked: a client
   * certificate demanded, its address not on the gateway's allowlist, credentials asked, a redirect
   * to the same address over https, or a redirect or 401 the gateway wrote itself (ingress-nginx's
   * app-root, auth-signin). What the app serves then stays unseen, even where it counts as a
   * success, and the probes behind the gateway judge it.
   */
  public boolean turnedAway() {
    return switch (outcome) {
      case CLIENT_CERTIFICATE_REQUIRED, ADDRESS_NOT_ADMITTED, CREDENTIALS_REQUIRED, REDIRECT_LOOP -> true;
      case RESPONDED -> trace.answeredBy() == ProbeTrace.AnswerSource.GATEWAY
          && (statusCode == 401 || (statusCode >= 300 && statusCode < 400));
      default -> false;
    };
  }

  /** The same result, counting {@code counted} as the certificate presented. */
  public ProbeResult withCertificate(ProbeTrace.PresentedCertificate counted) {
    return new ProbeResult(target, outcome, statusCode, retryAfter, latency, detail, finishedAt,
        trace.withCertificate(counted));
  }

  /** The same result, read as {@code another} outcome. */
  public ProbeResult withOutcome(ProbeOutcome another) {
    return new ProbeResult(target, another, statusCode, retryAfter, latency, detail, finishedAt, trace);
  }

  /** "503 with Retry-After", "ConnectionRefused": the short form used in messages. */
  public String summary() {
    if (!responded()) {
      return outcome.label();
    }
    String by = switch (trace.answeredBy()) {
      case GATEWAY -> " (the gateway's own error page)";
      case UPSTREAM -> " (passed on from the upstream)";
      case NOT_APPLICABLE -> "";
    };
    return "HTTP " + statusCode + (retryAfter ? " with Retry-After" : "") + by;
  }

  /** Whole days from this probe until the certificate it saw expires, if it saw one. */
  public OptionalLong certificateDaysLeft() {
    if (trace.certificate() == null || finishedAt == null) {
      return OptionalLong.empty();
    }
    return OptionalLong.of(Math.floorDiv(
        trace.certificate().notAfter().getEpochSecond() - finishedAt.getEpochSecond(), 86_400L));
  }
}
