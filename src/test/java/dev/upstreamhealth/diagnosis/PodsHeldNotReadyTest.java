package dev.upstreamhealth.diagnosis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.upstreamhealth.api.ConditionType;
import dev.upstreamhealth.api.Fault;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import org.junit.jupiter.api.Test;

/**
 * Pods whose every container is ready, yet not Ready themselves: the app's readiness probe is not
 * what to look at. The 503 stands (ingress-nginx sends to ready endpoints only); its message
 * names what holds the pods back.
 */
class PodsHeldNotReadyTest {

  /**
   * A spot node vanishes under both replicas: about 40 s later the node controller sets each
   * pod's Ready to False, with no reason, and leaves the containers as they were.
   */
  @Test
  void podsOnANodeThatStoppedReportingAreNotFailingTheirReadinessProbe() {
    Verdict v = heldNotReady(null, null).diagnose();

    assertThat(v.fault()).isEqualTo(Fault.SERVICE_UNAVAILABLE);
    assertThat(v.reason()).isEqualTo("NoReadyEndpoints");
    assertThat(v.message()).contains("2 pods running, every container ready, yet marked not ready by the node"
        + " controller: the pod's node is NotReady or has stopped reporting")
        .doesNotContain("failing readiness");
  }

  /** The AWS Load Balancer Controller's readiness gate, not yet true: the gate is quoted. */
  @Test
  void podsWaitingOnTheirReadinessGatesSayWhichGate() {
    String gate = "corresponding condition of pod readiness gate \"target-health.elbv2.k8s.aws/k8s-web-shop\" does not exist.";
    Verdict v = heldNotReady("ReadinessGatesNotReady", gate).diagnose();

    assertThat(v.reason()).isEqualTo("NoReadyEndpoints");
    assertThat(v.message()).contains("every container ready, readiness gates not yet (" + gate + ")")
        .doesNotContain("failing readiness");
  }

  /** A container that is not ready is the app's readiness probe failing, as before. */
  @Test
  void podsWhoseContainersAreNotReadyAreStillFailingReadiness() {
    SiteWorld w = heldNotReady(null, null);
    w.pods.replaceAll(p -> new PodBuilder(p).editStatus().editFirstContainerStatus().withReady(false)
        .endContainerStatus().endStatus().build());

    assertThat(w.diagnose().message()).contains("2 pods running, failing readiness")
        .doesNotContain("node controller");
  }

  /** One replica on the lost node, one serving: Degraded, naming the node as the cause. */
  @Test
  void onePodOnANodeThatStoppedReportingIsDegradedAndSaysWhy() {
    SiteWorld w = SiteWorld.healthy();
    w.pods.set(0, notReady(w.pods.get(0), null, null));
    Verdict v = w.endpointsReady(false, true).diagnose();

    assertThat(v.fault()).isEqualTo(Fault.NONE);
    assertThat(v.condition(ConditionType.DEGRADED).message())
        .contains("1/2 endpoints of Service web/shop-web ready", "marked not ready by the node controller");
  }

  private static SiteWorld heldNotReady(String reason, String message) {
    SiteWorld w = SiteWorld.healthy();
    w.pods.replaceAll(p -> notReady(p, reason, message));
    return w.endpointsReady(false, false);
  }

  private static Pod notReady(Pod p, String reason,
      String message) {
    return new PodBuilder(p).editStatus()
        .withConditions().addNewCondition().withType("Ready").withStatus("False").withReason(reason)
        .withMessage(message).endCondition()
        .endStatus().build();
  }
}
