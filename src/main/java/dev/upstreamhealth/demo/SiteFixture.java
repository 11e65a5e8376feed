package dev.upstreamhealth.demo;

import dev.upstreamhealth.api.Site;
import dev.upstreamhealth.api.SiteSpec;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import java.util.List;
import java.util.Map;

/**
 * Realistic cluster objects for one Site: an Ingress exposed at a load-balancer address, a
 * backend Service, its pods, EndpointSlice and Deployment. Loopback addresses stand in for the
 * load balancer and the pods, so real probes reach real sockets on this machine.
 */
public final class SiteFixture {
  /** The image every container of the Site's workload runs. */
  public static final String IMAGE = "registry.example/shop:1";
  private static final String IMAGE_ID = "registry.example/shop@sha256:4b1e";
  private static final String NODE_IP = "192.168.1.20";

  private final String namespace;
  private final String name;
  private final String host;

  public SiteFixture(String namespace, String name, String host) {
    this.namespace = namespace;
    this.name = name;
    this.host = host;
  }

  public String namespace() {
    return namespace;
  }

  public String name() {
    return name;
  }

  public String host() {
    return host;
  }

  public String serviceName() {
    return name + "-web";
  }

  private Map<String, String> appLabels() {
    return Map.of("app", serviceName());
  }

  /** A Site probing the origin on {@code originPort} every {@code intervalSeconds}. */
  public Site site(int originPort, int intervalSeconds, int failureThreshold) {
    Site site = new Site();
    site.setMetadata(new ObjectMetaBuilder().withNamespace(namespace).withName(name).build());
    SiteSpec spec = new SiteSpec();
    spec.setHost(host);
    spec.getOrigin().setIngressName(name);
    spec.getOrigin().setPort(originPort);
    spec.getProbe().setIntervalSeconds(intervalSeconds);
    spec.getProbe().setTimeoutSeconds(Math.max(1, Math.min(2, intervalSeconds - 1)));
    spec.getProbe().setFailureThreshold(failureThreshold);
    site.setSpec(spec);
    return site;
  }

  /** The Ingress routing host to the backend Service on port 80, at {@code loadBalancerIp}. */
  public Ingress ingress(String loadBalancerIp) {
    IngressBuilder b = new IngressBuilder()
        .withNewMetadata().withNamespace(namespace).withName(name).endMetadata()
        .withNewSpec()
          .withIngressClassName("nginx")
          .addNewRule().withHost(host).withNewHttp()
            .addNewPath().withPath("/").withPathType("Prefix")
              .withNewBackend().withNewService().withName(serviceName()).withNewPort().withNumber(80).endPort()
              .endService().endBackend()
            .endPath()
          .endHttp().endRule()
        .endSpec();
    if (loadBalancerIp != null) {
      b.withNewStatus().withNewLoadBalancer().addNewIngress().withIp(loadBalancerIp).endIngress()
          .endLoadBalancer().endStatus();
    }
    return b.build();
  }

  /** The backend Service: port 80 to the pods' {@code targetPort}. */
  public Service service(int targetPort) {
    return service(new IntOrString(targetPort));
  }

  /** The backend Service: port 80 "http" to the pods' {@code targetPort}, a number or a container port's name. */
  public Service service(IntOrString targetPort) {
    return new ServiceBuilder()
        .withNewMetadata().withNamespace(namespace).withName(serviceName()).endMetadata()
        .withNewSpec()
          .withSelector(appLabels())
          .addNewPort().withName("http").withPort(80).withTargetPort(targetPort).endPort()
        .endSpec()
        .build();
  }

  /**
   * A running pod at {@code ip} listening on {@code port} (container port "http"), ready or
   * failing readiness, as the kubelet reports it. Times and owner are left to the API server and
   * the controllers that create it.
   */
  public Pod pod(int index, String ip, int port, boolean ready) {
    String status = ready ? "True" : "False";
    String why = ready ? null : "ContainersNotReady";
    String message = ready ? null : "containers with unready status: [app]";
    return new PodBuilder()
        .withNewMetadata().withNamespace(namespace).withName(serviceName() + "-" + index).withLabels(appLabels())
        .endMetadata()
        .withNewSpec().addNewContainer().withName("app").withImage(IMAGE)
          .addNewPort().withName("http").withContainerPort(port).withProtocol("TCP").endPort().endContainer().endSpec()
        .withNewStatus().withPhase("Running").withPodIP(ip).withHostIP(NODE_IP).withQosClass("Burstable")
          .addNewCondition().withType("Ready").withStatus(status).withReason(why).withMessage(message).endCondition()
          .addNewCondition().withType("ContainersReady").withStatus(status).withReason(why).withMessage(message)
            .endCondition()
          .addNewCondition().withType("PodReadyToStartContainers").withStatus("True").endCondition()
          .addNewCondition().withType("Initialized").withStatus("True").endCondition()
          .addNewCondition().withType("PodScheduled").withStatus("True").endCondition()
          .addNewContainerStatus().withName("app").withReady(ready).withStarted(true).withRestartCount(0)
            .withImage(IMAGE).withImageID(IMAGE_ID).withContainerID("containerd://9f3c")
            .withNewState().withNewRunning().endRunning().endState().endContainerStatus()
        .endStatus()
        .build();
  }

  /** The same pod crash-looping after being OOM-killed. */
  public Pod crashLoopingPod(int index, String ip, int port) {
    return crashLooping(pod(index, ip, port, false), "OOMKilled", 137);
  }

  /**
   * The pod with its container app backing off after it ended with {@code lastReason} and
   * {@code exitCode}: not ready.
   */
  public static Pod crashLooping(Pod pod, String lastReason, int exitCode) {
    return new PodBuilder(pod)
        .editStatus()
          .editMatchingCondition(c -> "Ready".equals(c.getType()))
            .withStatus("False").withReason("ContainersNotReady").withMessage("containers with unready status: [app]")
          .endCondition()
          .editMatchingCondition(c -> "ContainersReady".equals(c.getType()))
            .withStatus("False").withReason("ContainersNotReady").withMessage("containers with unready status: [app]")
          .endCondition()
          .withContainerStatuses(List.of())
          .addNewContainerStatus().withName("app").withReady(false).withStarted(false).withRestartCount(7)
            .withImage(IMAGE).withImageID(IMAGE_ID)
            .withNewState().withNewWaiting().withReason("CrashLoopBackOff")
              .withMessage("back-off 5m0s restarting failed container").endWaiting().endState()
            .withNewLastState().withNewTerminated().withReason(lastReason).withExitCode(exitCode).endTerminated()
              .endLastState()
          .endContainerStatus()
        .endStatus()
        .build();
  }

  /**
   * The EndpointSlice of the backend Service: one endpoint per address, in the map's order, ready
   * (and serving) or not; none terminating.
   */
  public EndpointSlice endpointSlice(int port, Map<String, Boolean> readyByIp) {
    EndpointSliceBuilder b = new EndpointSliceBuilder()
        .withNewMetadata().withNamespace(namespace).withName(serviceName() + "-abc12")
          .withLabels(Map.of("kubernetes.io/service-name", serviceName())).endMetadata()
        .withAddressType("IPv4")
        .addNewPort().withName("http").withPort(port).withProtocol("TCP").endPort();
    readyByIp.forEach((ip, ready) -> b.addToEndpoints(new EndpointBuilder().withAddresses(ip)
        .withNewConditions().withReady(ready).withServing(ready).withTerminating(false).endConditions().build()));
    return b.build();
  }

  /** A Deployment whose rollout has finished, with {@code replicas} replicas. */
  public Deployment deployment(int replicas) {
    return new DeploymentBuilder()
        .withNewMetadata().withNamespace(namespace).withName(serviceName()).withGeneration(1L).endMetadata()
        .withNewSpec().withReplicas(replicas)
          .withNewSelector().withMatchLabels(appLabels()).endSelector()
          .withNewTemplate().withNewMetadata().withLabels(appLabels()).endMetadata()
            .withNewSpec().addNewContainer().withName("app").withImage(IMAGE).endContainer().endSpec()
          .endTemplate()
        .endSpec()
        .withNewStatus().withObservedGeneration(1L).withReplicas(replicas).withUpdatedReplicas(replicas)
          .withReadyReplicas(replicas).withAvailableReplicas(replicas)
          .addNewCondition().withType("Available").withStatus("True").withReason("MinimumReplicasAvailable").endCondition()
          .addNewCondition().withType("Progressing").withStatus("True").withReason("NewReplicaSetAvailable").endCondition()
        .endStatus()
        .build();
  }
}
