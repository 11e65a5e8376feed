package dev.upstreamhealth.diagnosis;

import dev.upstreamhealth.api.GatewaySpec;
import dev.upstreamhealth.api.SiteSpec;
import dev.upstreamhealth.demo.SiteFixture;
import dev.upstreamhealth.demo.SiteFixtures;
import dev.upstreamhealth.probe.ProbeFindings;
import dev.upstreamhealth.probe.ProbeLayer;
import dev.upstreamhealth.probe.ProbeOutcome;
import dev.upstreamhealth.probe.ProbePlan;
import dev.upstreamhealth.probe.ProbeResult;
import dev.upstreamhealth.probe.ProbeTarget;
import dev.upstreamhealth.probe.ProbeTrace;
import dev.upstreamhealth.probe.ProbeTracker;
import dev.upstreamhealth.probe.Scheme;
import dev.upstreamhealth.probe.TrackedProbe;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A Site and the cluster and probes around it, healthy until a mutator breaks one thing:
 * Ingress web/shop routes shop.example.com to Service web/shop-web:80 (targetPort http), exposed
 * at 127.0.0.10; Deployment web/shop-web runs 2 ready pods declaring container port 8080 "http";
 * the origin probe has confirmed an HTTP 200. {@link #withGateway()} adds the ingress controller.
 * The Site's own objects are {@link SiteFixture}'s, the healthy Site the demo and the
 * integration tests run too; this world adds fixed times, owners and what breaks.
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

  /** When the world is looked at: the snapshot's "now". */
  static final Instant NOW = Instant.parse("2025-03-04T12:00:00Z");
  /** The healthy pods were created an hour before {@link #NOW}. */
  static final String LONG_AGO = "2025-03-04T11:00:00Z";
  static final String REPLICA_SET = "shop-web-7d9f";
  /** The annotation the deployment controller numbers a Deployment's ReplicaSets by. */
  static final String REVISION = "deployment.kubernetes.io/revision";
  /** The port the pods' container port "http" listens on. */
  static final int POD_PORT = 8080;
  /** Site web/shop's own objects, as the demo and the integration tests build them too. */
  private static final SiteFixture SITE = new SiteFixture(NS, "shop", HOST);

  final SiteSpec spec = new SiteSpec();
  List<Duration> upstreamLatencies = List.of();
  Ingress ingress;
  Service service;
  List<EndpointSlice> slices = new ArrayList<>();
  List<Pod> pods = new ArrayList<>();
  List<Deployment> deployments = new ArrayList<>();
  List<ReplicaSet> replicaSets = new ArrayList<>();
  List<StatefulSet> statefulSets = new ArrayList<>();
  List<DaemonSet> daemonSets = new ArrayList<>();
  List<Event> events = new ArrayList<>();
  /** Services other than web/shop-web that exist, with no pods behind them. */
  Map<String, Service> otherServices = new java.util.HashMap<>();
  /** EndpointSlices of the other Services, by name; none unless given. */
  Map<String, List<EndpointSlice>> otherSlices = new java.util.HashMap<>();
  java.util.Set<String> unsyncedCaches = java.util.Set.of();
  final Map<String, List<String>> resolvedNames = new java.util.HashMap<>();
  GatewayState gateway;
  List<TrackedProbe> probes = new ArrayList<>();
  /** The HTTPRoute side once {@link #viaHttpRoute()} made it the origin; null for the Ingress. */
  RouteWorld route;
  /** Another Ingress of the class whose TLS section covers host's server; null when none. */
  String hostTlsIngress;
  /** What ingress-nginx's controller ConfigMap sets for every Ingress; null when the operator knows of none. */
  IngressNginxConfigMap controllerConfig;

  private SiteWorld() {
    spec.setHost(HOST);
    spec.getOrigin().setIngressName("shop");
  }

  static SiteWorld healthy() {
    SiteWorld w = new SiteWorld();
    w.ingress = SITE.ingress(LB_IP);
    w.service = SITE.service(new IntOrString("http"));
    w.pods.add(readyPod("shop-web-7d9f-a1", "10.0.0.11"));
    w.pods.add(readyPod("shop-web-7d9f-b2", "10.0.0.12"));
    w.slices.add(slice(NS, SERVICE, true, true));
    Deployment deployment = deployment(2, 2L, 2L, 2, "NewReplicaSetAvailable");
    w.deployments.add(deployment);
    w.replicaSets.add(new ReplicaSetBuilder(SiteFixtures.replicaSet(deployment, "7d9f"))
        .editMetadata().withUid("rs-1").endMetadata().build());
    w.probes.add(origin(ok(200)));
    return w;
  }

  // ---------------------------------------------------------------- building blocks

  /** A pod of ReplicaSet shop-web-7d9f as the kubelet shows it once its container is up and ready. */
  static Pod readyPod(String name, String ip) {
    return createdAt(ofReplicaSet(SITE.pod(1, ip, POD_PORT, true), name), LONG_AGO);
  }

  /** A pod created {@code age} before {@link #NOW}, its container running but not ready yet. */
  static Pod startingPod(String name, String ip, Duration age) {
    return createdAt(ofReplicaSet(SITE.pod(1, ip, POD_PORT, false), name), NOW.minus(age).toString());
  }

  private static Pod ofReplicaSet(Pod pod, String name) {
    return SiteFixtures.ownedBy(pod, name, SiteFixtures.controller("apps/v1", "ReplicaSet", REPLICA_SET, "rs-1"));
  }

  /** The pod as the kubelet shows it when it was created at {@code time} and has not changed since. */
  private static Pod createdAt(Pod pod, String time) {
    Pod p = new PodBuilder(pod).editMetadata().withCreationTimestamp(time).endMetadata()
        .editStatus().withStartTime(time).endStatus().build();
    p.getStatus().getConditions().forEach(c -> c.setLastTransitionTime(time));
    p.getStatus().getContainerStatuses().stream().filter(cs -> cs.getState().getRunning() != null)
        .forEach(cs -> cs.getState().getRunning().setStartedAt(time));
    return p;
  }

  /** An EndpointSlice of the Service with one endpoint per flag (10.0.0.11, .12, ...), ready as the flag says. */
  static EndpointSlice slice(String namespace, String service, boolean... ready) {
    Map<String, Boolean> readyByIp = new LinkedHashMap<>();
    for (int i = 0; i < ready.length; i++) {
      readyByIp.put("10.0.0." + (11 + i), ready[i]);
    }
    EndpointSlice slice = SITE.endpointSlice(POD_PORT, readyByIp);
    return NS.equals(namespace) && SERVICE.equals(service) ? slice : new EndpointSliceBuilder(slice)
        .editMetadata().withNamespace(namespace).withName(service + "-abc12")
        .withLabels(Map.of("kubernetes.io/service-name", service)).endMetadata().build();
  }

  /** Deployment web/shop-web at {@code generation} as its controller last saw it. */
  static Deployment deployment(int replicas, long generation, long observedGeneration, int updated, String progressing) {
    return new DeploymentBuilder(SITE.deployment(replicas))
        .editMetadata().withGeneration(generation).withUid("d-1").endMetadata()
        .editStatus().withObservedGeneration(observedGeneration)
        .withUpdatedReplicas(updated).withReadyReplicas(updated).withAvailableReplicas(updated)
        .editMatchingCondition(c -> "Progressing".equals(c.getType())).withReason(progressing).endCondition()
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

  /** An answer the gateway wrote itself (nginx's own error page), not one passed on from the upstreams. */
  static ProbeResult gatewaysOwn(int status) {
    return new ProbeResult(originTarget(), ProbeOutcome.RESPONDED, status, false, Duration.ofMillis(40), null,
        Instant.parse("2025-01-01T00:00:00Z"),
        new ProbeTrace(null, null, null, null, LB_IP + ":80", null, ProbeTrace.AnswerSource.GATEWAY, 0));
  }

  static ProbeResult httpRetryAfter(int status) {
    return result(ProbeOutcome.RESPONDED, status, true, null);
  }

  /** An http probe answered {@code status} to its own address over https, {@code location}. */
  static ProbeResult redirectLoop(int status, String location) {
    return result(ProbeOutcome.REDIRECT_LOOP, status, false, location);
  }

  static ProbeResult outcome(ProbeOutcome outcome, String detail) {
    return result(outcome, 0, false, detail);
  }

  static ProbeResult outcome(ProbeOutcome outcome) {
    return outcome(outcome, null);
  }

  private static ProbeResult at(ProbeTarget t, ProbeResult r) {
    return new ProbeResult(t, r.outcome(), r.statusCode(), r.retryAfter(), r.latency(), r.detail(), r.finishedAt(),
        r.trace());
  }

  /**
   * The history the scheduler would hold after this result came in again and again until it
   * counted: folded by the real {@link ProbeTracker} under the default {@code spec.probe}
   * (expectedStatus 200-399, 3 failures to confirm, 1 success).
   */
  static TrackedProbe tracked(ProbeTarget t, ProbeResult result) {
    return tracked(ProbeSettings.of(null), t, result);
  }

  /** The same under the given settings: what counts as success is the plan's expectedStatus. */
  static TrackedProbe tracked(ProbeSettings settings, ProbeTarget t, ProbeResult result) {
    return tracked(planOf(settings, t), t, result);
  }

  /** The same under {@code plan}, which decides what counts as success. */
  static TrackedProbe tracked(ProbePlan plan, ProbeTarget t, ProbeResult result) {
    ProbeTracker tracker = ProbeTracker.of(plan);
    ProbeResult r = at(t, result);
    TrackedProbe probe = ProbeTracker.untried(t);
    for (int i = 0; i < Math.max(plan.failureThreshold(), plan.successThreshold()) && !probe.isConfirmed(); i++) {
      probe = tracker.fold(probe, r).probe();
    }
    if (!probe.isConfirmed()) {
      throw new IllegalStateException("the tracker never confirmed " + r.summary());
    }
    return probe;
  }

  /** A failure seen once, below the default failureThreshold: not yet confirmed. */
  static TrackedProbe unconfirmed(ProbeTarget t, ProbeResult result) {
    ProbeTracker tracker = ProbeTracker.of(planOf(ProbeSettings.of(null), t));
    TrackedProbe probe = tracker.fold(ProbeTracker.untried(t), at(t, result)).probe();
    if (probe.isConfirmed()) {
      throw new IllegalArgumentException(result.summary() + " counts from its first probe: it cannot be unconfirmed");
    }
    return probe;
  }

  /** The origin confirmed serving, then one probe that got {@code failure}: a failure not yet confirmed. */
  static TrackedProbe originServingThenFailedOnce(ProbeResult failure) {
    ProbeTarget t = originTarget();
    TrackedProbe probe = ProbeTracker.of(planOf(ProbeSettings.of(null), t)).fold(origin(http(200)), at(t, failure)).probe();
    if (!probe.confirmedSuccess() || probe.consecutiveFailures() != 1) {
      throw new IllegalArgumentException(failure.summary() + " is not one failure after a confirmed success");
    }
    return probe;
  }

  private static ProbePlan planOf(ProbeSettings settings, ProbeTarget t) {
    return new ProbePlan(List.of(t), settings.interval(), settings.failureThreshold(), settings.successThreshold(),
        settings.expected());
  }

  /** The origin probe as the scheduler would track it under this world's own {@code spec.probe}. */
  SiteWorld originProbed(ProbeResult r) {
    probes = new ArrayList<>(List.of(tracked(ProbeSettings.of(spec.getProbe()), originTarget(), r)));
    return this;
  }

  static TrackedProbe origin(ProbeResult r) {
    return tracked(originTarget(), r);
  }

  static TrackedProbe gatewayProbe(ProbeResult r) {
    return tracked(target(ProbeLayer.GATEWAY, "10.96.0.20", 80, ""), r);
  }

  static TrackedProbe upstream(String ip, ProbeResult r) {
    return tracked(target(ProbeLayer.UPSTREAM, ip, POD_PORT, SERVICE_KEY), r);
  }

  // ---------------------------------------------------------------- mutators

  /** The Site says the CDN fetches the origin over plain http (Cloudflare's Flexible mode). */
  SiteWorld fetchedOverHttp() {
    spec.getOrigin().setScheme("http");
    return this;
  }

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

  /** The gateway's pods were created {@code age} before {@link #NOW} (a restarted controller's, when recent). */
  SiteWorld gatewayPodsCreated(Duration age) {
    gateway.pods().forEach(p -> p.getMetadata().setCreationTimestamp(NOW.minus(age).toString()));
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

  /**
   * The CDN's ranges, and these NetworkPolicies in the gateway's namespace; the gateway Service
   * keeps the client's address (externalTrafficPolicy Local), as a policy on the CDN's ranges needs.
   */
  SiteWorld cdnBehind(List<String> ranges, NetworkPolicy... policies) {
    spec.getCdn().setSourceRanges(new ArrayList<>(ranges));
    gateway.service().getSpec().setExternalTrafficPolicy("Local");
    gateway = new GatewayState(GATEWAY_NS, GATEWAY, gateway.service(), gateway.slices(), gateway.pods(), List.of(policies));
    return this;
  }

  /** kube-proxy rewrites the source of what reaches the gateway pods to a node's address (the default). */
  SiteWorld gatewaySourceRewritten() {
    gateway.service().getSpec().setExternalTrafficPolicy("Cluster");
    return this;
  }

  SiteWorld noLoadBalancerAddress() {
    ingress.setStatus(null);
    return this;
  }

  /** The Site's Ingress was created {@code age} before {@link #NOW}. */
  SiteWorld ingressCreated(Duration age) {
    ingress.getMetadata().setCreationTimestamp(NOW.minus(age).toString());
    return this;
  }

  SiteWorld originAddress(String address) {
    spec.getOrigin().setAddress(address);
    return this;
  }

  /** The operator's caches of these kinds have not listed yet. */
  SiteWorld cachesNotSynced(String... caches) {
    unsyncedCaches = java.util.Set.of(caches);
    return this;
  }

  /** A DNS name has been looked up and answered these addresses (none: it does not resolve). */
  SiteWorld resolves(String name, String... addresses) {
    resolvedNames.put(name, List.of(addresses));
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
    pods.replaceAll(p -> SiteFixture.crashLooping(p, lastReason, exitCode));
    endpointsReady(false, false);
    return this;
  }

  /**
   * Both pods crash-loop, and the second is caught between two crashes: its container running
   * again, not ready yet, its last run of 3 minutes ended in error {@code sinceLastCrash} ago.
   */
  SiteWorld crashLoopingPodCaughtRunning(Duration sinceLastCrash) {
    podsCrashLooping("Error", 1);
    pods.set(1, runningAgainAfter(pods.get(1), 7, "Error", 1, Duration.ofMinutes(3), sinceLastCrash));
    return this;
  }

  /**
   * A new template's pods crash at boot seconds apart: the first backs off after its second crash,
   * the second runs again after its first, a 2-second run that ended in error {@code sinceCrash} ago.
   */
  SiteWorld podsCrashingAtBootOneAfterItsFirstCrash(Duration sinceCrash) {
    podsCrashLooping("Error", 1);
    pods.get(0).getStatus().getContainerStatuses().get(0).setRestartCount(1);
    pods.set(1, runningAgainAfter(pods.get(1), 1, "Error", 1, Duration.ofSeconds(2), sinceCrash));
    return this;
  }

  /** Both pods were killed once for memory a minute ago, after 5 minutes' run, and run again, not ready yet. */
  SiteWorld podsKilledOnceAndNotReadyAgainYet() {
    podsCrashLooping("OOMKilled", 137);
    pods.replaceAll(p -> runningAgainAfter(p, 1, "OOMKilled", 137, Duration.ofMinutes(5), Duration.ofMinutes(1)));
    return this;
  }

  /**
   * Both pods, up for weeks and restarted 3 times long ago (restartCount counts a pod's whole life),
   * were killed once for memory 30 s ago and run again, not ready yet (a JVM warming up).
   */
  SiteWorld podsKilledOnceAfterWeeksOfRunning() {
    podsCrashLooping("OOMKilled", 137);
    pods.replaceAll(p -> runningAgainAfter(createdAt(p, NOW.minus(Duration.ofDays(40)).toString()), 3, "OOMKilled", 137,
        Duration.ofDays(21), Duration.ofSeconds(30)));
    return this;
  }

  /** Both pods crash every time after {@code run}; caught running again, the last crash a minute ago. */
  SiteWorld podsCrashingAfterRunsOf(Duration run) {
    podsCrashLooping("Error", 1);
    pods.replaceAll(p -> runningAgainAfter(p, 5, "Error", 1, run, Duration.ofMinutes(1)));
    return this;
  }

  private static Pod runningAgainAfter(Pod pod, int restarts, String lastReason, int exitCode, Duration lastRun,
      Duration sinceLastCrash) {
    Instant crashed = NOW.minus(sinceLastCrash);
    return new PodBuilder(pod).editStatus().withContainerStatuses(List.of())
        .addNewContainerStatus().withName("app").withReady(false).withStarted(true).withRestartCount(restarts)
        .withImage(SiteFixture.IMAGE)
        .withNewState().withNewRunning().withStartedAt(NOW.minusSeconds(5).toString()).endRunning().endState()
        .withNewLastState().withNewTerminated().withReason(lastReason).withExitCode(exitCode)
        .withStartedAt(crashed.minus(lastRun).toString()).withFinishedAt(crashed.toString()).endTerminated()
        .endLastState()
        .endContainerStatus().endStatus().build();
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

  /**
   * Deployment web/shop-web, at zero since its last rollout finished, woken (KEDA, an HPA) to
   * {@code replicas}: generation {@code generation}, of which its controller has observed
   * {@code observedGeneration}; ReplicaSet shop-web-7d9f (revision 2) asks for {@code asked} (0
   * until the controller scales it up) and has no pod yet.
   */
  SiteWorld wokenFromZero(int replicas, long generation, long observedGeneration, int asked) {
    deployments = new ArrayList<>(List.of(new DeploymentBuilder(
        deployment(replicas, generation, observedGeneration, 0, "NewReplicaSetAvailable"))
        .editStatus().withReplicas(0).endStatus().build()));
    replicaSets.replaceAll(rs -> new ReplicaSetBuilder(rs).editMetadata().addToAnnotations(REVISION, "2").endMetadata()
        .editSpec().withReplicas(asked).endSpec()
        .editStatus().withReplicas(0).withReadyReplicas(0).withAvailableReplicas(0).endStatus().build());
    pods.clear();
    return endpointsReady();
  }

  /**
   * ReplicaSet shop-web-5c4b of Deployment web/shop-web, revision 1: the template before its last
   * change, asking for {@code replicas} and running as many pods, failing readiness.
   */
  SiteWorld olderReplicaSet(int replicas) {
    ReplicaSet newest = replicaSets.get(0);
    replicaSets.add(new ReplicaSetBuilder(newest).editMetadata().withName("shop-web-5c4b").withUid("rs-0")
        .addToAnnotations(REVISION, "1").endMetadata()
        .editSpec().withReplicas(replicas).endSpec()
        .editStatus().withReplicas(replicas).withReadyReplicas(0).withAvailableReplicas(0).endStatus().build());
    for (int i = 0; i < replicas; i++) {
      pods.add(SiteFixtures.ownedBy(SITE.pod(1, "10.0.0." + (21 + i), POD_PORT, false), "shop-web-5c4b-o" + i,
          SiteFixtures.controller("apps/v1", "ReplicaSet", "shop-web-5c4b", "rs-0")));
    }
    return endpointsFromPods();
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

  /**
   * The namespace now enforces Pod Security "restricted" and a node drain took the pods: the
   * ReplicaSet cannot create new ones, in the admission's words.
   */
  SiteWorld podSecurityDeniesPods() {
    pods.clear();
    endpointsReady();
    replicaSets.replaceAll(rs -> new ReplicaSetBuilder(rs).editStatus().withReplicas(0).withReadyReplicas(0)
        .addNewCondition().withType("ReplicaFailure").withStatus("True").withReason("FailedCreate")
        .withMessage("pods \"shop-web-7d9f-x9\" is forbidden: violates PodSecurity \"restricted:latest\": "
            + "allowPrivilegeEscalation != false (container \"app\" must set "
            + "securityContext.allowPrivilegeEscalation=false)").endCondition().endStatus().build());
    return this;
  }

  /** Latencies of the Site's recent upstream probes, for the timeout budget. */
  SiteWorld upstreamLatencies(Duration... latencies) {
    upstreamLatencies = List.of(latencies);
    return this;
  }

  /** Another Ingress of the same class, {@code ingressKey}, declares TLS for host's server. */
  SiteWorld tlsDeclaredOn(String ingressKey) {
    hostTlsIngress = ingressKey;
    return this;
  }

  /**
   * ingress-nginx's controller ConfigMap ingress-nginx/ingress-nginx-controller, read by the
   * operator for the Site's gateway, with these keys (whitelist-source-range, global-auth-url,
   * use-proxy-protocol, ssl-redirect, proxy-buffer-size, proxy-read-timeout).
   */
  SiteWorld controllerConfigMap(Map<String, String> data) {
    controllerConfig = new IngressNginxConfigMap(GATEWAY_KEY, data.get(IngressNginxConfigMap.WHITELIST_SOURCE_RANGE),
        data.get(IngressNginxConfigMap.GLOBAL_AUTH_URL), "true".equals(data.get(IngressNginxConfigMap.USE_PROXY_PROTOCOL)),
        "false".equals(data.get(IngressNginxConfigMap.SSL_REDIRECT)), data.get(IngressNginxConfigMap.PROXY_BUFFER_SIZE),
        data.get(IngressNginxConfigMap.PROXY_READ_TIMEOUT));
    return this;
  }

  SiteWorld ingressAnnotation(String key, String value) {
    Map<String, String> annotations = new java.util.HashMap<>(
        ingress.getMetadata().getAnnotations() == null ? Map.of() : ingress.getMetadata().getAnnotations());
    annotations.put(key, value);
    ingress.getMetadata().setAnnotations(annotations);
    return this;
  }

  /**
   * ingress-nginx's default-backend annotation naming Service {@code name} of this namespace,
   * which exists with one endpoint, ready or not as {@code ready} says.
   */
  SiteWorld fallbackService(String name, boolean ready) {
    serviceWithoutPods(name);
    otherSlices.put(name, List.of(slice(NS, name, ready)));
    return ingressAnnotation("nginx.ingress.kubernetes.io/default-backend", name);
  }

  /** An origin probe whose https answer came with a certificate valid until {@code notAfter}. */
  static TrackedProbe originWithCertificate(Instant notAfter) {
    ProbeResult r = new ProbeResult(originTarget(), ProbeOutcome.RESPONDED, 200, false, Duration.ofMillis(40), "",
        Instant.parse("2025-01-01T00:00:00Z"), new dev.upstreamhealth.probe.ProbeTrace(Duration.ZERO,
            Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(30), LB_IP + ":443",
            new dev.upstreamhealth.probe.ProbeTrace.PresentedCertificate("CN=shop.example.com", "CN=Test CA",
                notAfter.minus(Duration.ofDays(90)), notAfter), dev.upstreamhealth.probe.ProbeTrace.AnswerSource.NOT_APPLICABLE, 0));
    return tracked(originTarget(), r);
  }

  // ---------------------------------------------------------------- pods as the kubelet shows them

  /** Rebuilds the EndpointSlice from the pods, as the EndpointSlice controller does. */
  SiteWorld endpointsFromPods() {
    EndpointSliceBuilder b = new EndpointSliceBuilder(SITE.endpointSlice(POD_PORT, Map.of()));
    for (Pod p : pods) {
      if (p.getStatus() == null || p.getStatus().getPodIP() == null) {
        continue; // no IP yet (unscheduled, sandbox not created): no endpoint
      }
      boolean terminating = PodHealth.isTerminating(p);
      boolean ready = !terminating && PodHealth.isReady(p);
      b.addNewEndpoint().withAddresses(p.getStatus().getPodIP()).withNodeName("node-a")
          .withNewConditions().withReady(ready).withServing(PodHealth.isReady(p)).withTerminating(terminating).endConditions()
          .withNewTargetRef().withKind("Pod").withNamespace(NS).withName(p.getMetadata().getName()).endTargetRef()
          .endEndpoint();
    }
    slices = new ArrayList<>(List.of(b.build()));
    return this;
  }

  /**
   * Every pod is being deleted and its container has stopped as a JVM does on SIGTERM (143) or
   * once killed after the grace period (137): reason Error, Ready False.
   */
  SiteWorld podsTerminating(int exitCode) {
    pods.replaceAll(p -> new PodBuilder(p).editMetadata().withDeletionTimestamp("2025-03-04T11:59:40Z")
        .withDeletionGracePeriodSeconds(30L).endMetadata()
        .editStatus()
        .withConditions().addNewCondition().withType("Ready").withStatus("False").withReason("PodCompleted")
        .withLastTransitionTime("2025-03-04T11:59:50Z").endCondition()
        .withContainerStatuses().addNewContainerStatus().withName("app").withReady(false).withStarted(false).withRestartCount(0)
        .withImage(SiteFixture.IMAGE)
        .withNewState().withNewTerminated().withReason("Error").withExitCode(exitCode)
        .withStartedAt(LONG_AGO).withFinishedAt("2025-03-04T11:59:50Z").withContainerID("containerd://9f3c")
        .endTerminated().endState()
        .endContainerStatus().endStatus().build());
    return endpointsFromPods();
  }

  /** kubectl scale --replicas=0 while the pods still shut down. */
  SiteWorld scaledToZeroWhilePodsTerminate(int exitCode) {
    deployments = new ArrayList<>(List.of(deployment(0, 4L, 4L, 0, "NewReplicaSetAvailable")));
    replicaSets.replaceAll(rs -> new ReplicaSetBuilder(rs).editSpec().withReplicas(0).endSpec().build());
    return podsTerminating(exitCode);
  }

  /** A Recreate rollout: the old pods stop before any new pod is created. */
  SiteWorld recreateRolloutWhilePodsTerminate(int exitCode) {
    deployments = new ArrayList<>(List.of(new DeploymentBuilder(deployment(2, 5L, 5L, 0, "ReplicaSetUpdated"))
        .editSpec().withNewStrategy().withType("Recreate").endStrategy().endSpec().build()));
    return podsTerminating(exitCode);
  }

  /** A surge rollout or scale-up: one more pod, created {@code age} ago, not ready yet. */
  SiteWorld podStarting(Duration age) {
    pods.add(startingPod("shop-web-7d9f-c3", "10.0.0.13", age));
    return endpointsFromPods();
  }

  /**
   * A surge pod created {@code age} ago whose container runs but has not passed its startupProbe
   * ({@code started: false}), after {@code restarts} restarts.
   */
  SiteWorld podAwaitingItsStartupProbe(Duration age, int restarts) {
    pods.add(new PodBuilder(startingPod("shop-web-7d9f-c3", "10.0.0.13", age)).editStatus()
        .editFirstContainerStatus().withStarted(false).withRestartCount(restarts).endContainerStatus()
        .endStatus().build());
    return endpointsFromPods();
  }

  /**
   * An HPA's new replica, created {@code age} ago, waiting for the node a cluster autoscaler (or
   * Karpenter) brings: Pending as Unschedulable, no IP, no container status, so no endpoint.
   */
  SiteWorld replicaWaitingForANode(String name, Duration age) {
    pods.add(new PodBuilder(startingPod(name, null, age)).withStatus(null).withNewStatus().withPhase("Pending")
        .addNewCondition().withType("PodScheduled").withStatus("False").withReason("Unschedulable")
        .withMessage("0/3 nodes are available: 3 Insufficient memory.").endCondition()
        .endStatus().build());
    return this;
  }

  /** An HPA's new replica, created {@code age} ago, on its node, its container being created: no IP yet. */
  SiteWorld replicaCreatingItsContainer(String name, Duration age) {
    Instant created = NOW.minus(age);
    pods.add(new PodBuilder(startingPod(name, null, age)).withStatus(null).withNewStatus().withPhase("Pending")
        .withStartTime(created.plusSeconds(1).toString())
        .addNewCondition().withType("PodScheduled").withStatus("True").endCondition()
        .addNewCondition().withType("Ready").withStatus("False").withReason("ContainersNotReady").endCondition()
        .addNewContainerStatus().withName("app").withImage(SiteFixture.IMAGE).withReady(false).withStarted(false)
        .withRestartCount(0).withNewState().withNewWaiting().withReason("ContainerCreating").endWaiting().endState()
        .endContainerStatus().endStatus().build());
    return this;
  }

  /**
   * A replica created {@code created} ago that waited for its node: the kubelet took it (its
   * {@code status.startTime}) {@code started} ago, and its container runs, not ready yet.
   */
  SiteWorld replicaStartedOnItsNode(String name, String ip, Duration created, Duration started) {
    Pod pod = startingPod(name, ip, created);
    String startTime = NOW.minus(started).toString();
    pod.getStatus().setStartTime(startTime);
    pod.getStatus().getContainerStatuses().forEach(cs -> cs.getState().getRunning().setStartedAt(startTime));
    pods.add(pod);
    return endpointsFromPods();
  }

  /** Every container waits as the kubelet shows it: reason and message. */
  SiteWorld podsWaiting(String image, String reason, String message) {
    pods.replaceAll(p -> new PodBuilder(p)
        .editSpec().editFirstContainer().withImage(image).endContainer().endSpec()
        .editStatus()
        .withConditions()
        .addNewCondition().withType("Initialized").withStatus("True").endCondition()
        .addNewCondition().withType("Ready").withStatus("False").withReason("ContainersNotReady")
        .withMessage("containers with unready status: [app]").endCondition()
        .addNewCondition().withType("ContainersReady").withStatus("False").withReason("ContainersNotReady").endCondition()
        .addNewCondition().withType("PodScheduled").withStatus("True").endCondition()
        .withContainerStatuses().addNewContainerStatus().withName("app").withReady(false).withStarted(false).withRestartCount(0)
        .withImage(image).withImageID("")
        .withNewState().withNewWaiting().withReason(reason).withMessage(message).endWaiting().endState()
        .endContainerStatus().endStatus().build());
    return endpointsFromPods();
  }

  SiteWorld imagePullBackOff() {
    return podsWaiting("registry.example.com/shop:1.5", "ImagePullBackOff",
        "Back-off pulling image \"registry.example.com/shop:1.5\"");
  }

  SiteWorld errImagePull() {
    return podsWaiting("registry.example.com/shop:1.5", "ErrImagePull",
        "failed to pull and unpack image \"registry.example.com/shop:1.5\": failed to resolve reference "
            + "\"registry.example.com/shop:1.5\": registry.example.com/shop:1.5: not found");
  }

  SiteWorld invalidImageName() {
    return podsWaiting("registry.example.com/Shop:1.5", "InvalidImageName",
        "Failed to apply default image tag \"registry.example.com/Shop:1.5\": couldn't parse image name "
            + "\"registry.example.com/Shop:1.5\": invalid reference format: repository name (Shop) must be lowercase");
  }

  SiteWorld createContainerConfigError() {
    return podsWaiting(SiteFixture.IMAGE, "CreateContainerConfigError",
        "couldn't find key DATABASE_PASSWORD in Secret web/shop-db");
  }

  SiteWorld createContainerError() {
    return podsWaiting(SiteFixture.IMAGE, "CreateContainerError",
        "failed to generate container spec: failed to apply OCI options: failed to mkdir \"/data\": permission denied");
  }

  /**
   * The app no longer declares port "http": a native sidecar (an init container with
   * restartPolicy Always, e.g. an auth proxy) does, and serves the Service's targetPort.
   */
  SiteWorld sidecarServesTargetPort() {
    pods.replaceAll(p -> new PodBuilder(p).editSpec()
        .editFirstContainer().withPorts().addNewPort().withName("app").withContainerPort(9000).endPort().endContainer()
        .addNewInitContainer().withName("auth-proxy").withImage("quay.io/oauth2-proxy/oauth2-proxy:v7.6.0")
        .withRestartPolicy("Always").addNewPort().withName("http").withContainerPort(8080).endPort().endInitContainer()
        .endSpec()
        .editStatus().addNewInitContainerStatus().withName("auth-proxy").withReady(true).withStarted(true)
        .withRestartCount(0).withNewState().withNewRunning().withStartedAt(LONG_AGO).endRunning().endState()
        .endInitContainerStatus().endStatus().build());
    return this;
  }

  /** Istio's sidecar injected beside the app in every pod, the app's ports as they were. */
  SiteWorld meshed() {
    pods.replaceAll(SiteWorld::withIstioSidecar);
    return this;
  }

  /** The gateway's pods in the mesh too (ingress-nginx with Istio's sidecar). */
  SiteWorld gatewayMeshed() {
    return gatewayMeshed("istio-proxy");
  }

  /** Every pod, the app's and the gateway's, with the named mesh proxy beside it (Kuma's, Consul's). */
  SiteWorld meshedBy(String proxy) {
    pods.replaceAll(p -> withSidecar(p, proxy));
    return gatewayMeshed(proxy);
  }

  private SiteWorld gatewayMeshed(String proxy) {
    gateway = new GatewayState(gateway.namespace(), gateway.name(), gateway.service(), gateway.slices(),
        gateway.pods().stream().map(p -> "istio-proxy".equals(proxy) ? withIstioSidecar(p) : withSidecar(p, proxy)).toList(),
        gateway.policies());
    return this;
  }

  private static Pod withIstioSidecar(Pod p) {
    return new PodBuilder(p).editSpec()
        .addNewContainer().withName("istio-proxy").withImage("docker.io/istio/proxyv2:1.24.0")
        .addNewPort().withName("http-envoy-prom").withContainerPort(15090).endPort().endContainer()
        .endSpec().build();
  }

  private static Pod withSidecar(Pod p, String proxy) {
    return new PodBuilder(p).editSpec()
        .addNewContainer().withName(proxy).withImage("registry.example/" + proxy + ":1").endContainer()
        .endSpec().build();
  }

  /**
   * The Service sends to numeric targetPort 8080; the app declares no ports, as many do, and a
   * mesh proxy beside it (an ordinary container, as Istio injects it) declares only its own.
   */
  SiteWorld meshProxyDeclaresOnlyItsOwnPort() {
    serviceTargetPort(new IntOrString(8080));
    pods.replaceAll(p -> new PodBuilder(p).editSpec()
        .editFirstContainer().withPorts().endContainer()
        .addNewContainer().withName("istio-proxy").withImage("docker.io/istio/proxyv2:1.24.0")
        .addNewPort().withName("http-envoy-prom").withContainerPort(15090).endPort().endContainer()
        .endSpec().build());
    return this;
  }

  /** The native sidecar crash-loops while the app runs: the pod is not ready. */
  SiteWorld sidecarCrashLooping() {
    sidecarServesTargetPort();
    pods.replaceAll(p -> new PodBuilder(p).editStatus()
        .withConditions().addNewCondition().withType("Ready").withStatus("False").withReason("ContainersNotReady").endCondition()
        .withInitContainerStatuses().addNewInitContainerStatus().withName("auth-proxy").withReady(false).withStarted(false)
        .withRestartCount(6).withNewState().withNewWaiting().withReason("CrashLoopBackOff")
        .withMessage("back-off 2m40s restarting failed container=auth-proxy").endWaiting().endState()
        .withNewLastState().withNewTerminated().withReason("Error").withExitCode(1).endTerminated().endLastState()
        .endInitContainerStatus().endStatus().build());
    return endpointsFromPods();
  }

  // ---------------------------------------------------------------- workloads beyond Deployments

  /** The pods belong to StatefulSet web/shop-web (no Deployment, no ReplicaSet). */
  SiteWorld ownedByStatefulSet(int replicas, int currentReplicas, String currentRevision, String updateRevision) {
    deployments.clear();
    replicaSets.clear();
    statefulSets = new ArrayList<>(List.of(new StatefulSetBuilder()
        .withNewMetadata().withNamespace(NS).withName(SERVICE).withGeneration(3L).withUid("ss-1").endMetadata()
        .withNewSpec().withReplicas(replicas).withServiceName(SERVICE).withNewSelector().withMatchLabels(APP).endSelector()
        .withNewTemplate().withNewMetadata().withLabels(APP).endMetadata().endTemplate().endSpec()
        .withNewStatus().withObservedGeneration(3L).withReplicas(currentReplicas).withReadyReplicas(currentReplicas)
        .withCurrentReplicas(currentReplicas).withUpdatedReplicas(updateRevision.equals(currentRevision) ? currentReplicas : 0)
        .withCurrentRevision(currentRevision).withUpdateRevision(updateRevision).endStatus()
        .build()));
    owners("StatefulSet", SERVICE);
    return this;
  }

  /**
   * StatefulSet web/shop-web of 2 pods at revision shop-web-5d8f, both terminating (their node
   * drained): the controller counts them in replicas but not in updatedReplicas.
   */
  SiteWorld statefulSetReplacingItsPods() {
    ownedByStatefulSet(2, 2, "shop-web-5d8f", "shop-web-5d8f");
    statefulSets.replaceAll(ss -> new StatefulSetBuilder(ss).editStatus().withReadyReplicas(0).withUpdatedReplicas(0)
        .withCurrentReplicas(0).endStatus().build());
    return podsTerminating(143);
  }

  /**
   * StatefulSet web/shop-web of 2 pods, updateStrategy OnDelete, after a template change to
   * revision shop-web-7a1c: {@code updated} pods have been deleted and came back at it. Under
   * OnDelete the controller leaves currentRevision at shop-web-5d8f whatever happens.
   */
  SiteWorld statefulSetOnDelete(int updated) {
    ownedByStatefulSet(2, 2, "shop-web-5d8f", "shop-web-5d8f");
    statefulSets.replaceAll(ss -> new StatefulSetBuilder(ss)
        .editSpec().withNewUpdateStrategy().withType("OnDelete").endUpdateStrategy().endSpec()
        .editStatus().withUpdateRevision("shop-web-7a1c").withUpdatedReplicas(updated).withCurrentReplicas(2 - updated)
        .endStatus().build());
    return this;
  }

  /**
   * StatefulSet web/shop-web of 3 pods rolled out in stages: RollingUpdate with {@code partition},
   * template changed to revision shop-web-7a1c, {@code updated} pods at it. currentRevision stays
   * shop-web-5d8f until the partition is lowered to 0.
   */
  SiteWorld statefulSetPartitioned(int partition, int updated) {
    ownedByStatefulSet(3, 3, "shop-web-5d8f", "shop-web-5d8f");
    statefulSets.replaceAll(ss -> new StatefulSetBuilder(ss)
        .editSpec().withNewUpdateStrategy().withType("RollingUpdate").withNewRollingUpdate().withPartition(partition)
        .endRollingUpdate().endUpdateStrategy().endSpec()
        .editStatus().withUpdateRevision("shop-web-7a1c").withUpdatedReplicas(updated).withCurrentReplicas(3 - updated)
        .endStatus().build());
    return this;
  }

  /** The pods belong to DaemonSet web/shop-web. */
  SiteWorld ownedByDaemonSet(int desired, int updated) {
    deployments.clear();
    replicaSets.clear();
    daemonSets = new ArrayList<>(List.of(new DaemonSetBuilder()
        .withNewMetadata().withNamespace(NS).withName(SERVICE).withGeneration(2L).endMetadata()
        .withNewSpec().withNewSelector().withMatchLabels(APP).endSelector()
        .withNewTemplate().withNewMetadata().withLabels(APP).endMetadata().endTemplate().endSpec()
        .withNewStatus().withObservedGeneration(2L).withDesiredNumberScheduled(desired).withCurrentNumberScheduled(desired)
        .withUpdatedNumberScheduled(updated).withNumberReady(0).withNumberMisscheduled(0).endStatus()
        .build()));
    owners("DaemonSet", SERVICE);
    return this;
  }

  /** ReplicaSet shop-web-7d9f is owned by an Argo Rollouts Rollout, not a Deployment. */
  SiteWorld replicaSetOwnedByRollout() {
    deployments.clear();
    replicaSets.replaceAll(rs -> new ReplicaSetBuilder(rs).editMetadata().withOwnerReferences()
        .addNewOwnerReference().withApiVersion("argoproj.io/v1alpha1").withKind("Rollout").withName("shop")
        .withUid("ro-1").withController(true).withBlockOwnerDeletion(true).endOwnerReference().endMetadata().build());
    return this;
  }

  /** KEDA or an HPA scaled an Argo Rollout to zero: its ReplicaSets at replicas 0, no pod left. */
  SiteWorld rolloutScaledToZero() {
    replicaSetOwnedByRollout();
    replicaSets.replaceAll(rs -> new ReplicaSetBuilder(rs).editSpec().withReplicas(0).endSpec()
        .editStatus().withReplicas(0).withReadyReplicas(0).withAvailableReplicas(0).endStatus().build());
    pods.clear();
    endpointsReady();
    return this;
  }

  /**
   * An Argo Rollouts Rollout with a workloadRef to Deployment web/shop-web: Argo scaled the
   * Deployment to 0 and runs the pods itself from its template, through ReplicaSet shop-web-7d9f.
   */
  SiteWorld rolloutWithWorkloadRef() {
    replicaSetOwnedByRollout();
    deployments = new ArrayList<>(List.of(deployment(0, 3L, 3L, 0, "NewReplicaSetAvailable")));
    return this;
  }

  /** Pods of some other controller, e.g. a Job or a custom operator's kind. */
  SiteWorld ownedBy(String kind, String name) {
    deployments.clear();
    replicaSets.clear();
    return owners(kind, name);
  }

  private SiteWorld owners(String kind, String name) {
    pods.replaceAll(p -> new PodBuilder(p).editMetadata().withOwnerReferences()
        .addNewOwnerReference().withApiVersion("apps/v1").withKind(kind).withName(name).withUid(kind + "-1")
        .withController(true).withBlockOwnerDeletion(true).endOwnerReference().endMetadata().build());
    return this;
  }

  /**
   * A pod of the ReplicaSet evicted under node pressure earlier, as the kubelet leaves it: Failed,
   * its container killed; the ReplicaSet replaced it, and it stays listed until garbage-collected.
   */
  SiteWorld evictedPodLeft() {
    pods.add(new PodBuilder(readyPod("shop-web-7d9f-e5", "10.0.0.15")).withStatus(null).withNewStatus()
        .withPhase("Failed").withReason("Evicted")
        .withMessage("The node was low on resource: memory. Threshold quantity: 100Mi, available: 91236Ki.")
        .addNewCondition().withType("Ready").withStatus("False").withReason("PodFailed").endCondition()
        .addNewContainerStatus().withName("app").withImage(SiteFixture.IMAGE).withReady(false).withRestartCount(0)
        .withNewState().withNewTerminated().withExitCode(137).withReason("ContainerStatusUnknown")
        .withMessage("The container could not be located when the pod was terminated").endTerminated().endState()
        .endContainerStatus().endStatus().build());
    return this;
  }

  /**
   * The pod {@link #evictedPodLeft} left, made by no controller (a bare pod, restartPolicy
   * Always): nothing replaces it.
   */
  SiteWorld evictedBarePodLeft() {
    evictedPodLeft();
    Pod evicted = pods.remove(pods.size() - 1);
    pods.add(new PodBuilder(evicted).editMetadata().withOwnerReferences(List.of()).endMetadata()
        .editSpec().withRestartPolicy("Always").endSpec().build());
    return this;
  }

  /**
   * The pod {@link #evictedPodLeft} left, made by another controller than the core ones: an
   * OpenKruise CloneSet, which replaces an evicted pod as a ReplicaSet does.
   */
  SiteWorld evictedPodLeftByACloneSet() {
    evictedPodLeft();
    Pod evicted = pods.remove(pods.size() - 1);
    pods.add(new PodBuilder(evicted).editMetadata().withOwnerReferences(new io.fabric8.kubernetes.api.model.OwnerReferenceBuilder()
        .withApiVersion("apps.kruise.io/v1alpha1").withKind("CloneSet").withName("shop-web").withUid("cloneset-1")
        .withController(true).withBlockOwnerDeletion(true).build()).endMetadata().build());
    return this;
  }

  /**
   * A migration Job's pod left Failed (exit 1) that carries the app's labels, as Helm hooks and
   * CronJob templates often copy them: the Service selects it, the EndpointSlice controller
   * leaves it out.
   */
  SiteWorld failedJobPodLeft() {
    pods.add(new PodBuilder(readyPod("shop-migrate-x7k2p", "10.0.0.16")).editMetadata()
        .withOwnerReferences(new io.fabric8.kubernetes.api.model.OwnerReferenceBuilder().withApiVersion("batch/v1")
            .withKind("Job").withName("shop-migrate").withUid("job-1").withController(true).build())
        .endMetadata()
        .withStatus(null).withNewStatus().withPhase("Failed")
        .addNewCondition().withType("Ready").withStatus("False").withReason("PodFailed").endCondition()
        .addNewContainerStatus().withName("app").withImage(SiteFixture.IMAGE).withReady(false).withRestartCount(0)
        .withNewState().withNewTerminated().withExitCode(1).withReason("Error").endTerminated().endState()
        .endContainerStatus().endStatus().build());
    return this;
  }

  /**
   * What {@code helm test} leaves of helm create's templates/tests/test-connection.yaml: a bare pod
   * with the chart's selector labels, restartPolicy Never, one wget container declaring no ports,
   * finished in {@code phase} (Failed when wget got no answer). The EndpointSlice controller leaves
   * a finished pod out.
   */
  SiteWorld helmTestPodLeft(String phase) {
    boolean succeeded = "Succeeded".equals(phase);
    pods.add(new PodBuilder()
        .withNewMetadata().withNamespace(NS).withName(SERVICE + "-test-connection").withLabels(APP)
        .withCreationTimestamp(LONG_AGO).endMetadata()
        .withNewSpec().withRestartPolicy("Never").addNewContainer().withName("wget").withImage("busybox")
        .withCommand("wget").withArgs(SERVICE + ":80").endContainer().endSpec()
        .withNewStatus().withPhase(phase).withPodIP("10.0.0.30")
        .addNewCondition().withType("Ready").withStatus("False").withReason(succeeded ? "PodCompleted" : "PodFailed")
        .endCondition()
        .addNewContainerStatus().withName("wget").withImage("busybox").withReady(false).withRestartCount(0)
        .withNewState().withNewTerminated().withExitCode(succeeded ? 0 : 1).withReason(succeeded ? "Completed" : "Error")
        .endTerminated().endState().endContainerStatus().endStatus().build());
    return this;
  }

  /** The same pod while {@code helm test} runs it: wget still waiting for an answer, not ready. */
  SiteWorld helmTestPodRunning() {
    helmTestPodLeft("Succeeded");
    Pod finished = pods.remove(pods.size() - 1);
    pods.add(new PodBuilder(finished).editStatus().withPhase("Running")
        .editFirstCondition().withReason("ContainersNotReady").endCondition()
        .editFirstContainerStatus().withNewState().withNewRunning().withStartedAt(NOW.minusSeconds(2).toString())
        .endRunning().endState().endContainerStatus().endStatus().build());
    return this;
  }

  /**
   * The Service's pod is a KubeVirt virtual machine's launcher, which its VirtualMachineInstance
   * keeps as the workload (restartPolicy Never, as KubeVirt creates it): it failed.
   */
  SiteWorld virtualMachinePodFailed() {
    deployments.clear();
    replicaSets.clear();
    pods = new ArrayList<>(List.of(new PodBuilder(readyPod("virt-launcher-shop-vm-x7k2p", "10.0.0.11"))
        .editMetadata().withOwnerReferences(new io.fabric8.kubernetes.api.model.OwnerReferenceBuilder()
            .withApiVersion("kubevirt.io/v1").withKind("VirtualMachineInstance").withName("shop-vm").withUid("vmi-1")
            .withController(true).withBlockOwnerDeletion(true).build()).endMetadata()
        .editSpec().withRestartPolicy("Never").endSpec()
        .withStatus(null).withNewStatus().withPhase("Failed")
        .addNewCondition().withType("Ready").withStatus("False").withReason("PodFailed").endCondition()
        .addNewContainerStatus().withName("compute").withImage("quay.io/kubevirt/virt-launcher:v1.4.0").withReady(false)
        .withRestartCount(0).withNewState().withNewTerminated().withExitCode(1).withReason("Error").endTerminated()
        .endState().endContainerStatus().endStatus().build()));
    return endpointsReady();
  }

  /** A FailedCreate Warning as the controller-manager records it about a workload. */
  static Event failedCreate(String kind, String name, String message) {
    return new EventBuilder()
        .withNewMetadata().withNamespace(NS).withName(name + ".17f3a2b4c5d6e7f8").endMetadata()
        .withNewInvolvedObject().withApiVersion("apps/v1").withKind(kind).withNamespace(NS).withName(name)
        .withUid(kind + "-1").withResourceVersion("4711").endInvolvedObject()
        .withType("Warning").withReason("FailedCreate").withMessage(message)
        .withNewSource().withComponent(kind.equals("StatefulSet") ? "statefulset-controller" : "replicaset-controller").endSource()
        .withFirstTimestamp("2025-03-04T11:50:00Z").withLastTimestamp("2025-03-04T11:59:00Z").withCount(14)
        .withReportingComponent(kind.equals("StatefulSet") ? "statefulset-controller" : "replicaset-controller")
        .build();
  }

  /** The StatefulSet wants 2 pods and a quota lets it create none. */
  SiteWorld statefulSetBlockedByQuota() {
    ownedByStatefulSet(2, 0, "shop-web-5d8f", "shop-web-5d8f");
    pods.clear();
    endpointsReady();
    events.add(failedCreate("StatefulSet", SERVICE, "create Pod shop-web-0 in StatefulSet shop-web failed error: "
        + "pods \"shop-web-0\" is forbidden: exceeded quota: compute, requested: cpu=500m, used: cpu=2, limited: cpu=2"));
    return this;
  }

  /**
   * A StatefulSet with no pods yet, and a FailedCreate Warning from Pod Security admission about
   * it, last seen {@code ago} before now.
   */
  SiteWorld statefulSetRefusedByPodSecurity(Duration ago) {
    ownedByStatefulSet(2, 0, "shop-web-5d8f", "shop-web-5d8f");
    pods.clear();
    endpointsReady();
    Event refusal = failedCreate("StatefulSet", SERVICE, "create Pod shop-web-0 in StatefulSet shop-web failed error: "
        + "pods \"shop-web-0\" is forbidden: violates PodSecurity \"restricted:latest\": runAsNonRoot != true");
    refusal.setLastTimestamp(NOW.minus(ago).toString());
    events.add(refusal);
    return this;
  }

  // ---------------------------------------------------------------- which rules serve host

  /** A Service of that name exists with no pods behind it (its selector matches nothing). */
  SiteWorld serviceWithoutPods(String name) {
    otherServices.put(name, new ServiceBuilder()
        .withNewMetadata().withNamespace(NS).withName(name).endMetadata()
        .withNewSpec().withSelector(Map.of("app", name))
        .addNewPort().withName("http").withPort(80).withTargetPort(new IntOrString(8080)).endPort()
        .endSpec().build());
    return this;
  }

  /** Adds a rule for {@code ruleHost} (null: no host) sending {@code path} to Service {@code name}:80. */
  SiteWorld rule(String ruleHost, String path, String name) {
    ingress.getSpec().getRules().add(new io.fabric8.kubernetes.api.model.networking.v1.IngressRuleBuilder()
        .withHost(ruleHost).withNewHttp()
        .addNewPath().withPath(path).withPathType("Prefix")
        .withNewBackend().withNewService().withName(name).withNewPort().withNumber(80).endPort().endService().endBackend()
        .endPath().endHttp().build());
    return this;
  }

  SiteWorld defaultBackend(String name) {
    ingress.getSpec().setDefaultBackend(new io.fabric8.kubernetes.api.model.networking.v1.IngressBackendBuilder()
        .withNewService().withName(name).withNewPort().withNumber(80).endPort().endService().build());
    return this;
  }

  /** Web/shop-web becomes an ExternalName alias: no selector, pods or endpoints of its own. */
  SiteWorld externalNameService(String externalName) {
    service = new ServiceBuilder()
        .withNewMetadata().withNamespace(NS).withName(SERVICE).endMetadata()
        .withNewSpec().withType("ExternalName").withExternalName(externalName)
        .addNewPort().withName("http").withPort(80).endPort().endSpec().build();
    pods.clear();
    slices.clear();
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
    if (ingress != null && IngressNginx.redirect(ingress).isEmpty()) {
      for (BackendRef ref : IngressRoutes.upstreamsFor(ingress, spec.getHost(), ProbedPath.onIngress(spec, ingress), List.of())) {
        backends.add(backend(ref));
      }
    }
    Backend fallback = ingress == null ? null : IngressNginx.defaultBackend(ingress).map(this::backend).orElse(null);
    return SnapshotBuilder.snapshot(NS, "shop", spec).ingress(ingress).backends(backends).gateway(gateway).fallback(fallback)
        .probes(new ProbeFindings(probes, upstreamLatencies)).now(NOW).unsyncedCaches(unsyncedCaches)
        .resolvedNames(resolvedNames).hostTlsIngress(hostTlsIngress).controllerConfig(controllerConfig).build();
  }

  private Backend backend(BackendRef ref) {
    if (SERVICE.equals(ref.serviceName())) {
      return service == null ? Backend.missing(ref) : new Backend(ref, service, slices, pods,
          new Workloads(deployments, replicaSets, statefulSets, daemonSets, events));
    }
    Service other = otherServices.get(ref.serviceName());
    return other == null ? Backend.missing(ref)
        : new Backend(ref, other, otherSlices.getOrDefault(ref.serviceName(), List.of()), List.of(), Workloads.NONE);
  }

  Verdict diagnose() {
    return Diagnosis.diagnose(snapshot());
  }
}
