package dev.upstreamhealth.diagnosis;

import dev.upstreamhealth.api.ConditionType;
import dev.upstreamhealth.api.Fault;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The outcome of one diagnosis: what {@code status.fault}, {@code reason}, {@code message} and
 * the five conditions should say, plus the per-layer detail shown beside them.
 */
public record Verdict(
    Fault fault,
    String reason,
    String message,
    Map<ConditionType, ConditionVerdict> conditions,
    Optional<OriginEndpoint> origin,
    List<UpstreamCount> upstreams) {

  public Verdict {
    conditions = Map.copyOf(new EnumMap<>(conditions));
    upstreams = List.copyOf(upstreams);
  }

  public ConditionVerdict condition(ConditionType type) {
    return conditions.get(type);
  }
}
