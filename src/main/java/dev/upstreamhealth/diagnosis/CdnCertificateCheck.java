package dev.upstreamhealth.diagnosis;

import dev.upstreamhealth.api.CdnSpec;
import dev.upstreamhealth.api.SiteSpec;

/**
 * How the CDN judges the origin's certificate, as a Site declares it: whether it checks it at all
 * (Cloudflare's "Full (strict)"), and so whether the Site is warned of its expiry: in "Full" an
 * expired one is still accepted and no 526 ever comes; and {@code probe.certificateWarningDays}
 * 0 turns the warning off.
 */
public final class CdnCertificateCheck {
  private CdnCertificateCheck() {}

  public static boolean warnsOfExpiry(SiteSpec spec) {
    // Each field read alone, not through ProbeSettings.of: this is asked of every Site shown, an invalid one too.
    return spec != null && verifies(spec.getCdn()) && ProbeSettings.certificateWarningDays(spec.getProbe()) > 0;
  }

  /** Whether the CDN checks the origin's certificate: {@code cdn.verifyOriginCertificate}, true unless false. */
  public static boolean verifies(CdnSpec cdn) {
    return cdn == null || !Boolean.FALSE.equals(cdn.getVerifyOriginCertificate());
  }
}
