package dev.upstreamhealth.reconciler;

import dev.upstreamhealth.api.ConditionType;
import dev.upstreamhealth.api.Fault;
import dev.upstreamhealth.api.SiteRef;
import dev.upstreamhealth.api.SiteStatus;
import dev.upstreamhealth.diagnosis.ProbeSettings;
import dev.upstreamhealth.diagnosis.Verdict;
import dev.upstreamhealth.probe.ProbeFindings;
import dev.upstreamhealth.probe.ProbeResult;
import dev.upstreamhealth.probe.TrackedProbe;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
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
 * reloads), so a probe at once may still meet the old 503.
 *
 * <p>So when the verdict turns from a state fault to a fault resting on probes, the stored status
 * stands for {@link #SETTLE} while the failing targets are probed again, at once and then after 1,
 * 2 and 4 s, every second once one is succeeding (successThreshold may ask for several). The
 * Site's recovery ends the wait with the fresh verdict; a failure that outlasts it speaks for
 * itself, as it would have without the wait. The wait runs on while a recheck has not answered
 * yet (a long probe timeout) or is succeeding, up to a bound.
 */
final class StateRepairRecheck {
  /** How long a gateway may take to apply a change, and the stored status stands for it. */
  static final Duration SETTLE = Duration.ofSeconds(10);
  /** The longest the wait runs on for a recheck that has not answered. */
  static final Duration LONGEST_ANSWER = Duration.ofSeconds(30);
  static final Duration RECHECK_EVERY = Duration.ofSeconds(1);
  /** The gaps between rechecks while they fail: a gateway's lag is seconds, and thousands of Sites may wait at once. */
  private static final List<Duration> GAPS_WHILE_FAILING =
      List.of(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4));

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
      waits.put(site, new Wait(now, now, 1, false));
      recheck.accept(site);
      return Optional.of(RECHECK_EVERY);
    }
    if (wait.over()) {
      return Optional.empty(); // kept over, so a write that is retried (a conflict) does not wait again
    }
    List<TrackedProbe> failing = findings.probes().stream().filter(TrackedProbe::confirmedFailure).toList();
    boolean recovering = failing.stream().anyMatch(p -> p.last() != null && p.consecutiveSuccesses() > 0);
    boolean answered = failing.stream().allMatch(p -> finishedAfter(p.last(), wait.since()));
    Instant settled = wait.since().plus(SETTLE);
    Instant latest = settled.plus(min(probe.timeout().plus(RECHECK_EVERY), LONGEST_ANSWER))
        .plus(RECHECK_EVERY.multipliedBy(probe.successThreshold()));
    if (!now.isBefore(latest) || (!now.isBefore(settled) && answered && !recovering)) {
      waits.put(site, new Wait(wait.since(), wait.lastAsked(), wait.asks(), true));
      return Optional.empty();
    }
    Instant nextAsk = wait.lastAsked().plus(gapAfter(wait.asks(), recovering));
    if (!now.isBefore(nextAsk)) {
      // Each answer brings a reconcile here: asked again only once the gap has passed.
      waits.put(site, new Wait(wait.since(), now, wait.asks() + 1, false));
      recheck.accept(site);
      nextAsk = now.plus(gapAfter(wait.asks() + 1, recovering));
    }
    Instant nextLook = Collections.min(List.of(nextAsk, now.isBefore(settled) ? settled : latest));
    return Optional.of(Duration.between(now, nextLook));
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
    return StoredStatus.showsStateCause(stored) && fresh.fault() != Fault.NONE && fresh.fault() != Fault.UNKNOWN
        && fresh.condition(ConditionType.READY).restsOnProbes();
  }

  /** The time from the {@code asks}th recheck to the next. */
  private static Duration gapAfter(int asks, boolean recovering) {
    return recovering ? RECHECK_EVERY : GAPS_WHILE_FAILING.get(Math.min(asks, GAPS_WHILE_FAILING.size()) - 1);
  }

  private static boolean finishedAfter(ProbeResult result, Instant since) {
    return result != null && result.finishedAt() != null && result.finishedAt().isAfter(since);
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  /**
   * @param since when the state fault gave way
   * @param lastAsked when the failing targets were last asked to be probed again
   * @param asks how many times they were
   * @param over the fresh verdict is shown
   */
  private record Wait(Instant since, Instant lastAsked, int asks, boolean over) {}
}
