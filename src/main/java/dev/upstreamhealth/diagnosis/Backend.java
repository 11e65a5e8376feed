package dev.upstreamhealth.diagnosis;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.List;

/**
 * One upstream of the Site: a Service an Ingress rule of host sends traffic to, with the objects
 * behind it. {@code service} is null when the Service does not exist.
 *
 * @param pods the pods the Service's selector selects
 * @param deployments Deployments whose pod template the selector selects
 * @param replicaSets ReplicaSets whose pod template the selector selects
 */
public record Backend(
    BackendRef ref,
    Service service,
    List<EndpointSlice> slices,
    List<Pod> pods,
    List<Deployment> deployments,
    List<ReplicaSet> replicaSets) {

  public Backend {
    slices = List.copyOf(slices);
    pods = List.copyOf(pods);
    deployments = List.copyOf(deployments);
    replicaSets = List.copyOf(replicaSets);
  }

  public static Backend missing(BackendRef ref) {
    return new Backend(ref, null, List.of(), List.of(), List.of(), List.of());
  }
}
