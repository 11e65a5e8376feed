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
    int ready = 0;
    int total = 0;
    for (EndpointSlice slice : slices) {
      for (Endpoint endpoint : IngressRoutes.nullSafe(slice.getEndpoints())) {
        if (isTerminating(endpoint)) {
          continue; // on its way out in a rollout: neither capacity nor a failure
        }
        total++;
        if (isReady(endpoint)) {
          ready++;
        }
      }
    }
    return new EndpointCount(ready, total);
  }

  public static boolean isReady(Endpoint endpoint) {
    return endpoint.getConditions() == null || !Boolean.FALSE.equals(endpoint.getConditions().getReady());
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
