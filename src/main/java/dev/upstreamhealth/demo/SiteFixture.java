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
    return new ServiceBuilder()
        .withNewMetadata().withNamespace(namespace).withName(serviceName()).endMetadata()
        .withNewSpec()
          .withSelector(appLabels())
          .addNewPort().withName("http").withPort(80).withTargetPort(new IntOrString(targetPort)).endPort()
        .endSpec()
        .build();
  }

  /** A running pod at {@code ip} listening on {@code port}, ready or failing readiness. */
  public Pod pod(int index, String ip, int port, boolean ready) {
    return new PodBuilder()
        .withNewMetadata().withNamespace(namespace).withName(serviceName() + "-" + index).withLabels(appLabels())
        .endMetadata()
        .withNewSpec().addNewContainer().withName("app").withImage("registry.example/shop:1")
          .addNewPort().withName("http").withContainerPort(port).endPort().endContainer().endSpec()
        .withNewStatus().withPhase("Running").withPodIP(ip)
          .addNewCondition().withType("Ready").withStatus(ready ? "True" : "False").endCondition()
          .addNewContainerStatus().withName("app").withReady(ready).withRestartCount(0)
            .withNewState().withNewRunning().endRunning().endState().endContainerStatus()
        .endStatus()
        .build();
  }

  /** The same pod crash-looping after being OOM-killed. */
  public Pod crashLoopingPod(int index, String ip, int port) {
    return new PodBuilder(pod(index, ip, port, false))
        .editStatus()
          .withContainerStatuses(List.of())
          .addNewContainerStatus().withName("app").withReady(false).withRestartCount(7)
            .withNewState().withNewWaiting().withReason("CrashLoopBackOff").endWaiting().endState()
            .withNewLastState().withNewTerminated().withReason("OOMKilled").withExitCode(137).endTerminated().endLastState()
          .endContainerStatus()
        .endStatus()
        .build();
  }

  /** The EndpointSlice of the backend Service: one endpoint per address, ready or not. */
  public EndpointSlice endpointSlice(int port, Map<String, Boolean> readyByIp) {
    EndpointSliceBuilder b = new EndpointSliceBuilder()
        .withNewMetadata().withNamespace(namespace).withName(serviceName() + "-abc12")
          .withLabels(Map.of("kubernetes.io/service-name", serviceName())).endMetadata()
        .withAddressType("IPv4")
        .addNewPort().withName("http").withPort(port).withProtocol("TCP").endPort();
    readyByIp.forEach((ip, ready) -> b.addToEndpoints(new EndpointBuilder().withAddresses(ip)
        .withNewConditions().withReady(ready).endConditions().build()));
    return b.build();
  }

  /** A Deployment whose rollout has finished, with {@code replicas} replicas. */
  public Deployment deployment(int replicas) {
    return new DeploymentBuilder()
        .withNewMetadata().withNamespace(namespace).withName(serviceName()).withGeneration(1L).endMetadata()
        .withNewSpec().withReplicas(replicas)
          .withNewSelector().withMatchLabels(appLabels()).endSelector()
          .withNewTemplate().withNewMetadata().withLabels(appLabels()).endMetadata()
            .withNewSpec().addNewContainer().withName("app").withImage("registry.example/shop:1").endContainer().endSpec()
          .endTemplate()
        .endSpec()
        .withNewStatus().withObservedGeneration(1L).withReplicas(replicas).withUpdatedReplicas(replicas)
          .withReadyReplicas(replicas).withAvailableReplicas(replicas)
          .addNewCondition().withType("Progressing").withStatus("True").withReason("NewReplicaSetAvailable").endCondition()
        .endStatus()
        .build();
  }
}
