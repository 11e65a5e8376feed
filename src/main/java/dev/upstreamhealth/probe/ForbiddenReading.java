package dev.upstreamhealth.probe;

/**
 * What a 403 that the Site's gateway gives an origin or gateway probe means, as the gateway's
 * client allowlist decides: visitors refused too, or only the probe, whose address inside the
 * cluster a list written for the CDN's ranges does not name.
 */
public enum ForbiddenReading {
  /** No list explains it: a 403 is what visitors get. */
  VISITORS_TOO,
  /**
   * The list admits the CDN and may admit the probe too (it names cluster-internal ranges): only
   * the gateway's own 403 page is its refusal of the probe; a 403 passed on is the app's.
   */
  PROBE_IF_GATEWAYS_OWN_PAGE,
  /**
   * The list admits the CDN and no cluster-internal address, so the probe never passes it: every
   * 403 is its refusal, whatever page a custom error backend (custom-http-errors) puts on it.
   */
  PROBE_ALWAYS
}
