package dev.upstreamhealth.probe.transport;

import dev.upstreamhealth.probe.ProbeTrace;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Tells a gateway's own error or redirect page from an upstream's answer that the gateway passed on:
 * ingress-nginx (and any nginx) ends its built-in error pages with {@code <hr><center>nginx</center>};
 * Envoy-based gateways (Server {@code envoy}, Istio's {@code istio-envoy}, or none) answer with a
 * short text such as "upstream connect error"; Traefik with "no available server".
 */
final class GatewayErrorPage {
  /** Enough of a body to see either signature. */
  static final int BODY_PREVIEW = 2048;
  private static final Pattern NGINX_PAGE = Pattern.compile("<hr>\\s*<center>(nginx|openresty)(/[0-9.]+)?</center>");
  private static final String[] ENVOY_TEXTS = {
      "upstream connect error", "no healthy upstream", "upstream request timeout", "no route to upstream"};
  private static final String TRAEFIK_NO_SERVER = "no available server";

  private GatewayErrorPage() {}

  /**
   * The answers whose writer matters: a 502/503/504 made up by the gateway names another cause
   * than one passed on; a 403 of its own is its allowlist refusing the client; a redirect or 401
   * of its own (app-root, auth-signin, auth) is made before the app is asked, so says nothing of it.
   */
  static boolean isJudged(int status) {
    return switch (status) {
      case 301, 302, 303, 307, 308, 401, 403, 502, 503, 504 -> true;
      default -> false;
    };
  }

  /**
   * nginx's own 400 page for a client that sent no certificate where {@code ssl_verify_client on}
   * (ingress-nginx's auth-tls-verify-client) demands one: "400 No required SSL certificate was sent".
   */
  static boolean refusesWithoutACertificate(CharSequence bodyStart) {
    return bodyStart != null && bodyStart.toString().contains("No required SSL certificate was sent");
  }

  static ProbeTrace.AnswerSource writtenBy(String server, String bodyStart) {
    String body = bodyStart == null ? "" : bodyStart;
    if (NGINX_PAGE.matcher(body).find()) {
      return ProbeTrace.AnswerSource.GATEWAY;
    }
    String s = server == null ? "" : server.toLowerCase(Locale.ROOT);
    String lower = body.stripLeading().toLowerCase(Locale.ROOT);
    if (s.contains("envoy") || s.isEmpty()) {
      for (String text : ENVOY_TEXTS) {
        if (lower.startsWith(text)) {
          return ProbeTrace.AnswerSource.GATEWAY;
        }
      }
    }
    // Traefik's answer when a service has no server left; it sends no Server header.
    if (s.isEmpty() && lower.startsWith(TRAEFIK_NO_SERVER)) {
      return ProbeTrace.AnswerSource.GATEWAY;
    }
    return ProbeTrace.AnswerSource.UPSTREAM;
  }
}
