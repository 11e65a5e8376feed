package dev.upstreamhealth.diagnosis;

import dev.upstreamhealth.api.Reason;
import dev.upstreamhealth.probe.ProbeResult;
import dev.upstreamhealth.probe.ProbeTrace;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.OptionalLong;

/**
 * The origin certificate that passes the CDN's check today, and how soon it will not (a 526 to
 * come). Days are counted from the probe that saw it, so the message changes once a day at most.
 */
final class OriginCertificate {
  private OriginCertificate() {}

  static void assess(Snapshot s, ProbeResult origin, Findings findings) {
    ProbeTrace.PresentedCertificate certificate = origin.trace().certificate();
    int warningDays = ProbeSettings.of(s.spec().getProbe()).certificateWarningDays();
    OptionalLong daysLeft = origin.certificateDaysLeft();
    if (certificate == null || !CdnCertificateCheck.warnsOfExpiry(s.spec()) || daysLeft.isEmpty() || daysLeft.getAsLong() >= warningDays) {
      return;
    }
    LocalDate expiry = LocalDate.ofInstant(certificate.notAfter(), ZoneOffset.UTC);
    long days = daysLeft.getAsLong();
    findings.add(Reason.CERTIFICATE_EXPIRING, "the certificate of origin " + origin.target().url() + " ("
        + certificate.subject() + ", issued by " + certificate.issuer() + ") expires on " + expiry + ": "
        + days + (days == 1 ? " day" : " days") + " left (probe.certificateWarningDays " + warningDays
        + "); once expired the CDN refuses it (526)" + s.tlsElsewhereNote());
  }
}
