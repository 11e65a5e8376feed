package dev.upstreamhealth.reconciler;

import dev.upstreamhealth.diagnosis.LabelSelectors;
import dev.upstreamhealth.diagnosis.ObjectKey;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * From a changed object to the Sites that read it. Only indexes are consulted, so a Pod change reconciles the Sites whose backend or gateway Services select it,
 * and nothing else.
 */
final class SiteDependents {
  /** The lookups this needs, answered from informer caches and indexes. */
  interface Lookups {
    /** Sites whose spec.origin.ingressName is this "namespace/name". */
    Collection<ResourceID> sitesByIngress(String ingressKey);

    /** Sites whose spec.gateway is this Service "namespace/name". */
    Collection<ResourceID> sitesByGatewayService(String serviceKey);

    /** Ingresses with a backend Service "namespace/name". */
    Collection<Ingress> ingressesByBackend(String serviceKey);

    /**
     * Services of the namespace that may select these labels: every one that does, and perhaps
     * some that do not (the caller matches each), possibly more than once.
     */
    Collection<Service> servicesSelectingAny(String namespace, Map<String, String> labels);

    /** Sites whose HTTPRoute sends traffic to the Service, or whose Gateway's data plane it is. */
    default Collection<ResourceID> sitesByGatewayApi(String serviceKey) {
      return Set.of();
    }
  }

  private final Lookups lookups;

  SiteDependents(Lookups lookups) {
    this.lookups = lookups;
  }

  /** Sites whose Ingress sends traffic to the Service, and Sites whose gateway it is. */
  Set<ResourceID> ofService(String serviceKey) {
    Set<ResourceID> ids = new HashSet<>(lookups.sitesByGatewayService(serviceKey));
    ids.addAll(lookups.sitesByGatewayApi(serviceKey));
    for (Ingress ingress : lookups.ingressesByBackend(serviceKey)) {
      ids.addAll(lookups.sitesByIngress(ObjectKey.of(ingress)));
    }
    return ids;
  }

  /** Sites of every Service in the namespace whose selector selects these labels (a Pod's, a template's). */
  Set<ResourceID> ofLabels(String namespace, Map<String, String> labels) {
    if (labels == null || labels.isEmpty()) {
      return Set.of();
    }
    Set<ResourceID> ids = new HashSet<>();
    for (Service service : lookups.servicesSelectingAny(namespace, labels)) {
      if (service.getSpec() != null && LabelSelectors.serviceSelects(service.getSpec().getSelector(), labels)) {
        ids.addAll(ofService(ObjectKey.of(service)));
      }
    }
    return ids;
  }
}
