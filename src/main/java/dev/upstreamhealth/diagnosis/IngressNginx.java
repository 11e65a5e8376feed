package dev.upstreamhealth.diagnosis;

import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import java.util.Map;
import java.util.Optional;

/**
 * What ingress-nginx's annotations on the Site's Ingress change about the backends visitors reach.
 * Other controllers ignore these annotations; where one serves the Ingress, the origin probe still
 * judges what visitors get.
 */
public final class IngressNginx {
  /** "Used to handle the response when the configured service ... does not have any active endpoints". */
  static final String DEFAULT_BACKEND = "nginx.ingress.kubernetes.io/default-backend";
  private static final String PERMANENT_REDIRECT = "nginx.ingress.kubernetes.io/permanent-redirect";
  private static final String PERMANENT_REDIRECT_CODE = "nginx.ingress.kubernetes.io/permanent-redirect-code";
  private static final String TEMPORAL_REDIRECT = "nginx.ingress.kubernetes.io/temporal-redirect";

  private IngressNginx() {}

  /**
   * The redirect every path of the Ingress answers, e.g. "301 to https://www.example.com": its
   * locations return it before proxying, so no backend is ever asked (the apex-to-www Ingress with
   * a placeholder Service). Empty when the Ingress proxies.
   */
  public static Optional<String> redirect(Ingress ingress) {
    Map<String, String> annotations = annotations(ingress);
    String permanent = annotations.getOrDefault(PERMANENT_REDIRECT, "").strip();
    if (!permanent.isEmpty()) {
      String code = annotations.getOrDefault(PERMANENT_REDIRECT_CODE, "").strip();
      return Optional.of((code.matches("3\\d\\d") ? code : "301") + " to " + permanent);
    }
    String temporal = annotations.getOrDefault(TEMPORAL_REDIRECT, "").strip();
    return temporal.isEmpty() ? Optional.empty() : Optional.of("302 to " + temporal);
  }

  /** The Service the default-backend annotation names, in the Ingress's namespace. */
  public static Optional<BackendRef> defaultBackend(Ingress ingress) {
    String name = annotations(ingress).getOrDefault(DEFAULT_BACKEND, "").strip();
    return name.isEmpty() ? Optional.empty()
        : Optional.of(new BackendRef(ingress.getMetadata().getNamespace(), name, null, null,
            "default-backend annotation of Ingress " + ObjectKey.of(ingress)));
  }

  private static Map<String, String> annotations(Ingress ingress) {
    return ingress == null || ingress.getMetadata() == null || ingress.getMetadata().getAnnotations() == null
        ? Map.of() : ingress.getMetadata().getAnnotations();
  }
}
