package dev.upstreamhealth.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProbeBacklogTest {
  private static final Duration MINUTE = Duration.ofMinutes(1);
  private final ProbeBacklog backlog = new ProbeBacklog();

  @Test
  void probesOnScheduleAreNotWorthALine() {
    backlog.due(0);
    backlog.due(Duration.ofMillis(300).toNanos());

    assertThat(backlog.periodEnded(MINUTE)).isEmpty();
  }

  @Test
  void lostRoundsAndALateTimerAreToldOnceWithTheirCounts() {
    for (int i = 0; i < 1200; i++) {
      backlog.due(Duration.ofMillis(i).toNanos());
    }
    backlog.skipped();
    backlog.skipped();

    assertThat(backlog.periodEnded(MINUTE)).hasValueSatisfying(line -> assertThat(line)
        .contains("in the last 60 s", "2 of 1,200 rounds were skipped", "up to 1.2 s late"));
    assertThat(backlog.periodEnded(MINUTE)).as("the next period starts empty").isEmpty();
  }

  @Test
  void aTimerASecondLateIsToldEvenWithNoRoundLost() {
    backlog.due(Duration.ofMillis(1500).toNanos());

    assertThat(backlog.periodEnded(MINUTE)).hasValueSatisfying(line -> assertThat(line)
        .contains("0 of 1 rounds were skipped", "up to 1.5 s late"));
  }
}
