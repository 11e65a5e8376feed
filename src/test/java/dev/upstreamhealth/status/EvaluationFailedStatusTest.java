package dev.upstreamhealth.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.upstreamhealth.api.SiteStatus;
import dev.upstreamhealth.api.ConditionStatus;
import dev.upstreamhealth.api.ConditionType;
import dev.upstreamhealth.diagnosis.ConditionVerdict;
import dev.upstreamhealth.api.Evidence;
import dev.upstreamhealth.api.Fault;
import dev.upstreamhealth.api.Reason;
import dev.upstreamhealth.diagnosis.Verdict;
import dev.upstreamhealth.probe.ProbeFindings;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The status a failed reconcile writes, and the Event it calls for. */
class EvaluationFailedStatusTest {
  static final Instant BEFORE = Instant.parse("2026-11-29T10:00:00Z");
  static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");

  static SiteStatus overloaded() {
    Map<ConditionType, ConditionVerdict> c = new EnumMap<>(ConditionType.class);
    for (ConditionType t : ConditionType.values()) {
      c.put(t, new ConditionVerdict(t, ConditionStatus.FALSE, Reason.NO_FAULT, "fine"));
    }
    c.put(ConditionType.SERVICE_UNAVAILABLE, new ConditionVerdict(ConditionType.SERVICE_UNAVAILABLE, ConditionStatus.TRUE,
        "Overloaded", "origin answers 503", Evidence.PROBE));
    c.put(ConditionType.READY, new ConditionVerdict(ConditionType.READY, ConditionStatus.FALSE, "Overloaded",
        "origin answers 503", Evidence.PROBE));
    return StatusBuilder.build(new Verdict(Fault.SERVICE_UNAVAILABLE, "Overloaded", "origin answers 503", c,
        Optional.empty(), List.of()), ProbeFindings.NONE, 3, null, BEFORE);
  }

  @Test
  void readyBecomesUnknownQuotingTheErrorAndTheFaultConditionsKeepWhatTheyShowed() {
    SiteStatus before = overloaded();
    SiteStatus failed = StatusBuilder.evaluationFailed("IllegalStateException: boom", 3, before, NOW);

    assertThat(failed.getFault()).isEqualTo("Unknown");
    assertThat(failed.getReason()).isEqualTo("EvaluationFailed");
    assertThat(failed.getMessage()).isEqualTo("the operator could not evaluate this Site: IllegalStateException: boom");
    Condition ready = failed.getConditions().get(0);
    assertThat(ready.getType()).isEqualTo("Ready");
    assertThat(ready.getStatus()).isEqualTo("Unknown");
    assertThat(ready.getReason()).isEqualTo("EvaluationFailed");
    assertThat(ready.getLastTransitionTime()).as("Ready flipped from False").isEqualTo("2026-11-29T12:00:00Z");
    assertThat(failed.getConditions().subList(1, 5)).isEqualTo(before.getConditions().subList(1, 5));
    assertThat(failed.getConditionsFromProbes()).isEqualTo(before.getConditionsFromProbes());
  }

  @Test
  void aSiteWithoutAStatusGetsUnknownEverywhere() {
    SiteStatus failed = StatusBuilder.evaluationFailed("NullPointerException", 1, null, NOW);
    assertThat(failed.getConditions()).extracting(Condition::getStatus).containsOnly("Unknown");
    assertThat(failed.getConditions()).extracting(Condition::getReason).containsOnly("EvaluationFailed");
  }

  @Test
  void aFailedEvaluationIsAnnouncedOnceAndRecoveryIsNews() {
    SiteStatus failed = StatusBuilder.evaluationFailed("IllegalStateException: boom", 3, overloaded(), NOW);
    Optional<SiteEvents.Alarm> overloaded = Optional.of(new SiteEvents.Alarm("503", "Overloaded"));
    assertThat(SiteEvents.noteFor(overloaded, failed)).get()
        .extracting(SiteEvents.EventNote::type, SiteEvents.EventNote::reason)
        .containsExactly(EventType.WARNING, "EvaluationFailed");
    Optional<SiteEvents.Alarm> announced = Optional.of(new SiteEvents.Alarm("Unknown", "EvaluationFailed"));
    assertThat(SiteEvents.noteFor(announced, failed)).as("the same failure again").isEmpty();
  }

  @Test
  void waitingForCachesIsNoNews() {
    SiteStatus waiting = new SiteStatus();
    waiting.setFault("Unknown");
    waiting.setReason("CachesNotSynced");
    assertThat(SiteEvents.noteFor(Optional.empty(), waiting)).isEmpty();
  }
}
