package dev.upstreamhealth.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.upstreamhealth.api.Site;
import dev.upstreamhealth.demo.SiteFixture;
import dev.upstreamhealth.gateway.IngressNginx;
import dev.upstreamhealth.gateway.IngressNginxGateway;
import dev.upstreamhealth.loopback.Behaviour;
import dev.upstreamhealth.loopback.LoopbackServer;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What clusters do every day, through the real operator and a real nginx as the gateway: the
 * cluster objects change as the kubelet and the controllers change them, nginx is reconfigured as
 * ingress-nginx would be, and the Site's status is sampled all the way, not only at the end.
 */
class EverydayChangesIT {
  static final String NGINX_IP = "127.0.0.60";
  static final String POD_IP = "127.0.0.61";
  /** Nothing listens here: a pod that never started. */
  static final String NEW_POD_IP = "127.0.0.62";
  /** Holds a deleted pod in Terminating, as the kubelet's graceful shutdown does. */
  static final String HOLD = "upstreamhealth.dev/test-graceful-shutdown";
  /** A CDN edge's address, the source of what the CDN asks; the operator's probes come from 127.0.0.1. */
  static final String CDN_EDGE = "127.0.0.250";
  static final String OTHER_CDN_EDGE = "127.0.0.251";

  static OperatorHarness harness;
  static EndpointSliceController slices;
  static LoopbackServer pod;
  static int counter;

  IngressNginxGateway nginx;
  SiteFixture fixture;
  StatusSampler sampler;

  @BeforeAll
  static void start() {
    harness = OperatorHarness.start();
    slices = new EndpointSliceController(harness.client);
    pod = LoopbackServer.http(POD_IP, 0, Behaviour.status(200));
  }

  @AfterAll
  static void stop() {
    harness.close();
    pod.close();
  }

  @BeforeEach
  void startGateway() {
    nginx = IngressNginxGateway.start(NGINX_IP);
    fixture = new SiteFixture("daily" + (++counter), "shop", "shop.example.com");
  }

  @AfterEach
  void stopGateway() {
    if (sampler != null) {
      sampler.close();
    }
    nginx.close();
  }

  // ---------------------------------------------------------------- scenarios

  @Test
  void scaleToZeroWhileJvmPodsExit143IsScaledToZeroAllTheWay() {
    create(fixture.ingress(NGINX_IP), fixture.service(pod.port()), heldPod(fixture.pod(1, POD_IP, pod.port(), true), "ReplicaSet",
        fixture.serviceName() + "-7d9f"), fixture.deployment(1));
    settleHealthy();

    // kubectl scale --replicas=0: the Deployment first, then the pod is deleted and its JVM exits on SIGTERM.
    harness.replace(new DeploymentBuilder(fixture.deployment(0)).editMetadata().withGeneration(2L).endMetadata()
        .editStatus().withObservedGeneration(2L).endStatus().build());
    terminate(fixture.serviceName() + "-1", 143);
    assertThat(followPods().getEndpoints()).as("the deleted pod's endpoint").singleElement()
        .satisfies(e -> assertThat(List.of(e.getConditions().getReady(), e.getConditions().getTerminating()))
            .containsExactly(false, true));
    syncGateway();

    Site site = awaitFault("503", "ScaledToZero");
    assertThat(site.getStatus().getMessage()).contains("Deployment " + fixture.namespace() + "/shop-web has replicas: 0");
    assertThat(nginx.get(fixture.host(), "/").status()).as("what visitors get").isEqualTo(503);

    // The pod finishes shutting down and goes away; nothing changes for the Site.
    release(fixture.serviceName() + "-1");
    assertThat(followPods().getEndpoints()).as("the pod is gone: no endpoints").isEmpty();
    syncGateway();
    holdsFor("ScaledToZero");

    sampler.assertNeverSaw("UpstreamCrashLooping", "NoReadyEndpoints");
    sampler.assertNeverSawFault("502");
    assertNoWarning("UpstreamCrashLooping");
    assertThat(warnings()).contains("ScaledToZero");
  }

  @Test
  void aNewImageThatCannotBePulledIsImagePullFailedNamingTheImage() {
    create(fixture.ingress(NGINX_IP), fixture.service(pod.port()), heldPod(fixture.pod(1, POD_IP, pod.port(), true), "ReplicaSet",
        fixture.serviceName() + "-7d9f"), fixture.deployment(1));
    settleHealthy();

    // kubectl set image on a Recreate Deployment: the old pod stops, the new one cannot pull its image.
    harness.replace(new DeploymentBuilder(fixture.deployment(1)).editMetadata().withGeneration(2L).endMetadata()
        .editStatus().withObservedGeneration(2L).withUpdatedReplicas(1).withReadyReplicas(0).withAvailableReplicas(0)
        .withConditions().addNewCondition().withType("Progressing").withStatus("True").withReason("ReplicaSetUpdated")
        .endCondition().endStatus().build());
    terminate(fixture.serviceName() + "-1", 143);
    followPods();
    harness.create(imagePullBackOffPod(2, "registry.example/shop:2-typo"));
    followPods();
    syncGateway();

    Site site = awaitFault("502", "ImagePullFailed");
    assertThat(site.getStatus().getMessage()).contains("image \"registry.example/shop:2-typo\"",
        "Back-off pulling image \"registry.example/shop:2-typo\"");
    assertThat(nginx.get(fixture.host(), "/").status()).as("what visitors get").isEqualTo(503);
    release(fixture.serviceName() + "-1");
    followPods();
    holdsFor("ImagePullFailed");

    sampler.assertNeverSaw("UpstreamCrashLooping", "NoReadyEndpoints");
    assertNoWarning("UpstreamCrashLooping");
    assertNoWarning("NoReadyEndpoints");
  }

  @Test
  void aStatefulSetScaledToZeroIsScaledToZeroNamingIt() {
    create(fixture.ingress(NGINX_IP), fixture.service(pod.port()),
        heldPod(fixture.pod(0, POD_IP, pod.port(), true), "StatefulSet", fixture.serviceName()), statefulSet(1));
    settleHealthy();

    harness.replace(statefulSet(0));
    terminate(fixture.serviceName() + "-0", 137); // killed after its grace period
    followPods();
    syncGateway();

    Site site = awaitFault("503", "ScaledToZero");
    assertThat(site.getStatus().getMessage()).contains("StatefulSet " + fixture.namespace() + "/shop-web has replicas: 0");
    assertThat(nginx.get(fixture.host(), "/").status()).isEqualTo(503);
    release(fixture.serviceName() + "-0");
    followPods();
    holdsFor("ScaledToZero");

    sampler.assertNeverSaw("UpstreamCrashLooping", "NoReadyEndpoints");
    sampler.assertNeverSawFault("502");
    assertNoWarning("UpstreamCrashLooping");
  }

  @Test
  void aStatefulSetAQuotaStopsIsQuotaExceededQuotingTheController() {
    create(fixture.ingress(NGINX_IP), fixture.service(pod.port()),
        heldPod(fixture.pod(0, POD_IP, pod.port(), true), "StatefulSet", fixture.serviceName()), statefulSet(1));
    settleHealthy();

    // The pod is evicted; the StatefulSet controller may not create it again: the namespace's quota is used up.
    terminate(fixture.serviceName() + "-0", 137);
    followPods();
    release(fixture.serviceName() + "-0");
    followPods();
    harness.replace(new StatefulSetBuilder(statefulSet(1)).editStatus().withReplicas(0).withReadyReplicas(0)
        .withCurrentReplicas(0).endStatus().build());
    String quota = "create Pod " + fixture.serviceName() + "-0 in StatefulSet " + fixture.serviceName() + " failed error: pods \""
        + fixture.serviceName() + "-0\" is forbidden: exceeded quota: compute, requested: cpu=500m, used: cpu=2, limited: cpu=2";
    harness.create(new io.fabric8.kubernetes.api.model.EventBuilder()
        .withNewMetadata().withNamespace(fixture.namespace()).withName(fixture.serviceName() + ".17f3a2b4c5d6e7f8").endMetadata()
        .withNewInvolvedObject().withApiVersion("apps/v1").withKind("StatefulSet").withNamespace(fixture.namespace())
        .withName(fixture.serviceName()).endInvolvedObject()
        .withType("Warning").withReason("FailedCreate").withMessage(quota)
        .withNewSource().withComponent("statefulset-controller").endSource().withCount(3)
        .build());
    syncGateway();

    Site site = awaitFault("503", "QuotaExceeded");
    assertThat(site.getStatus().getMessage()).contains("StatefulSet " + fixture.namespace() + "/shop-web cannot create pods",
        "exceeded quota: compute");
    assertThat(nginx.get(fixture.host(), "/").status()).isEqualTo(503);
    holdsFor("QuotaExceeded");
    sampler.assertNeverSaw("UpstreamCrashLooping");
    assertNoWarning("UpstreamCrashLooping");
  }

  @Test
  void aSurgePodStillStartingIsNoDegradation() {
    create(fixture.ingress(NGINX_IP), fixture.service(pod.port()), heldPod(fixture.pod(1, POD_IP, pod.port(), true), "ReplicaSet",
        fixture.serviceName() + "-7d9f"), fixture.deployment(1));
    settleHealthy();

    // An HPA scale-up: a second pod is created and runs, its readiness probe not yet passed.
    harness.replace(new DeploymentBuilder(fixture.deployment(2)).editStatus().withReadyReplicas(1).withAvailableReplicas(1)
        .endStatus().build());
    harness.create(heldPod(fixture.pod(2, NEW_POD_IP, pod.port(), false), "ReplicaSet", fixture.serviceName() + "-7d9f"));
    followPods();
    syncGateway();

    await().atMost(Duration.ofSeconds(30)).until(() -> harness.site(fixture.namespace(), "shop").getStatus().getUpstreams()
        .stream().anyMatch(u -> Integer.valueOf(2).equals(u.getTotalEndpoints())));
    assertThat(nginx.get(fixture.host(), "/").status()).isEqualTo(200);
    holdsFor("Healthy");
    sampler.assertOnlySaw("Healthy");
    sampler.assertNeverDegraded();
    assertThat(warnings()).isEmpty();
    release(fixture.serviceName() + "-1");
    release(fixture.serviceName() + "-2");
  }

  @Test
  void aNewDeploymentWhosePodsCannotBeScheduledIsPodsUnschedulableFromTheStart() {
    // A new Deployment asking for more memory than any node has: its pod stays Pending, no endpoint exists.
    Pod pending = new PodBuilder(fixture.pod(1, null, pod.port(), false)).editStatus().withPhase("Pending").withPodIP(null)
        .withConditions().addNewCondition().withType("PodScheduled").withStatus("False").withReason("Unschedulable")
        .withMessage("0/3 nodes are available: 3 Insufficient memory. preemption: 0/3 nodes are available: "
            + "3 No preemption victims found for incoming pod.").endCondition()
        .withContainerStatuses().endStatus().build();
    harness.create(fixture.ingress(NGINX_IP), fixture.service(pod.port()), pending,
        new DeploymentBuilder(fixture.deployment(1)).editStatus().withUpdatedReplicas(1).withReadyReplicas(0)
            .withAvailableReplicas(0).withUnavailableReplicas(1)
            .withConditions().addNewCondition().withType("Progressing").withStatus("True").withReason("ReplicaSetUpdated")
            .endCondition().endStatus().build());
    followPods();
    syncGateway();
    sampler = new StatusSampler(fixture.namespace(), "shop");
    harness.create(fixture.site(nginx.port(), 2, 1));

    Site site = awaitFault("503", "PodsUnschedulable");
    assertThat(site.getStatus().getMessage()).contains("1 pod is Pending as Unschedulable: 0/3 nodes are available: "
        + "3 Insufficient memory.");
    assertThat(nginx.get(fixture.host(), "/").status()).isEqualTo(503);
    holdsFor("PodsUnschedulable");
    sampler.assertNeverSaw("RolloutInProgress", "NoReadyEndpoints", "UpstreamCrashLooping");
    assertThat(warnings()).containsOnly("PodsUnschedulable");
  }

  /**
   * An origin locked to its CDN: ingress-nginx admits only the CDN's ranges (a CDN edge stands at
   * 127.0.0.250) and answers the operator's probe, from elsewhere, with its own 403. No fault, no
   * Warning, from the Site's creation on. Once the Site says the CDN also comes from an edge the
   * list leaves out, that edge's visitors get the 403: the fault the message names.
   */
  @Test
  void anOriginLockedToItsCdnsRangesIsNoFaultUntilTheListLeavesAnEdgeOut() {
    Ingress locked = new IngressBuilder(fixture.ingress(NGINX_IP)).editMetadata()
        .addToAnnotations("nginx.ingress.kubernetes.io/allowlist-source-range", CDN_EDGE + "/32").endMetadata().build();
    harness.create(locked, fixture.service(pod.port()), fixture.pod(1, POD_IP, pod.port(), true), fixture.deployment(1));
    followPods();
    syncGateway();
    sampler = new StatusSampler(fixture.namespace(), "shop");
    Site site = fixture.site(nginx.port(), 2, 1);
    site.getSpec().getCdn().setSourceRanges(List.of(CDN_EDGE + "/32"));
    harness.create(site);

    Site healthy = awaitFault("None", "Healthy");
    assertThat(healthy.getStatus().getMessage()).contains("answers the probe with 403: Ingress "
        + fixture.namespace() + "/shop admits only " + CDN_EDGE + "/32");
    assertThat(nginx.getFrom(CDN_EDGE, fixture.host(), "/").status()).as("what the CDN gets").isEqualTo(200);
    assertThat(nginx.get(fixture.host(), "/").status()).as("what any other client gets").isEqualTo(403);
    holdsFor("Healthy");
    sampler.assertOnlySaw("AwaitingFirstProbe", "Healthy");
    sampler.assertNeverDegraded();
    assertThat(warnings()).isEmpty();

    Site edited = harness.site(fixture.namespace(), "shop");
    edited.getSpec().getCdn().setSourceRanges(List.of(CDN_EDGE + "/32", OTHER_CDN_EDGE + "/32"));
    harness.replace(edited);
    Site refused = awaitFault("Other", "UnexpectedStatus");
    assertThat(refused.getStatus().getMessage()).contains("answers HTTP 403 (the gateway's own error page)",
        "leaving out " + OTHER_CDN_EDGE + "/32 of spec.cdn.sourceRanges");
    assertThat(nginx.getFrom(OTHER_CDN_EDGE, fixture.host(), "/").status()).as("what that edge's visitors get")
        .isEqualTo(403);
    awaitWarningsExactly("UnexpectedStatus");
  }

  @Test
  void brokenWildcardAndDefaultBackendsNeverFaultTheExactRulesSite() {
    Ingress ingress = new IngressBuilder(fixture.ingress(NGINX_IP)).editSpec()
        .addNewRule().withHost("*.example.com").withNewHttp().addNewPath().withPath("/").withPathType("Prefix")
        .withNewBackend().withNewService().withName("wildcard-web").withNewPort().withNumber(80).endPort().endService()
        .endBackend().endPath().endHttp().endRule()
        .withNewDefaultBackend().withNewService().withName("default-web").withNewPort().withNumber(80).endPort().endService()
        .endDefaultBackend()
        .endSpec().build();
    create(ingress, fixture.service(pod.port()), fixture.pod(1, POD_IP, pod.port(), true),
        fixture.deployment(1));
    settleHealthy();

    assertThat(nginx.get(fixture.host(), "/").status()).as("the exact rule serves").isEqualTo(200);
    assertThat(nginx.get("blog.example.com", "/").status()).as("the wildcard rule is broken").isEqualTo(503);
    assertThat(nginx.get("example.org", "/").status()).as("the default backend is broken").isEqualTo(503);
    holdsFor("Healthy");
    sampler.assertOnlySaw("AwaitingFirstProbe", "Healthy");
    assertThat(warnings()).isEmpty();

    // Without its exact rule, the host falls to the wildcard rule: now its broken backend is the Site's.
    harness.replace(new IngressBuilder(ingress).editSpec().removeMatchingFromRules(r -> fixture.host().equals(r.getHost()))
        .endSpec().build());
    syncGateway();
    Site site = awaitFault("502", "BackendServiceMissing");
    assertThat(site.getStatus().getMessage()).contains("Ingress " + fixture.namespace() + "/shop (rule *.example.com, path /)",
        "Service " + fixture.namespace() + "/wildcard-web");
    assertThat(nginx.get(fixture.host(), "/").status()).isEqualTo(503);
  }

  /**
   * The Site's rule routes /api only, and its Ingress has a defaultBackend whose Service is gone:
   * ingress-nginx sends the rest of the host, the probed / included, there, and answers 503. The
   * Site names that Service, never an overload of the healthy one. Once another Ingress of the
   * class routes / of the host, nginx merges it into the host's server, and the Site is Healthy.
   */
  @Test
  void theDefaultBackendThatTakesTheProbedPathIsNamedUntilAnotherIngressRoutesIt() {
    defaultBackendTakingTheProbedPath("catalogue.example.com");

    harness.create(rootIngress());
    syncGateway();
    Site healthy = awaitFault("None", "Healthy");
    assertThat(healthy.getStatus().getMessage()).doesNotContain("default-web");
    assertThat(nginx.get(fixture.host(), "/").status()).as("the other Ingress's / now serves").isEqualTo(200);
    holdsFor("Healthy");
    // The 503 the origin probe confirmed under the missing Service is checked again at the repair:
    // it never reads as Overloaded, the symptom without its cause, on the way back.
    sampler.assertOnlySaw("AwaitingFirstProbe", "BackendServiceMissing", "Healthy");
    assertThat(warnings()).containsExactly("BackendServiceMissing");
  }

  /**
   * A GitOps sync that applies the repair and an edit of the Site together (one commit adds the
   * other Ingress and changes the Site): the edit waits for the recheck as the repair alone does.
   * No Overloaded on the way, no second Warning, and the new generation is observed once Healthy.
   */
  @Test
  void aSiteEditedWithTheRepairStillShowsNoSymptomOnTheWayBack() {
    defaultBackendTakingTheProbedPath("books.example.com");
    Site edited = harness.site(fixture.namespace(), "shop");
    edited.getSpec().getProbe().setCertificateWarningDays(21);

    harness.create(rootIngress());
    harness.client.resource(edited).update();
    syncGateway();
    Site healthy = awaitFault("None", "Healthy");
    assertThat(healthy.getStatus().getObservedGeneration()).isEqualTo(healthy.getMetadata().getGeneration());
    holdsFor("Healthy");
    sampler.assertOnlySaw("AwaitingFirstProbe", "BackendServiceMissing", "Healthy");
    assertThat(warnings()).containsExactly("BackendServiceMissing");
  }

  /**
   * An Ingress routing only /api of the Site's host, with a defaultBackend Service that does not
   * exist: ingress-nginx sends / there and answers 503, which the origin probe confirms, and the
   * Site shows BackendServiceMissing with one Warning.
   */
  private void defaultBackendTakingTheProbedPath(String host) {
    // A host of each test's own: the other tests' Ingresses stay in the API server, and
    // ingress-nginx would merge those of the same host into one server, whatever their namespace.
    fixture = new SiteFixture(fixture.namespace(), "shop", host);
    Ingress apiOnly = new IngressBuilder(fixture.ingress(NGINX_IP)).editSpec()
        .editFirstRule().editHttp().editFirstPath().withPath("/api").withPathType("Prefix").endPath().endHttp().endRule()
        .withNewDefaultBackend().withNewService().withName("default-web").withNewPort().withNumber(80).endPort().endService()
        .endDefaultBackend()
        .endSpec().build();
    create(apiOnly, fixture.service(pod.port()), fixture.pod(1, POD_IP, pod.port(), true), fixture.deployment(1));
    sampler = new StatusSampler(fixture.namespace(), "shop");

    Site site = awaitFault("502", "BackendServiceMissing");
    assertThat(site.getStatus().getMessage()).contains("Service " + fixture.namespace() + "/default-web",
        "defaultBackend, which takes /");
    assertThat(nginx.get(fixture.host(), "/").status()).as("what visitors of / get").isEqualTo(503);
    assertThat(nginx.get(fixture.host(), "/api").status()).as("the rule's path serves").isEqualTo(200);
    sampler.assertOnlySaw("AwaitingFirstProbe", "BackendServiceMissing");
    awaitWarningsExactly("BackendServiceMissing");
  }

  /** Another Ingress of the class that routes / of the host: nginx merges it into the host's server. */
  private Ingress rootIngress() {
    return new IngressBuilder(fixture.ingress(NGINX_IP)).editMetadata().withName("shop-root").endMetadata().build();
  }

  /**
   * The Site's host is no rule host of its Ingress but one of its ingress-nginx server-alias names:
   * nginx answers it from the rule host's server, and the Site is judged as that host, Healthy from
   * its creation with no Warning. Once the annotation no longer names it, nothing serves it.
   */
  @Test
  void aServerAliasIsHealthyFromTheStartAndUnroutedOnceTheIngressDropsIt() {
    Ingress aliased = new IngressBuilder(fixture.ingress(NGINX_IP)).editMetadata()
        .addToAnnotations("nginx.ingress.kubernetes.io/server-alias", "www.shop.example.net, " + fixture.host())
        .endMetadata().editSpec().editFirstRule().withHost("shop.example.net").endRule().endSpec().build();
    harness.create(aliased, fixture.service(pod.port()), fixture.pod(1, POD_IP, pod.port(), true), fixture.deployment(1));
    followPods();
    syncGateway();
    sampler = new StatusSampler(fixture.namespace(), "shop");
    harness.create(fixture.site(nginx.port(), 2, 1));

    Site healthy = awaitFault("None", "Healthy");
    assertThat(healthy.getStatus().getMessage()).contains("1/1 endpoints of Service " + fixture.namespace() + "/" + fixture.serviceName() + " ready",
        fixture.host() + " is a server-alias of rule shop.example.net of Ingress " + fixture.namespace() + "/shop");
    assertThat(nginx.get(fixture.host(), "/").status()).as("what visitors get").isEqualTo(200);
    holdsFor("Healthy");
    sampler.assertOnlySaw("AwaitingFirstProbe", "Healthy");
    assertThat(warnings()).isEmpty();

    harness.replace(new IngressBuilder(aliased).editMetadata()
        .addToAnnotations("nginx.ingress.kubernetes.io/server-alias", "www.shop.example.net").endMetadata().build());
    syncGateway();
    Site unrouted = awaitFault("Other", "HostNotRouted");
    assertThat(unrouted.getStatus().getMessage()).contains("has no rule for " + fixture.host());
    assertThat(nginx.get(fixture.host(), "/").status()).as("no server names it now").isEqualTo(404);
    awaitWarningsExactly("HostNotRouted");
  }

  // ---------------------------------------------------------------- the world as the cluster writes it

  /** Waits for the fault; on a timeout, says what the Site showed on the way. */
  private Site awaitFault(String fault, String reason) {
    try {
      // Generous: the machine may be busy, and nothing here depends on speed.
      return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
          .until(() -> harness.site(fixture.namespace(), "shop"), s -> s != null && s.getStatus() != null
              && fault.equals(s.getStatus().getFault()) && reason.equals(s.getStatus().getReason()));
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      Site last = harness.site(fixture.namespace(), "shop");
      throw new AssertionError("expected " + fault + "/" + reason + "; statuses seen: "
          + (sampler == null ? "(not sampled yet)" : sampler.distinct())
          + "; last message: " + last.getStatus().getMessage()
          + "; pods stored: " + harness.client.pods().inNamespace(fixture.namespace()).list().getItems().stream()
              .map(p -> p.getMetadata().getName() + (p.getMetadata().getDeletionTimestamp() == null ? "" : " (terminating, finalizers "
                  + p.getMetadata().getFinalizers() + ")")).toList(), e);
    }
  }

  /** The cluster objects, then the gateway configured for them, then the Site: as a user adds one to a running shop. */
  private void create(HasMetadata... objects) {
    harness.create(objects);
    followPods();
    syncGateway();
    harness.create(fixture.site(nginx.port(), 2, 1));
  }

  private void settleHealthy() {
    awaitFault("None", "Healthy");
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
        .until(() -> harness.site(fixture.namespace(), "shop").getStatus().getProbes().stream()
            .map(p -> p.getLayer()).toList().containsAll(List.of("origin", "upstream")));
    assertThat(nginx.get(fixture.host(), "/").status()).isEqualTo(200);
    sampler = new StatusSampler(fixture.namespace(), "shop");
  }

  /** Reconfigures nginx from the Ingresses and EndpointSlices, as ingress-nginx does on a change. */
  private void syncGateway() {
    List<Ingress> ingresses = harness.client.network().v1().ingresses().inNamespace(fixture.namespace()).list().getItems();
    nginx.serve(IngressNginx.servers(harness.client, ingresses));
  }

  /** The Site keeps this reason for three probe intervals' worth of time. */
  private void holdsFor(String reason) {
    await().during(Duration.ofSeconds(6)).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
        .until(() -> reason.equals(harness.site(fixture.namespace(), "shop").getStatus().getReason()));
  }

  private Pod heldPod(Pod pod, String ownerKind, String ownerName) {
    return new PodBuilder(pod).editMetadata().addToFinalizers(HOLD)
        .addNewOwnerReference().withApiVersion("apps/v1").withKind(ownerKind).withName(ownerName).withUid(ownerKind + "-uid")
        .withController(true).withBlockOwnerDeletion(true).endOwnerReference()
        .endMetadata().build();
  }

  /** Deletion starts; the container stops with this exit code (143 SIGTERM, 137 killed), reason Error. */
  private void terminate(String podName, int exitCode) {
    var pods = harness.client.pods().inNamespace(fixture.namespace());
    pods.withName(podName).delete();
    await().atMost(Duration.ofSeconds(5)).until(() -> pods.withName(podName).get().getMetadata().getDeletionTimestamp() != null);
    Pod current = pods.withName(podName).get();
    pods.resource(new PodBuilder(current).editStatus()
        .withConditions().addNewCondition().withType("Ready").withStatus("False").withReason("PodCompleted").endCondition()
        .withContainerStatuses().addNewContainerStatus().withName("app").withReady(false).withStarted(false).withRestartCount(0)
        .withImage("registry.example/shop:1")
        .withNewState().withNewTerminated().withReason("Error").withExitCode(exitCode).endTerminated().endState()
        .endContainerStatus().endStatus().build()).updateStatus();
  }

  /** Shutdown is over: the finalizer standing in for the kubelet lets the pod go. */
  private void release(String podName) {
    harness.client.pods().inNamespace(fixture.namespace()).withName(podName)
        .edit(p -> new PodBuilder(p).editMetadata().removeFromFinalizers(HOLD).endMetadata().build());
  }

  private Pod imagePullBackOffPod(int index, String image) {
    Pod p = fixture.pod(index, NEW_POD_IP, pod.port(), false);
    return new PodBuilder(p).editSpec().editFirstContainer().withImage(image).endContainer().endSpec()
        .editMetadata().addNewOwnerReference().withApiVersion("apps/v1").withKind("ReplicaSet")
        .withName(fixture.serviceName() + "-8e1a").withUid("rs-2").withController(true).endOwnerReference().endMetadata()
        .editStatus().withPhase("Pending")
        .withConditions().addNewCondition().withType("Ready").withStatus("False").withReason("ContainersNotReady")
        .withMessage("containers with unready status: [app]").endCondition()
        .addNewCondition().withType("PodScheduled").withStatus("True").endCondition()
        .withContainerStatuses().addNewContainerStatus().withName("app").withReady(false).withStarted(false).withRestartCount(0)
        .withImage(image).withImageID("")
        .withNewState().withNewWaiting().withReason("ImagePullBackOff")
        .withMessage("Back-off pulling image \"" + image + "\"").endWaiting().endState()
        .endContainerStatus().endStatus().build();
  }

  /** The Service's EndpointSlice rewritten from its pods, as the EndpointSlice controller does on a pod change. */
  private EndpointSlice followPods() {
    return slices.sync(fixture.namespace(), fixture.serviceName());
  }

  private StatefulSet statefulSet(int replicas) {
    Map<String, String> labels = Map.of("app", fixture.serviceName());
    return new StatefulSetBuilder()
        .withNewMetadata().withNamespace(fixture.namespace()).withName(fixture.serviceName()).withGeneration(1L).endMetadata()
        .withNewSpec().withReplicas(replicas).withServiceName(fixture.serviceName())
        .withNewSelector().withMatchLabels(labels).endSelector()
        .withNewTemplate().withNewMetadata().withLabels(labels).endMetadata()
        .withNewSpec().addNewContainer().withName("app").withImage("registry.example/shop:1").endContainer().endSpec()
        .endTemplate().endSpec()
        .withNewStatus().withObservedGeneration(1L).withReplicas(replicas).withReadyReplicas(replicas)
        .withCurrentReplicas(replicas).withUpdatedReplicas(replicas)
        .withCurrentRevision(fixture.serviceName() + "-5d8f").withUpdateRevision(fixture.serviceName() + "-5d8f").endStatus()
        .build();
  }

  /**
   * The Warnings on the Site are these, once its Events have arrived: they are sent off the
   * reconcile thread after the status that calls for them is written.
   */
  private void awaitWarningsExactly(String... reasons) {
    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
        .untilAsserted(() -> assertThat(warnings()).containsExactly(reasons));
  }

  private List<String> warnings() {
    return harness.events(fixture.namespace(), "shop").stream().filter(e -> "Warning".equals(e.getType()))
        .map(Event::getReason).toList();
  }

  private void assertNoWarning(String reason) {
    assertThat(warnings()).doesNotContain(reason);
  }

  /** Reads the Site's status every 50 ms from creation of the sampler on, as a watching user would. */
  final class StatusSampler implements AutoCloseable {
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
    private final List<String> seen = new ArrayList<>();

    StatusSampler(String namespace, String name) {
      executor.scheduleWithFixedDelay(() -> {
        try {
          Site s = harness.site(namespace, name);
          if (s != null && s.getStatus() != null) {
            synchronized (seen) {
              boolean degraded = s.getStatus().getConditions().stream()
                  .anyMatch(c -> "Degraded".equals(c.getType()) && "True".equals(c.getStatus()));
              seen.add(s.getStatus().getFault() + "/" + s.getStatus().getReason() + (degraded ? "+Degraded" : ""));
            }
          }
        } catch (RuntimeException e) {
          // the API server is local; a failed read is simply not a sample
        }
      }, 0, 50, TimeUnit.MILLISECONDS);
    }

    private List<String> samples() {
      synchronized (seen) {
        assertThat(seen).as("status samples").isNotEmpty();
        return List.copyOf(seen);
      }
    }

    List<String> distinct() {
      return samples().stream().distinct().toList();
    }

    void assertNeverSaw(String... reasons) {
      for (String reason : reasons) {
        assertThat(samples()).as("statuses seen").noneMatch(s -> s.contains("/" + reason) || s.endsWith("+" + reason));
      }
    }

    void assertNeverSawFault(String fault) {
      assertThat(samples()).as("statuses seen").noneMatch(s -> s.startsWith(fault + "/"));
    }

    void assertOnlySaw(String... reasons) {
      assertThat(samples()).as("statuses seen")
          .allMatch(s -> java.util.Arrays.stream(reasons).anyMatch(r -> s.endsWith("/" + r)));
    }

    void assertNeverDegraded() {
      assertThat(samples()).as("statuses seen").noneMatch(s -> s.endsWith("+Degraded"));
    }

    @Override
    public void close() {
      executor.shutdownNow();
    }
  }
}
