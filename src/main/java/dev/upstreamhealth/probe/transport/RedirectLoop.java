package dev.upstreamhealth.probe.transport;

import dev.upstreamhealth.probe.ProbeLayer;
import dev.upstreamhealth.probe.ProbeTarget;
import dev.upstreamhealth.probe.Scheme;

/**
 * A redirect that sends an http request back to the same address over https (ingress-nginx's
 * {@code ssl-redirect}, an app forcing https). A CDN that fetches the origin over http (Cloudflare's
 * Flexible mode) hands it to its visitors, who ask the CDN for that https address, which fetches
 * the same http address again: the loop every visitor meets as ERR_TOO_MANY_REDIRECTS.
 */
final class RedirectLoop {
  private static final String HTTPS = "https://";

  private RedirectLoop() {}

  /**
   * Whether an answer of {@code status} to this probe can be such a loop, so its {@code Location}
   * is worth reading: a redirect to an http probe of the origin or the gateway, which ask what the
   * CDN asks. An upstream probe asks what the gateway asks, which visitors never see.
   */
  static boolean possible(ProbeTarget target, int status) {
    return target.scheme() == Scheme.HTTP && target.layer() != ProbeLayer.UPSTREAM && isRedirect(status);
  }

  /**
   * Whether {@code location} is the probe's own address over https: the same host (any case, no
   * port or 443) and the same path and query, or the same path without its trailing slash. A relative location, another host (apex to www) or
   * another path (/ to /login) leads somewhere else, where the CDN's next fetch may well be served.
   */
  static boolean backToItself(ProbeTarget target, String location) {
    if (location == null || !location.regionMatches(true, 0, HTTPS, 0, HTTPS.length())) {
      return false;
    }
    int authorityEnd = indexOfAny(location, HTTPS.length(), "/?#");
    String authority = location.substring(HTTPS.length(), authorityEnd);
    String host = NettyProber.hostHeader(target);
    if (!authority.equalsIgnoreCase(host) && !authority.equalsIgnoreCase(host + ":443")) {
      return false;
    }
    int fragment = location.indexOf('#', authorityEnd);
    String pathAndQuery = location.substring(authorityEnd, fragment < 0 ? location.length() : fragment);
    // "https://host" and "https://host?q" ask for the root, as a browser sends them
    String asked = pathAndQuery.isEmpty() || pathAndQuery.charAt(0) == '?' ? "/" + pathAndQuery : pathAndQuery;
    String requested = NettyProber.requestPath(target);
    // ingress-nginx drops a request's trailing slash from its https redirect (unless the Ingress
    // asks preserve-trailing-slash): /app/ goes to https://host/app, whose fetch goes to itself.
    return asked.equals(requested)
        || (requested.length() > 1 && requested.endsWith("/") && asked.equals(requested.substring(0, requested.length() - 1)));
  }

  private static boolean isRedirect(int status) {
    return switch (status) {
      case 301, 302, 303, 307, 308 -> true;
      default -> false;
    };
  }

  private static int indexOfAny(String text, int from, String chars) {
    for (int i = from; i < text.length(); i++) {
      if (chars.indexOf(text.charAt(i)) >= 0) {
        return i;
      }
    }
    return text.length();
  }
}
