package dev.upstreamhealth.diagnosis;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * When the diagnosis must look again though nothing in the cluster changes: a backend pod still
 * starting is left out of the count until {@link PodHealth#STARTING_GRACE} has passed, and a pod
 * that then stays not ready makes no event of its own (its readiness probe keeps failing, the
 * EndpointSlice stays as it was, and upstream probes only reach ready endpoints).
 */
public final class StartingPods {
  private StartingPods() {}

  /** How long until the first backend pod's starting grace ends; empty when none is starting. */
  public static Optional<Duration> untilFirstGraceEnds(Snapshot s) {
    Instant now = s.now();
    if (now == null) {
      return Optional.empty();
    }
    return s.backends().stream()
        .flatMap(b -> b.pods().stream())
        .filter(p -> PodHealth.isStarting(p, now))
        .map(p -> PodHealth.startingGraceEnds(p).map(end -> Duration.between(now, end)))
        .flatMap(Optional::stream)
        .filter(d -> !d.isNegative())
        .min(Duration::compareTo);
  }
}
