package dev.upstreamhealth.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.upstreamhealth.api.SiteStatus;
import org.junit.jupiter.api.Test;

/** Which status changes deserve an Event: faults appearing or changing, and recovery. */
class SiteEventsTest {
  private static SiteStatus status(String fault, String reason) {
    SiteStatus s = new SiteStatus();
    s.setFault(fault);
    s.setReason(reason);
    s.setMessage("details");
    return s;
  }

  @Test
  void aFaultAppearingIsAWarningNamedAfterItsReason() {
    var note = SiteEvents.noteFor(status("None", "Healthy"), status("502", "UpstreamCrashLooping")).orElseThrow();
    assertThat(note.type()).isEqualTo("Warning");
    assertThat(note.reason()).isEqualTo("UpstreamCrashLooping");
    assertThat(note.message()).startsWith("502-style fault: ");
  }

  @Test
  void aChangedReasonIsANewWarning() {
    assertThat(SiteEvents.noteFor(status("502", "UpstreamCrashLooping"), status("502", "UpstreamNotListening")))
        .hasValueSatisfying(n -> assertThat(n.reason()).isEqualTo("UpstreamNotListening"));
  }

  @Test
  void clearingIsRecovered() {
    assertThat(SiteEvents.noteFor(status("503", "ScaledToZero"), status("None", "Healthy")))
        .hasValueSatisfying(n -> {
          assertThat(n.type()).isEqualTo("Normal");
          assertThat(n.reason()).isEqualTo("Recovered");
          assertThat(n.message()).contains("503-style fault: ScaledToZero");
        });
  }

  @Test
  void nothingChangedOrOnlyWaitingForProbesIsNoEvent() {
    assertThat(SiteEvents.noteFor(status("502", "UpstreamCrashLooping"), status("502", "UpstreamCrashLooping"))).isEmpty();
    assertThat(SiteEvents.noteFor(null, status("Unknown", "AwaitingFirstProbe"))).isEmpty();
    assertThat(SiteEvents.noteFor(status("Unknown", "AwaitingFirstProbe"), status("None", "Healthy"))).isEmpty();
    assertThat(SiteEvents.noteFor(null, status("None", "Healthy"))).isEmpty();
  }

  @Test
  void anInvalidSpecIsAWarningThoughItsFaultIsUnknown() {
    assertThat(SiteEvents.noteFor(null, status("Unknown", "InvalidSpec")))
        .hasValueSatisfying(n -> assertThat(n.reason()).isEqualTo("InvalidSpec"));
  }
}
