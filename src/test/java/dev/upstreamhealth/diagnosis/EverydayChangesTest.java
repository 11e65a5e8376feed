package dev.upstreamhealth.diagnosis;

import static dev.upstreamhealth.diagnosis.SiteWorld.http;
import static dev.upstreamhealth.diagnosis.SiteWorld.origin;
import static dev.upstreamhealth.diagnosis.SiteWorld.policy;
import static org.assertj.core.api.Assertions.assertThat;

import dev.upstreamhealth.api.ConditionStatus;
import dev.upstreamhealth.api.ConditionType;
import dev.upstreamhealth.api.Fault;
import dev.upstreamhealth.api.Reason;
import dev.upstreamhealth.probe.ProbeOutcome;
import dev.upstreamhealth.probe.ProbeResult;
import dev.upstreamhealth.probe.ProbeTracker;
import dev.upstreamhealth.probe.TrackedProbe;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import java.time.Duration;
import java.util.List;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import io.fabric8.kubernetes.api.model.ServiceStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.ArrayList;
import org.junit.jupiter.api.Test;

/**
 * What real clusters do every day, built as the kubelet, scheduler and controller-manager write
 * it: none of it may page, and a fault it does cause is named for its cause.
 */
class EverydayChangesTest {
  private static final String CDN = "173.245.48.0/20";
  private static final String DENY_ALL = "{\"spec\":{\"podSelector\":{},\"policyTypes\":[\"Ingress\"]}}";
  private static final String CLUSTER_ONLY = "{\"spec\":{\"podSelector\":{},"
      + "\"ingress\":[{\"from\":[{\"ipBlock\":{\"cidr\":\"10.0.0.0/8\"}}]}]}}";
  /** Admits a pod network outside the private ranges, as GKE's privately used public ranges are. */
  private static final String PUBLIC_POD_NETWORK_ONLY = "{\"spec\":{\"podSelector\":{},"
      + "\"ingress\":[{\"from\":[{\"ipBlock\":{\"cidr\":\"34.118.0.0/16\"}}]}]}}";

  private static void assertNoFault(Verdict v) {
    assertThat(v.fault()).isEqualTo(Fault.NONE);
    assertThat(v.reason()).isEqualTo(Reason.HEALTHY);
    for (ConditionType type : ConditionType.values()) {
      if (type.isFaultCondition()) {
        assertThat(v.condition(type).status()).as(type.typeName()).isEqualTo(ConditionStatus.FALSE);
      }
    }
  }

  private static void assertNot(Verdict v, ConditionType type) {
    assertThat(v.condition(type).status()).as(type.typeName()).isEqualTo(ConditionStatus.FALSE);
    assertThat(v.condition(type).reason()).as(type.typeName()).isEqualTo(Reason.NO_FAULT);
  }

  // ---------------------------------------------------------------- terminating pods

  @Test
  void jvmPodsExiting143DuringScaleToZeroAreNotCrashLooping() {
    Verdict v = SiteWorld.healthy().scaledToZeroWhilePodsTerminate(143).probes(origin(http(503))).diagnose();

    assertThat(v.reason()).isEqualTo("ScaledToZero");
    assertNot(v, ConditionType.BAD_GATEWAY);
    assertThat(v.message()).doesNotContain("CrashLoopBackOff", "terminated in error");
  }

  @Test
  void podsKilledAfterTheirGracePeriodDuringARecreateRolloutAreRolloutInProgress() {
    Verdict v = SiteWorld.healthy().recreateRolloutWhilePodsTerminate(137).diagnose();

    assertThat(v.reason()).isEqualTo("RolloutInProgress");
    assertNot(v, ConditionType.BAD_GATEWAY);
  }

  @Test
  void theSameExitedPodsNotBeingDeletedAreCrashLooping() {
    // The control: without deletionTimestamp, containers that exited in error again after a
    // restart are a fault.
    SiteWorld w = SiteWorld.healthy().scaledToZeroWhilePodsTerminate(143);
    w.pods.forEach(p -> p.getMetadata().setDeletionTimestamp(null));
    w.pods.forEach(p -> p.getStatus().getContainerStatuses().get(0).setRestartCount(1));
    w.deployments = new java.util.ArrayList<>(java.util.List.of(SiteWorld.deployment(2, 4, 4, 2, "NewReplicaSetAvailable")));
    Verdict v = w.endpointsFromPods().diagnose();

    assertThat(v.reason()).isEqualTo("UpstreamCrashLooping");
    assertThat(v.message()).contains("2/2 pods of Service web/shop-web (Deployment web/shop-web) have terminated in error",
        "container app: Error (exit code 143)");
  }

  @Test
  void anOldPodTerminatingBesideReadyOnesIsNoDegradation() {
    SiteWorld w = SiteWorld.healthy();
    w.pods.add(SiteWorld.readyPod("shop-web-5c4b-z9", "10.0.0.19"));
    w.endpointsFromPods();
    SiteWorld rolling = w.with(x -> {
      var old = x.pods.remove(2);
      x.pods.add(new io.fabric8.kubernetes.api.model.PodBuilder(old).editMetadata()
          .withDeletionTimestamp("2025-03-04T11:59:55Z").endMetadata()
          .editStatus().withConditions().addNewCondition().withType("Ready").withStatus("False").endCondition()
          .withContainerStatuses().addNewContainerStatus().withName("app").withReady(false).withNewState().withNewTerminated()
          .withReason("Error").withExitCode(143).endTerminated().endState().endContainerStatus().endStatus().build());
      return x;
    }).endpointsFromPods();

    Verdict v = rolling.diagnose();

    assertNoFault(v);
    assertThat(v.upstreams()).containsExactly(new UpstreamCount("web/shop-web", 2, 2));
  }

  // ---------------------------------------------------------------- pods still starting

  @Test
  void aSurgePodStartingForNinetySecondsIsNoDegradation() {
    Verdict v = SiteWorld.healthy().podStarting(Duration.ofSeconds(90)).diagnose();

    assertNoFault(v);
    assertThat(v.upstreams()).containsExactly(new UpstreamCount("web/shop-web", 2, 3));
  }

  /** The API server's clock two seconds ahead of the operator's: the pod it just created is starting. */
  @Test
  void aSurgePodCreatedAheadOfTheOperatorsClockIsStartingToo() {
    Verdict v = SiteWorld.healthy().podStarting(Duration.ofSeconds(-2)).diagnose();

    assertNoFault(v);
    assertThat(v.condition(ConditionType.DEGRADED).status()).isEqualTo(ConditionStatus.FALSE);
  }

  /**
   * Woken from zero (KEDA), its one pod running for three seconds and not ready yet: visitors get
   * the 503 meanwhile, and the message says the pod is starting, not failing readiness.
   */
  @Test
  void aPodWokenAMomentAgoIsDescribedAsStartingNotFailing() {
    SiteWorld w = SiteWorld.healthy();
    w.pods.clear();
    w.pods.add(SiteWorld.startingPod("shop-web-7d9f-k1", "10.0.0.11", Duration.ofSeconds(3)));
    Verdict v = w.endpointsFromPods().diagnose();

    assertThat(v.reason()).isEqualTo("NoReadyEndpoints");
    assertThat(v.message()).contains("1 pod running, starting: not ready yet (pod shop-web-7d9f-k1 created 3s ago)")
        .doesNotContain("failing readiness");
  }

  @Test
  void aPodStillNotReadyAfterTwoMinutesIsDegraded() {
    Verdict v = SiteWorld.healthy().podStarting(Duration.ofMinutes(2)).diagnose();

    assertThat(v.fault()).isEqualTo(Fault.NONE);
    assertThat(v.condition(ConditionType.DEGRADED).reason()).isEqualTo("PartialUpstreamFailure");
    assertThat(v.condition(ConditionType.DEGRADED).message()).contains("2/3 endpoints", "pod shop-web-7d9f-c3");
  }

  /**
   * A JVM given five minutes by its startupProbe, four minutes in: the kubelet shows it not
   * started, which is starting however old the pod, not a partial failure.
   */
  @Test
  void aSurgePodWaitingForItsStartupProbeIsStartingPastTheGrace() {
    Verdict v = SiteWorld.healthy().podAwaitingItsStartupProbe(Duration.ofMinutes(4), 0).diagnose();

    assertNoFault(v);
    assertThat(v.condition(ConditionType.DEGRADED).status()).isEqualTo(ConditionStatus.FALSE);
    assertThat(v.upstreams()).containsExactly(new UpstreamCount("web/shop-web", 2, 3));
  }

  /** A status frozen as it was (its node gone silent) is not starting for ever. */
  @Test
  void aPodWaitingForItsStartupProbeForAQuarterOfAnHourIsDegraded() {
    Verdict v = SiteWorld.healthy().podAwaitingItsStartupProbe(Duration.ofMinutes(15), 0).diagnose();

    assertThat(v.condition(ConditionType.DEGRADED).reason()).isEqualTo("PartialUpstreamFailure");
  }

  /** Its startup probe gave up once and the kubelet restarted it: no longer plain starting. */
  @Test
  void aPodRestartedByItsStartupProbeIsDegradedPastTheGrace() {
    Verdict v = SiteWorld.healthy().podAwaitingItsStartupProbe(Duration.ofMinutes(4), 1).diagnose();

    assertThat(v.fault()).isEqualTo(Fault.NONE);
    assertThat(v.condition(ConditionType.DEGRADED).reason()).isEqualTo("PartialUpstreamFailure");
  }

  /** A single replica replaced by a Recreate rollout, its startup probe not yet passed after three minutes. */
  @Test
  void theOnlyPodWaitingForItsStartupProbeIsDescribedAsStarting() {
    SiteWorld w = SiteWorld.healthy().podAwaitingItsStartupProbe(Duration.ofMinutes(3), 0);
    w.pods.removeIf(PodHealth::isReady);
    Verdict v = w.endpointsFromPods().diagnose();

    assertThat(v.reason()).isEqualTo("NoReadyEndpoints");
    assertThat(v.message()).contains("1 pod running, starting: not ready yet (pod shop-web-7d9f-c3 created 180s ago)")
        .doesNotContain("failing readiness");
  }

  @Test
  void aNewPodThatCannotPullItsImageIsDegradedAtOnceNamingTheImage() {
    SiteWorld w = SiteWorld.healthy();
    w.pods.add(new io.fabric8.kubernetes.api.model.PodBuilder(SiteWorld.startingPod("shop-web-8e1a-d4", "10.0.0.14",
            Duration.ofSeconds(30)))
        .editStatus().withContainerStatuses().addNewContainerStatus().withName("app").withReady(false)
        .withNewState().withNewWaiting().withReason("ImagePullBackOff")
        .withMessage("Back-off pulling image \"registry.example.com/shop:1.5\"").endWaiting().endState()
        .endContainerStatus().endStatus().build());
    Verdict v = w.endpointsFromPods().diagnose();

    assertThat(v.fault()).isEqualTo(Fault.NONE);
    assertThat(v.condition(ConditionType.DEGRADED).message()).contains("2/3 endpoints", "ImagePullBackOff");
    assertNot(v, ConditionType.BAD_GATEWAY);
  }

  @Test
  void podAgeIsJudgedAgainstTheSnapshotsTimeNotTheClock() {
    // The same world read an hour later: the pod is no longer starting. Nothing else changed.
    SiteWorld w = SiteWorld.healthy().podStarting(Duration.ofSeconds(90));
    Snapshot now = w.snapshot();
    Snapshot later = SnapshotBuilder.from(now).now(now.now().plus(Duration.ofHours(1))).build();

    assertThat(Diagnosis.diagnose(now).condition(ConditionType.DEGRADED).status()).isEqualTo(ConditionStatus.FALSE);
    assertThat(Diagnosis.diagnose(later).condition(ConditionType.DEGRADED).status()).isEqualTo(ConditionStatus.TRUE);
  }

  // ---------------------------------------------------------------- cannot start: cause over symptom

  @Test
  void anImageThatCannotBePulledDuringARolloutIsImagePullFailedNotRolloutInProgress() {
    Verdict v = SiteWorld.healthy().deploymentIs(SiteWorld.deployment(2, 7, 7, 2, "ReplicaSetUpdated"))
        .imagePullBackOff().diagnose();

    assertThat(v.reason()).isEqualTo("ImagePullFailed");
    assertNot(v, ConditionType.SERVICE_UNAVAILABLE);
    assertThat(v.message()).doesNotContain("failing readiness", "rollout");
  }

  @Test
  void aMissingSecretKeyOnAFinishedDeploymentIsNotFailingReadiness() {
    Verdict v = SiteWorld.healthy().createContainerConfigError().diagnose();

    assertThat(v.reason()).isEqualTo("ContainerConfigError");
    assertThat(v.message()).doesNotContain("failing readiness");
    assertNot(v, ConditionType.SERVICE_UNAVAILABLE);
  }

  // ---------------------------------------------------------------- native sidecars

  @Test
  void aTargetPortServedByANativeSidecarIsNoPortMismatch() {
    Verdict v = SiteWorld.healthy().sidecarServesTargetPort().diagnose();

    assertNoFault(v);
  }

  @Test
  void aTargetPortNoContainerServesIsStillAMismatch() {
    // The control: the same pods without the sidecar's port.
    SiteWorld w = SiteWorld.healthy().sidecarServesTargetPort();
    w.pods.forEach(p -> p.getSpec().getInitContainers().get(0).setPorts(java.util.List.of()));
    Verdict v = w.diagnose();

    assertThat(v.reason()).isEqualTo("ServicePortMismatch");
    assertThat(v.message()).contains("targetPort \"http\"", "backend of Ingress web/shop (path /)");
  }

  @Test
  void aMeshProxyDeclaringOnlyItsOwnPortIsNoPortMismatch() {
    Verdict v = SiteWorld.healthy().meshProxyDeclaresOnlyItsOwnPort().diagnose();

    assertNoFault(v);
  }

  @Test
  void aNumericTargetPortEveryContainerRulesOutIsStillAMismatchOnceTheOriginFails() {
    // The control: the app declares its ports too, and 8080 is not among them; upstream probes off.
    SiteWorld w = SiteWorld.healthy().meshProxyDeclaresOnlyItsOwnPort().probes(origin(SiteWorld.gatewaysOwn(502)));
    w.pods.forEach(p -> p.getSpec().getContainers().get(0)
        .setPorts(List.of(new ContainerPortBuilder().withName("http").withContainerPort(9000).build())));
    Verdict v = w.diagnose();

    assertThat(v.reason()).isEqualTo("ServicePortMismatch");
    assertThat(v.message()).contains("targetPort 8080", "they declare 9000, 15090");
  }

  /**
   * Upstream probes off (a mesh in STRICT mode, a default-deny namespace): the declared ports are
   * all there is, and they are informational. The origin serving the page says the app listens.
   */
  @Test
  void aNumericTargetPortTheDeclaredPortsRuleOutIsNoMismatchWhileTheOriginServes() {
    assertNoFault(appDeclaringOnlyItsMetricsPort().diagnose());
  }

  /**
   * No endpoint ready (a one-replica drain, the database down for every pod): ingress-nginx
   * answers 503 for itself, and what keeps the endpoints unready is the cause, not the port the
   * pods do not declare.
   */
  @Test
  void aNumericTargetPortIsNoCauseWhileNoEndpointIsReady() {
    Verdict v = appDeclaringOnlyItsMetricsPort().readinessFailing().probes(origin(http(503))).diagnose();

    assertThat(v.reason()).isEqualTo("NoReadyEndpoints");
    assertNot(v, ConditionType.BAD_GATEWAY);
  }

  /**
   * Declared container ports are informational: an app that declares only its metrics port and
   * listens on the Service's numeric targetPort too is served. Its endpoints answering there on
   * the upstream probes settles it.
   */
  @Test
  void aNumericTargetPortTheEndpointsAnswerOnIsNoMismatchWhateverThePodsDeclare() {
    SiteWorld w = appDeclaringOnlyItsMetricsPort();
    w.probes.add(SiteWorld.upstream("10.0.0.11", SiteWorld.ok(200)));
    w.probes.add(SiteWorld.upstream("10.0.0.12", SiteWorld.ok(200)));

    assertNoFault(w.diagnose());
  }

  @Test
  void aNumericTargetPortAGrpcEndpointAcceptsIsNoMismatch() {
    SiteWorld w = appDeclaringOnlyItsMetricsPort();
    w.probes.add(SiteWorld.upstream("10.0.0.11", SiteWorld.outcome(ProbeOutcome.CONNECTED)));

    assertNoFault(w.diagnose());
  }

  @Test
  void aNumericTargetPortWhoseEndpointsRefuseTheProbesIsAMismatch() {
    // The control: the same pods, and nothing listens on 8080: the gateway's connections are refused too.
    SiteWorld w = appDeclaringOnlyItsMetricsPort().probes(origin(SiteWorld.gatewaysOwn(502)));
    w.probes.add(SiteWorld.upstream("10.0.0.11", SiteWorld.outcome(ProbeOutcome.CONNECTION_REFUSED)));
    w.probes.add(SiteWorld.upstream("10.0.0.12", SiteWorld.outcome(ProbeOutcome.CONNECTION_REFUSED)));
    Verdict v = w.diagnose();

    assertThat(v.reason()).isEqualTo("ServicePortMismatch");
    assertThat(v.message()).contains("targetPort 8080", "they declare 9090");
    assertThat(v.condition(ConditionType.BAD_GATEWAY).evidence()).as("what the probes saw: kept over a restart")
        .isEqualTo(dev.upstreamhealth.api.Evidence.PROBE);
  }

  /**
   * A default-deny namespace admitting only the gateway: the operator's probes of the undeclared
   * port time out, and the origin serves the page. Nothing says the app does not listen there.
   */
  @Test
  void aNumericTargetPortWhoseProbesTimeOutOrWhoseOriginServesIsNoMismatch() {
    SiteWorld blocked = appDeclaringOnlyItsMetricsPort().probes(origin(SiteWorld.gatewaysOwn(502)));
    blocked.probes.add(SiteWorld.upstream("10.0.0.11", SiteWorld.outcome(ProbeOutcome.CONNECT_TIMEOUT)));
    blocked.probes.add(SiteWorld.upstream("10.0.0.12", SiteWorld.outcome(ProbeOutcome.CONNECT_TIMEOUT)));
    assertThat(blocked.diagnose().condition(ConditionType.BAD_GATEWAY).reason()).isNotEqualTo("ServicePortMismatch");

    SiteWorld served = appDeclaringOnlyItsMetricsPort();
    served.probes.add(SiteWorld.upstream("10.0.0.11", SiteWorld.outcome(ProbeOutcome.CONNECTION_REFUSED)));
    served.probes.add(SiteWorld.upstream("10.0.0.12", SiteWorld.outcome(ProbeOutcome.CONNECTION_REFUSED)));
    assertNot(served.diagnose(), ConditionType.BAD_GATEWAY);

    Verdict appsOwn502 = appDeclaringOnlyItsMetricsPort().probes(origin(http(502))).diagnose();
    assertThat(appsOwn502.reason()).as("a 502 the app sent through, upstream probes off").isNotEqualTo("ServicePortMismatch");
  }

  /**
   * Two backends, the origin's page from the other: its probe serving says nothing of this one,
   * whose endpoints refuse on the targetPort. The mismatch stands (its path's visitors get 502s).
   */
  @Test
  void theOriginsPageFromAnotherBackendDoesNotExcuseAPortNothingAnswersOn() {
    SiteWorld w = appDeclaringOnlyItsMetricsPort().serviceWithoutPods("shop-api").rule("shop.example.com", "/api", "shop-api");
    w.probes.add(SiteWorld.upstream("10.0.0.11", SiteWorld.outcome(ProbeOutcome.CONNECTION_REFUSED)));
    w.probes.add(SiteWorld.upstream("10.0.0.12", SiteWorld.outcome(ProbeOutcome.CONNECTION_REFUSED)));

    assertThat(w.diagnose().condition(ConditionType.BAD_GATEWAY).reason()).isEqualTo("ServicePortMismatch");
  }

  @Test
  void aNumericTargetPortIsNotCalledAMismatchBeforeItsEndpointsAreFirstProbed() {
    SiteWorld w = appDeclaringOnlyItsMetricsPort();
    w.probes.add(ProbeTracker.untried(SiteWorld.upstream("10.0.0.11", SiteWorld.ok(200)).target()));

    assertNot(w.diagnose(), ConditionType.BAD_GATEWAY);
  }

  /** Service targetPort 8080; the one container declares only 9090 (its metrics). */
  private static SiteWorld appDeclaringOnlyItsMetricsPort() {
    SiteWorld w = SiteWorld.healthy().meshProxyDeclaresOnlyItsOwnPort();
    w.pods.forEach(p -> {
      p.getSpec().getContainers().remove(1);
      p.getSpec().getContainers().get(0)
          .setPorts(List.of(new ContainerPortBuilder().withName("metrics").withContainerPort(9090).build()));
    });
    return w;
  }

  @Test
  void podsKilledOnceAndSlowToBeReadyAgainAreNoCrashLoop() {
    // One restart is no loop: an OOM kill a minute ago, and readiness not passing yet.
    Verdict v = SiteWorld.healthy().podsKilledOnceAndNotReadyAgainYet().diagnose();

    assertThat(v.reason()).isNotEqualTo("UpstreamCrashLooping");
    assertNot(v, ConditionType.BAD_GATEWAY);
  }

  /** No quota, but the controller cannot create pods: the 503 quotes why, in the admission's words. */
  @Test
  void podsTheControllerCannotCreateAreQuotedBesideThe503() {
    Verdict v = SiteWorld.healthy().podSecurityDeniesPods().diagnose();

    assertThat(v.fault()).isEqualTo(Fault.SERVICE_UNAVAILABLE);
    assertThat(v.reason()).isNotEqualTo("QuotaExceeded");
    assertThat(v.message()).contains("cannot create pods", "violates PodSecurity \"restricted:latest\"");
  }

  @Test
  void aRecentRefusalOfTheControllerIsQuotedAndAnOldOneIsNot() {
    Verdict recent = SiteWorld.healthy().statefulSetRefusedByPodSecurity(Duration.ofMinutes(1)).diagnose();
    Verdict old = SiteWorld.healthy().statefulSetRefusedByPodSecurity(Duration.ofMinutes(50)).diagnose();

    assertThat(recent.message()).contains("StatefulSet web/shop-web cannot create pods", "violates PodSecurity");
    assertThat(old.fault()).isEqualTo(Fault.SERVICE_UNAVAILABLE);
    assertThat(old.message()).doesNotContain("PodSecurity");
  }

  // ---------------------------------------------------------------- crash loops between crashes

  /**
   * A crash loop seen between two crashes: one pod backs off, the other runs again, not ready yet.
   * Read as merely not ready, the Site would flip between 502 and 503 with each restart.
   */
  @Test
  void aCrashLoopingPodCaughtRunningBetweenCrashesIsStillCrashLooping() {
    Verdict v = SiteWorld.healthy().crashLoopingPodCaughtRunning(Duration.ofSeconds(40)).diagnose();

    assertThat(v.reason()).isEqualTo("UpstreamCrashLooping");
    assertThat(v.fault()).isEqualTo(Fault.BAD_GATEWAY);
    assertThat(v.message()).contains("2/2 pods of Service web/shop-web", "are in CrashLoopBackOff");
  }

  /**
   * A rollout whose new pods crash at boot: one runs again after its first crash while the other
   * backs off after its second. Counted as not crashing, it hid the loop for that moment, and the
   * Site went UpstreamCrashLooping, RolloutInProgress, UpstreamCrashLooping, a Warning each time.
   */
  @Test
  void aPodRunningAgainAfterItsFirstCrashDoesNotHideItsPeersLoop() {
    Verdict v = SiteWorld.healthy().deploymentIs(SiteWorld.deployment(2, 2L, 2L, 0, "ReplicaSetUpdated"))
        .podsCrashingAtBootOneAfterItsFirstCrash(Duration.ofSeconds(5)).diagnose();

    assertThat(v.reason()).as(v.message()).isEqualTo("UpstreamCrashLooping");
    assertThat(v.fault()).isEqualTo(Fault.BAD_GATEWAY);
    assertThat(v.message()).contains("1/1 pods of Service web/shop-web", "are in CrashLoopBackOff",
        "1 more pod is running again after a first crash, not ready");
    assertNot(v, ConditionType.SERVICE_UNAVAILABLE);
  }

  /**
   * Two replicas that each exited once at boot (their database coming up): one waits out its first
   * back-off, the other runs again. Neither crashed after a restart: no loop.
   */
  @Test
  void twoPodsThatEachExitedOnceAtBootAreNoCrashLoop() {
    SiteWorld w = SiteWorld.healthy().deploymentIs(SiteWorld.deployment(2, 2L, 2L, 0, "ReplicaSetUpdated"))
        .podsCrashingAtBootOneAfterItsFirstCrash(Duration.ofSeconds(5));
    w.pods.get(0).getStatus().getContainerStatuses().get(0).setRestartCount(0);

    Verdict v = w.diagnose();

    assertThat(v.reason()).as(v.message()).isNotEqualTo("UpstreamCrashLooping");
    assertNot(v, ConditionType.BAD_GATEWAY);
  }

  /** A sidecar's one crash does not make a first crash of a pod whose app loops. */
  @Test
  void aSidecarsFirstCrashDoesNotHideTheAppsLoop() {
    SiteWorld w = SiteWorld.healthy().podsCrashLooping("Error", 1);
    w.pods.replaceAll(p -> new io.fabric8.kubernetes.api.model.PodBuilder(p).editStatus().addNewContainerStatus()
        .withName("proxy").withReady(false).withStarted(true).withRestartCount(1)
        .withNewState().withNewRunning().withStartedAt("2025-03-04T11:59:58Z").endRunning().endState()
        .withNewLastState().withNewTerminated().withReason("Error").withExitCode(1)
        .withStartedAt("2025-03-04T11:59:50Z").withFinishedAt("2025-03-04T11:59:55Z").endTerminated().endLastState()
        .endContainerStatus().endStatus().build());

    Verdict v = w.diagnose();

    assertThat(v.reason()).as(v.message()).isEqualTo("UpstreamCrashLooping");
    assertThat(v.message()).contains("2/2 pods of Service web/shop-web").doesNotContain("after a first crash");
  }

  /** The control: its first crash long past, the pod that runs is merely not ready, and no loop is the whole backend's. */
  @Test
  void aPodWhoseOnlyCrashIsLongPastStillSaysTheBackendIsNotAllCrashing() {
    Verdict v = SiteWorld.healthy().deploymentIs(SiteWorld.deployment(2, 2L, 2L, 0, "ReplicaSetUpdated"))
        .podsCrashingAtBootOneAfterItsFirstCrash(Duration.ofMinutes(11)).diagnose();

    assertThat(v.reason()).as(v.message()).isEqualTo("RolloutInProgress");
    assertNot(v, ConditionType.BAD_GATEWAY);
  }

  @Test
  void podsThatRunEightMinutesBeforeEachCrashAreStillCrashLooping() {
    Verdict v = SiteWorld.healthy().podsCrashingAfterRunsOf(Duration.ofMinutes(8)).diagnose();

    assertThat(v.reason()).isEqualTo("UpstreamCrashLooping");
    assertThat(v.message()).contains("2/2 pods of Service web/shop-web", "keep crashing and restarting");
  }

  @Test
  void oneMemoryKillAfterWeeksOfRunningIsNoCrashLoopWhateverRestartsCameBefore() {
    // restartCount 3 from long ago: one restart now is no loop, the pods are merely not ready yet.
    Verdict v = SiteWorld.healthy().podsKilledOnceAfterWeeksOfRunning().diagnose();

    assertThat(v.reason()).isEqualTo("NoReadyEndpoints");
    assertNot(v, ConditionType.BAD_GATEWAY);
  }

  @Test
  void aPodRunningLongAfterItsLastCrashIsNotCrashLooping() {
    // The control: its last crash was hours ago; it is not ready for another reason.
    Verdict v = SiteWorld.healthy().crashLoopingPodCaughtRunning(Duration.ofHours(3)).diagnose();

    assertThat(v.reason()).isNotEqualTo("UpstreamCrashLooping");
    assertNot(v, ConditionType.BAD_GATEWAY);
  }

  // ---------------------------------------------------------------- evicted pods left behind

  @Test
  void anEvictedPodLeftBehindIsNoCrashOfAHealthySite() {
    Verdict v = SiteWorld.healthy().evictedPodLeft().diagnose();

    assertNoFault(v);
  }

  /**
   * A graceful node shutdown leaves its pods Failed (reason Terminated; Shutdown and NodeShutdown
   * in older releases) until they are collected, their containers ended by SIGTERM. Under a
   * controller that keeps a Failed pod as its workload (an OpenKruise CloneSet's is read so), the
   * node's reason is what says it is no crash; without it the same pods are one.
   */
  @ParameterizedTest
  @ValueSource(strings = {"Terminated", "Shutdown", "NodeShutdown"})
  void podsLeftFailedByAGracefulNodeShutdownAreNoCrash(String reason) {
    Verdict shutDown = everyPodFailedUnderACloneSet(reason).diagnose();
    Verdict crashed = everyPodFailedUnderACloneSet(null).diagnose();

    assertThat(shutDown.fault()).as(shutDown.message()).isEqualTo(Fault.SERVICE_UNAVAILABLE);
    assertThat(shutDown.reason()).isNotEqualTo("UpstreamCrashLooping");
    assertThat(crashed.reason()).as(crashed.message()).isEqualTo("UpstreamCrashLooping");
  }

  private static SiteWorld everyPodFailedUnderACloneSet(String reason) {
    SiteWorld w = SiteWorld.healthy();
    w.pods.replaceAll(p -> new io.fabric8.kubernetes.api.model.PodBuilder(p).editMetadata()
        .withOwnerReferences(new io.fabric8.kubernetes.api.model.OwnerReferenceBuilder()
            .withApiVersion("apps.kruise.io/v1alpha1").withKind("CloneSet").withName("shop-web").withUid("cloneset-1")
            .withController(true).build()).endMetadata()
        .withStatus(null).withNewStatus().withPhase("Failed").withReason(reason)
        .withMessage(reason == null ? null : "Pod was terminated in response to imminent node shutdown.")
        .addNewCondition().withType("Ready").withStatus("False").withReason("PodFailed").endCondition()
        .addNewContainerStatus().withName("app").withImage(dev.upstreamhealth.demo.SiteFixture.IMAGE).withReady(false)
        .withRestartCount(0).withNewState().withNewTerminated().withExitCode(143).withReason("Error").endTerminated()
        .endState().endContainerStatus().endStatus().build());
    return w.endpointsFromPods();
  }

  @Test
  void anEvictedPodOfAnotherControllerIsNoCrashOfAHealthySite() {
    assertNoFault(SiteWorld.healthy().evictedPodLeftByACloneSet().diagnose());
  }

  @Test
  void anEvictedPodOfAnotherControllerDoesNotHideAScaleToZero() {
    Verdict v = SiteWorld.healthy().scaledToZero().evictedPodLeftByACloneSet().diagnose();

    assertThat(v.reason()).isEqualTo("ScaledToZero");
    assertNot(v, ConditionType.BAD_GATEWAY);
  }

  /**
   * A bare pod the node evicted never runs again and nothing replaces it: ingress-nginx answers
   * 503 for the Service without endpoints. No crash of the app (a 502), and the message says why.
   */
  @Test
  void aBarePodTheNodeEvictedLeavesNoReadyEndpointsNotACrash() {
    SiteWorld w = SiteWorld.healthy();
    w.deployments.clear();
    w.replicaSets.clear();
    w.pods.clear();
    Verdict v = w.evictedBarePodLeft().endpointsReady().diagnose();

    assertThat(v.reason()).isEqualTo("NoReadyEndpoints");
    assertThat(v.fault()).isEqualTo(Fault.SERVICE_UNAVAILABLE);
    assertThat(v.message()).contains("matches no running pod, only 1 finished, which never serves again",
        "Failed, Evicted: The node was low on resource: memory");
    assertNot(v, ConditionType.BAD_GATEWAY);
  }

  @Test
  void aFailedJobPodWithTheAppsLabelsIsNoCrashOfAHealthySite() {
    assertNoFault(SiteWorld.healthy().failedJobPodLeft().diagnose());
  }

  @Test
  void aFailedJobPodWithTheAppsLabelsDoesNotHideAScaleToZero() {
    Verdict v = SiteWorld.healthy().scaledToZero().failedJobPodLeft().diagnose();

    assertThat(v.reason()).isEqualTo("ScaledToZero");
    assertNot(v, ConditionType.BAD_GATEWAY);
  }

  @Test
  void anEvictedPodLeftBehindDoesNotHideAScaleToZero() {
    Verdict v = SiteWorld.healthy().scaledToZero().evictedPodLeft().diagnose();

    assertThat(v.reason()).isEqualTo("ScaledToZero");
    assertNot(v, ConditionType.BAD_GATEWAY);
  }

  @Test
  void anEvictedPodLeftBehindDoesNotHideAQuota() {
    Verdict v = SiteWorld.healthy().quotaExceeded().evictedPodLeft().diagnose();

    assertThat(v.reason()).isEqualTo("QuotaExceeded");
    assertNot(v, ConditionType.BAD_GATEWAY);
  }

  // ---------------------------------------------------------------- one-shot pods left behind

  @Test
  void aHelmTestPodLeftSucceededDoesNotTurnAScaleToZeroIntoAPortMismatch() {
    // Its wget container declares no port "http": judged as a backend pod, it was a 502.
    Verdict v = SiteWorld.healthy().scaledToZero().helmTestPodLeft("Succeeded").diagnose();

    assertThat(v.reason()).isEqualTo("ScaledToZero");
    assertNot(v, ConditionType.BAD_GATEWAY);
  }

  @Test
  void aHelmTestPodLeftSucceededDoesNotTurnARecreateRolloutIntoAPortMismatch() {
    Verdict v = SiteWorld.healthy().recreateRolloutWhilePodsTerminate(143).helmTestPodLeft("Succeeded").diagnose();

    assertThat(v.reason()).isEqualTo("RolloutInProgress");
    assertNot(v, ConditionType.BAD_GATEWAY);
  }

  @Test
  void aHelmTestPodLeftSucceededDoesNotHideACrashLoop() {
    Verdict v = SiteWorld.healthy().podsCrashLooping("Error", 1).helmTestPodLeft("Succeeded").diagnose();

    assertThat(v.reason()).isEqualTo("UpstreamCrashLooping");
    assertThat(v.message()).contains("2/2 pods of Service web/shop-web (Deployment web/shop-web)");
    assertNot(v, ConditionType.SERVICE_UNAVAILABLE);
  }

  @Test
  void aHelmTestPodLeftFailedDoesNotTurnAScaleToZeroIntoACrashLoop() {
    // wget failed because nothing answered: the test's failure, not a crash of the app.
    Verdict v = SiteWorld.healthy().scaledToZero().helmTestPodLeft("Failed").diagnose();

    assertThat(v.reason()).isEqualTo("ScaledToZero");
    assertNot(v, ConditionType.BAD_GATEWAY);
  }

  /**
   * The Service's only pod is a bare one-shot one that failed (a {@code kubectl run --restart=Never}
   * put behind it): it is listed, Error, and never serves again. The message says so, rather than
   * "matches no pod", which sends the reader looking for a selector typo.
   */
  @Test
  void aServiceWhoseOnlyPodFinishedSaysSoNotThatItMatchesNoPod() {
    SiteWorld w = SiteWorld.healthy();
    w.deployments.clear();
    w.replicaSets.clear();
    w.pods.clear();
    Verdict v = w.helmTestPodLeft("Failed").endpointsReady().diagnose();

    assertThat(v.reason()).isEqualTo("NoReadyEndpoints");
    assertThat(v.message()).contains("matches no running pod, only 1 finished, which never serves again "
        + "(pod shop-web-test-connection: Failed)").doesNotContain("matches no pod");
  }

  @Test
  void aFailedVirtualMachinePodIsStillACrashThoughItsRestartPolicyIsNever() {
    Verdict v = SiteWorld.healthy().virtualMachinePodFailed().diagnose();

    assertThat(v.reason()).isEqualTo("UpstreamCrashLooping");
    assertThat(v.message()).contains("(VirtualMachineInstance web/shop-vm)", "container compute: Error");
  }

  // ---------------------------------------------------------------- ingress-nginx's default-backend

  /** Scaled to zero behind an Ingress whose default-backend annotation names a fallback page. */
  @Test
  void aScaleToZeroBehindADefaultBackendIsNoOutageOfItsOwn() {
    Verdict v = SiteWorld.healthy().scaledToZero().fallbackService("shop-fallback", true).diagnose();

    assertThat(v.fault()).isEqualTo(Fault.NONE);
    assertNot(v, ConditionType.SERVICE_UNAVAILABLE);
    assertThat(v.condition(ConditionType.DEGRADED).reason()).isEqualTo("PartialUpstreamFailure");
    assertThat(v.condition(ConditionType.DEGRADED).message())
        .contains("0/0 endpoints of Service web/shop-web ready", "default-backend Service web/shop-fallback");
  }

  /** The fallback answers its page (a "back soon" 200): visitors are served; Degraded only. */
  @Test
  void aFallbackServingItsPageKeepsTheScaleToZeroDegraded() {
    Verdict v = SiteWorld.healthy().scaledToZero().fallbackService("shop-fallback", true)
        .probes(origin(http(200))).diagnose();

    assertThat(v.fault()).isEqualTo(Fault.NONE);
    assertNot(v, ConditionType.SERVICE_UNAVAILABLE);
    assertThat(v.condition(ConditionType.DEGRADED).reason()).isEqualTo("PartialUpstreamFailure");
  }

  /**
   * The everyday custom error page (ingress-nginx's custom-error-pages answers 404 when no error
   * code is passed, as for a default-backend fallback): visitors get an error because the app is
   * scaled away, and the cause to name is the scale to zero, not the error page's status.
   */
  @ParameterizedTest(name = "the fallback answers {0}")
  @ValueSource(ints = {404, 500, 503})
  void aFallbackAnsweringAnErrorForTheSitesOneBackendNamesTheBackendsCause(int status) {
    Verdict v = SiteWorld.healthy().scaledToZero().fallbackService("shop-fallback", true)
        .probes(origin(http(status))).diagnose();

    assertThat(v.fault()).as(v.message()).isEqualTo(Fault.SERVICE_UNAVAILABLE);
    assertThat(v.reason()).isEqualTo("ScaledToZero");
    assertThat(v.message()).contains("default-backend Service web/shop-fallback", "with the error the origin answers");
    assertThat(v.condition(ConditionType.DEGRADED).isTrue()).as("not a partial failure: visitors get the error").isFalse();
  }

  /** The same without the app's cause known yet is still no 503 (no origin probe concluded). */
  @Test
  void aFallbackBeforeTheOriginProbeConcludesIsNoPage() {
    Verdict v = SiteWorld.healthy().readinessFailing().fallbackService("shop-fallback", true).diagnose();

    assertThat(v.fault()).isEqualTo(Fault.NONE);
    assertNot(v, ConditionType.SERVICE_UNAVAILABLE);
  }

  /**
   * Two backends: the error the origin answers at the probe's path may be the other backend's own,
   * so the backend scaled away behind the fallback is no cause of it; the origin's answer is judged.
   */
  @Test
  void aFallbackAnsweringAnErrorBesideAnotherBackendLeavesTheErrorToTheOriginProbe() {
    Verdict v = SiteWorld.healthy().scaledToZero().fallbackService("shop-fallback", true)
        .serviceWithoutPods("shop-api").rule(SiteWorld.HOST, "/api", "shop-api")
        .probes(origin(http(500))).diagnose();

    assertThat(v.fault()).isEqualTo(Fault.OTHER);
    assertThat(v.reason()).isEqualTo("UnexpectedStatus");
    assertNot(v, ConditionType.SERVICE_UNAVAILABLE);
  }

  /**
   * ingress-nginx sends a location to its default-backend only while that Service has a ready
   * endpoint; without one it answers 503 itself. The cause is the backend's, not Overloaded.
   */
  @Test
  void aFallbackWithoutReadyEndpointsServesNothing() {
    Verdict v = SiteWorld.healthy().readinessFailing().fallbackService("shop-fallback", false)
        .probes(origin(http(503))).diagnose();

    assertThat(v.reason()).isEqualTo("NoReadyEndpoints");
    assertThat(v.message()).contains("default-backend Service web/shop-fallback has no ready endpoint either");
    assertThat(v.condition(ConditionType.DEGRADED).isTrue()).as("no fallback page is served").isFalse();

    Verdict missingFallback = SiteWorld.healthy().readinessFailing()
        .ingressAnnotation("nginx.ingress.kubernetes.io/default-backend", "shop-fallback").diagnose();
    assertThat(missingFallback.reason()).as("a fallback Service that does not exist").isEqualTo("NoReadyEndpoints");
  }

  /**
   * With service-upstream, ingress-nginx sends to the Service's cluster IP, its one endpoint
   * whatever the pods: it never falls back to the default backend, and visitors get its 502 for a
   * connection nothing takes. The backend's missing endpoints are a cause of the Site's, not a
   * share a fallback page covers.
   */
  @Test
  void aFallbackNeverStandsInForAServiceReachedByItsClusterIp() {
    SiteWorld w = SiteWorld.healthy().readinessFailing().fallbackService("shop-fallback", true)
        .ingressAnnotation("nginx.ingress.kubernetes.io/service-upstream", "true").probes(origin(http(502)));
    w.service.getSpec().setClusterIP("10.96.0.30");
    Verdict v = w.diagnose();

    assertThat(v.fault()).isEqualTo(Fault.BAD_GATEWAY);
    assertThat(v.condition(ConditionType.SERVICE_UNAVAILABLE).reason()).isEqualTo("NoReadyEndpoints");
    assertThat(v.condition(ConditionType.SERVICE_UNAVAILABLE).message())
        .contains("0/2 endpoints of Service web/shop-web ready", "does not answer from default-backend Service web/shop-fallback");
    assertThat(v.condition(ConditionType.DEGRADED).isTrue()).as("no fallback page is served").isFalse();

    SiteWorld headless = SiteWorld.healthy().readinessFailing().fallbackService("shop-fallback", true)
        .ingressAnnotation("nginx.ingress.kubernetes.io/service-upstream", "true");
    headless.service.getSpec().setClusterIP("None");
    assertThat(headless.diagnose().fault()).as("a headless Service has no cluster IP: its pods' endpoints, then the fallback")
        .isEqualTo(Fault.NONE);

    Verdict missing = SiteWorld.healthy().backendServiceMissing().fallbackService("shop-fallback", true)
        .ingressAnnotation("nginx.ingress.kubernetes.io/service-upstream", "true").diagnose();
    assertThat(missing.fault()).as("a Service that does not exist has no cluster IP: the fallback answers")
        .isEqualTo(Fault.NONE);
  }

  /**
   * A single replica drained (or a Recreate rollout) behind service-upstream: the old pod serves
   * through its grace period, and with no ready endpoint kube-proxy sends the cluster IP's traffic
   * to it. Visitors are served, as the origin's page shows: no 503 and no Warning, Degraded at
   * most. ingress-nginx reading the slices itself skips it, and so does a mesh's proxy balancing
   * the cluster IP in the gateway pods (linkerd-proxy reads ready alone): there the 503 stands.
   */
  @Test
  void aPodServingThroughItsGracePeriodStillServesAServiceReachedByItsClusterIp() {
    SiteWorld drained = onePodInItsGracePeriod()
        .ingressAnnotation("nginx.ingress.kubernetes.io/service-upstream", "true").probes(origin(http(200)));
    drained.service.getSpec().setClusterIP("10.96.0.30");
    Verdict v = drained.diagnose();

    assertThat(v.fault()).as(v.message()).isEqualTo(Fault.NONE);
    assertNot(v, ConditionType.SERVICE_UNAVAILABLE);
    assertThat(v.condition(ConditionType.DEGRADED).reason()).isEqualTo("PartialUpstreamFailure");
    assertThat(v.condition(ConditionType.DEGRADED).message()).contains("0/0 endpoints of Service web/shop-web ready",
        "kube-proxy sends that to the 1 terminating endpoint still serving until it is gone");

    Verdict direct = onePodInItsGracePeriod().probes(origin(http(503))).diagnose();
    assertThat(direct.fault()).as("ingress-nginx sends to ready endpoints only").isEqualTo(Fault.SERVICE_UNAVAILABLE);

    SiteWorld meshed = onePodInItsGracePeriod()
        .ingressAnnotation("nginx.ingress.kubernetes.io/service-upstream", "true").probes(origin(http(503)));
    meshed.service.getSpec().setClusterIP("10.96.0.30");
    Verdict linkerd = meshed.diagnose();
    assertThat(linkerd.fault()).as("the origin answers 503: the drained pod serves no one").isEqualTo(Fault.SERVICE_UNAVAILABLE);
    assertThat(linkerd.reason()).isEqualTo("NoReadyEndpoints");
  }

  /**
   * A drain behind an HTTPRoute: the one pod serves through its grace period, and Envoy Gateway
   * (as Cilium) sends to it while no endpoint is ready. Visitors are served: the origin's page says
   * so, and no 503 is shown. Where the data plane reads ready endpoints alone, its 503 shows at the
   * first probe after the change, not only once the thresholds confirm it.
   */
  @Test
  void aPodServingThroughItsGracePeriodBehindAnHttpRouteServesWhileTheOriginSaysSo() {
    Verdict v = onePodInItsGracePeriod().viaHttpRoute().probes(origin(http(200))).diagnose();

    assertThat(v.fault()).as(v.message()).isEqualTo(Fault.NONE);
    assertNot(v, ConditionType.SERVICE_UNAVAILABLE);
    assertThat(v.condition(ConditionType.DEGRADED).reason()).isEqualTo("PartialUpstreamFailure");
    assertThat(v.condition(ConditionType.DEGRADED).message()).contains("0/0 endpoints of Service web/shop-web ready",
        "the origin still answers: the gateway sends to the 1 terminating endpoint still serving until it is gone");

    Verdict skipped = onePodInItsGracePeriod().viaHttpRoute().probes(origin(http(503))).diagnose();
    assertThat(skipped.fault()).as(skipped.message()).isEqualTo(Fault.SERVICE_UNAVAILABLE);
    assertThat(skipped.reason()).isEqualTo("NoReadyEndpoints");
  }

  /** The first probe after the drain began got a 503: what visitors get now, though not yet confirmed. */
  @Test
  void aDrainedPodTheLatestProbeNoLongerReachesIsNoLongerTakenToServe() {
    Verdict route = onePodInItsGracePeriod().viaHttpRoute().probes(SiteWorld.originServingThenFailedOnce(http(503)))
        .diagnose();
    SiteWorld meshed = onePodInItsGracePeriod().ingressAnnotation("nginx.ingress.kubernetes.io/service-upstream", "true")
        .probes(SiteWorld.originServingThenFailedOnce(http(503)));
    meshed.service.getSpec().setClusterIP("10.96.0.30");
    Verdict clusterIp = meshed.diagnose();

    assertThat(route.fault()).as(route.message()).isEqualTo(Fault.SERVICE_UNAVAILABLE);
    assertThat(route.reason()).isEqualTo("NoReadyEndpoints");
    assertThat(clusterIp.fault()).as(clusterIp.message()).isEqualTo(Fault.SERVICE_UNAVAILABLE);
    assertThat(clusterIp.reason()).isEqualTo("NoReadyEndpoints");
  }

  /** A probe that got no answer (a timeout) says nothing of the drain: one is no page. */
  @Test
  void oneTimeoutDuringADrainIsLeftToTheThresholds() {
    Verdict v = onePodInItsGracePeriod().viaHttpRoute()
        .probes(SiteWorld.originServingThenFailedOnce(SiteWorld.outcome(ProbeOutcome.RESPONSE_TIMEOUT))).diagnose();

    assertThat(v.fault()).as(v.message()).isEqualTo(Fault.NONE);
    assertThat(v.condition(ConditionType.DEGRADED).reason()).isEqualTo("PartialUpstreamFailure");
  }

  private static SiteWorld onePodInItsGracePeriod() {
    SiteWorld w = SiteWorld.healthy();
    w.pods.subList(1, w.pods.size()).clear();
    w.pods.get(0).getMetadata().setDeletionTimestamp("2025-03-04T11:59:40Z");
    w.pods.get(0).getMetadata().setDeletionGracePeriodSeconds(60L);
    return w.endpointsFromPods();
  }

  /**
   * The backend Service, or the port the Ingress names, does not exist: ingress-nginx finds no
   * endpoint for it and answers from the default-backend. No 502 while that one serves.
   */
  @Test
  void aMissingBackendBehindAServingFallbackIsNoOutage() {
    Verdict missing = SiteWorld.healthy().backendServiceMissing().fallbackService("shop-fallback", true).diagnose();
    assertThat(missing.fault()).isEqualTo(Fault.NONE);
    assertNot(missing, ConditionType.BAD_GATEWAY);
    assertThat(missing.condition(ConditionType.DEGRADED).message())
        .contains("which does not exist", "answers from default-backend Service web/shop-fallback");

    Verdict noSuchPort = SiteWorld.healthy().ingressBackendPort(81).fallbackService("shop-fallback", true).diagnose();
    assertThat(noSuchPort.fault()).isEqualTo(Fault.NONE);
    assertNot(noSuchPort, ConditionType.BAD_GATEWAY);

    Verdict fallbackDown = SiteWorld.healthy().backendServiceMissing().fallbackService("shop-fallback", false).diagnose();
    assertThat(fallbackDown.reason()).isEqualTo("BackendServiceMissing");
    assertThat(fallbackDown.message()).contains("has no ready endpoint either");
  }

  /**
   * An Ingress created while no IngressClass was the default names none, and most controllers
   * leave it alone: no address ever comes. The 521 says why.
   */
  @Test
  void anIngressWithoutAClassAndWithoutAnAddressSaysItNamesNoClass() {
    Verdict classless = SiteWorld.healthy().noLoadBalancerAddress()
        .with(w -> { w.ingress.getSpec().setIngressClassName(null); return w; }).diagnose();
    assertThat(classless.reason()).isEqualTo("NoOriginAddress");
    assertThat(classless.message()).contains("has no load-balancer address", "names no IngressClass",
        "spec.ingressClassName");

    Verdict named = SiteWorld.healthy().noLoadBalancerAddress().diagnose();
    assertThat(named.message()).doesNotContain("IngressClass");
    Verdict byAnnotation = SiteWorld.healthy().noLoadBalancerAddress()
        .with(w -> { w.ingress.getSpec().setIngressClassName(null); return w; })
        .ingressAnnotation("kubernetes.io/ingress.class", "nginx").diagnose();
    assertThat(byAnnotation.message()).doesNotContain("IngressClass");
  }

  // ---------------------------------------------------------------- ingress-nginx's redirects

  /**
   * The apex-to-www Ingress: every path answers ingress-nginx's permanent-redirect before any
   * backend is asked, and its backend is a placeholder that does not exist. Visitors get the 301.
   */
  @Test
  void aRedirectingIngressIsNotJudgedByItsPlaceholderBackend() {
    for (String annotation : List.of("permanent-redirect", "temporal-redirect")) {
      Verdict v = SiteWorld.healthy().backendServiceMissing()
          .ingressAnnotation("nginx.ingress.kubernetes.io/" + annotation, "https://www.example.com")
          .originProbed(http(301)).diagnose();
      assertThat(v.fault()).as(annotation).isEqualTo(Fault.NONE);
      assertNot(v, ConditionType.BAD_GATEWAY);
      assertThat(v.condition(ConditionType.DEGRADED).isTrue()).isFalse();
      assertThat(v.upstreams()).as("no backend is asked").isEmpty();
    }
    Verdict scaledAway = SiteWorld.healthy().scaledToZero()
        .ingressAnnotation("nginx.ingress.kubernetes.io/permanent-redirect", "https://www.example.com").diagnose();
    assertNot(scaledAway, ConditionType.SERVICE_UNAVAILABLE);
  }

  /**
   * ingress-nginx matches an Ingress's port against a Service port's number, name and targetPort:
   * an Ingress naming the targetPort (8080 of a port 80 → 8080) is served. No 502.
   */
  @Test
  void anIngressNamingTheTargetPortIsServedByIngressNginx() {
    Verdict byNumber = SiteWorld.healthy().serviceTargetPort(new IntOrString(8080)).ingressBackendPort(8080).diagnose();
    assertThat(byNumber.fault()).isEqualTo(Fault.NONE);
    assertNot(byNumber, ConditionType.BAD_GATEWAY);

    Verdict elsewhere = SiteWorld.healthy().serviceTargetPort(new IntOrString(8080)).ingressBackendPort(9090).diagnose();
    assertThat(elsewhere.reason()).as("a port that is neither").isEqualTo("ServicePortMismatch");
  }

  // ---------------------------------------------------------------- the CDN's source address

  /**
   * A policy on the gateway pods admitting the cluster's own range, and not the CDN's: with the
   * default externalTrafficPolicy Cluster what the CDN sends arrives from a node's address, which
   * the policy admits. The CDN gets through; nothing to report.
   */
  @Test
  void aPolicyAdmittingTheNodesIsNoBlockWhereTheSourceIsRewritten() {
    Verdict v = SiteWorld.healthy().withGateway()
        .cdnBehind(List.of(CDN), policy("cluster-only", CLUSTER_ONLY)).gatewaySourceRewritten().diagnose();

    assertNoFault(v);
  }

  @Test
  void theSamePolicyBlocksTheCdnWhereTheGatewayKeepsItsAddress() {
    Verdict v = SiteWorld.healthy().withGateway().cdnBehind(List.of(CDN), policy("cluster-only", CLUSTER_ONLY)).diagnose();

    assertThat(v.reason()).isEqualTo("CdnBlockedByNetworkPolicy");
    assertThat(v.message()).contains("ingress-nginx/cluster-only", CDN);
  }

  /**
   * ingress-nginx on bare metal runs on the node's network, and a namespace's default-deny (a
   * policy baseline) selects its pods too: NetworkPolicy does not govern such pods, the CDN gets
   * through, and a 521 would be a false page. The same policy on pods of their own network keeps
   * the verdict.
   */
  @Test
  void aPolicyOnGatewayPodsOnTheNodesNetworkBlocksNothing() {
    SiteWorld onNodes = SiteWorld.healthy().withGateway().cdnBehind(List.of(CDN), policy("cluster-only", CLUSTER_ONLY));
    onNodes.gateway.pods().forEach(p -> p.getSpec().setHostNetwork(true));
    assertNoFault(onNodes.diagnose());

    SiteWorld ownNetwork = SiteWorld.healthy().withGateway().cdnBehind(List.of(CDN), policy("cluster-only", CLUSTER_ONLY));
    ownNetwork.gateway.pods().forEach(p -> p.getSpec().setHostNetwork(false));
    assertThat(ownNetwork.diagnose().reason()).isEqualTo("CdnBlockedByNetworkPolicy");
  }

  /**
   * origin.address written as the Site's own host, which the CDN proxies: public DNS answers with
   * the CDN's edge addresses, never the origin's. That says nothing of where the CDN connects, and
   * is no 521; a name that resolves elsewhere outside the CDN's ranges still is.
   */
  @Test
  void anOriginAddressThatResolvesIntoTheCdnsRangesIsNoMismatch() {
    // An A and an AAAA record, as a proxied host has; the Site lists the CDN's IPv4 ranges only.
    SiteWorld proxied = SiteWorld.healthy().originAddress("shop.example.com")
        .resolves("shop.example.com", "173.245.48.7", "2606:4700:3030::6815:1001");
    proxied.spec.getCdn().setSourceRanges(List.of(CDN));
    assertNoFault(proxied.diagnose());

    SiteWorld anywhere = SiteWorld.healthy().originAddress("old.example.com").resolves("old.example.com", "198.51.100.9");
    anywhere.spec.getCdn().setSourceRanges(List.of("0.0.0.0/0"));
    assertThat(anywhere.diagnose().reason()).as("a range of every address says nothing of the CDN")
        .isEqualTo("OriginAddressMismatch");

    SiteWorld elsewhere = SiteWorld.healthy().originAddress("old.example.com").resolves("old.example.com", "198.51.100.9");
    elsewhere.spec.getCdn().setSourceRanges(List.of(CDN));
    assertThat(elsewhere.diagnose().reason()).isEqualTo("OriginAddressMismatch");
  }

  /**
   * A namespace's default-deny baseline on the gateway pods, and the CDN's ranges admitted by a
   * CiliumNetworkPolicy beside it (or a CNI that enforces no NetworkPolicy): the Kubernetes
   * policies alone admit nothing, not even the operator's probe, which gets through all the same.
   * They are not what decides: no 521, on the way to the probe's answer either.
   */
  @Test
  void aDefaultDenyTheProbeGetsThroughIsNoBlock() {
    SiteWorld waiting = SiteWorld.healthy().withGateway().cdnBehind(List.of(CDN), policy("default-deny", DENY_ALL))
        .probes(ProbeTracker.untried(SiteWorld.originTarget()));
    Verdict beforeTheProbe = waiting.diagnose();
    assertThat(beforeTheProbe.fault()).isEqualTo(Fault.UNKNOWN);
    assertThat(beforeTheProbe.reason()).isEqualTo("AwaitingFirstProbe");

    Verdict served = SiteWorld.healthy().withGateway().cdnBehind(List.of(CDN), policy("default-deny", DENY_ALL))
        .diagnose();
    assertNoFault(served);
    assertThat(served.message()).contains("NetworkPolicy ingress-nginx/default-deny select the gateway pods and admit"
        + " none of spec.cdn.sourceRanges", "yet the probe got through");
  }

  /** The same policy where it is enforced: the probe's connection is dropped too, and the block shows once confirmed. */
  @Test
  void aDefaultDenyThatDropsTheProbeTooBlocksTheCdnOnceTheProbeConfirmsIt() {
    Verdict v = SiteWorld.healthy().withGateway().cdnBehind(List.of(CDN), policy("default-deny", DENY_ALL))
        .probes(origin(SiteWorld.outcome(ProbeOutcome.CONNECT_TIMEOUT))).diagnose();

    assertThat(v.fault()).isEqualTo(Fault.ORIGIN_DOWN);
    assertThat(v.reason()).isEqualTo("CdnBlockedByNetworkPolicy");
    assertThat(v.condition(ConditionType.ORIGIN_DOWN).evidence()).as("it waits for the probes after a restart")
        .isEqualTo(dev.upstreamhealth.api.Evidence.PROBE);
    assertThat(v.message()).contains("ingress-nginx/default-deny", "the origin probe's connection is dropped too");
  }

  /**
   * With successThreshold 2, one probe through after the confirmed drops decides nothing yet: the
   * block stands as confirmed, rather than giving way to its symptom (ConnectionTimedOut) and back.
   */
  @Test
  void aSingleProbeThroughAfterConfirmedDropsLeavesTheBlockStanding() {
    ProbeResult dropped = SiteWorld.result(ProbeOutcome.CONNECT_TIMEOUT, 0, false, "no TCP connection");
    ProbeResult through = SiteWorld.result(ProbeOutcome.RESPONDED, 200, false, "");
    TrackedProbe oneThrough = new TrackedProbe(SiteWorld.originTarget(), through, dropped, false, 0, 1, dropped, 3);

    Verdict v = SiteWorld.healthy().withGateway().cdnBehind(List.of(CDN), policy("default-deny", DENY_ALL))
        .probes(oneThrough).diagnose();

    assertThat(v.reason()).isEqualTo("CdnBlockedByNetworkPolicy");
  }

  /**
   * A policy admitting the cluster's range may admit the probe's pod: its getting through proves
   * nothing of the CDN's fate, and the block shows at once, the probe's 200 notwithstanding.
   */
  @Test
  void aPolicyThatMayAdmitTheProbeBlocksTheCdnWhateverTheProbeMeets() {
    Verdict v = SiteWorld.healthy().withGateway().cdnBehind(List.of(CDN), policy("cluster-only", CLUSTER_ONLY))
        .probes(ProbeTracker.untried(SiteWorld.originTarget())).diagnose();

    assertThat(v.reason()).isEqualTo("CdnBlockedByNetworkPolicy");
    assertThat(v.condition(ConditionType.ORIGIN_DOWN).evidence()).isEqualTo(dev.upstreamhealth.api.Evidence.CLUSTER_STATE);
  }

  /**
   * A pod network outside the private ranges (GKE's privately used public ranges) admitted by its
   * block: the policy admits the operator's probe from that network as it would any pod's, so the
   * probe's getting through proves nothing, and the block shows at once. Judged by the gateway
   * pods' own address: the same policy over pods on 10.x admits nothing from inside, and the
   * probe getting through is no block there.
   */
  @Test
  void aPolicyAdmittingThePodsOwnPublicNetworkBlocksTheCdnWhateverTheProbeMeets() {
    SiteWorld publicPods = SiteWorld.healthy().withGateway()
        .cdnBehind(List.of(CDN), policy("pods-only", PUBLIC_POD_NETWORK_ONLY));
    publicPods.gateway.pods().forEach(pod -> pod.getStatus().setPodIP("34.118.2.7"));
    Verdict v = publicPods.diagnose();

    assertThat(v.reason()).isEqualTo("CdnBlockedByNetworkPolicy");
    assertThat(v.condition(ConditionType.ORIGIN_DOWN).evidence()).isEqualTo(dev.upstreamhealth.api.Evidence.CLUSTER_STATE);

    SiteWorld privatePods = SiteWorld.healthy().withGateway()
        .cdnBehind(List.of(CDN), policy("pods-only", PUBLIC_POD_NETWORK_ONLY));
    privatePods.gateway.pods().forEach(pod -> pod.getStatus().setPodIP("10.8.2.7"));
    Verdict served = privatePods.diagnose();
    assertNoFault(served);
    assertThat(served.message()).contains("yet the probe got through");
  }

  /**
   * An upgrade of the ingress controller whose new pods crash (a flag the new version no longer
   * takes) once the old ones are gone: GatewayDown, in the kubelet's words for why, as an upstream's
   * crash would be told.
   */
  @Test
  void aGatewayWhosePodsCrashIsGatewayDownInTheKubeletsWords() {
    SiteWorld w = SiteWorld.healthy().withGateway().gatewayEndpointsNotReady();
    w.gateway.pods().forEach(pod -> pod.setStatus(new PodStatusBuilder().withPhase("Running")
        .addNewCondition().withType("Ready").withStatus("False").endCondition()
        .addNewContainerStatus().withName("controller").withReady(false).withRestartCount(4)
          .withNewState().withNewWaiting().withReason("CrashLoopBackOff").endWaiting().endState()
          .withNewLastState().withNewTerminated().withReason("Error").withExitCode(2).endTerminated().endLastState()
        .endContainerStatus().build()));
    Verdict v = w.diagnose();

    assertThat(v.reason()).isEqualTo("GatewayDown");
    assertThat(v.message()).contains("0/1 endpoints of gateway Service ingress-nginx/ingress-nginx-controller ready;"
        + " pod ingress-nginx-controller-5c8d-qz7 container controller: Error (exit code 2)");
  }

  /**
   * Hetzner's load balancer (DigitalOcean's, Linode's...) is a proxy: the gateway pods see its
   * private address, never the CDN's, whatever externalTrafficPolicy says; with PROXY protocol the
   * CDN's address travels in a header no NetworkPolicy reads.
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"load-balancer.hetzner.cloud/uses-proxyprotocol", "load-balancer.hetzner.cloud/location",
      "service.beta.kubernetes.io/do-loadbalancer-enable-proxy-protocol"})
  void aPolicyAdmittingTheLoadBalancersNetworkIsNoBlockWhereTheLoadBalancerIsAProxy(String annotation) {
    SiteWorld w = SiteWorld.healthy().withGateway().cdnBehind(List.of(CDN), policy("cluster-only", CLUSTER_ONLY));
    w.gateway.service().getMetadata().setAnnotations(new HashMap<>(Map.of(annotation, "true")));

    assertNoFault(w.diagnose());
  }

  @Test
  void aLoadBalancerReportingIpModeProxyHidesTheCdnToo() {
    SiteWorld w = SiteWorld.healthy().withGateway().cdnBehind(List.of(CDN), policy("cluster-only", CLUSTER_ONLY));
    w.gateway.service().setStatus(new ServiceStatusBuilder().withNewLoadBalancer()
        .addNewIngress().withIp(SiteWorld.LB_IP).withIpMode("Proxy").endIngress().endLoadBalancer().build());

    assertNoFault(w.diagnose());
  }

  /** An AWS Network Load Balancer with instance targets keeps the client's address, PROXY protocol or not. */
  @Test
  void anAwsLoadBalancerAskedForProxyProtocolStillKeepsTheCdnsAddress() {
    SiteWorld w = SiteWorld.healthy().withGateway().cdnBehind(List.of(CDN), policy("cluster-only", CLUSTER_ONLY));
    w.gateway.service().getMetadata().setAnnotations(new HashMap<>(Map.of(
        "service.beta.kubernetes.io/aws-load-balancer-proxy-protocol", "*",
        "service.beta.kubernetes.io/aws-load-balancer-type", "nlb")));

    assertThat(w.diagnose().reason()).isEqualTo("CdnBlockedByNetworkPolicy");
  }

  /**
   * What AWS's in-tree provider makes of a LoadBalancer Service with no type annotation: a Classic
   * Load Balancer, a TCP proxy that connects to the nodes from its own addresses. The gateway pods
   * see those, which a policy admitting the VPC lets in: no 521. A Network Load Balancer's name
   * (elb.REGION.amazonaws.com, where a Classic one's is REGION.elb.amazonaws.com) keeps the verdict.
   */
  @Test
  void anAwsClassicLoadBalancerHidesTheCdnsAddress() {
    SiteWorld classic = SiteWorld.healthy().withGateway().cdnBehind(List.of(CDN), policy("cluster-only", CLUSTER_ONLY));
    classic.gateway.service().setStatus(new ServiceStatusBuilder().withNewLoadBalancer().addNewIngress()
        .withHostname("a1b2c3d4e5f6-1234567890.eu-west-1.elb.amazonaws.com").endIngress().endLoadBalancer().build());
    assertNoFault(classic.diagnose());

    SiteWorld network = SiteWorld.healthy().withGateway().cdnBehind(List.of(CDN), policy("cluster-only", CLUSTER_ONLY));
    network.gateway.service().setStatus(new ServiceStatusBuilder().withNewLoadBalancer().addNewIngress()
        .withHostname("a1b2c3d4e5f6-1234567890.elb.eu-west-1.amazonaws.com").endIngress().endLoadBalancer().build());
    assertThat(network.diagnose().reason()).isEqualTo("CdnBlockedByNetworkPolicy");
  }

  /**
   * The AWS Load Balancer Controller's NLB with IP targets (EKS's usual choice): its TCP target
   * group does not preserve the client's address unless told to, so the gateway pods see the
   * NLB's private addresses, which a policy admitting the VPC lets in. No 521.
   */
  @Test
  void anAwsLoadBalancerWithIpTargetsHidesTheCdnsAddressUnlessItPreservesIt() {
    SiteWorld ipTargets = SiteWorld.healthy().withGateway().cdnBehind(List.of(CDN), policy("cluster-only", CLUSTER_ONLY));
    ipTargets.gateway.service().getMetadata().setAnnotations(new HashMap<>(Map.of(
        "service.beta.kubernetes.io/aws-load-balancer-type", "external",
        "service.beta.kubernetes.io/aws-load-balancer-nlb-target-type", "ip")));
    assertNoFault(ipTargets.diagnose());

    SiteWorld preserving = SiteWorld.healthy().withGateway().cdnBehind(List.of(CDN), policy("cluster-only", CLUSTER_ONLY));
    preserving.gateway.service().getMetadata().setAnnotations(new HashMap<>(Map.of(
        "service.beta.kubernetes.io/aws-load-balancer-type", "external",
        "service.beta.kubernetes.io/aws-load-balancer-nlb-target-type", "ip",
        "service.beta.kubernetes.io/aws-load-balancer-target-group-attributes",
        "deregistration_delay.timeout_seconds=30, preserve_client_ip.enabled=true")));
    assertThat(preserving.diagnose().reason()).as("the CDN's address reaches the pods").isEqualTo("CdnBlockedByNetworkPolicy");
  }

  /**
   * One Helm upgrade renames the container port http -> web and the Service's targetPort with it:
   * the old pods lack "web", their endpoints sit in a slice without ports, and ingress-nginx
   * answers 503 until the new pod is ready. That is the rollout, not an overloaded app.
   */
  @Test
  void aRolloutThatRenamesTheTargetPortIsTheRolloutWhileOnlyOldPodsAreReady() {
    SiteWorld w = SiteWorld.healthy().serviceTargetPort(new IntOrString("web"))
        .deploymentIs(SiteWorld.deployment(2, 6L, 6L, 1, "ReplicaSetUpdated"))
        .probes(SiteWorld.origin(SiteWorld.gatewaysOwn(503)));
    Pod fresh = SiteWorld.startingPod("shop-web-8c1e-a1", "10.0.0.13", Duration.ofSeconds(20));
    fresh.getSpec().getContainers().get(0).getPorts().get(0).setName("web");
    w.pods.add(fresh);
    EndpointSlice old = SiteWorld.slice("web", "shop-web", true, true);
    old.setPorts(List.of());
    EndpointSlice renamed = SiteWorld.slice("web", "shop-web", false);
    renamed.getMetadata().setName("shop-web-def34");
    renamed.getEndpoints().get(0).setAddresses(List.of("10.0.0.13"));
    w.slices = new ArrayList<>(List.of(old, renamed));

    Verdict v = w.diagnose();

    assertThat(v.reason()).as(v.message()).isEqualTo("RolloutInProgress");
  }

  /**
   * A new app synced with its database: its container exits once at boot, and for a moment the
   * kubelet shows it terminated in error, restartCount 0, before it restarts it. No crash loop.
   */
  @Test
  void oneExitAtBootTheKubeletIsAboutToRestartIsNoCrashLoop() {
    SiteWorld w = SiteWorld.healthy().deploymentIs(SiteWorld.deployment(2, 2L, 2L, 0, "ReplicaSetUpdated"))
        .readinessFailing();
    w.pods.replaceAll(p -> exitedOnce(p, 0));
    Verdict v = w.diagnose();

    assertThat(v.reason()).as(v.message()).isEqualTo("RolloutInProgress");
    assertNot(v, ConditionType.BAD_GATEWAY);
  }

  /** The same exit after a restart is a loop's; and a pod that never restarts (restartPolicy Never) ends there. */
  @Test
  void anExitAfterARestartOrInAPodThatNeverRestartsIsACrash() {
    SiteWorld again = SiteWorld.healthy().readinessFailing();
    again.pods.replaceAll(p -> exitedOnce(p, 1));
    assertThat(again.diagnose().reason()).isEqualTo("UpstreamCrashLooping");

    SiteWorld never = SiteWorld.healthy().readinessFailing();
    never.pods.replaceAll(p -> new io.fabric8.kubernetes.api.model.PodBuilder(exitedOnce(p, 0)).editSpec()
        .withRestartPolicy("Never").endSpec().build());
    assertThat(never.diagnose().reason()).isEqualTo("UpstreamCrashLooping");
  }

  private static io.fabric8.kubernetes.api.model.Pod exitedOnce(io.fabric8.kubernetes.api.model.Pod p, int restarts) {
    return new io.fabric8.kubernetes.api.model.PodBuilder(p).editStatus().withContainerStatuses(
        new io.fabric8.kubernetes.api.model.ContainerStatusBuilder().withName("app").withReady(false)
            .withRestartCount(restarts).withNewState().withNewTerminated().withReason("Error").withExitCode(1)
            .endTerminated().endState().build()).endStatus().build();
  }

  // ---------------------------------------------------------------- owners named

  @Test
  void podsOfAnArgoRolloutAreNamedByTheRollout() {
    Verdict v = SiteWorld.healthy().replicaSetOwnedByRollout().readinessFailing().diagnose();

    assertThat(v.reason()).isEqualTo("NoReadyEndpoints");
    assertThat(v.message()).contains("2 pods running, failing readiness (Rollout web/shop)");
  }

  /** A Rollout at zero (KEDA scales Rollouts too) asks for no pods: not a selector that matches none. */
  @Test
  void anArgoRolloutScaledToZeroIsScaledToZeroNamingTheRollout() {
    Verdict v = SiteWorld.healthy().rolloutScaledToZero().diagnose();

    assertThat(v.reason()).as(v.message()).isEqualTo("ScaledToZero");
    assertThat(v.message()).contains("Rollout web/shop has its ReplicaSets at replicas: 0").doesNotContain("matches no pod");
  }

  /** One of its ReplicaSets still asking for pods that are not there yet is no scale to zero. */
  @Test
  void anArgoRolloutWithAReplicaSetAskingForPodsIsNoScaleToZero() {
    SiteWorld w = SiteWorld.healthy().rolloutScaledToZero();
    w.replicaSets.add(new io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder(w.replicaSets.get(0))
        .editMetadata().withName("shop-6c5b").endMetadata().editSpec().withReplicas(2).endSpec().build());
    Verdict v = w.diagnose();

    assertThat(v.reason()).as(v.message()).isNotEqualTo("ScaledToZero");
  }

  @Test
  void theDeploymentAnArgoRolloutScaledToZeroDoesNotExplainTheRolloutsPods() {
    Verdict v = SiteWorld.healthy().rolloutWithWorkloadRef().readinessFailing().diagnose();

    assertThat(v.reason()).isEqualTo("NoReadyEndpoints");
    assertThat(v.message()).contains("2 pods running, failing readiness (Rollout web/shop)")
        .doesNotContain("replicas: 0");
  }

  @Test
  void aJobPodWithTheAppsLabelsStillPendingDoesNotHideAScaleToZero() {
    SiteWorld w = SiteWorld.healthy().scaledToZero().failedJobPodLeft();
    w.pods.get(0).setStatus(new io.fabric8.kubernetes.api.model.PodStatusBuilder().withPhase("Pending").build());
    Verdict v = w.diagnose();

    assertThat(v.reason()).isEqualTo("ScaledToZero");
  }

  @Test
  void aHelmTestPodStillRunningDoesNotTurnAScaleToZeroIntoAnythingElse() {
    // For its few seconds the Site would flip: to 502 for its ports, or to 503 NoReadyEndpoints.
    Verdict v = SiteWorld.healthy().scaledToZero().helmTestPodRunning().diagnose();

    assertThat(v.reason()).isEqualTo("ScaledToZero");
  }

  @Test
  void podsOfAJobStillCountAndNameTheJob() {
    Verdict v = SiteWorld.healthy().ownedBy("Job", "warm-cache").podsCrashLooping("Error", 1).diagnose();

    assertThat(v.reason()).isEqualTo("UpstreamCrashLooping");
    assertThat(v.message()).contains("2/2 pods of Service web/shop-web (Job web/warm-cache)");
  }

  @Test
  void podsOfAStatefulSetAreNamedByIt() {
    Verdict v = SiteWorld.healthy().ownedByStatefulSet(2, 2, "shop-web-5d8f", "shop-web-5d8f").readinessFailing()
        .diagnose();

    assertThat(v.reason()).isEqualTo("NoReadyEndpoints");
    assertThat(v.message()).contains("(StatefulSet web/shop-web)");
  }

  // ---------------------------------------------------------------- StatefulSets updated by hand or in stages

  /**
   * A node drained, reclaimed or dead: the StatefulSet's pods terminate, and it makes no new pod
   * until the old one is gone. It counts no terminating pod as updated, so updatedReplicas falls
   * below replicas while both revisions are the same: a pod being replaced, not a rollout (on a
   * dead node for as long as nobody force-deletes the pod).
   */
  @Test
  void aStatefulSetReplacingItsPodsWithNoNewRevisionIsNoRollout() {
    Verdict v = SiteWorld.healthy().statefulSetReplacingItsPods().diagnose();

    assertThat(v.fault()).isEqualTo(Fault.SERVICE_UNAVAILABLE);
    assertThat(v.reason()).isEqualTo("NoReadyEndpoints");
    assertThat(v.message()).contains("terminating").doesNotContain("rollout");
  }

  /**
   * A template reverted to currentRevision while a pod of the bad revision is stuck (OrderedReady
   * waits on it): the revisions agree, and that pod is what is still to roll.
   */
  @Test
  void aStatefulSetWithAPodOfAnotherRevisionIsARolloutThoughItsRevisionsAgree() {
    SiteWorld w = SiteWorld.healthy().ownedByStatefulSet(2, 2, "shop-web-5d8f", "shop-web-5d8f").readinessFailing();
    w.pods.replaceAll(p -> new io.fabric8.kubernetes.api.model.PodBuilder(p).editMetadata()
        .addToLabels("controller-revision-hash", p.getMetadata().getName().endsWith("b2") ? "shop-web-7a1c" : "shop-web-5d8f")
        .endMetadata().build());

    Verdict v = w.diagnose();

    assertThat(v.reason()).isEqualTo("RolloutInProgress");
    assertThat(v.message()).contains("StatefulSet web/shop-web rollout in progress: pod shop-web-7d9f-b2 runs revision"
        + " shop-web-7a1c, not updateRevision shop-web-5d8f");
  }

  @Test
  void anOnDeleteStatefulSetWhosePodsAreAllUpdatedIsNoRollout() {
    // currentRevision never moves under OnDelete: read from the revisions, every outage was a rollout.
    Verdict v = SiteWorld.healthy().statefulSetOnDelete(2).readinessFailing().diagnose();

    assertThat(v.reason()).isEqualTo("NoReadyEndpoints");
    assertThat(v.message()).contains("2 pods running, failing readiness (StatefulSet web/shop-web)")
        .doesNotContain("rollout");
  }

  /**
   * A drained node under an OnDelete StatefulSet whose pods were all updated long ago: the
   * controller does not count the terminating pods in updatedReplicas, which is no rollout.
   */
  @Test
  void anOnDeleteStatefulSetWhosePodsAreDrainedIsNoRollout() {
    SiteWorld w = SiteWorld.healthy().statefulSetOnDelete(2);
    w.statefulSets.replaceAll(ss -> new io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder(ss).editStatus()
        .withUpdatedReplicas(0).withReadyReplicas(0).endStatus().build());
    Verdict v = w.podsTerminating(143).endpointsFromPods().diagnose();

    assertThat(v.reason()).as(v.message()).isEqualTo("NoReadyEndpoints");
    assertThat(v.message()).contains("terminating").doesNotContain("rollout");
  }

  /** Where the pods carry their revision, they say whether an OnDelete rollout is left, not the counts. */
  @Test
  void anOnDeleteStatefulSetsRolloutIsReadFromItsPodsRevisions() {
    SiteWorld drained = SiteWorld.healthy().statefulSetOnDelete(0).readinessFailing();
    drained.pods.replaceAll(p -> revision(p, "shop-web-7a1c"));
    drained.pods.set(0, new io.fabric8.kubernetes.api.model.PodBuilder(drained.pods.get(0)).editMetadata()
        .withDeletionTimestamp("2025-03-04T11:59:40Z").endMetadata().build());
    SiteWorld rolling = SiteWorld.healthy().statefulSetOnDelete(1).readinessFailing();
    rolling.pods.replaceAll(p -> revision(p, "shop-web-7a1c"));
    rolling.pods.set(1, revision(rolling.pods.get(1), "shop-web-5d8f"));

    Verdict none = drained.endpointsFromPods().diagnose();
    Verdict rollout = rolling.diagnose();

    assertThat(none.reason()).as(none.message()).isEqualTo("NoReadyEndpoints");
    assertThat(none.message()).doesNotContain("rollout");
    assertThat(rollout.reason()).as(rollout.message()).isEqualTo("RolloutInProgress");
    assertThat(rollout.message()).contains("pod " + rolling.pods.get(1).getMetadata().getName()
        + " runs revision shop-web-5d8f, not updateRevision shop-web-7a1c (updateStrategy OnDelete");
  }

  /** A pod of the old revision deleted by hand under OnDelete is the rollout's step: its successor comes at the new one. */
  @Test
  void anOnDeleteStatefulSetsOldPodBeingDeletedIsTheRolloutsStep() {
    SiteWorld w = SiteWorld.healthy().statefulSetOnDelete(1).readinessFailing();
    w.pods.replaceAll(p -> revision(p, "shop-web-7a1c"));
    w.pods.set(1, new io.fabric8.kubernetes.api.model.PodBuilder(revision(w.pods.get(1), "shop-web-5d8f")).editMetadata()
        .withDeletionTimestamp("2025-03-04T11:59:40Z").endMetadata().build());

    Verdict v = w.endpointsFromPods().diagnose();

    assertThat(v.reason()).as(v.message()).isEqualTo("RolloutInProgress");
    assertThat(v.message()).contains("runs revision shop-web-5d8f, not updateRevision shop-web-7a1c");
  }

  /** Under a partition, only the pods at or above it are to be updated, and a drained one is not outdated. */
  @Test
  void aPartitionedStatefulSetsRolloutIsReadFromThePodsAboveThePartition() {
    SiteWorld drained = partitionedAtOne("shop-web-7a1c");
    drained.pods.set(1, new io.fabric8.kubernetes.api.model.PodBuilder(drained.pods.get(1)).editMetadata()
        .withDeletionTimestamp("2025-03-04T11:59:40Z").endMetadata().build());
    SiteWorld rolling = partitionedAtOne("shop-web-5d8f");

    Verdict none = drained.endpointsFromPods().diagnose();
    Verdict rollout = rolling.diagnose();

    assertThat(none.reason()).as(none.message()).isEqualTo("NoReadyEndpoints");
    assertThat(none.message()).doesNotContain("rollout");
    assertThat(rollout.reason()).as(rollout.message()).isEqualTo("RolloutInProgress");
    assertThat(rollout.message()).contains("pod shop-web-1 runs revision shop-web-5d8f, not updateRevision shop-web-7a1c",
        "partition 1");
  }

  /** Ordinals from 5 (spec.ordinals.start): pod shop-web-5 is index 0, below partition 1, kept at the current revision. */
  @Test
  void aPartitionCountsFromTheStatefulSetsFirstOrdinal() {
    SiteWorld w = partitionedAtOne("shop-web-7a1c");
    w.statefulSets.replaceAll(ss -> new io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder(ss).editSpec()
        .withNewOrdinals().withStart(5).endOrdinals().endSpec().build());
    for (int i = 0; i < 2; i++) {
      w.pods.set(i, new io.fabric8.kubernetes.api.model.PodBuilder(w.pods.get(i)).editMetadata()
          .withName("shop-web-" + (5 + i)).endMetadata().build());
    }

    Verdict v = w.endpointsFromPods().diagnose();

    assertThat(v.reason()).as(v.message()).isEqualTo("NoReadyEndpoints");
    assertThat(v.message()).doesNotContain("rollout");
  }

  /** StatefulSet pods shop-web-0 (at the current revision, below the partition) and shop-web-1 at {@code revisionOfOne}. */
  private static SiteWorld partitionedAtOne(String revisionOfOne) {
    SiteWorld w = SiteWorld.healthy().ownedByStatefulSet(2, 2, "shop-web-5d8f", "shop-web-5d8f").readinessFailing();
    w.statefulSets.replaceAll(ss -> new io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder(ss)
        .editSpec().withNewUpdateStrategy().withType("RollingUpdate").withNewRollingUpdate().withPartition(1)
        .endRollingUpdate().endUpdateStrategy().endSpec()
        .editStatus().withUpdateRevision("shop-web-7a1c").withUpdatedReplicas(0).endStatus().build());
    for (int i = 0; i < 2; i++) {
      Pod named = new io.fabric8.kubernetes.api.model.PodBuilder(w.pods.get(i)).editMetadata().withName("shop-web-" + i)
          .endMetadata().build();
      w.pods.set(i, revision(named, i == 0 ? "shop-web-5d8f" : revisionOfOne));
    }
    return w.endpointsFromPods();
  }

  private static Pod revision(Pod p, String revision) {
    return new io.fabric8.kubernetes.api.model.PodBuilder(p).editMetadata()
        .addToLabels("controller-revision-hash", revision).endMetadata().build();
  }

  @Test
  void anOnDeleteStatefulSetWithPodsStillToDeleteIsARollout() {
    Verdict v = SiteWorld.healthy().statefulSetOnDelete(1).readinessFailing().diagnose();

    assertThat(v.reason()).isEqualTo("RolloutInProgress");
    assertThat(v.message()).contains("StatefulSet web/shop-web rollout in progress: 1/2 replicas updated",
        "updateStrategy OnDelete");
  }

  @Test
  void aStatefulSetStagedByAPartitionIsNoRolloutOnceThePodsAboveItAreUpdated() {
    Verdict v = SiteWorld.healthy().statefulSetPartitioned(2, 1).readinessFailing().diagnose();

    assertThat(v.reason()).isEqualTo("NoReadyEndpoints");
    assertThat(v.message()).doesNotContain("rollout");
  }

  @Test
  void aStatefulSetStagedByAPartitionIsARolloutUntilThePodsAboveItAreUpdated() {
    Verdict v = SiteWorld.healthy().statefulSetPartitioned(2, 0).readinessFailing().diagnose();

    assertThat(v.reason()).isEqualTo("RolloutInProgress");
    assertThat(v.message()).contains("0/1 replicas updated (partition 2");
  }

  @Test
  void aStaleQuotaEventOfAStatefulSetThatHasItsPodsIsNotQuotaExceeded() {
    // The quota was raised and the pods were created; the Event lives on for an hour.
    SiteWorld w = SiteWorld.healthy().ownedByStatefulSet(2, 2, "shop-web-5d8f", "shop-web-5d8f").readinessFailing();
    w.events.add(SiteWorld.failedCreate("StatefulSet", SiteWorld.SERVICE, "create Pod shop-web-0 in StatefulSet shop-web "
        + "failed error: pods \"shop-web-0\" is forbidden: exceeded quota: compute"));
    Verdict v = w.diagnose();

    assertThat(v.reason()).isEqualTo("NoReadyEndpoints");
  }

  /**
   * The evening's peak hit a quota; forty minutes later the Deployment is woken from zero (KEDA)
   * and its ReplicaSet is short of its one pod for a moment, as every scale-up is. The quota is no
   * longer what stops it: the controller renews a refusal's Event at each retry (1,000 s apart at
   * most), and this one was last renewed 50 minutes ago.
   */
  @Test
  void aQuotaEventFromAnHourAgoIsNotQuotaExceededWhenTheDeploymentWakes() {
    SiteWorld w = SiteWorld.healthy().with(x -> {
      x.pods.clear();
      x.replicaSets.replaceAll(rs -> new io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder(rs)
          .editSpec().withReplicas(1).endSpec()
          .editStatus().withReplicas(0).withReadyReplicas(0).endStatus().build());
      return x;
    }).endpointsReady();
    w.events.add(new io.fabric8.kubernetes.api.model.EventBuilder(
        SiteWorld.failedCreate("ReplicaSet", SiteWorld.REPLICA_SET, "Error creating: " + SiteWorld.QUOTA_MESSAGE))
        .withLastTimestamp("2025-03-04T11:10:00Z").build());
    Verdict stale = w.diagnose();

    assertThat(stale.reason()).isNotEqualTo("QuotaExceeded");
    assertThat(stale.message()).doesNotContain("exceeded quota");

    w.events.set(0, SiteWorld.failedCreate("ReplicaSet", SiteWorld.REPLICA_SET, "Error creating: " + SiteWorld.QUOTA_MESSAGE));
    assertThat(w.diagnose().reason()).as("the same Event renewed a minute ago").isEqualTo("QuotaExceeded");
  }

  @Test
  void aFailedCreateThatIsNotAQuotaIsNotQuotaExceeded() {
    SiteWorld w = SiteWorld.healthy().statefulSetBlockedByQuota();
    w.events.set(0, SiteWorld.failedCreate("StatefulSet", SiteWorld.SERVICE, "create Pod shop-web-0 in StatefulSet "
        + "shop-web failed error: admission webhook \"policy.example.com\" denied the request"));
    Verdict v = w.diagnose();

    // No pod to replace: the StatefulSet is starting its pods from none, and the webhook's words say why it cannot.
    assertThat(v.reason()).isEqualTo("NoReadyEndpoints");
    assertThat(v.message()).contains("StatefulSet web/shop-web is starting", "admission webhook \"policy.example.com\" denied the request");
  }
}
