package dev.upstreamhealth.diagnosis;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The reasons found to apply during one diagnosis, grouped by the condition they raise. */
final class Findings {
  private final Map<ConditionType, List<Finding>> byCondition = new EnumMap<>(ConditionType.class);

  void add(Reason reason, String message) {
    byCondition.computeIfAbsent(reason.condition(), c -> new ArrayList<>()).add(new Finding(reason, message));
  }

  /** The finding that decides the condition: the first in catalogue order, the earliest found on a tie. */
  Optional<Finding> decisive(ConditionType condition) {
    return byCondition.getOrDefault(condition, List.of()).stream().min(Finding.PRECEDENCE);
  }

  boolean any(ConditionType condition) {
    return !byCondition.getOrDefault(condition, List.of()).isEmpty();
  }
}
