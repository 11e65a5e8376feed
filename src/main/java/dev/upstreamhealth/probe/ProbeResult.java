package dev.upstreamhealth.probe;

import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;

/**
 * What one probe saw.
 *
 * @param statusCode the HTTP status when {@code outcome} is RESPONDED, REDIRECT_LOOP or
 *     ADDRESS_NOT_ADMITTED, else 0
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
   * A 403 the gateway wrote itself to an origin or gateway probe: nginx's page for a client its
   * allowlist does not name, not an answer passed on from the app. An upstream probe meets no gateway.
   */
  public boolean isGatewayRefusal() {
    return responded() && statusCode == 403 && target.layer() != ProbeLayer.UPSTREAM
        && trace.answeredBy() == ProbeTrace.AnswerSource.GATEWAY;
  }

  /**
   * Whether the probe was turned away or sent elsewhere before the request was looked at: a
   * client certificate demanded, its address not on the gateway's allowlist, a redirect to the
   * same address over https. What is served then stays unseen, even where it counts as a success.
   */
  public boolean turnedAway() {
    return outcome == ProbeOutcome.CLIENT_CERTIFICATE_REQUIRED || outcome == ProbeOutcome.ADDRESS_NOT_ADMITTED
        || outcome == ProbeOutcome.REDIRECT_LOOP;
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
