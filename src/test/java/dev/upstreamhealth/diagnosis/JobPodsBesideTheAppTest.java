package dev.upstreamhealth.diagnosis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.upstreamhealth.api.ConditionType;
import dev.upstreamhealth.api.Fault;
import dev.upstreamhealth.demo.SiteFixture;
import dev.upstreamhealth.demo.SiteFixtures;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A Job's pod that carries the app's selector labels (a chart's migration or a CronJob sharing
 * app.kubernetes.io/name and instance) and declares none of its ports. The EndpointSlice
 * controller lists it, ready, in a slice without the Service's port, which ingress-nginx skips: it
 * serves no visitor, and says nothing of the app's ports.
 */
class JobPodsBesideTheAppTest {

  /** The app scaled to zero while a CronJob's run is up: ingress-nginx answers 503, every run. */
  @Test
  void aRunningJobPodDoesNotHideTheAppScaledToZero() {
    SiteWorld w = SiteWorld.healthy().scaledToZero().probes(SiteWorld.origin(SiteWorld.http(503)));
    w.pods.add(jobPod());
    w.slices = new ArrayList<>(List.of(portlessSliceOf(w.pods.get(0))));
    Verdict v = w.diagnose();

    assertThat(v.fault()).as(v.message()).isEqualTo(Fault.SERVICE_UNAVAILABLE);
    assertThat(v.reason()).isEqualTo("ScaledToZero");
    assertThat(v.condition(ConditionType.BAD_GATEWAY).isTrue()).as("no ServicePortMismatch from the Job's pod").isFalse();
  }

  /** The app serving, a migration's pod beside it: no mismatch, nothing degraded. */
  @Test
  void aRunningJobPodBesideServingPodsIsNothing() {
    SiteWorld w = SiteWorld.healthy();
    w.pods.add(jobPod());
    w.slices.add(portlessSliceOf(w.pods.get(w.pods.size() - 1)));
    Verdict v = w.diagnose();

    assertThat(v.fault()).isEqualTo(Fault.NONE);
    assertThat(v.condition(ConditionType.DEGRADED).isTrue()).as(v.message()).isFalse();
  }

  /**
   * The app's pods crash-loop while a migration's pod runs, ready, beside them: the crash loop is
   * the app's, and the Job's running pod does not turn it into pods failing readiness.
   */
  @Test
  void aRunningJobPodDoesNotHideTheAppsCrashLoop() {
    SiteWorld w = SiteWorld.healthy().podsCrashLooping("Error", 1);
    w.pods.add(jobPod());
    w.slices.add(portlessSliceOf(w.pods.get(w.pods.size() - 1)));
    Verdict v = w.diagnose();

    assertThat(v.reason()).as(v.message()).isEqualTo("UpstreamCrashLooping");
    assertThat(v.message()).contains("2/2 pods").doesNotContain("shop-migrate");
  }

  /**
   * The app scaled to zero for the night while a CronJob's run crash-loops (restartPolicy
   * OnFailure keeps it Running): visitors get the 503 of no replicas, not a 502 of the Job's crashes.
   */
  @Test
  void aCrashLoopingJobPodDoesNotStandForTheAppScaledToZero() {
    SiteWorld w = SiteWorld.healthy().scaledToZero().probes(SiteWorld.origin(SiteWorld.http(503)));
    Pod crashing = new PodBuilder(SiteFixture.crashLooping(jobPod(), "Error", 1)).editSpec().withRestartPolicy("OnFailure")
        .endSpec().build();
    w.pods.add(crashing);
    w.slices = new ArrayList<>(List.of(portlessSliceOf(crashing)));
    Verdict v = w.diagnose();

    assertThat(v.reason()).as(v.message()).isEqualTo("ScaledToZero");
    assertThat(v.condition(ConditionType.BAD_GATEWAY).isTrue()).as(v.message()).isFalse();
  }

  private static Pod jobPod() {
    Pod pod = SiteFixtures.ownedBy(SiteWorld.readyPod("shop-migrate-29441-x7k2p", "10.0.0.21"), "shop-migrate-29441-x7k2p",
        SiteFixtures.controller("batch/v1", "Job", "shop-migrate-29441", "job-1"));
    return new PodBuilder(pod).editSpec().withRestartPolicy("Never")
        .editFirstContainer().withName("migrate").withPorts(List.of()).endContainer().endSpec().build();
  }

  /** The slice the EndpointSlice controller makes for pods that lack the Service's named port: no ports. */
  private static EndpointSlice portlessSliceOf(Pod pod) {
    return new EndpointSliceBuilder(SiteWorld.slice(SiteWorld.NS, SiteWorld.SERVICE, true))
        .editMetadata().withName("shop-web-nop0rt").endMetadata()
        .withPorts(List.of())
        .editFirstEndpoint().withAddresses(pod.getStatus().getPodIP())
        .editOrNewTargetRef().withKind("Pod").withNamespace(SiteWorld.NS).withName(pod.getMetadata().getName())
        .endTargetRef().endEndpoint().build();
  }
}
