package dev.upstreamhealth.diagnosis;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.LinkedHashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Ready and total endpoints of a Service; {@code starting} of the not-ready ones belong to pods
 * still starting, which are no failure.
 */
public record EndpointCount(int ready, int total, int starting) {

  public EndpointCount(int ready, int total) {
    this(ready, total, 0);
  }

  /** Counts without knowing which pods are starting: every not-ready endpoint is failing. */
  public static EndpointCount of(List<EndpointSlice> slices, List<Pod> pods) {
    return of(slices, pods, Set.of());
  }

  /**
   * Counts the EndpointSlices' endpoints (ready unless a condition says otherwise, as the API
   * defines it); a Service without any slice falls back to its selected pods' readiness.
   * Terminating endpoints and pods are on their way out: neither capacity nor a failure, unless
   * the slice still marks one ready (publishNotReadyAddresses), as the gateway still uses it.
   *
   * @param startingPods names of the selected pods that are still starting
   */
  public static EndpointCount of(List<EndpointSlice> slices, List<Pod> pods, Set<String> startingPods) {
    return of(slices, pods, startingPods, null);
  }

  /**
   * As {@link #of(List, List, Set)}, counting only the slices that carry the Service port named
   * {@code servicePortName} ("" for a Service's one unnamed port; null when not known).
   */
  public static EndpointCount of(List<EndpointSlice> slices, List<Pod> pods, Set<String> startingPods,
      String servicePortName) {
    if (slices.isEmpty()) {
      List<Pod> live = pods.stream().filter(p -> !PodHealth.isGone(p)).toList();
      int ready = (int) live.stream().filter(PodHealth::isReady).count();
      int starting = (int) live.stream().filter(p -> startingPods.contains(p.getMetadata().getName())).count();
      return new EndpointCount(ready, live.size(), starting);
    }
    // One endpoint per pod: a dual-stack Service lists each pod in an IPv4 and an IPv6 slice.
    Map<String, Boolean> readyByEndpoint = new LinkedHashMap<>();
    Map<String, Boolean> startingByEndpoint = new LinkedHashMap<>();
    List<EndpointSlice> usable = usable(slices, servicePortName);
    Set<String> neverServing = usable.stream().allMatch(slice -> carries(slice, servicePortName)) ? Set.of()
        : pods.stream().filter(PodHealth::neverMeantToServe).map(p -> p.getMetadata().getName()).collect(Collectors.toSet());
    for (EndpointSlice slice : usable) {
      // A Job's pod in a slice without the port (no such port of its): no gateway sends to it.
      boolean withoutThePort = !carries(slice, servicePortName);
      for (Endpoint endpoint : IngressRoutes.nullSafe(slice.getEndpoints())) {
        if (withoutThePort && endpoint.getTargetRef() != null && neverServing.contains(endpoint.getTargetRef().getName())) {
          continue;
        }
        // A terminating endpoint still marked ready (a Service with publishNotReadyAddresses) is
        // still sent traffic by ingress-nginx, which reads ready alone, until the pod is gone.
        if (isTerminating(endpoint) && !Boolean.TRUE.equals(endpoint.getConditions().getReady())) {
          continue;
        }
        String id = identity(endpoint);
        readyByEndpoint.merge(id, isReady(endpoint), Boolean::logicalOr);
        boolean starting = endpoint.getTargetRef() != null && "Pod".equals(endpoint.getTargetRef().getKind())
            && startingPods.contains(endpoint.getTargetRef().getName());
        startingByEndpoint.merge(id, starting, Boolean::logicalOr);
      }
    }
    int ready = (int) readyByEndpoint.values().stream().filter(Boolean::booleanValue).count();
    int starting = (int) readyByEndpoint.entrySet().stream()
        .filter(e -> !e.getValue() && startingByEndpoint.get(e.getKey())).count();
    return new EndpointCount(ready, readyByEndpoint.size(), starting);
  }

  /**
   * The slices a gateway can send to. The EndpointSlice controller leaves out of a pod's ports
   * each Service port whose named targetPort the pod lacks, and slices pods by the ports they
   * have: the old pods of a rollout that renames the container port sit in a slice without the
   * backend's port (without any, or with only a metrics port), and gateways skip them:
   * ingress-nginx answers 503 until a new pod is ready, however many old ones are. Slice ports
   * are named after the Service's. Where no slice carries the port, the Service itself does not
   * resolve, which the targetPort check names: every slice counts as before.
   */
  /**
   * The pods the Service selects that no gateway sends to: a Job's or a one-shot pod with the app's
   * labels (a chart's migration, a CronJob's run) listed only in slices without the Service's port,
   * as the EndpointSlice controller lists a pod that lacks it. Their crashes, image pulls and
   * readiness say nothing of the app. Empty where no slice is known.
   */
  public static Set<String> offThePort(List<EndpointSlice> slices, List<Pod> pods, String servicePortName) {
    List<EndpointSlice> usable = usable(slices, servicePortName);
    if (usable.isEmpty()) {
      return Set.of();
    }
    // By the pod's name, or its address where an endpoint names no pod (a hand-made slice).
    Set<String> onThePort = new HashSet<>();
    usable.stream().filter(slice -> carries(slice, servicePortName))
        .flatMap(slice -> IngressRoutes.nullSafe(slice.getEndpoints()).stream())
        .forEach(e -> {
          if (e.getTargetRef() != null && e.getTargetRef().getName() != null) {
            onThePort.add(e.getTargetRef().getName());
          }
          onThePort.addAll(IngressRoutes.nullSafe(e.getAddresses()));
        });
    return pods.stream().filter(PodHealth::neverMeantToServe)
        .filter(p -> !onThePort.contains(p.getMetadata().getName())
            && (p.getStatus() == null || !onThePort.contains(p.getStatus().getPodIP())))
        .map(p -> p.getMetadata().getName()).collect(Collectors.toSet());
  }

  private static List<EndpointSlice> usable(List<EndpointSlice> slices, String servicePortName) {
    List<EndpointSlice> carrying = slices.stream().filter(slice -> carries(slice, servicePortName)).toList();
    return carrying.isEmpty() ? slices : carrying;
  }

  private static boolean carries(EndpointSlice slice, String servicePortName) {
    List<EndpointPort> ports = slice.getPorts() == null ? List.of() : slice.getPorts();
    if (servicePortName == null) {
      return !ports.isEmpty();
    }
    return ports.stream().anyMatch(p -> servicePortName.equals(p.getName() == null ? "" : p.getName()));
  }

  /**
   * The endpoints not ready that still serve while they terminate (a pod in its grace period,
   * {@code serving} true): kube-proxy sends a Service's traffic to them when no endpoint is ready,
   * until they are gone (KEP-1669), where a gateway reading the slices directly does not.
   */
  public static int servingWhileTerminating(List<EndpointSlice> slices, String servicePortName) {
    return (int) usable(slices, servicePortName).stream()
        .flatMap(slice -> IngressRoutes.nullSafe(slice.getEndpoints()).stream())
        .filter(e -> isTerminating(e) && !isReady(e) && Boolean.TRUE.equals(e.getConditions().getServing()))
        .map(EndpointCount::identity).distinct().count();
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

  /** Some endpoints serve while others fail: those still starting are not failing. */
  public boolean partial() {
    return ready > 0 && ready + starting < total;
  }

  /** Not ready and not starting. */
  public int failing() {
    return total - ready - starting;
  }

  @Override
  public String toString() {
    return ready + "/" + total;
  }
}
