package dev.upstreamhealth.diagnosis;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.List;
import java.util.Map;

/** Label selector matching as the API server does it. */
public final class LabelSelectors {
  private LabelSelectors() {}

  /** A Service-style selector: every pair must match; an empty or absent one selects nothing. */
  public static boolean serviceSelects(Map<String, String> selector, Map<String, String> labels) {
    if (selector == null || selector.isEmpty() || labels == null) {
      return false;
    }
    // A loop, not a stream: this runs for every pod of a namespace on every reconcile.
    for (Map.Entry<String, String> e : selector.entrySet()) {
      if (!e.getValue().equals(labels.get(e.getKey()))) {
        return false;
      }
    }
    return true;
  }

  /** A metav1.LabelSelector; an empty one selects everything, as in a NetworkPolicy. */
  public static boolean matches(LabelSelector selector, Map<String, String> labels) {
    Map<String, String> actual = labels == null ? Map.of() : labels;
    if (selector == null) {
      return true;
    }
    if (selector.getMatchLabels() != null) {
      for (Map.Entry<String, String> e : selector.getMatchLabels().entrySet()) {
        if (!e.getValue().equals(actual.get(e.getKey()))) {
          return false;
        }
      }
    }
    if (selector.getMatchExpressions() != null) {
      for (LabelSelectorRequirement r : selector.getMatchExpressions()) {
        if (!requirementHolds(r, actual)) {
          return false;
        }
      }
    }
    return true;
  }

  private static boolean requirementHolds(LabelSelectorRequirement r, Map<String, String> labels) {
    String value = labels.get(r.getKey());
    List<String> values = r.getValues() == null ? List.of() : r.getValues();
    return switch (r.getOperator() == null ? "" : r.getOperator()) {
      case "In" -> value != null && values.contains(value);
      case "NotIn" -> value == null || !values.contains(value);
      case "Exists" -> labels.containsKey(r.getKey());
      case "DoesNotExist" -> !labels.containsKey(r.getKey());
      default -> false;
    };
  }
}
