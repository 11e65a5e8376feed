package dev.upstreamhealth.diagnosis;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.List;

/**
 * One upstream of the Site: a Service a route rule of host sends traffic to, with the objects
 * behind it. {@code service} is null when the Service does not exist.
 *
 * @param pods the pods the Service's selector selects, terminating ones included
 * @param workloads the workloads whose pod template the selector selects, and their FailedCreate Events
 */
public record Backend(
    BackendRef ref,
    Service service,
    List<EndpointSlice> slices,
    List<Pod> pods,
    Workloads workloads) {

  public Backend {
    slices = List.copyOf(slices);
    pods = List.copyOf(pods);
    workloads = workloads == null ? Workloads.NONE : workloads;
  }

  public static Backend missing(BackendRef ref) {
    return new Backend(ref, null, List.of(), List.of(), Workloads.NONE);
  }

  /** An ExternalName Service: a DNS alias with no pods or endpoints of its own. */
  public boolean isExternalName() {
    return service != null && service.getSpec() != null && "ExternalName".equals(service.getSpec().getType());
  }

  /** The external name of an ExternalName Service, else null. */
  public String externalName() {
    return isExternalName() ? service.getSpec().getExternalName() : null;
  }
}
