package dev.upstreamhealth.diagnosis;

import dev.upstreamhealth.probe.ProbeResult;

/**
 * The message of an origin that redirects its own http address to https: no status of the
 * catalogue names the loop this makes behind a CDN fetching over http, so the message says what
 * visitors meet and both ways out.
 */
final class HttpsRedirectLoop {
  private HttpsRedirectLoop() {}

  /**
   * What a Healthy message says of such a redirect where the Site does not say the CDN fetches over
   * http: no loop for a CDN that fetches over https, and what settles which it is.
   */
  static String healthyNote(ProbeResult redirect) {
    return " answers " + redirect.statusCode() + " to " + redirect.detail() + ", the same address over https: no"
        + " fault for a CDN that fetches it over https, where its page is judged from the probes behind it;"
        + " a CDN that fetches over http (Cloudflare's Flexible mode) would send visitors back to it without end"
        + " (spec.origin.scheme http says it does, and makes this the fault it is)";
  }

  /** @param at the origin as the probe asked it, e.g. "origin http://203.0.113.7:80/ (Host shop.example.com)" */
  static String message(String at, ProbeResult redirect) {
    return at + " answers " + redirect.statusCode() + " to " + redirect.detail() + ", the same address over https:"
        + " a CDN that fetches the origin over http (Cloudflare's Flexible mode) sends its visitors back to it"
        + " without end (ERR_TOO_MANY_REDIRECTS); fetch and probe the origin over https (the CDN's SSL mode"
        + " Full (strict), spec.origin.scheme https), or stop the redirect (ingress-nginx: annotation"
        + " nginx.ingress.kubernetes.io/ssl-redirect \"false\" and no force-ssl-redirect; or the app's own)";
  }
}
