package dev.upstreamhealth.diagnosis;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * When the diagnosis must look again though nothing in the cluster changes: a backend pod still
 * starting is left out of the count until {@link PodHealth#STARTING_GRACE} has passed, and a pod
 * caught between two crashes counts as crash-looping for {@link PodHealth#RECENT_CRASH} after
 * its last; a pod that then stays as it is makes no event of its own (its readiness probe keeps
 * failing, the EndpointSlice stays as it was, and upstream probes only reach ready endpoints).
 */
public final class StartingPods {
  private StartingPods() {}

  /** How long until the first backend pod's starting grace or recent crash ends; empty when none applies. */
  public static Optional<Duration> untilFirstGraceEnds(Snapshot s) {
    Instant now = s.now();
    if (now == null) {
      return Optional.empty();
    }
    return s.backends().stream()
        .flatMap(b -> b.pods().stream())
        .flatMap(p -> Stream.concat(
            PodHealth.isStarting(p, now) ? PodHealth.startingGraceEnds(p).stream() : Stream.empty(),
            PodHealth.recentCrashEnds(p, now).stream()))
        .map(end -> Duration.between(now, end))
        .filter(d -> !d.isNegative())
        .min(Duration::compareTo);
  }
}
