package dev.upstreamhealth.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProbeCadenceTest {
  private static final double LOWEST = 0;
  private static final double HIGHEST = Math.nextDown(1.0);
  private static final Duration FIVE_SECONDS = Duration.ofSeconds(5);

  @Test
  void aProbeIsNeverLaterThanTheIntervalAfterThePreviousOne() {
    assertThat(ProbeCadence.next(FIVE_SECONDS, LOWEST)).isEqualTo(FIVE_SECONDS);
    assertThat(ProbeCadence.next(FIVE_SECONDS, HIGHEST)).isGreaterThanOrEqualTo(Duration.ofMillis(4500))
        .isLessThan(FIVE_SECONDS);
    assertThat(ProbeCadence.spread(FIVE_SECONDS, HIGHEST)).isLessThan(FIVE_SECONDS);
  }

  @Test
  void aFaultIsConfirmedWithinFailureThresholdTimesTheIntervalHoweverTheDrawsFall() {
    // The fault starts just after a probe: the threshold's probes are all still to come.
    int failureThreshold = 3;
    Duration worst = Duration.ZERO;
    for (double draw : new double[] {LOWEST, 0.5, HIGHEST}) {
      Duration sum = Duration.ZERO;
      for (int i = 0; i < failureThreshold; i++) {
        sum = sum.plus(ProbeCadence.next(FIVE_SECONDS, draw));
      }
      worst = worst.compareTo(sum) >= 0 ? worst : sum;
    }
    assertThat(worst).isEqualTo(FIVE_SECONDS.multipliedBy(failureThreshold));
  }

  @Test
  void sitesAppliedTogetherSpreadOverTheIntervalButNotOntoItsStart() {
    assertThat(ProbeCadence.spread(FIVE_SECONDS, LOWEST)).isEqualTo(Duration.ofMillis(500));
    assertThat(ProbeCadence.spread(FIVE_SECONDS, 0.5)).isEqualTo(Duration.ofMillis(2750));
  }

  @Test
  void aNewTargetIsProbedWithinASecondOrItsIntervalIfShorter() {
    assertThat(ProbeCadence.first(FIVE_SECONDS, HIGHEST)).isLessThan(Duration.ofSeconds(1));
    assertThat(ProbeCadence.first(Duration.ofMillis(400), HIGHEST)).isLessThan(Duration.ofMillis(400));
    assertThat(ProbeCadence.first(FIVE_SECONDS, LOWEST)).isZero();
  }
}
