package dev.upstreamhealth.it;

import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPortBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * What the EndpointSlice controller does, on demand: writes a Service's EndpointSlice from the
 * pods its selector matches, so a test changes a pod and calls {@link #sync} once instead of
 * editing the slice by hand to match. A pod with an IP is an endpoint: ready when its Ready
 * condition is True and it is not being deleted; terminating (not ready, serving as its Ready
 * condition says) once it has a deletionTimestamp. Pods without an IP or in a terminal phase are
 * left out, and no matching pod means a slice without endpoints.
 */
final class EndpointSliceController {
  static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";
  static final String MANAGED_BY_LABEL = "endpointslice.kubernetes.io/managed-by";

  private final KubernetesClient client;

  EndpointSliceController(KubernetesClient client) {
    this.client = client;
  }

  /** Recomputes the Service's slice from its pods now, reusing the slice it already has if any. */
  EndpointSlice sync(String namespace, String serviceName) {
    Service service = client.services().inNamespace(namespace).withName(serviceName).get();
    if (service == null || service.getSpec().getSelector() == null || service.getSpec().getSelector().isEmpty()) {
      throw new IllegalArgumentException("Service " + namespace + "/" + serviceName
          + " does not exist or has no selector: the controller writes no slice for it");
    }
    List<Pod> pods = client.pods().inNamespace(namespace).list().getItems().stream()
        .filter(p -> selects(service.getSpec().getSelector(), p))
        .filter(p -> p.getStatus() != null && p.getStatus().getPodIP() != null)
        .filter(p -> !"Succeeded".equals(p.getStatus().getPhase()) && !"Failed".equals(p.getStatus().getPhase()))
        .sorted(Comparator.comparing(p -> p.getMetadata().getName()))
        .toList();
    List<Endpoint> endpoints = pods.stream().map(EndpointSliceController::endpoint).toList();
    List<EndpointPort> ports = service.getSpec().getPorts().stream().map(port -> slicePort(port, pods)).toList();

    EndpointSlice existing = client.discovery().v1().endpointSlices().inNamespace(namespace)
        .withLabel(SERVICE_NAME_LABEL, serviceName).list().getItems().stream().findFirst().orElse(null);
    if (existing != null) {
      return client.resource(new EndpointSliceBuilder(existing).withEndpoints(endpoints).withPorts(ports).build())
          .update();
    }
    return client.resource(new EndpointSliceBuilder()
        .withNewMetadata().withNamespace(namespace).withName(serviceName + "-slice")
        .withLabels(Map.of(SERVICE_NAME_LABEL, serviceName, MANAGED_BY_LABEL, "endpointslice-controller.k8s.io"))
        .endMetadata()
        .withAddressType("IPv4").withEndpoints(endpoints).withPorts(ports).build()).create();
  }

  private static boolean selects(Map<String, String> selector, Pod pod) {
    Map<String, String> labels = pod.getMetadata().getLabels();
    return labels != null && labels.entrySet().containsAll(selector.entrySet());
  }

  private static Endpoint endpoint(Pod pod) {
    boolean podReady = pod.getStatus().getConditions() != null && pod.getStatus().getConditions().stream()
        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    boolean terminating = pod.getMetadata().getDeletionTimestamp() != null;
    return new EndpointBuilder().withAddresses(pod.getStatus().getPodIP())
        .withNewConditions().withReady(podReady && !terminating).withServing(podReady).withTerminating(terminating)
        .endConditions()
        .withNewTargetRef().withKind("Pod").withNamespace(pod.getMetadata().getNamespace())
        .withName(pod.getMetadata().getName()).withUid(pod.getMetadata().getUid()).endTargetRef()
        .withNodeName(pod.getSpec() == null ? null : pod.getSpec().getNodeName())
        .build();
  }

  /** The Service port with its targetPort resolved: a number as it is, a name through the pods' container ports. */
  private static EndpointPort slicePort(ServicePort port, List<Pod> pods) {
    IntOrString target = port.getTargetPort() == null ? new IntOrString(port.getPort()) : port.getTargetPort();
    Integer number = target.getIntVal() != null ? target.getIntVal() : pods.stream()
        .flatMap(p -> p.getSpec().getContainers().stream())
        .flatMap(c -> c.getPorts() == null ? Stream.<ContainerPort>empty() : c.getPorts().stream())
        .filter(p -> Objects.equals(target.getStrVal(), p.getName()))
        .map(ContainerPort::getContainerPort).findFirst().orElse(null);
    return new EndpointPortBuilder().withName(port.getName())
        .withProtocol(port.getProtocol() == null ? "TCP" : port.getProtocol()).withPort(number).build();
  }
}
