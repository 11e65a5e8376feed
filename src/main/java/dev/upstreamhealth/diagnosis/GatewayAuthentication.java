package dev.upstreamhealth.diagnosis;

import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import java.util.Map;
import java.util.Optional;

/**
 * Credentials ingress-nginx asks every visitor for before the app: basic or digest auth
 * ({@code auth-type}) or an external auth service ({@code auth-url}, oauth2-proxy's way), set on
 * the Ingress or, for every Ingress of the controller, in its ConfigMap ({@code global-auth-url}).
 * The probe has none, so its 401 is that question, not a fault; and when the auth service itself
 * fails, nginx answers 500 to everyone, a cause outside the app.
 *
 * @param setting what asks, as messages name it: "annotation nginx.ingress.kubernetes.io/auth-url",
 *     or "global-auth-url of ConfigMap ingress-nginx/ingress-nginx-controller"
 * @param value the auth type, or the auth service's URL
 * @param service whether an auth service is asked (auth-url, global-auth-url) rather than basic or
 *     digest auth
 * @param ingress the Ingress whose annotation asks, "namespace/name"; null when the controller's
 *     ConfigMap asks, for every Ingress
 */
public record GatewayAuthentication(String setting, String value, boolean service, String ingress) {
  static final String AUTH_URL = "nginx.ingress.kubernetes.io/auth-url";
  static final String AUTH_TYPE = "nginx.ingress.kubernetes.io/auth-type";
  /** An Ingress's way out of the global auth service: "false" (Go's ParseBool) leaves it unasked. */
  static final String ENABLE_GLOBAL_AUTH = "nginx.ingress.kubernetes.io/enable-global-auth";

  /**
   * The auth ingress-nginx puts in front of the Site's Ingress: the Ingress's auth service; else the
   * controller's global one, unless the Ingress opts out (ingress-nginx applies it to a location with
   * no auth-url of its own); else the Ingress's basic or digest auth. Empty when it asks for none.
   */
  public static Optional<GatewayAuthentication> of(Snapshot s) {
    Ingress ingress = s.ingress();
    if (s.viaHttpRoute() || ingress == null) {
      return Optional.empty();
    }
    Map<String, String> annotations = IngressNginx.annotations(ingress);
    Optional<GatewayAuthentication> own = annotation(annotations, AUTH_URL, ingress);
    if (own.isPresent()) {
      return own;
    }
    IngressNginxConfigMap global = s.controllerConfig();
    boolean optedOut = GoBool.isFalse(annotations.get(ENABLE_GLOBAL_AUTH));
    Optional<String> globalService = global == null || optedOut ? Optional.empty() : global.globalAuthService();
    if (globalService.isPresent()) {
      return Optional.of(new GatewayAuthentication(IngressNginxConfigMap.GLOBAL_AUTH_URL + " of ConfigMap "
          + global.configMap(), globalService.get(), true, null));
    }
    return annotation(annotations, AUTH_TYPE, ingress);
  }

  private static Optional<GatewayAuthentication> annotation(Map<String, String> annotations, String annotation,
      Ingress ingress) {
    String value = annotations.getOrDefault(annotation, "").strip();
    return value.isEmpty() ? Optional.empty() : Optional.of(new GatewayAuthentication(
        "annotation " + annotation, value, annotation.equals(AUTH_URL), ObjectKey.of(ingress)));
  }

  /** What a Healthy message says of an origin that asked the probe for credentials. */
  static String askedNote(Snapshot s) {
    return of(s).map(auth -> " asks for credentials first (401; " + auth.setting()
        + (auth.ingress() == null ? ", for every Ingress of the controller" : " on Ingress " + auth.ingress())
        + "), as it asks every visitor: what it serves is judged from the probes behind it")
        .orElse(" asks for credentials first (401): what it serves is judged from the probes behind it");
  }

  /**
   * What an origin's 500 message adds when an auth service answers every request first: nginx
   * answers 500 when it cannot reach it or it fails, whatever the app would say.
   */
  static String failingNote(Snapshot s) {
    return of(s).filter(GatewayAuthentication::service)
        .map(auth -> "; " + (auth.ingress() == null ? "ingress-nginx" : "Ingress " + auth.ingress())
            + " asks the auth service " + auth.value() + " (" + auth.setting() + ") before the app, and nginx answers"
            + " 500 when that service cannot be reached or fails: check it first")
        .orElse("");
  }
}
