package dev.upstreamhealth.demo;

import dev.upstreamhealth.api.GatewaySpec;
import dev.upstreamhealth.api.Site;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.util.List;
import java.util.Map;

/** What tests build around a {@link SiteFixture} beyond the demo's samples. */
public final class SiteFixtures {
  private SiteFixtures() {}

  /**
   * A healthy Site and everything behind it: the Ingress at {@code loadBalancerIp}, one ready pod
   * at {@code podIp:podPort} with its Service, EndpointSlice and Deployment; probes every 2 s.
   */
  public static List<HasMetadata> healthyWorld(SiteFixture f, String loadBalancerIp, int originPort, String podIp,
      int podPort) {
    return List.of(f.ingress(loadBalancerIp), f.service(podPort), f.pod(1, podIp, podPort, true),
        f.endpointSlice(podPort, Map.of(podIp, true)), f.deployment(1), f.site(originPort, 2, 1));
  }

  /** Names the ingress controller's Service as the Site's gateway ({@code spec.gateway}). */
  public static void useGateway(Site site, String namespace, String serviceName) {
    site.getSpec().setGateway(new GatewaySpec(namespace, serviceName));
  }

  /** The ingress controller's Service with a cluster IP, on the origin port. */
  public static Service gatewayService(String namespace, String name, String clusterIp, int port) {
    return new ServiceBuilder()
        .withNewMetadata().withNamespace(namespace).withName(name).endMetadata()
        .withNewSpec().withClusterIP(clusterIp).withSelector(Map.of("app.kubernetes.io/name", name))
          .addNewPort().withName("http").withPort(port).withTargetPort(new IntOrString(port)).endPort()
        .endSpec()
        .build();
  }

  /**
   * The ingress controller's EndpointSlice with one endpoint at {@code address}, written by hand:
   * its pods are not part of the world a test builds.
   */
  public static EndpointSlice gatewaySlice(String namespace, String serviceName, String address, boolean ready) {
    return new EndpointSliceBuilder()
        .withNewMetadata().withNamespace(namespace).withName(serviceName + "-x1")
          .withLabels(Map.of("kubernetes.io/service-name", serviceName)).endMetadata()
        .withAddressType("IPv4")
        .addNewEndpoint().withAddresses(address).withNewConditions().withReady(ready).endConditions().endEndpoint()
        .build();
  }

  /**
   * The Deployment's ReplicaSet {@code <deployment>-<hash>} as the Deployment controller leaves it
   * once its pods run: owned by the Deployment, the Deployment's template and replicas, all ready.
   */
  public static ReplicaSet replicaSet(Deployment owner, String hash) {
    int replicas = owner.getSpec().getReplicas();
    return new ReplicaSetBuilder()
        .withNewMetadata().withNamespace(owner.getMetadata().getNamespace())
          .withName(owner.getMetadata().getName() + "-" + hash)
          .withOwnerReferences(controller("apps/v1", "Deployment", owner.getMetadata().getName(),
              owner.getMetadata().getUid()))
        .endMetadata()
        .withNewSpec().withReplicas(replicas).withSelector(owner.getSpec().getSelector())
          .withTemplate(owner.getSpec().getTemplate()).endSpec()
        .withNewStatus().withReplicas(replicas).withReadyReplicas(replicas).withAvailableReplicas(replicas).endStatus()
        .build();
  }

  /** The pod renamed {@code name} and controlled by {@code owner} (its ReplicaSet, StatefulSet, ...). */
  public static Pod ownedBy(Pod pod, String name, OwnerReference owner) {
    return new PodBuilder(pod).editMetadata().withName(name).withOwnerReferences(owner).endMetadata().build();
  }

  /** The owner reference a controller puts on what it creates. */
  public static OwnerReference controller(String apiVersion, String kind, String name, String uid) {
    return new OwnerReferenceBuilder().withApiVersion(apiVersion).withKind(kind).withName(name).withUid(uid)
        .withController(true).withBlockOwnerDeletion(true).build();
  }
}
