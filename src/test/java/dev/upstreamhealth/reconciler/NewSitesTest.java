package dev.upstreamhealth.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.upstreamhealth.api.Fault;
import dev.upstreamhealth.api.Reason;
import dev.upstreamhealth.api.Site;
import dev.upstreamhealth.api.SiteStatus;
import dev.upstreamhealth.diagnosis.Diagnosis;
import dev.upstreamhealth.diagnosis.Verdict;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A new Site shows no fault while the objects applied with it may still be on their way. */
class NewSitesTest {
  static final Instant CREATED = Instant.parse("2026-11-29T12:00:00Z");

  static Site site() {
    Site site = new Site();
    site.setMetadata(new ObjectMetaBuilder().withNamespace("web").withName("shop")
        .withCreationTimestamp(CREATED.toString()).build());
    return site;
  }

  static SiteStatus showing(String reason) {
    SiteStatus status = new SiteStatus();
    status.setReason(reason);
    return status;
  }

  @Test
  void aSiteWithoutAVerdictSettlesForItsFirstSecondsOnly() {
    assertThat(NewSites.settling(site(), null, CREATED.plusSeconds(1))).contains(Duration.ofSeconds(4));
    assertThat(NewSites.settling(site(), showing(Reason.AWAITING_FIRST_PROBE.reasonName()), CREATED.plusMillis(4_500)))
        .contains(Duration.ofMillis(500));
    assertThat(NewSites.settling(site(), null, CREATED.plus(NewSites.SETTLE))).isEmpty();
    assertThat(NewSites.settling(site(), null, CREATED.plusSeconds(60))).isEmpty();
  }

  @Test
  void aSiteThatHasShownAVerdictShowsTheNextAtOnce() {
    assertThat(NewSites.settling(site(), showing(Reason.HEALTHY), CREATED.plusSeconds(1))).isEmpty();
    assertThat(NewSites.settling(site(), showing(Reason.INGRESS_NOT_FOUND.reasonName()), CREATED.plusSeconds(1))).isEmpty();
  }

  @Test
  void whileSettlingAFaultIsShownAsWaitingNamingWhatWasSeenButAnInvalidSpecStands() {
    Verdict missing = Diagnosis.waiting("x"); // stands for "no fault": shown as it is
    assertThat(NewSites.shown(missing)).isSameAs(missing);

    Verdict ingressNotFound = verdict(Fault.OTHER, Reason.INGRESS_NOT_FOUND);
    Verdict shown = NewSites.shown(ingressNotFound);
    assertThat(shown.fault()).isEqualTo(Fault.UNKNOWN);
    assertThat(shown.reason()).isEqualTo(Reason.AWAITING_FIRST_PROBE.reasonName());
    assertThat(shown.message()).contains("IngressNotFound");

    Verdict invalid = verdict(Fault.UNKNOWN, Reason.INVALID_SPEC);
    assertThat(NewSites.shown(invalid)).isSameAs(invalid);
  }

  private static Verdict verdict(Fault fault, Reason reason) {
    Verdict waiting = Diagnosis.waiting("m");
    return new Verdict(fault, reason.reasonName(), "m", waiting.conditions(), waiting.origin(), waiting.upstreams());
  }
}
