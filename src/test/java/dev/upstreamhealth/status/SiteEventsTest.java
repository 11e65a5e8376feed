package dev.upstreamhealth.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.upstreamhealth.api.SiteStatus;
import dev.upstreamhealth.status.SiteEvents.Alarm;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which status changes deserve an Event, given what was last announced. */
class SiteEventsTest {
  static SiteStatus status(String fault, String reason) {
    SiteStatus s = new SiteStatus();
    s.setFault(fault);
    s.setReason(reason);
    s.setMessage("details");
    return s;
  }

  private static final Optional<Alarm> NOTHING = Optional.empty();

  /** Two quick tries for a blip, then from 2 s doubling to every 5 minutes, for as long as it takes. */
  @Test
  void aRefusedEventIsTriedAgainQuicklyThenSlowerWithoutEnd() {
    assertThat(java.util.stream.IntStream.rangeClosed(1, 12).mapToObj(SiteEventQueue::backoff).map(java.time.Duration::toMillis))
        .containsExactly(200L, 400L, 2_000L, 4_000L, 8_000L, 16_000L, 32_000L, 64_000L, 128_000L, 256_000L,
            300_000L, 300_000L);
    assertThat(SiteEventQueue.backoff(1_000)).isEqualTo(java.time.Duration.ofMinutes(5));
  }

  @Test
  void aFaultAppearingIsAWarningNamedAfterItsReason() {
    var note = SiteEvents.noteFor(NOTHING, status("502", "UpstreamCrashLooping")).orElseThrow();
    assertThat(note.type()).isEqualTo(EventType.WARNING);
    assertThat(note.reason()).isEqualTo("UpstreamCrashLooping");
    assertThat(note.message()).startsWith("502-style fault: ");
  }

  @Test
  void aChangedReasonIsANewWarningTheSameOneIsNot() {
    Optional<Alarm> crashing = Optional.of(new Alarm("502", "UpstreamCrashLooping"));
    assertThat(SiteEvents.noteFor(crashing, status("502", "UpstreamNotListening")))
        .hasValueSatisfying(n -> assertThat(n.reason()).isEqualTo("UpstreamNotListening"));
    assertThat(SiteEvents.noteFor(crashing, status("502", "UpstreamCrashLooping"))).isEmpty();
  }

  @Test
  void clearingIsRecoveredNamingWhatCleared() {
    assertThat(SiteEvents.noteFor(Optional.of(new Alarm("503", "ScaledToZero")), status("None", "Healthy")))
        .hasValueSatisfying(n -> {
          assertThat(n.type()).isEqualTo(EventType.NORMAL);
          assertThat(n.reason()).isEqualTo("Recovered");
          assertThat(n.message()).contains("503-style fault: ScaledToZero");
        });
  }

  /** Declared maintenance is said with a Normal Event: anyone paging on Warnings is not woken by it. */
  @Test
  void maintenanceIsANormalEventAndAFaultAfterItAWarning() {
    var maintenance = SiteEvents.noteFor(NOTHING, status("503", "MaintenanceMode")).orElseThrow();
    assertThat(maintenance.type()).isEqualTo(EventType.NORMAL);
    assertThat(maintenance.reason()).isEqualTo("MaintenanceMode");

    Optional<Alarm> declared = Optional.of(new Alarm("503", "MaintenanceMode"));
    assertThat(SiteEvents.noteFor(declared, status("503", "MaintenanceMode"))).isEmpty();
    var over = SiteEvents.noteFor(declared, status("None", "Healthy")).orElseThrow();
    assertThat(over.type()).isEqualTo(EventType.NORMAL);
    assertThat(over.reason()).isEqualTo(SiteEvents.RECOVERED);
    assertThat(over.message()).startsWith("maintenance over (503-style fault: MaintenanceMode)");

    var fault = SiteEvents.noteFor(declared, status("502", "UpstreamCrashLooping")).orElseThrow();
    assertThat(fault.type()).as("a fault found as the window ends is news").isEqualTo(EventType.WARNING);
  }

  @Test
  void waitingForAFirstProbeNeitherAnnouncesNorClears() {
    Optional<Alarm> refused = Optional.of(new Alarm("521", "ConnectionRefused"));
    assertThat(SiteEvents.noteFor(refused, status("Unknown", "AwaitingFirstProbe"))).isEmpty();
    // ...so the fault that cleared while the probes started over still gets its Recovered,
    assertThat(SiteEvents.noteFor(refused, status("None", "Healthy")))
        .hasValueSatisfying(n -> assertThat(n.reason()).isEqualTo("Recovered"));
    // and a fault that was never announced clears silently.
    assertThat(SiteEvents.noteFor(NOTHING, status("None", "Healthy"))).isEmpty();
    assertThat(SiteEvents.noteFor(NOTHING, status("Unknown", "AwaitingFirstProbe"))).isEmpty();
  }

  @Test
  void anInvalidSpecIsAWarningThoughItsFaultIsUnknown() {
    assertThat(SiteEvents.noteFor(NOTHING, status("Unknown", "InvalidSpec")))
        .hasValueSatisfying(n -> assertThat(n.reason()).isEqualTo("InvalidSpec"));
  }

  @Test
  void aClusterWithoutTheGatewayApiIsAWarningAndA502TurningIntoItIsAnnounced() {
    assertThat(SiteEvents.noteFor(NOTHING, status("Unknown", "GatewayApiNotInstalled")))
        .hasValueSatisfying(n -> {
          assertThat(n.type()).isEqualTo(EventType.WARNING);
          assertThat(n.reason()).isEqualTo("GatewayApiNotInstalled");
        });
    assertThat(SiteEvents.noteFor(Optional.of(new Alarm("502", "BackendServiceMissing")),
        status("Unknown", "GatewayApiNotInstalled")))
        .hasValueSatisfying(n -> assertThat(n.reason()).isEqualTo("GatewayApiNotInstalled"));
    // Once the CRDs are installed and the Site serves, it has recovered from it.
    assertThat(SiteEvents.noteFor(Optional.of(new Alarm("Unknown", "GatewayApiNotInstalled")), status("None", "Healthy")))
        .hasValueSatisfying(n -> assertThat(n.message()).contains("recovered from GatewayApiNotInstalled"));
  }

  /** Evaluated again after a failure, the verdict as before it: no second Warning for a fault already announced. */
  @Test
  void theVerdictBeforeAFailedEvaluationIsNoNewsOnceEvaluationWorksAgain() {
    Optional<Alarm> crashing = Optional.of(new Alarm("502", "UpstreamCrashLooping"));
    var resumed = SiteEvents.noteAfterFailure(crashing, status("502", "UpstreamCrashLooping")).orElseThrow();
    assertThat(resumed.type()).isEqualTo(EventType.NORMAL);
    assertThat(resumed.reason()).isEqualTo(SiteEvents.EVALUATION_RESUMED);
    assertThat(resumed.message()).contains("502-style fault: UpstreamCrashLooping");

    assertThat(SiteEvents.noteAfterFailure(crashing, status("502", "UpstreamNotListening")))
        .hasValueSatisfying(n -> assertThat(n.type()).isEqualTo(EventType.WARNING));
    assertThat(SiteEvents.noteAfterFailure(crashing, status("None", "Healthy")))
        .hasValueSatisfying(n -> assertThat(n.message()).startsWith("recovered from 502-style fault: UpstreamCrashLooping"));
    assertThat(SiteEvents.noteAfterFailure(NOTHING, status("None", "Healthy")))
        .hasValueSatisfying(n -> {
          assertThat(n.reason()).isEqualTo(SiteEvents.RECOVERED);
          assertThat(n.message()).startsWith("recovered from EvaluationFailed");
        });
  }

  /** What a failed status kept from before the failure: its outermost True fault condition. */
  @Test
  void theAlarmBeforeAFailureIsReadBackFromTheKeptFaultConditions() {
    SiteStatus failed = status("Unknown", "EvaluationFailed");
    failed.setConditions(java.util.List.of(condition("Ready", "Unknown", "EvaluationFailed"),
        condition("OriginDown", "False", "NoFault"), condition("BadGateway", "True", "UpstreamCrashLooping"),
        condition("ServiceUnavailable", "True", "NoReadyEndpoints"), condition("Degraded", "False", "NoFault")));
    assertThat(SiteEvents.alarmBeforeFailure(failed)).contains(new Alarm("502", "UpstreamCrashLooping"));

    failed.setConditions(java.util.List.of(condition("Ready", "Unknown", "EvaluationFailed"),
        condition("OriginDown", "False", "NoFault"), condition("Degraded", "True", "PartialUpstreamFailure")));
    assertThat(SiteEvents.alarmBeforeFailure(failed)).as("Degraded is no alarm").isEmpty();
    assertThat(SiteEvents.alarmBeforeFailure(status("Unknown", "EvaluationFailed"))).isEmpty();
  }

  private static io.fabric8.kubernetes.api.model.Condition condition(String type, String status, String reason) {
    return new io.fabric8.kubernetes.api.model.ConditionBuilder().withType(type).withStatus(status).withReason(reason)
        .build();
  }

  @Test
  void waitingForTheCachesIsNoNews() {
    assertThat(SiteEvents.noteFor(NOTHING, status("Unknown", "CachesNotSynced"))).isEmpty();
    assertThat(SiteEvents.noteFor(Optional.of(new Alarm("502", "UpstreamCrashLooping")),
        status("Unknown", "CachesNotSynced"))).isEmpty();
  }

  @Test
  void whatTheStoredStatusShowsIsWhatWasAnnouncedBeforeARestart() {
    assertThat(Alarm.of(status("502", "UpstreamCrashLooping"))).contains(new Alarm("502", "UpstreamCrashLooping"));
    assertThat(Alarm.of(status("Unknown", "AwaitingFirstProbe"))).isEmpty();
    assertThat(Alarm.of(status("Unknown", "GatewayApiNotInstalled"))).contains(new Alarm("Unknown", "GatewayApiNotInstalled"));
    assertThat(Alarm.of(null)).isEmpty();
  }
}
