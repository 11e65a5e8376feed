package dev.upstreamhealth.diagnosis;

import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * TLS as ingress-nginx applies it: to a server, one per rule host, whichever of the Ingresses of
 * its class declares it. Two Ingresses for one host (the app's paths on one, its API's on
 * another, a TLS section on only the first) make one nginx server, with TLS and the redirect to
 * https for every path, so a Site naming the Ingress without the TLS section is fetched over
 * https by a CDN in Full mode, and its certificate is the one that can fail visitors.
 */
public final class HostTls {
  private static final String CLASS_ANNOTATION = "kubernetes.io/ingress.class";

  private HostTls() {}

  /**
   * The servers the Ingress gives TLS, by rule host in lower case ("*.example.com" for a wildcard
   * rule): the rule hosts its TLS section names, or all of them for a TLS entry without hosts. None
   * for a canary Ingress, whose TLS section ingress-nginx ignores.
   */
  public static List<String> serversWithTls(Ingress ingress) {
    if (ingress.getSpec() == null || IngressRoutes.nullSafe(ingress.getSpec().getTls()).isEmpty()
        || IngressNginx.isCanary(ingress)) {
      return List.of();
    }
    return IngressRoutes.nullSafe(ingress.getSpec().getRules()).stream()
        .map(IngressRule::getHost)
        .filter(ruleHost -> ruleHost != null && !ruleHost.isEmpty() && IngressRoutes.hasTlsFor(ingress, ruleHost))
        .map(ruleHost -> ruleHost.toLowerCase(Locale.ROOT))
        .distinct()
        .toList();
  }

  /**
   * The server that answers host for the Ingress, as {@link #serversWithTls} names servers: the
   * rule host itself (or the one whose server-alias it is), else the wildcard rule that covers it.
   * Empty when only rules without a host, or none, serve it.
   */
  public static Optional<String> serverOf(Ingress ingress, String host) {
    if (ingress == null || ingress.getSpec() == null || host == null) {
      return Optional.empty();
    }
    String name = IngressRoutes.servingName(ingress, host);
    if (IngressRoutes.namesExactly(ingress, name)) {
      return Optional.of(name.toLowerCase(Locale.ROOT));
    }
    return IngressRoutes.nullSafe(ingress.getSpec().getRules()).stream()
        .map(IngressRule::getHost)
        .filter(ruleHost -> ruleHost != null && ruleHost.startsWith("*.") && IngressRoutes.hostMatches(ruleHost, name))
        .map(ruleHost -> ruleHost.toLowerCase(Locale.ROOT))
        .findFirst();
  }

  /**
   * Whether one controller serves both Ingresses as far as their objects tell: the same class, by
   * field or by the older annotation (none on either: both left to the default class's controller).
   */
  public static boolean sameClass(Ingress a, Ingress b) {
    return Objects.equals(className(a), className(b));
  }

  private static String className(Ingress ingress) {
    if (ingress.getSpec() != null && ingress.getSpec().getIngressClassName() != null
        && !ingress.getSpec().getIngressClassName().isBlank()) {
      return ingress.getSpec().getIngressClassName();
    }
    Map<String, String> annotations = ingress.getMetadata() == null ? null : ingress.getMetadata().getAnnotations();
    String annotated = annotations == null ? "" : annotations.getOrDefault(CLASS_ANNOTATION, "").strip();
    return annotated.isEmpty() ? null : annotated;
  }
}
