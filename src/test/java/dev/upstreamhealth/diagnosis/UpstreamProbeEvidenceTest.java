package dev.upstreamhealth.diagnosis;

import static dev.upstreamhealth.diagnosis.SiteWorld.http;
import static dev.upstreamhealth.diagnosis.SiteWorld.origin;
import static dev.upstreamhealth.diagnosis.SiteWorld.outcome;
import static dev.upstreamhealth.diagnosis.SiteWorld.upstream;
import static org.assertj.core.api.Assertions.assertThat;

import dev.upstreamhealth.probe.ProbeLayer;
import dev.upstreamhealth.probe.ProbeOutcome;
import dev.upstreamhealth.probe.ProbeTarget;
import dev.upstreamhealth.probe.TrackedProbe;
import org.junit.jupiter.api.Test;

/** The first endpoint to answer does not speak for the others. */
class UpstreamProbeEvidenceTest {
  @Test
  void oneRefusingEndpointWhileTheOtherIsUnprobedIsNoFaultYet() {
    TrackedProbe refusing = upstream("10.0.0.11", outcome(ProbeOutcome.CONNECTION_REFUSED));
    TrackedProbe other = upstream("10.0.0.12", http(200));
    TrackedProbe notYetProbed = new TrackedProbe(other.target(), null, null, false, 0, 0);
    Verdict verdict = Diagnosis.diagnose(SiteWorld.healthy()
        .probes(origin(http(502)), refusing, notYetProbed).snapshot());
    assertThat(verdict.condition(ConditionType.BAD_GATEWAY).reason()).isEqualTo("GatewayReturned502");
    assertThat(verdict.condition(ConditionType.DEGRADED).isTrue()).isFalse();
  }

  @Test
  void onceBothHaveConcludedAndBothRefuseItIsUpstreamNotListening() {
    Verdict verdict = Diagnosis.diagnose(SiteWorld.healthy().probes(origin(http(502)),
        upstream("10.0.0.11", outcome(ProbeOutcome.CONNECTION_REFUSED)),
        upstream("10.0.0.12", outcome(ProbeOutcome.CONNECTION_REFUSED))).snapshot());
    assertThat(verdict.reason()).isEqualTo("UpstreamNotListening");
  }

  @Test
  void anOriginAnswering503IsWhatTheVisitorGetsWhateverTheUpstreamProbesSay() {
    Verdict verdict = Diagnosis.diagnose(SiteWorld.healthy().probes(origin(http(503)),
        upstream("10.0.0.11", outcome(ProbeOutcome.RESPONSE_TIMEOUT)),
        upstream("10.0.0.12", outcome(ProbeOutcome.RESPONSE_TIMEOUT))).snapshot());
    assertThat(verdict.fault()).isEqualTo(Fault.SERVICE_UNAVAILABLE);
    assertThat(verdict.reason()).isEqualTo("Overloaded");
    assertThat(verdict.condition(ConditionType.BAD_GATEWAY).isTrue()).isFalse();
  }

  @Test
  void aRefusedOriginAddressIsReportedAsWhatToFix() {
    ProbeTarget metadata = new ProbeTarget(ProbeLayer.ORIGIN, "169.254.169.254", 80,
        dev.upstreamhealth.probe.Scheme.HTTP, "shop.example.com", "/", java.time.Duration.ofSeconds(1), "");
    SiteWorld world = SiteWorld.healthy();
    Snapshot s = world.snapshot();
    Verdict verdict = Diagnosis.diagnose(s.withProbes(s.probes().withRefused(java.util.List.of(metadata))));
    assertThat(verdict.fault()).isEqualTo(Fault.UNKNOWN);
    assertThat(verdict.reason()).isEqualTo("InvalidSpec");
    assertThat(verdict.message()).contains("169.254.169.254");
    assertThat(verdict.condition(ConditionType.READY).status()).isEqualTo(ConditionStatus.FALSE);
  }
}
