package dev.upstreamhealth.diagnosis;

import static dev.upstreamhealth.diagnosis.SiteWorld.gatewayProbe;
import static dev.upstreamhealth.diagnosis.SiteWorld.origin;
import static dev.upstreamhealth.diagnosis.SiteWorld.outcome;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.upstreamhealth.api.Fault;
import dev.upstreamhealth.probe.ProbeOutcome;
import java.security.Permission;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Specs and objects with parts missing, as older clients, stale caches and kubectl edits leave them. */
class IncompleteInputTest {

  @Test
  void specWithoutMaintenanceSectionIsDiagnosed() {
    Verdict v = SiteWorld.healthy().with(w -> { w.spec.setMaintenance(null); return w; }).diagnose();

    assertThat(v.fault()).isEqualTo(Fault.NONE);
    assertThat(v.reason()).isEqualTo("Healthy");
  }

  @Test
  void specWithoutProbeSectionAwaitsTheProbeUnderDefaultThresholds() {
    Verdict v = SiteWorld.healthy().with(w -> { w.spec.setProbe(null); return w; }).probes().diagnose();

    assertThat(v.reason()).isEqualTo("AwaitingFirstProbe");
    assertThat(v.message()).contains("http://127.0.0.10:80", "failureThreshold 3", "successThreshold 1");
  }

  @Test
  void ingressBackendWithoutPortIsServicePortMismatch() {
    SiteWorld w = SiteWorld.healthy();
    w.ingress.getSpec().getRules().get(0).getHttp().getPaths().get(0).getBackend().getService().setPort(null);
    Verdict v = w.diagnose();

    assertThat(v.fault().code()).isEqualTo("502");
    assertThat(v.reason()).isEqualTo("ServicePortMismatch");
    assertThat(v.message()).contains("Ingress web/shop", "port (none)", "Service web/shop-web", "http/80");
  }

  @Test
  void staleGatewayProbeWithoutSpecGatewayLeavesConnectionRefused() {
    // spec.gateway was removed; the probe history of the gateway outlives it by one reconcile.
    Verdict v = SiteWorld.healthy()
        .probes(origin(outcome(ProbeOutcome.CONNECTION_REFUSED)), gatewayProbe(outcome(ProbeOutcome.CONNECTION_REFUSED)))
        .diagnose();

    assertThat(v.fault().code()).isEqualTo("521");
    assertThat(v.reason()).isEqualTo("ConnectionRefused");
  }

  @Test
  void ingressWithoutSpecDoesNotRouteHost() {
    SiteWorld w = SiteWorld.healthy();
    w.ingress.setSpec(null);
    Verdict v = w.diagnose();

    assertThat(v.reason()).isEqualTo("HostNotRouted");
    assertThat(v.fault()).isEqualTo(Fault.OTHER);
  }

  @Test
  void podsWithoutStatusAreNotReady() {
    SiteWorld w = SiteWorld.healthy();
    w.pods.forEach(p -> p.setStatus(null));
    w.slices.clear();
    Verdict v = w.diagnose();

    assertThat(v.reason()).isEqualTo("NoReadyEndpoints");
    assertThat(v.message()).contains("0/2 endpoints of Service web/shop-web", "0 pods running");
  }

  @ParameterizedTest
  @ValueSource(strings = {"999.1.1.1/8", "256.0.0.0/8", "1.2.3.300", "300.300.300.300/32"})
  void ipv4TextWithOctetAbove255IsInvalidSpec(String range) {
    Verdict v = SiteWorld.healthy().with(w -> { w.spec.getCdn().setSourceRanges(List.of(range)); return w; }).diagnose();

    assertThat(v.reason()).isEqualTo("InvalidSpec");
    assertThat(v.message()).contains("spec.cdn.sourceRanges", range, "is not an IP address or CIDR");
  }

  /** The diagnosis is pure: a CIDR that looks like IPv4 but is not one must not become a DNS query. */
  @SuppressWarnings("removal")
  @ParameterizedTest
  @ValueSource(strings = {"999.1.1.1/8", "256.0.0.0", "1.2.3.4x/8", "::ffff:999.1.1.1/120", "1:2/64"})
  void cidrParsingNeverLooksUpANameWith(String text) {
    SecurityManager noLookups = new SecurityManager() {
      @Override
      public void checkConnect(String host, int port) {
        if (port == -1) {
          throw new SecurityException("name lookup of " + host);
        }
      }

      @Override
      public void checkPermission(Permission perm) {}

      @Override
      public void checkPermission(Permission perm, Object context) {}
    };
    try {
      System.setSecurityManager(noLookups);
    } catch (UnsupportedOperationException disallowed) {
      Assumptions.abort("this JVM does not allow a SecurityManager (-Djava.security.manager=disallow)");
    }
    try {
      assertThatThrownBy(() -> Cidr.parse(text)).isExactlyInstanceOf(IllegalArgumentException.class);
    } finally {
      System.setSecurityManager(null);
    }
  }
}
