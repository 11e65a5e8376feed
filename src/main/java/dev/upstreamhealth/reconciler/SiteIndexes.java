package dev.upstreamhealth.reconciler;

import dev.upstreamhealth.api.Site;
import dev.upstreamhealth.diagnosis.ObjectKey;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import java.util.List;

/** Indexes on the Site cache: from a dependency's key to the Sites that read it. */
final class SiteIndexes {
  static final String BY_INGRESS = "site-by-ingress";
  static final String BY_GATEWAY_SERVICE = "site-by-gateway-service";
  static final String BY_GATEWAY_NAMESPACE = "site-by-gateway-namespace";
  static final String BY_HTTP_ROUTE = "site-by-http-route";

  private SiteIndexes() {}

  static void install(IndexerResourceCache<Site> sites) {
    sites.addIndexer(BY_INGRESS, site -> {
      String ingress = site.getSpec() == null || site.getSpec().getOrigin() == null
          ? null : site.getSpec().getOrigin().getIngressName();
      return ingress == null ? List.of() : List.of(ObjectKey.of(site.getMetadata().getNamespace(), ingress));
    });
    sites.addIndexer(BY_HTTP_ROUTE, site -> httpRoute(site) == null
        ? List.of() : List.of(ObjectKey.of(site.getMetadata().getNamespace(), httpRoute(site))));
    sites.addIndexer(BY_GATEWAY_SERVICE, site -> gateway(site) == null ? List.of() : List.of(gateway(site)));
    sites.addIndexer(BY_GATEWAY_NAMESPACE, site -> gateway(site) == null
        ? List.of() : List.of(site.getSpec().getGateway().getServiceNamespace()));
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
