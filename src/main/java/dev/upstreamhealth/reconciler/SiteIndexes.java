package dev.upstreamhealth.reconciler;

import dev.upstreamhealth.api.Site;
import dev.upstreamhealth.diagnosis.ObjectKey;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/** What a Site reads, as keys of the dependencies a change can come from ({@link SiteDependencyIndex}). */
final class SiteIndexes {
  static final String BY_INGRESS = "site-by-ingress";
  static final String BY_GATEWAY_SERVICE = "site-by-gateway-service";
  static final String BY_GATEWAY_NAMESPACE = "site-by-gateway-namespace";
  static final String BY_HTTP_ROUTE = "site-by-http-route";
  /** The Site's host in lower case: another Ingress for the host can give its server TLS. */
  static final String BY_HOST = "site-by-host";

  /** One dependency: {@code index} says of what kind, {@code value} which ("namespace/name", or a namespace). */
  record Key(String index, String value) {}

  private SiteIndexes() {}

  static Set<Key> keysOf(Site site) {
    Set<Key> keys = new HashSet<>(4);
    String namespace = site.getMetadata().getNamespace();
    String ingress = site.getSpec() == null || site.getSpec().getOrigin() == null
        ? null : site.getSpec().getOrigin().getIngressName();
    if (ingress != null) {
      keys.add(new Key(BY_INGRESS, ObjectKey.of(namespace, ingress)));
    }
    if (ingress != null && site.getSpec().getHost() != null && !site.getSpec().getHost().isEmpty()) {
      keys.add(new Key(BY_HOST, hostKey(site.getSpec().getHost())));
    }
    if (httpRoute(site) != null) {
      keys.add(new Key(BY_HTTP_ROUTE, ObjectKey.of(namespace, httpRoute(site))));
    }
    if (gateway(site) != null) {
      keys.add(new Key(BY_GATEWAY_SERVICE, gateway(site)));
      keys.add(new Key(BY_GATEWAY_NAMESPACE, site.getSpec().getGateway().getServiceNamespace()));
    }
    return keys;
  }

  static String hostKey(String host) {
    return host.toLowerCase(Locale.ROOT);
  }

  /** spec.origin.httpRouteName, or null for an Ingress origin. */
  static String httpRoute(Site site) {
    String route = site.getSpec() == null || site.getSpec().getOrigin() == null
        ? null : site.getSpec().getOrigin().getHttpRouteName();
    return route == null || route.isBlank() ? null : route;
  }

  private static String gateway(Site site) {
    if (site.getSpec() == null || site.getSpec().getGateway() == null
        || site.getSpec().getGateway().getServiceName() == null) {
      return null;
    }
    return ObjectKey.of(site.getSpec().getGateway().getServiceNamespace(), site.getSpec().getGateway().getServiceName());
  }
}
