package dev.upstreamhealth.diagnosis;

import dev.upstreamhealth.api.ConditionType;
import dev.upstreamhealth.api.Evidence;
import dev.upstreamhealth.api.Reason;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The reasons found to apply during one diagnosis, grouped by the condition they raise. */
final class Findings {
  private final Map<ConditionType, List<Finding>> byCondition;
  /** The evidence every finding added through this view rests on; null: the reason's own. */
  private final Evidence evidence;

  Findings() {
    this(new EnumMap<>(ConditionType.class), null);
  }

  private Findings(Map<ConditionType, List<Finding>> byCondition, Evidence evidence) {
    this.byCondition = byCondition;
    this.evidence = evidence;
  }

  /** The same findings, where everything added is what the probes saw. */
  Findings observedByProbes() {
    return new Findings(byCondition, Evidence.PROBE);
  }

  void add(Reason reason, String message) {
    byCondition.computeIfAbsent(reason.condition(), c -> new ArrayList<>())
        .add(new Finding(reason, message, evidence == null ? reason.evidence() : evidence));
  }

  /** The finding that decides the condition: the first in catalogue order, the earliest found on a tie. */
  Optional<Finding> decisive(ConditionType condition) {
    return byCondition.getOrDefault(condition, List.of()).stream().min(Finding.PRECEDENCE);
  }

  boolean any(ConditionType condition) {
    return !byCondition.getOrDefault(condition, List.of()).isEmpty();
  }
}
