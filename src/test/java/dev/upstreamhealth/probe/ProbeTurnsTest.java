package dev.upstreamhealth.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProbeTurnsTest {
  private final ProbeTurns<String> turns = new ProbeTurns<>();

  @Test
  void sitesTakeTurnsInTheOrderTheyCameAndOfferingAgainKeepsTheirPlace() {
    turns.offer("shop", false);
    turns.offer("blog", false);
    turns.offer("shop", false);
    turns.offer("docs", false);

    assertThat(drain()).containsExactly("shop", "blog", "docs");
  }

  @Test
  void aSiteWhoseNextProbeDecidesAChangeGoesBeforeRoutineOnes() {
    turns.offer("shop", false);
    turns.offer("blog", false);
    turns.offer("docs", true);
    turns.offer("news", true);

    assertThat(drain()).containsExactly("docs", "news", "shop", "blog");
  }

  @Test
  void aSiteInBothLinesIsServedInEachAndARemovedSiteInNeither() {
    turns.offer("shop", false);
    turns.offer("blog", false);
    turns.offer("blog", true);
    turns.offer("docs", false);
    turns.remove("shop");

    assertThat(drain()).containsExactly("blog", "blog", "docs");
    assertThat(turns.next()).isNull();
  }

  private List<String> drain() {
    List<String> order = new ArrayList<>();
    for (String site = turns.next(); site != null; site = turns.next()) {
      order.add(site);
    }
    return order;
  }
}
