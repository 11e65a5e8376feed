package dev.upstreamhealth.diagnosis;

import dev.upstreamhealth.api.ProbeSpec;
import dev.upstreamhealth.probe.StatusRanges;
import java.time.Duration;

/**
 * {@code spec.probe} with the schema's defaults filled in. An API server applies them at admission;
 * one without the schema (or an older object) may hand over nulls, which mean the same.
 */
public record ProbeSettings(String path, Duration interval, Duration timeout, int failureThreshold,
    int successThreshold, StatusRanges expected, boolean upstreams, int certificateWarningDays) {

  /** For a spec that {@link SpecProblems} found nothing wrong with. */
  public static ProbeSettings of(ProbeSpec spec) {
    ProbeSpec defaults = new ProbeSpec();
    ProbeSpec p = spec == null ? defaults : spec;
    return new ProbeSettings(
        p.getPath() == null ? defaults.getPath() : p.getPath(),
        Duration.ofSeconds(orDefault(p.getIntervalSeconds(), defaults.getIntervalSeconds())),
        Duration.ofSeconds(orDefault(p.getTimeoutSeconds(), defaults.getTimeoutSeconds())),
        orDefault(p.getFailureThreshold(), defaults.getFailureThreshold()),
        orDefault(p.getSuccessThreshold(), defaults.getSuccessThreshold()),
        StatusRanges.parse(p.getExpectedStatus() == null ? defaults.getExpectedStatus() : p.getExpectedStatus()),
        !Boolean.FALSE.equals(p.getUpstreams()),
        certificateWarningDays(p));
  }

  /** {@code probe.certificateWarningDays}, or its default; read alone, so an invalid spec does not throw. */
  public static int certificateWarningDays(ProbeSpec spec) {
    Integer days = spec == null ? null : spec.getCertificateWarningDays();
    return orDefault(days, new ProbeSpec().getCertificateWarningDays());
  }

  private static int orDefault(Integer value, int fallback) {
    return value == null ? fallback : value;
  }
}
