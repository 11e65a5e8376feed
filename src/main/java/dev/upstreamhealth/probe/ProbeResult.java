package dev.upstreamhealth.probe;

import java.time.Duration;
import java.time.Instant;

/**
 * What one probe saw.
 *
 * @param statusCode the HTTP status when {@code outcome} is RESPONDED, else 0
 * @param retryAfter whether the response carried a {@code Retry-After} header
 * @param detail a short human-readable explanation, e.g. the TLS alert or the certificate problem
 */
public record ProbeResult(
    ProbeTarget target,
    ProbeOutcome outcome,
    int statusCode,
    boolean retryAfter,
    Duration latency,
    String detail,
    Instant finishedAt) {

  public boolean responded() {
    return outcome == ProbeOutcome.RESPONDED;
  }

  /** "503 with Retry-After", "ConnectionRefused": the short form used in messages. */
  public String summary() {
    if (!responded()) {
      return outcome.label();
    }
    return "HTTP " + statusCode + (retryAfter ? " with Retry-After" : "");
  }
}
