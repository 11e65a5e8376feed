package dev.upstreamhealth.diagnosis;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ServicePort;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** 502- and 503-style causes read from cluster state, one backend Service at a time. */
final class UpstreamLayer {
  private UpstreamLayer() {}

  /** Adds what applies to each backend and returns its endpoint counts for status. */
  static List<UpstreamCount> assess(Snapshot s, Findings findings) {
    List<UpstreamCount> counts = new ArrayList<>();
    String route = s.routeObject();
    for (Backend backend : s.backends()) {
      String service = "Service " + backend.ref().serviceKey();
      if (backend.service() == null) {
        findings.add(Reason.BACKEND_SERVICE_MISSING, route + " sends " + s.spec().getHost()
            + " to " + service + ", which does not exist");
        counts.add(new UpstreamCount(backend.ref().serviceKey(), 0, 0));
        continue;
      }
      EndpointCount count = EndpointCount.of(backend.slices(), backend.pods());
      counts.add(new UpstreamCount(backend.ref().serviceKey(), count.ready(), count.total()));
      portMismatch(backend, route).ifPresent(m -> findings.add(Reason.SERVICE_PORT_MISMATCH, m));
      Optional<String> crashLooping = crashLooping(backend, service);
      crashLooping.ifPresent(m -> findings.add(Reason.UPSTREAM_CRASH_LOOPING, m));
      if (count.noneReady() && crashLooping.isEmpty()) {
        unavailable(backend, service, count, findings);
      }
      if (count.partial()) {
        findings.add(Reason.PARTIAL_UPSTREAM_FAILURE, count + " endpoints of " + service + " ready");
      }
    }
    return counts;
  }

  /** 503 causes of a backend with no ready endpoint, all that apply; catalogue order picks one. */
  private static void unavailable(Backend backend, String service, EndpointCount count, Findings findings) {
    String prefix = count + " endpoints of " + service + " ready; ";
    WorkloadState.scaledToZero(backend.deployments())
        .ifPresent(m -> findings.add(Reason.SCALED_TO_ZERO, prefix + m));
    WorkloadState.rolloutInProgress(backend.deployments())
        .ifPresent(m -> findings.add(Reason.ROLLOUT_IN_PROGRESS, prefix + m));
    List<String> unschedulable = backend.pods().stream()
        .map(PodHealth::unschedulable).flatMap(Optional::stream).toList();
    if (!unschedulable.isEmpty()) {
      findings.add(Reason.PODS_UNSCHEDULABLE, prefix + unschedulable.size() + " pod"
          + (unschedulable.size() == 1 ? " is" : "s are") + " Pending as Unschedulable: " + unschedulable.get(0));
    }
    WorkloadState.quotaExceeded(backend.replicaSets())
        .ifPresent(m -> findings.add(Reason.QUOTA_EXCEEDED, prefix + m));
    long running = backend.pods().stream().filter(PodHealth::isRunning).count();
    String why = backend.pods().isEmpty()
        ? "the Service's selector matches no pod"
        : running + " pod" + (running == 1 ? "" : "s") + " running, failing readiness";
    findings.add(Reason.NO_READY_ENDPOINTS, prefix + why);
  }

  private static Optional<String> crashLooping(Backend backend, String service) {
    List<Pod> pods = backend.pods();
    if (pods.isEmpty()) {
      return Optional.empty();
    }
    List<String> causes = pods.stream().map(PodHealth::crashCause).flatMap(Optional::stream).toList();
    if (causes.size() < pods.size()) {
      return Optional.empty();
    }
    String state = pods.stream().anyMatch(PodHealth::isBackingOff) ? "are in CrashLoopBackOff" : "have terminated in error";
    return Optional.of(pods.size() + "/" + pods.size() + " pods of " + service + " " + state + " (" + causes.get(0) + ")");
  }

  /** The Ingress's port must be a Service port, and its targetPort a port the pods declare. */
  static Optional<String> portMismatch(Backend backend, String route) {
    BackendRef ref = backend.ref();
    List<ServicePort> ports = backend.service().getSpec() == null
        ? List.of() : IngressRoutes.nullSafe(backend.service().getSpec().getPorts());
    Optional<ServicePort> port = ports.stream()
        .filter(p -> ref.portNumber() != null ? ref.portNumber().equals(p.getPort())
            : ref.portName() != null && ref.portName().equals(p.getName()))
        .findFirst();
    String service = "Service " + ref.serviceKey();
    if (port.isEmpty()) {
      String known = String.join(", ", ports.stream()
          .map(p -> p.getName() == null ? String.valueOf(p.getPort()) : p.getName() + "/" + p.getPort()).toList());
      return Optional.of(route + " uses port " + ref.portText() + " of " + service
          + ", which has " + (known.isEmpty() ? "no ports" : "ports " + known));
    }
    IntOrString target = port.get().getTargetPort();
    List<ContainerPort> declared = backend.pods().stream()
        .filter(p -> p.getSpec() != null)
        .flatMap(p -> IngressRoutes.nullSafe(p.getSpec().getContainers()).stream())
        .map(Container::getPorts).flatMap(ps -> IngressRoutes.nullSafe(ps).stream())
        .toList();
    if (backend.pods().isEmpty()) {
      return Optional.empty();
    }
    if (target != null && target.getStrVal() != null) {
      String name = target.getStrVal();
      if (declared.stream().noneMatch(cp -> name.equals(cp.getName()))) {
        return Optional.of(service + " targetPort \"" + name + "\" matches no container port of its "
            + backend.pods().size() + " pod" + (backend.pods().size() == 1 ? "" : "s"));
      }
      return Optional.empty();
    }
    int number = target != null && target.getIntVal() != null ? target.getIntVal() : port.get().getPort();
    // Declaring container ports is optional: only pods that declare some can contradict the number.
    if (!declared.isEmpty() && declared.stream().noneMatch(cp -> cp.getContainerPort() != null && cp.getContainerPort() == number)) {
      String have = String.join(", ", declared.stream().map(cp -> String.valueOf(cp.getContainerPort())).distinct().toList());
      return Optional.of(service + " targetPort " + number + " matches no container port of its pods (they declare "
          + have + ")");
    }
    return Optional.empty();
  }
}
