package dev.upstreamhealth.runtime;

import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * What /readyz answers: why this replica is not ready, or nothing. A replica whose start has not
 * returned is never ready, standby or not: one whose start fails (no right to its Lease, say) must
 * not pass for ready, or a rolling update replaces working pods with crashing ones. Once started
 * with its informers synced, a standby is ready to take over and holds up no rollout; the leader
 * also waits for the caches it judges HTTPRoute Sites from, whose stored status it would otherwise
 * pass off as current.
 *
 * @param started whether the operator's start returned (JOSDK's runtime information waits for a
 *     start in progress, so the sources below are asked only once it did)
 * @param leading whether this replica holds the Lease; empty without leader election
 * @param unsyncedInformers the informers not synced or not healthy, by name
 * @param unfilledCaches the event sources beside JOSDK's informers that report unhealthy
 */
record Readiness(BooleanSupplier started, Optional<BooleanSupplier> leading,
    Supplier<List<String>> unsyncedInformers, Supplier<List<String>> unfilledCaches) {

  Optional<String> notReady() {
    if (!started.getAsBoolean()) {
      return Optional.of("informers are starting");
    }
    List<String> informers = unsyncedInformers.get();
    if (!informers.isEmpty()) {
      return Optional.of("informers not synced: " + informers);
    }
    if (leading.isPresent() && !leading.get().getAsBoolean()) {
      return Optional.empty();
    }
    List<String> caches = unfilledCaches.get();
    return caches.isEmpty() ? Optional.empty() : Optional.of("caches not filled: " + caches);
  }
}
