package dev.upstreamhealth.diagnosis;

import dev.upstreamhealth.api.ProbeSpec;
import dev.upstreamhealth.api.SiteSpec;

/**
 * Whether a Site is warned of its origin certificate's expiry: only where the CDN checks the
 * certificate (Cloudflare's "Full (strict)"), since in "Full" an expired one is still accepted
 * and no 526 ever comes, and only with {@code probe.certificateWarningDays} above 0 (0 is off).
 */
public final class CertificateExpiryWatch {
  private CertificateExpiryWatch() {}

  public static boolean warns(SiteSpec spec) {
    if (spec == null) {
      return false;
    }
    boolean checkedByCdn = spec.getCdn() == null || !Boolean.FALSE.equals(spec.getCdn().getVerifyOriginCertificate());
    // Read alone, not through ProbeSettings: this is asked of every Site shown, an invalid one too.
    Integer days = spec.getProbe() == null ? null : spec.getProbe().getCertificateWarningDays();
    return checkedByCdn && (days == null ? new ProbeSpec().getCertificateWarningDays() : days) > 0;
  }
}
