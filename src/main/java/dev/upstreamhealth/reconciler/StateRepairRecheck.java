package dev.upstreamhealth.reconciler;

import dev.upstreamhealth.api.ConditionType;
import dev.upstreamhealth.api.Fault;
import dev.upstreamhealth.api.SiteRef;
import dev.upstreamhealth.api.SiteStatus;
import dev.upstreamhealth.diagnosis.ProbeSettings;
import dev.upstreamhealth.diagnosis.Verdict;
import dev.upstreamhealth.probe.ProbeFindings;
import dev.upstreamhealth.probe.TrackedProbe;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * A fault read from cluster state that a probe confirmed (ingress-nginx's 503 for a missing
 * backend Service) leaves that failure confirmed after the state is repaired, until the target's
 * next rounds, up to a whole interval later. Meanwhile the failure would speak for itself, a
 * symptom without its cause: Overloaded for a 503 that the Service created since no longer causes,
 * with a Warning Event, and the Site back to Healthy a round later. And a gateway applies the repair
 * a moment after the API server has it (ingress-nginx syncs at most every few seconds, then
 * reloads), so a probe at once may still meet the old 503. So when the verdict turns from a state
 * fault to a fault resting on probes, the stored status stands for a while ({@link #SETTLE}, or
 * the probe timeout and a second when longer), and the failing targets are probed again every
 * {@link #RECHECK_EVERY} meanwhile. The first success ends it with the fresh verdict; a failure
 * that outlasts it speaks for itself, as it would have without the wait.
 */
final class StateRepairRecheck {
  /** How long a gateway may take to apply a change, and the stored status stands for it. */
  static final Duration SETTLE = Duration.ofSeconds(10);
  static final Duration RECHECK_EVERY = Duration.ofSeconds(1);

  private final Clock clock;
  private final Consumer<SiteRef> recheck;
  /** Each Site's wait, kept until its stored status moves on. */
  private final Map<SiteRef, Wait> waits = new ConcurrentHashMap<>();

  /** @param recheck probes a Site's failing targets again now ({@code ProbeScheduler::recheckFailures}) */
  StateRepairRecheck(Clock clock, Consumer<SiteRef> recheck) {
    this.clock = clock;
    this.recheck = recheck;
  }

  /**
   * How soon to look again while {@code stored} stands instead of {@code fresh}; empty when
   * {@code fresh} is to be shown now.
   */
  Optional<Duration> hold(SiteRef site, SiteStatus stored, Verdict fresh, ProbeFindings findings, ProbeSettings probe) {
    if (!stateFaultGivingWayToProbes(stored, fresh)) {
      waits.remove(site);
      return Optional.empty();
    }
    Instant now = clock.instant();
    Wait wait = waits.get(site);
    if (wait == null) {
      if (findings.probes().stream().noneMatch(TrackedProbe::confirmedFailure)) {
        return Optional.empty();
      }
      Instant end = now.plus(max(SETTLE, probe.timeout().plus(RECHECK_EVERY)));
      waits.put(site, new Wait(end, now));
      recheck.accept(site);
      return Optional.of(RECHECK_EVERY);
    }
    // Over: the fresh verdict is shown. The wait is kept over, so a write that is retried (a
    // conflict) does not wait again.
    if (wait.over() || !now.isBefore(wait.end())) {
      waits.put(site, new Wait(wait.end(), null));
      return Optional.empty();
    }
    Instant nextAsk = wait.lastAsked().plus(RECHECK_EVERY);
    if (!now.isBefore(nextAsk)) {
      // Asked at most every RECHECK_EVERY: each answer brings a reconcile here.
      waits.put(site, new Wait(wait.end(), now));
      recheck.accept(site);
      nextAsk = now.plus(RECHECK_EVERY);
    }
    return Optional.of(Duration.between(now, nextAsk.isBefore(wait.end()) ? nextAsk : wait.end()));
  }

  /** A deleted Site, or one this process no longer watches. */
  void forget(SiteRef site) {
    waits.remove(site);
  }

  /**
   * The stored status shows a fault read from cluster state, and the fresh verdict a fault that
   * rests on probes: the state fault is gone, and a failure a probe saw while it stood speaks now.
   */
  private static boolean stateFaultGivingWayToProbes(SiteStatus stored, Verdict fresh) {
    if (stored == null || !isFault(stored.getFault()) || !isFault(fresh.fault().code())
        || !fresh.condition(ConditionType.READY).restsOnProbes()) {
      return false;
    }
    return RestartGrace.condition(stored, ConditionType.READY)
        .map(ready -> !RestartGrace.fromProbes(stored, ConditionType.READY, ready))
        .orElse(false);
  }

  private static boolean isFault(String code) {
    return code != null && !Fault.NONE.code().equals(code) && !Fault.UNKNOWN.code().equals(code);
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  /** @param lastAsked when the failing targets were last asked to be probed again; null once the wait is over */
  private record Wait(Instant end, Instant lastAsked) {
    boolean over() {
      return lastAsked == null;
    }
  }
}
