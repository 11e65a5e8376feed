package dev.upstreamhealth.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.upstreamhealth.diagnosis.LabelSelectors;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * The label indexes find a Service by one pair of its selector, looked up under each pair of a
 * pod's labels: it must be found for every pod it selects, whatever the labels and the order.
 */
class LabelPairsTest {

  @Property(tries = 2000)
  void aServiceIsFoundUnderThePairsOfEveryPodItSelects(@ForAll("labels") Map<String, String> selector,
      @ForAll("labels") Map<String, String> podLabels) {
    boolean selects = LabelSelectors.serviceSelects(selector, podLabels);
    Statistics.collect(selects ? "selects" : "does not select");
    List<String> filedUnder = LabelPairs.leastOf("web", selector);
    List<String> lookedUpUnder = LabelPairs.all("web", podLabels);
    if (selects) {
      assertThat(filedUnder).hasSize(1);
      assertThat(lookedUpUnder).as("a pod %s selected by %s", podLabels, selector).contains(filedUnder.get(0));
    }
    assertThat(LabelPairs.all("shop", podLabels)).as("another namespace's pods are filed apart")
        .noneMatch(filedUnder::contains);
  }

  @Example
  void aServiceIsFiledUnderOneAndTheSamePairWhateverTheOrderOfItsSelector() {
    Map<String, String> selector = Map.of("app.kubernetes.io/name", "shop", "app.kubernetes.io/instance", "prod");
    assertThat(LabelPairs.leastOf("web", selector)).containsExactly("web/app.kubernetes.io/instance=prod");
    assertThat(LabelPairs.leastOf("web", Map.of())).isEmpty();
    assertThat(LabelPairs.leastOf("web", null)).isEmpty();
    assertThat(LabelPairs.all("web", null)).isEmpty();
  }

  /** Few keys and values, so that selectors and labels often overlap, and as often do not. */
  @Provide
  Arbitrary<Map<String, String>> labels() {
    return Arbitraries.maps(Arbitraries.of("app", "app.kubernetes.io/name", "tier", "pod-template-hash"),
        Arbitraries.of("shop", "web", "prod")).ofMinSize(0).ofMaxSize(4);
  }
}
