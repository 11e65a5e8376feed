package dev.upstreamhealth.diagnosis;

import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import java.util.Map;
import java.util.Optional;

/**
 * Annotations ingress-nginx reads but cannot apply deny every location of their Ingress: nginx
 * answers 503 itself ("Location denied") for each of its paths and asks no backend. The backends
 * then serve and their probes pass, and the origin's 503 without Retry-After would read as an
 * overload of an app that is fine. What it denies for, in its annotation parsers: an
 * allowlist-source-range left empty (with no older whitelist-source-range value beside it), and
 * basic or digest auth without a Secret it can read: none named, one of another namespace (unless
 * the controller allows cross-namespace resources), or one that does not exist. Secrets are not
 * read here, so the last is said as what to check.
 */
final class DeniedLocations {
  static final String AUTH_SECRET = "nginx.ingress.kubernetes.io/auth-secret";

  private DeniedLocations() {}

  /** "; ingress-nginx answers 503 itself to every path of Ingress web/shop: ..." for a 503 message; empty when none applies. */
  static String note(Snapshot s) {
    Ingress ingress = s.ingress();
    if (s.viaHttpRoute() || ingress == null) {
      return "";
    }
    Map<String, String> annotations = IngressNginx.annotations(ingress);
    // Said outright behind a gateway known as ingress-nginx (its ConfigMap read); else as a condition:
    // another controller ignores these annotations.
    String denies = (s.controllerConfig() != null ? "; ingress-nginx answers" : "; if ingress-nginx serves it, it answers")
        + " 503 itself to every path of Ingress " + ObjectKey.of(ingress) + ", asking no backend, ";
    Optional<String> emptyList = SourceAllowlist.ingressList(annotations).filter(a -> annotations.get(a).strip().isEmpty());
    if (emptyList.isPresent()) {
      return denies + "as annotation " + emptyList.get() + " is empty: remove it to apply the controller's"
          + " list, or list the CDN's ranges";
    }
    String authType = annotations.getOrDefault(GatewayAuthentication.AUTH_TYPE, "").strip();
    if (!authType.equals("basic") && !authType.equals("digest")) {
      return "";
    }
    String secret = annotations.getOrDefault(AUTH_SECRET, "").strip();
    if (secret.isEmpty()) {
      return denies + "as its auth-type " + authType + " names no Secret (annotation " + AUTH_SECRET + ")";
    }
    String namespace = ingress.getMetadata().getNamespace();
    int slash = secret.indexOf('/');
    String secretNamespace = slash < 0 ? namespace : secret.substring(0, slash);
    String key = slash < 0 ? namespace + "/" + secret : secret;
    if (!secretNamespace.equals(namespace)) {
      return denies + "as its auth-secret " + key + " is in another namespace (unless the controller's"
          + " allow-cross-namespace-resources is true)";
    }
    return "; if Secret " + key + " (annotation " + AUTH_SECRET + ", auth-type " + authType + ") does not exist or"
        + " is not synced yet, ingress-nginx answers 503 itself to every path of Ingress " + ObjectKey.of(ingress)
        + ", asking no backend";
  }
}
