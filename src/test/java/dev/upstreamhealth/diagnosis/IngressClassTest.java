package dev.upstreamhealth.diagnosis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.upstreamhealth.api.Fault;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** An Ingress whose IngressClass does not exist is served by no controller. */
class IngressClassTest {
  private static Snapshot withClasses(Set<String> classes) {
    Snapshot s = SiteWorld.healthy().snapshot();
    return SnapshotBuilder.from(s).ingressClasses(classes).build();
  }

  @Test
  void aMissingClassIsHostNotRouted() {
    Verdict verdict = Diagnosis.diagnose(withClasses(Set.of("traefik")));
    assertThat(verdict.fault()).isEqualTo(Fault.OTHER);
    assertThat(verdict.reason()).isEqualTo("HostNotRouted");
    assertThat(verdict.message()).contains("IngressClass \"nginx\"").contains("web/shop");
  }

  /** Applied from Git before the ingress controller that brings its class: waited for, no Warning. */
  @Test
  void aYoungIngressWithoutAddressWaitsForItsClass() {
    Snapshot young = SnapshotBuilder.from(SiteWorld.healthy().noLoadBalancerAddress()
        .ingressCreated(Duration.ofSeconds(20)).snapshot()).ingressClasses(Set.of("traefik")).build();
    Verdict waiting = Diagnosis.diagnose(young);

    assertThat(waiting.fault()).isEqualTo(Fault.UNKNOWN);
    assertThat(waiting.reason()).isEqualTo("AwaitingFirstProbe");
    assertThat(waiting.message()).contains("so far: Ingress web/shop names IngressClass \"nginx\", which does not exist");
    assertThat(ControllerPending.untilGraceEnds(young)).contains(Duration.ofSeconds(100));

    Snapshot old = SnapshotBuilder.from(SiteWorld.healthy().noLoadBalancerAddress()
        .ingressCreated(ControllerPending.GRACE).snapshot()).ingressClasses(Set.of("traefik")).build();
    assertThat(Diagnosis.diagnose(old).reason()).as("still no class after the grace").isEqualTo("HostNotRouted");
  }

  @Test
  void anExistingClassOrUnknownClassesChangeNothing() {
    assertThat(Diagnosis.diagnose(withClasses(Set.of("nginx"))).fault()).isEqualTo(Fault.NONE);
    assertThat(Diagnosis.diagnose(withClasses(null)).fault()).isEqualTo(Fault.NONE);
  }
}
