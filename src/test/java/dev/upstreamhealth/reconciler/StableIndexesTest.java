package dev.upstreamhealth.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The indexes an informer's store keeps, read as the mappers and the snapshot read them. */
class StableIndexesTest {
  private static final String BY_LABEL = "by-label";
  private final TrimmedItemStore<Pod> pods = new TrimmedItemStore<>(IndexedInformer.withNamespaceIndex(
      Map.<String, Function<Pod, List<String>>>of(BY_LABEL, pod -> LabelPairs.all(pod.getMetadata().getNamespace(),
          pod.getMetadata().getLabels()))));

  private static Pod pod(String name, Map<String, String> labels) {
    return new PodBuilder().withNewMetadata().withNamespace("web").withName(name).withLabels(labels).endMetadata().build();
  }

  private void put(Pod pod) {
    pods.put(pods.getKey(pod), pod);
  }

  private List<String> namesUnder(String index, String value) {
    return pods.byIndex(index, value).stream().map(p -> p.getMetadata().getName()).sorted().toList();
  }

  @Test
  void anObjectIsFoundUnderEachValueItHasAndNoLongerUnderOnesItLost() {
    put(pod("shop-1", Map.of("app", "shop", "track", "stable")));
    put(pod("shop-2", Map.of("app", "shop", "track", "canary")));

    assertThat(namesUnder(BY_LABEL, LabelPairs.of("web", "app", "shop"))).containsExactly("shop-1", "shop-2");
    assertThat(namesUnder(IndexedInformer.BY_NAMESPACE, "web")).containsExactly("shop-1", "shop-2");

    put(pod("shop-2", Map.of("app", "shop", "track", "stable")));

    assertThat(namesUnder(BY_LABEL, LabelPairs.of("web", "track", "canary"))).isEmpty();
    assertThat(namesUnder(BY_LABEL, LabelPairs.of("web", "track", "stable"))).containsExactly("shop-1", "shop-2");
    // The object read through the index is the one stored now, trimmed as the store keeps it.
    assertThat(pods.byIndex(BY_LABEL, LabelPairs.of("web", "track", "stable"))).allSatisfy(p ->
        assertThat(p).isSameAs(pods.get(pods.getKey(p))));
  }

  @Test
  void aRemovedObjectLeavesEveryIndex() {
    put(pod("shop-1", Map.of("app", "shop")));

    pods.remove("web/shop-1");

    assertThat(namesUnder(BY_LABEL, LabelPairs.of("web", "app", "shop"))).isEmpty();
    assertThat(namesUnder(IndexedInformer.BY_NAMESPACE, "web")).isEmpty();
    assertThat(pods.remove("web/shop-1")).isNull();
  }

  @Test
  void anObjectWithoutLabelsIsInNoLabelIndexAndAnUnknownIndexIsAnError() {
    put(pod("bare", null));

    assertThat(namesUnder(IndexedInformer.BY_NAMESPACE, "web")).containsExactly("bare");
    assertThatThrownBy(() -> pods.byIndex("no-such-index", "x")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no-such-index");
  }

  /** An indexer may answer null, or a list holding null: the object is filed under its other values only. */
  @Test
  void aNullValueFilesNothingAndFindsNothing() {
    TrimmedItemStore<Pod> byTrack = new TrimmedItemStore<>(Map.<String, Function<Pod, List<String>>>of(
        "by-track", pod -> Arrays.asList(pod.getMetadata().getLabels().get("track"), "all")));
    Pod pod = pod("shop-1", Map.of("app", "shop"));

    byTrack.put(byTrack.getKey(pod), pod);

    assertThat(byTrack.byIndex("by-track", "all")).containsExactly(byTrack.get("web/shop-1"));
    assertThat(byTrack.byIndex("by-track", null)).isEmpty();
    byTrack.remove("web/shop-1");
    assertThat(byTrack.byIndex("by-track", "all")).isEmpty();
  }

  /**
   * What Fabric8's cache indexes let through: an object replaced (a pod's status rewritten, its
   * labels the same or one of them changed) vanished for a moment from the values it kept, and a
   * reconcile that read its Service's pods in that moment judged the Service without it. Replaced
   * without pause, the pod must be found by every lookup in between.
   */
  @Test
  void anObjectReplacedConcurrentlyIsNeverMissingUnderAValueItKeeps() {
    Pod stable = pod("shop-1", Map.of("app", "shop", "track", "stable"));
    Pod canary = pod("shop-1", Map.of("app", "shop", "track", "canary"));
    put(stable);
    ConcurrentLookups.Tally tally = ConcurrentLookups.whileWriting(() -> {
      for (int i = 0; i < 100_000; i++) {
        put(i % 2 == 0 ? canary : stable);
      }
    }, () -> !pods.byIndex(BY_LABEL, LabelPairs.of("web", "app", "shop")).isEmpty()
        && !pods.byIndex(IndexedInformer.BY_NAMESPACE, "web").isEmpty());

    assertThat(tally.lookups()).isPositive();
    assertThat(tally.misses()).isZero();
  }
}
