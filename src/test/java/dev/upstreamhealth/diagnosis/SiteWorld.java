package dev.upstreamhealth.diagnosis;

import dev.upstreamhealth.api.GatewaySpec;
import dev.upstreamhealth.api.SiteSpec;
import dev.upstreamhealth.probe.ProbeFindings;
import dev.upstreamhealth.probe.ProbeLayer;
import dev.upstreamhealth.probe.ProbeOutcome;
import dev.upstreamhealth.probe.ProbeResult;
import dev.upstreamhealth.probe.ProbeTarget;
import dev.upstreamhealth.probe.Scheme;
import dev.upstreamhealth.probe.TrackedProbe;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A Site and the cluster and probes around it, healthy until a mutator breaks one thing:
 * Ingress web/shop routes shop.example.com to Service web/shop-web:80 (targetPort http), exposed
 * at 127.0.0.10; Deployment web/shop-web runs 2 ready pods declaring container port 8080 "http";
 * the origin probe has confirmed an HTTP 200. {@link #withGateway()} adds the ingress controller.
 */
final class SiteWorld {
  static final String NS = "web";
  static final String HOST = "shop.example.com";
  static final String LB_IP = "127.0.0.10";
  static final String SERVICE = "shop-web";
  static final String SERVICE_KEY = NS + "/" + SERVICE;
  static final String GATEWAY_NS = "ingress-nginx";
  static final String GATEWAY = "ingress-nginx-controller";
  static final String GATEWAY_KEY = GATEWAY_NS + "/" + GATEWAY;
  static final Map<String, String> APP = Map.of("app", SERVICE);
  static final Map<String, String> GATEWAY_PODS = Map.of("app.kubernetes.io/name", "ingress-nginx");
  static final String QUOTA_MESSAGE = "pods \"shop-web-7d9f-x2k4p\" is forbidden: exceeded quota: compute, "
      + "requested: cpu=500m, used: cpu=2, limited: cpu=2";

  final SiteSpec spec = new SiteSpec();
  Ingress ingress;
  Service service;
  List<EndpointSlice> slices = new ArrayList<>();
  List<Pod> pods = new ArrayList<>();
  List<Deployment> deployments = new ArrayList<>();
  List<ReplicaSet> replicaSets = new ArrayList<>();
  GatewayState gateway;
  List<TrackedProbe> probes = new ArrayList<>();
  /** The HTTPRoute side once {@link #viaHttpRoute()} made it the origin; null for the Ingress. */
  RouteWorld route;

  private SiteWorld() {
    spec.setHost(HOST);
    spec.getOrigin().setIngressName("shop");
  }

  static SiteWorld healthy() {
    SiteWorld w = new SiteWorld();
    w.ingress = ingress(80, LB_IP);
    w.service = new ServiceBuilder()
        .withNewMetadata().withNamespace(NS).withName(SERVICE).endMetadata()
        .withNewSpec().withSelector(APP)
        .addNewPort().withName("http").withPort(80).withTargetPort(new IntOrString("http")).endPort()
        .endSpec().build();
    w.pods.add(readyPod("shop-web-7d9f-a1", "10.0.0.11"));
    w.pods.add(readyPod("shop-web-7d9f-b2", "10.0.0.12"));
    w.slices.add(slice(NS, SERVICE, true, true));
    w.deployments.add(deployment(2, 2L, 2L, 2, "NewReplicaSetAvailable"));
    w.replicaSets.add(new ReplicaSetBuilder()
        .withNewMetadata().withNamespace(NS).withName("shop-web-7d9f").endMetadata()
        .withNewSpec().withReplicas(2).endSpec()
        .withNewStatus().withReplicas(2).withReadyReplicas(2).endStatus().build());
    w.probes.add(origin(ok(200)));
    return w;
  }

  // ---------------------------------------------------------------- building blocks

  static Ingress ingress(int backendPort, String lbIp) {
    IngressBuilder b = new IngressBuilder()
        .withNewMetadata().withNamespace(NS).withName("shop").endMetadata()
        .withNewSpec().withIngressClassName("nginx")
        .addNewRule().withHost(HOST).withNewHttp()
        .addNewPath().withPath("/").withPathType("Prefix")
        .withNewBackend().withNewService().withName(SERVICE).withNewPort().withNumber(backendPort).endPort()
        .endService().endBackend().endPath()
        .endHttp().endRule().endSpec();
    if (lbIp != null) {
      b.withNewStatus().withNewLoadBalancer().addNewIngress().withIp(lbIp).endIngress().endLoadBalancer().endStatus();
    }
    return b.build();
  }

  static Pod readyPod(String name, String ip) {
    return new PodBuilder()
        .withNewMetadata().withNamespace(NS).withName(name).withLabels(APP).endMetadata()
        .withNewSpec().addNewContainer().withName("app").withImage("shop:1.4")
        .addNewPort().withName("http").withContainerPort(8080).endPort().endContainer().endSpec()
        .withNewStatus().withPhase("Running").withPodIP(ip)
        .addNewCondition().withType("PodScheduled").withStatus("True").endCondition()
        .addNewCondition().withType("Ready").withStatus("True").endCondition()
        .addNewContainerStatus().withName("app").withReady(true).withRestartCount(0)
        .withNewState().withNewRunning().withStartedAt("2025-01-01T00:00:00Z").endRunning().endState()
        .endContainerStatus()
        .endStatus().build();
  }

  /** An EndpointSlice of the Service with one endpoint per flag, ready as the flag says. */
  static EndpointSlice slice(String namespace, String service, boolean... ready) {
    EndpointSliceBuilder b = new EndpointSliceBuilder()
        .withNewMetadata().withNamespace(namespace).withName(service + "-x7k2q")
        .withLabels(Map.of("kubernetes.io/service-name", service)).endMetadata()
        .withAddressType("IPv4")
        .addNewPort().withName("http").withPort(8080).withProtocol("TCP").endPort();
    for (int i = 0; i < ready.length; i++) {
      b.addNewEndpoint().withAddresses("10.0.0." + (11 + i))
          .withNewConditions().withReady(ready[i]).withServing(ready[i]).withTerminating(false).endConditions()
          .endEndpoint();
    }
    return b.build();
  }

  static Deployment deployment(int replicas, long generation, long observedGeneration, int updated, String progressing) {
    return new DeploymentBuilder()
        .withNewMetadata().withNamespace(NS).withName(SERVICE).withGeneration(generation).endMetadata()
        .withNewSpec().withReplicas(replicas).withNewSelector().withMatchLabels(APP).endSelector()
        .withNewTemplate().withNewMetadata().withLabels(APP).endMetadata().endTemplate().endSpec()
        .withNewStatus().withObservedGeneration(observedGeneration).withReplicas(replicas)
        .withUpdatedReplicas(updated).withReadyReplicas(updated).withAvailableReplicas(updated)
        .addNewCondition().withType("Available").withStatus("True").withReason("MinimumReplicasAvailable").endCondition()
        .addNewCondition().withType("Progressing").withStatus("True").withReason(progressing).endCondition()
        .endStatus().build();
  }

  static NetworkPolicy policy(String name, String json) {
    NetworkPolicy p = io.fabric8.kubernetes.client.utils.Serialization.unmarshal(json, NetworkPolicy.class);
    return new NetworkPolicyBuilder(p).editOrNewMetadata().withNamespace(GATEWAY_NS).withName(name).endMetadata().build();
  }

  // ---------------------------------------------------------------- probes

  static ProbeTarget target(ProbeLayer layer, String address, int port, String service) {
    return new ProbeTarget(layer, address, port, Scheme.HTTP, HOST, "/", Duration.ofSeconds(5), service);
  }

  static ProbeTarget originTarget() {
    return target(ProbeLayer.ORIGIN, LB_IP, 80, "");
  }

  /** A result of the given outcome; the target is filled in by the probe it is tracked under. */
  static ProbeResult result(ProbeOutcome outcome, int status, boolean retryAfter, String detail) {
    return new ProbeResult(originTarget(), outcome, status, retryAfter, Duration.ofMillis(40), detail,
        Instant.parse("2025-01-01T00:00:00Z"));
  }

  static ProbeResult ok(int status) {
    return result(ProbeOutcome.RESPONDED, status, false, null);
  }

  static ProbeResult http(int status) {
    return result(ProbeOutcome.RESPONDED, status, false, null);
  }

  static ProbeResult httpRetryAfter(int status) {
    return result(ProbeOutcome.RESPONDED, status, true, null);
  }

  static ProbeResult outcome(ProbeOutcome outcome, String detail) {
    return result(outcome, 0, false, detail);
  }

  static ProbeResult outcome(ProbeOutcome outcome) {
    return outcome(outcome, null);
  }

  private static ProbeResult at(ProbeTarget t, ProbeResult r) {
    return new ProbeResult(t, r.outcome(), r.statusCode(), r.retryAfter(), r.latency(), r.detail(), r.finishedAt());
  }

  /** A confirmed success when the result is a 2xx/3xx answer, else a confirmed failure (3 in a row). */
  static TrackedProbe tracked(ProbeTarget t, ProbeResult result) {
    ProbeResult r = at(t, result);
    boolean success = r.responded() && r.statusCode() >= 200 && r.statusCode() < 400;
    return new TrackedProbe(t, r, r, success, success ? 0 : 3, success ? 1 : 0);
  }

  /** A failure seen once, below failureThreshold: not yet confirmed. */
  static TrackedProbe unconfirmed(ProbeTarget t, ProbeResult result) {
    ProbeResult r = at(t, result);
    return new TrackedProbe(t, r, null, false, 1, 0);
  }

  static TrackedProbe origin(ProbeResult r) {
    return tracked(originTarget(), r);
  }

  static TrackedProbe gatewayProbe(ProbeResult r) {
    return tracked(target(ProbeLayer.GATEWAY, "10.96.0.20", 80, ""), r);
  }

  static TrackedProbe upstream(String ip, ProbeResult r) {
    return tracked(target(ProbeLayer.UPSTREAM, ip, 8080, SERVICE_KEY), r);
  }

  // ---------------------------------------------------------------- mutators

  SiteWorld with(UnaryOperator<SiteWorld> change) {
    return change.apply(this);
  }

  SiteWorld withGateway() {
    spec.setGateway(new GatewaySpec(GATEWAY_NS, GATEWAY));
    Service svc = new ServiceBuilder()
        .withNewMetadata().withNamespace(GATEWAY_NS).withName(GATEWAY).endMetadata()
        .withNewSpec().withType("LoadBalancer").withSelector(GATEWAY_PODS)
        .addNewPort().withName("http").withPort(80).withTargetPort(new IntOrString("http")).endPort()
        .addNewPort().withName("https").withPort(443).withTargetPort(new IntOrString("https")).endPort()
        .endSpec().build();
    Pod pod = new PodBuilder()
        .withNewMetadata().withNamespace(GATEWAY_NS).withName("ingress-nginx-controller-5c8d-qz7").withLabels(GATEWAY_PODS)
        .endMetadata()
        .withNewSpec().addNewContainer().withName("controller")
        .addNewPort().withName("http").withContainerPort(80).endPort()
        .addNewPort().withName("https").withContainerPort(443).endPort().endContainer().endSpec()
        .withNewStatus().withPhase("Running")
        .addNewCondition().withType("Ready").withStatus("True").endCondition().endStatus().build();
    gateway = new GatewayState(GATEWAY_NS, GATEWAY, svc, List.of(slice(GATEWAY_NS, GATEWAY, true)), List.of(pod), List.of());
    return this;
  }

  /** The same Site and upstreams, routed by HTTPRoute web/shop through Envoy Gateway instead of the Ingress. */
  SiteWorld viaHttpRoute() {
    spec.getOrigin().setIngressName(null);
    spec.getOrigin().setHttpRouteName("shop");
    ingress = null;
    route = new RouteWorld(this);
    return this;
  }

  SiteWorld gatewayEndpointsNotReady() {
    gateway = new GatewayState(GATEWAY_NS, GATEWAY, gateway.service(), List.of(slice(GATEWAY_NS, GATEWAY, false)),
        gateway.pods(), gateway.policies());
    return this;
  }

  SiteWorld gatewayServiceMissing() {
    gateway = new GatewayState(GATEWAY_NS, GATEWAY, null, List.of(), List.of(), List.of());
    return this;
  }

  /** The CDN's ranges and NetworkPolicies in the gateway's namespace. */
  SiteWorld cdnBehind(List<String> ranges, NetworkPolicy... policies) {
    spec.getCdn().setSourceRanges(new ArrayList<>(ranges));
    gateway = new GatewayState(GATEWAY_NS, GATEWAY, gateway.service(), gateway.slices(), gateway.pods(), List.of(policies));
    return this;
  }

  SiteWorld noLoadBalancerAddress() {
    ingress.setStatus(null);
    return this;
  }

  SiteWorld originAddress(String address) {
    spec.getOrigin().setAddress(address);
    return this;
  }

  SiteWorld noIngress() {
    ingress = null;
    return this;
  }

  SiteWorld ingressRoutesOnly(String otherHost) {
    ingress.getSpec().getRules().forEach(r -> r.setHost(otherHost));
    return this;
  }

  SiteWorld ingressBackendPort(int port) {
    ingress.getSpec().getRules().get(0).getHttp().getPaths().get(0).getBackend().getService().getPort().setNumber(port);
    return this;
  }

  SiteWorld backendServiceMissing() {
    service = null;
    return this;
  }

  SiteWorld serviceTargetPort(IntOrString target) {
    service.getSpec().getPorts().get(0).setTargetPort(target);
    return this;
  }

  /** Every pod backs off after its container app ended with {@code lastReason}. */
  SiteWorld podsCrashLooping(String lastReason, int exitCode) {
    pods.replaceAll(p -> new PodBuilder(p).editStatus()
        .withConditions().addNewCondition().withType("Ready").withStatus("False").withReason("ContainersNotReady").endCondition()
        .withContainerStatuses().addNewContainerStatus().withName("app").withReady(false).withRestartCount(7)
        .withNewState().withNewWaiting().withReason("CrashLoopBackOff").withMessage("back-off 5m0s restarting failed container")
        .endWaiting().endState()
        .withNewLastState().withNewTerminated().withReason(lastReason).withExitCode(exitCode).endTerminated().endLastState()
        .endContainerStatus().endStatus().build());
    endpointsReady(false, false);
    return this;
  }

  /** Pods run but fail readiness. */
  SiteWorld readinessFailing() {
    pods.replaceAll(p -> new PodBuilder(p).editStatus()
        .withConditions().addNewCondition().withType("Ready").withStatus("False").withReason("ContainersNotReady").endCondition()
        .endStatus().build());
    endpointsReady(false, false);
    return this;
  }

  SiteWorld endpointsReady(boolean... ready) {
    slices = new ArrayList<>(List.of(slice(NS, SERVICE, ready)));
    return this;
  }

  SiteWorld maintenance(String message) {
    spec.getMaintenance().setActive(true);
    spec.getMaintenance().setMessage(message);
    return this;
  }

  SiteWorld scaledToZero() {
    deployments = new ArrayList<>(List.of(deployment(0, 3L, 3L, 0, "NewReplicaSetAvailable")));
    pods.clear();
    endpointsReady();
    return this;
  }

  SiteWorld deploymentIs(Deployment d) {
    deployments = new ArrayList<>(List.of(d));
    return this;
  }

  SiteWorld podsUnschedulable() {
    pods.replaceAll(p -> new PodBuilder(p).withStatus(null).editOrNewStatus().withPhase("Pending")
        .addNewCondition().withType("PodScheduled").withStatus("False").withReason("Unschedulable")
        .withMessage("0/3 nodes are available: 3 Insufficient memory.").endCondition()
        .endStatus().build());
    endpointsReady();
    return this;
  }

  SiteWorld quotaExceeded() {
    pods.clear();
    endpointsReady();
    replicaSets.replaceAll(rs -> new ReplicaSetBuilder(rs).editStatus().withReplicas(0).withReadyReplicas(0)
        .addNewCondition().withType("ReplicaFailure").withStatus("True").withReason("FailedCreate")
        .withMessage(QUOTA_MESSAGE).endCondition().endStatus().build());
    return this;
  }

  SiteWorld probes(TrackedProbe... tracked) {
    probes = new ArrayList<>(List.of(tracked));
    return this;
  }

  SiteWorld addProbes(TrackedProbe... tracked) {
    probes.addAll(List.of(tracked));
    return this;
  }

  // ---------------------------------------------------------------- result

  Snapshot snapshot() {
    if (route != null) {
      return route.snapshot(this);
    }
    List<Backend> backends = new ArrayList<>();
    if (ingress != null) {
      for (BackendRef ref : IngressRoutes.backendsFor(ingress, spec.getHost())) {
        backends.add(service == null || !SERVICE.equals(ref.serviceName())
            ? Backend.missing(ref)
            : new Backend(ref, service, slices, pods, deployments, replicaSets));
      }
    }
    return new Snapshot(NS, "shop", spec, ingress, backends, gateway, new ProbeFindings(probes));
  }

  Verdict diagnose() {
    return Diagnosis.diagnose(snapshot());
  }
}
