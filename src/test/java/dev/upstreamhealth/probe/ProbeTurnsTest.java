package dev.upstreamhealth.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProbeTurnsTest {
  private static final long SECOND = 1_000_000_000L;
  /** Any point on the nanoTime scale: readings may be negative and wrap, so the tests start near the wrap. */
  private static final long NOW = Long.MAX_VALUE - 10 * SECOND;

  private final ProbeTurns<String> turns = new ProbeTurns<>();

  @Test
  void sitesWithTheSameRoundEndTakeTurnsInTheOrderTheyCameAndOfferingAgainKeepsTheirPlace() {
    turns.offer("shop", false, NOW + 30 * SECOND);
    turns.offer("blog", false, NOW + 30 * SECOND);
    turns.offer("shop", false, NOW + SECOND);
    turns.offer("docs", false, NOW + 30 * SECOND);

    assertThat(drain()).containsExactly("shop", "blog", "docs");
  }

  @Test
  void aSiteWhoseNextProbeDecidesAChangeGoesBeforeRoutineOnes() {
    turns.offer("shop", false, NOW + SECOND);
    turns.offer("blog", false, NOW + SECOND);
    turns.offer("docs", true, NOW + 30 * SECOND);
    turns.offer("news", true, NOW + 30 * SECOND);

    assertThat(drain()).containsExactly("docs", "news", "shop", "blog");
  }

  @Test
  void aRoutineProbeWhoseRoundEndsSoonerGoesFirstAcrossTheNanoTimeWrap() {
    // A Site probed every 30 s was offered first; one probed every 5 s came later but loses its
    // round sooner. The third round end lies past Long.MAX_VALUE, where nanoTime wraps.
    turns.offer("every-30s", false, NOW + 30 * SECOND);
    turns.offer("every-5s", false, NOW + 2 * SECOND + 5 * SECOND);
    turns.offer("every-60s", false, NOW + 60 * SECOND);

    assertThat(drain()).containsExactly("every-5s", "every-30s", "every-60s");
  }

  @Test
  void aWaitingSiteGoesBeforeEveryoneOfferedOnceItsRoundEndIsNearerThanTheirInterval() {
    turns.offer("every-30s", false, NOW + 30 * SECOND);
    // 26 s later it has waited most of its interval: a 5 s Site offered now ends after it.
    long later = NOW + 26 * SECOND;
    turns.offer("every-5s", false, later + 5 * SECOND);
    turns.offer("every-1s", false, later + SECOND);

    assertThat(drain()).containsExactly("every-1s", "every-30s", "every-5s");
  }

  @Test
  void aSiteInBothLinesIsServedInEachAndARemovedSiteInNeither() {
    turns.offer("shop", false, NOW + SECOND);
    turns.offer("blog", false, NOW + 2 * SECOND);
    turns.offer("blog", true, NOW + 2 * SECOND);
    turns.offer("docs", false, NOW + 3 * SECOND);
    turns.remove("shop");

    assertThat(drain()).containsExactly("blog", "blog", "docs");
    assertThat(turns.next()).isNull();
  }

  @Test
  void aSiteServedMayBeOfferedAgainWithItsNextRoundEnd() {
    turns.offer("shop", false, NOW + SECOND);
    assertThat(turns.next()).isEqualTo("shop");
    turns.offer("blog", false, NOW + 3 * SECOND);
    turns.offer("shop", false, NOW + 2 * SECOND);

    assertThat(drain()).containsExactly("shop", "blog");
  }

  private List<String> drain() {
    List<String> order = new ArrayList<>();
    for (String site = turns.next(); site != null; site = turns.next()) {
      order.add(site);
    }
    return order;
  }
}
