package dev.upstreamhealth.diagnosis;

import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import java.util.Map;
import java.util.Optional;

/**
 * Credentials ingress-nginx asks every visitor for before the app: basic or digest auth
 * ({@code auth-type}) or an external auth service ({@code auth-url}, oauth2-proxy's way). The
 * probe has none, so its 401 is that question, not a fault; and when the auth service itself
 * fails, nginx answers 500 to everyone, a cause outside the app.
 *
 * @param annotation the annotation that asks, e.g. {@code nginx.ingress.kubernetes.io/auth-url}
 * @param value its value: the auth type, or the auth service's URL
 * @param ingress the Ingress, "namespace/name"
 */
public record GatewayAuthentication(String annotation, String value, String ingress) {
  static final String AUTH_URL = "nginx.ingress.kubernetes.io/auth-url";
  static final String AUTH_TYPE = "nginx.ingress.kubernetes.io/auth-type";

  /** The Ingress's auth, the external service first; empty when it asks for none. */
  public static Optional<GatewayAuthentication> of(Ingress ingress) {
    if (ingress == null || ingress.getMetadata() == null || ingress.getMetadata().getAnnotations() == null) {
      return Optional.empty();
    }
    Map<String, String> annotations = ingress.getMetadata().getAnnotations();
    for (String annotation : new String[] {AUTH_URL, AUTH_TYPE}) {
      String value = annotations.getOrDefault(annotation, "").strip();
      if (!value.isEmpty()) {
        return Optional.of(new GatewayAuthentication(annotation, value, ObjectKey.of(ingress)));
      }
    }
    return Optional.empty();
  }

  /** What a Healthy message says of an origin that asked the probe for credentials. */
  static String askedNote(Snapshot s) {
    return of(s.ingress()).map(auth -> " asks for credentials first (401; annotation " + auth.annotation()
        + " on Ingress " + auth.ingress() + "), as it asks every visitor: what it serves is judged from the probes"
        + " behind it").orElse(" asks for credentials first (401): what it serves is judged from the probes behind it");
  }

  /**
   * What an origin's 500 message adds when an auth service answers every request first: nginx
   * answers 500 when it cannot reach it or it fails, whatever the app would say.
   */
  static String failingNote(Snapshot s) {
    return of(s.ingress()).filter(auth -> auth.annotation().equals(AUTH_URL))
        .map(auth -> "; Ingress " + auth.ingress() + " asks the auth service " + auth.value() + " (annotation "
            + AUTH_URL + ") before the app, and nginx answers 500 when that service cannot be reached or fails:"
            + " check it first")
        .orElse("");
  }
}
