package dev.upstreamhealth.reconciler;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The keys of the label indexes, "namespace/key=value": an object is filed under each pair of
 * its labels, and a Service under one pair of its selector. Since a Service selects only what
 * carries every pair of its selector, the Services filed under an object's own pairs are all
 * that can select it, and each is found once.
 */
final class LabelPairs {
  private LabelPairs() {
  }

  /** Unambiguous: a namespace has no "/", a label key no "=". */
  static String of(String namespace, String key, String value) {
    return namespace + "/" + key + "=" + value;
  }

  /** Every pair of {@code labels}: where an object is filed. */
  static List<String> all(String namespace, Map<String, String> labels) {
    if (labels == null || labels.isEmpty()) {
      return List.of();
    }
    List<String> pairs = new ArrayList<>(labels.size());
    labels.forEach((key, value) -> pairs.add(of(namespace, key, value)));
    return pairs;
  }

  /** The least pair of {@code selector}: any one would do, as long as it is always the same one. */
  static List<String> leastOf(String namespace, Map<String, String> selector) {
    if (selector == null || selector.isEmpty()) {
      return List.of();
    }
    String least = null;
    for (Map.Entry<String, String> e : selector.entrySet()) {
      String pair = of(namespace, e.getKey(), e.getValue());
      if (least == null || pair.compareTo(least) < 0) {
        least = pair;
      }
    }
    return List.of(least);
  }
}
