package dev.upstreamhealth.diagnosis;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.List;

/** Ready and total endpoints of a Service. */
public record EndpointCount(int ready, int total) {

  /**
   * Counts the EndpointSlices' endpoints (ready unless a condition says otherwise, as the API
   * defines it); a Service without any slice falls back to its selected pods' readiness.
   */
  public static EndpointCount of(List<EndpointSlice> slices, List<Pod> pods) {
    if (slices.isEmpty()) {
      int ready = (int) pods.stream().filter(PodHealth::isReady).count();
      return new EndpointCount(ready, pods.size());
    }
    // One endpoint per pod: a dual-stack Service lists each pod in an IPv4 and an IPv6 slice.
    java.util.Map<String, Boolean> readyByEndpoint = new java.util.LinkedHashMap<>();
    for (EndpointSlice slice : slices) {
      for (Endpoint endpoint : IngressRoutes.nullSafe(slice.getEndpoints())) {
        if (isTerminating(endpoint)) {
          continue; // on its way out in a rollout: neither capacity nor a failure
        }
        readyByEndpoint.merge(identity(endpoint), isReady(endpoint), Boolean::logicalOr);
      }
    }
    int ready = (int) readyByEndpoint.values().stream().filter(Boolean::booleanValue).count();
    return new EndpointCount(ready, readyByEndpoint.size());
  }

  public static boolean isReady(Endpoint endpoint) {
    return endpoint.getConditions() == null || !Boolean.FALSE.equals(endpoint.getConditions().getReady());
  }

  /** The pod behind an endpoint when the slice names it, else its first address. */
  private static String identity(Endpoint endpoint) {
    if (endpoint.getTargetRef() != null && endpoint.getTargetRef().getName() != null) {
      return endpoint.getTargetRef().getKind() + "/" + endpoint.getTargetRef().getNamespace() + "/"
          + endpoint.getTargetRef().getName();
    }
    return IngressRoutes.nullSafe(endpoint.getAddresses()).isEmpty()
        ? "endpoint@" + System.identityHashCode(endpoint) : endpoint.getAddresses().get(0);
  }

  static boolean isTerminating(Endpoint endpoint) {
    return endpoint.getConditions() != null && Boolean.TRUE.equals(endpoint.getConditions().getTerminating());
  }

  public boolean noneReady() {
    return ready == 0;
  }

  public boolean partial() {
    return ready > 0 && ready < total;
  }

  @Override
  public String toString() {
    return ready + "/" + total;
  }
}
