package dev.upstreamhealth.diagnosis;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.List;
import java.util.Optional;

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

  /**
   * The Service port the route names, by number or by name. For an Ingress also, failing that, a
   * port whose targetPort is what it names: ingress-nginx matches the port, its targetPort or its
   * name, so an Ingress naming 8080 of a port 80 → 8080 is served there.
   */
  public Optional<ServicePort> servicePort(boolean orByTargetPort) {
    List<ServicePort> ports = service == null || service.getSpec() == null || service.getSpec().getPorts() == null
        ? List.of() : service.getSpec().getPorts();
    String named = ref.portNumber() != null ? String.valueOf(ref.portNumber()) : ref.portName();
    Optional<ServicePort> exact = ports.stream()
        .filter(p -> ref.portNumber() != null ? ref.portNumber().equals(p.getPort())
            : ref.portName() != null && ref.portName().equals(p.getName()))
        .findFirst();
    if (exact.isPresent() || !orByTargetPort || named == null) {
      return exact;
    }
    return ports.stream().filter(p -> named.equals(targetText(p.getTargetPort()))).findFirst();
  }

  private static String targetText(IntOrString target) {
    return target == null ? null : target.getIntVal() != null ? String.valueOf(target.getIntVal()) : target.getStrVal();
  }
}
