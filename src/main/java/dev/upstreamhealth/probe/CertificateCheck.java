package dev.upstreamhealth.probe;

/** How a https probe judges the server's certificate: as the CDN (or gateway) it stands in for does. */
public enum CertificateCheck {
  /**
   * Valid now, names the host, chains to a trusted root (Cloudflare "Full (strict)"); a violation
   * is {@link ProbeOutcome#CERTIFICATE_INVALID}.
   */
  STRICT,
  /**
   * Any certificate passes once the handshake completes (Cloudflare "Full"; ingress-nginx to a
   * https upstream without proxy-ssl-verify).
   */
  ANY
}
