package dev.upstreamhealth.diagnosis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.upstreamhealth.api.Fault;
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

  @Test
  void anExistingClassOrUnknownClassesChangeNothing() {
    assertThat(Diagnosis.diagnose(withClasses(Set.of("nginx"))).fault()).isEqualTo(Fault.NONE);
    assertThat(Diagnosis.diagnose(withClasses(null)).fault()).isEqualTo(Fault.NONE);
  }
}
