package dev.upstreamhealth.probe;

import dev.upstreamhealth.api.SiteRef;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Probes every target of every Site on its interval, apart from the reconcile threads, and tells
 * the operator only when a target's conclusion changes.
 *
 * <p>Probes run asynchronously on the {@link Prober}; one timer thread decides when. Slots are
 * shared fairly:
 * <ul>
 *   <li>Sites with probes waiting take turns, one probe each per turn (a Site with hundreds of
 *       endpoints cannot starve the others), a probe that decides a change (a failure not yet
 *       confirmed, a recovery not yet confirmed) goes first, and routine ones go by whose round
 *       ends soonest: a short interval before a long one ({@link ProbeTurns});</li>
 *   <li>at most {@code maxConcurrentPerSite} probes of one Site run at once, and only one of a
 *       Site whose recent probes timed out (its targets hang; more of them would only wait);</li>
 *   <li>a probe holds one of the {@code maxConcurrentProbes} global slots for its first
 *       {@link #SLOT_LEASE} only: one still waiting for a connection or an answer after that
 *       keeps running on its Site's share, and its slot goes to whoever waits.</li>
 * </ul>
 * A probe that must wait is queued, not parked on a thread. A target whose previous probe is still
 * queued or running when the next comes due skips that round; the skipped rounds are told in the
 * log once a minute ({@link ProbeBacklog}) and to the observer one by one (a metric to alert on).
 *
 * <p>Timing ({@link ProbeCadence}): a target new to a plan is first probed within a second (so a
 * new Site is diagnosed quickly), its second probe at a random point of the interval (so many
 * Sites spread out), and then every interval, brought forward by up to 10% but never later.
 */
public final class ProbeScheduler implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ProbeScheduler.class);
  /** A prober must answer; if one ever does not, this frees its slot. */
  private static final Duration PROBER_GRACE = Duration.ofSeconds(5);
  /** How long a running probe holds a global slot: healthy targets answer well within it. */
  static final Duration SLOT_LEASE = Duration.ofSeconds(1);
  /** Consecutive timed-out probes after which a Site runs one probe at a time. */
  static final int TIMEOUTS_TO_THROTTLE = 2;
  /** How often a backlog (rounds lost, a late timer) is told in the log, when there is one. */
  private static final Duration BACKLOG_PERIOD = Duration.ofMinutes(1);
  /** Upstream latencies kept per Site for the p90 the timeout budget is judged by. */
  static final int LATENCY_WINDOW = 20;

  private final Prober prober;
  private final int maxConcurrentProbes;
  private final int maxConcurrentPerSite;
  private final Consumer<SiteRef> onConclusionChanged;
  private final ProbeObserver observer;
  private final ScheduledThreadPoolExecutor timer = timer();
  private final ExecutorService notifier =
      Executors.newSingleThreadExecutor(new DefaultThreadFactory("probe-conclusions", true));
  private final Map<SiteRef, ProbeFindings> findings = new ConcurrentHashMap<>();

  private final Object lock = new Object();
  private final Map<SiteRef, SiteProbes> sites = new HashMap<>(); // guarded by lock
  private final ProbeTurns<SiteProbes> turns = new ProbeTurns<>(); // guarded by lock
  private final ProbeBacklog backlog = new ProbeBacklog(); // guarded by lock
  private final FailedLookups failedLookups = new FailedLookups();
  private int running; // guarded by lock
  private boolean closed; // guarded by lock

  public ProbeScheduler(
      Prober prober,
      int maxConcurrentProbes,
      int maxConcurrentPerSite,
      Consumer<SiteRef> onConclusionChanged,
      ProbeObserver observer) {
    if (maxConcurrentProbes < 1 || maxConcurrentPerSite < 1) {
      throw new IllegalArgumentException("concurrency bounds must be at least 1");
    }
    this.prober = prober;
    this.maxConcurrentProbes = maxConcurrentProbes;
    this.maxConcurrentPerSite = maxConcurrentPerSite;
    this.onConclusionChanged = onConclusionChanged;
    this.observer = observer == null ? ProbeObserver.NONE : observer;
    timer.scheduleAtFixedRate(this::tellBacklog, BACKLOG_PERIOD.toNanos(), BACKLOG_PERIOD.toNanos(), TimeUnit.NANOSECONDS);
  }

  /**
   * Probes {@code site} according to {@code plan} from now on. The same plan again changes
   * nothing. Targets new to the plan are probed promptly; targets no longer in it stop and lose
   * their history; targets kept (by {@link ProbeTarget#identity()}) keep theirs.
   */
  public void apply(SiteRef site, ProbePlan plan) {
    synchronized (lock) {
      if (closed) {
        return;
      }
      SiteProbes probes = sites.computeIfAbsent(site, SiteProbes::new);
      if (plan.equals(probes.plan)) {
        return;
      }
      boolean retime = probes.plan != null && !probes.plan.interval().equals(plan.interval());
      ProbePlan before = probes.plan;
      Map<ProbeTarget.Identity, TargetProbe> next = new LinkedHashMap<>();
      for (ProbeTarget target : plan.targets()) {
        if (next.containsKey(target.identity())) {
          continue;
        }
        TargetProbe kept = probes.targets.remove(target.identity());
        if (kept == null) {
          TargetProbe added = new TargetProbe(target);
          next.put(target.identity(), added);
          schedule(probes, added, ProbeCadence.first(plan.interval(), draw()));
        } else {
          // The same address asked another way (a PROXY header, another certificate check):
          // results of the old way are not evidence of the new one.
          boolean asksOtherwise = !sameManner(kept.target, target);
          kept.retarget(target);
          next.put(target.identity(), kept);
          if (asksOtherwise || (before != null && !judgedAlike(before, plan, kept.tracked))) {
            kept.forgetHistory();
            schedule(probes, kept, ProbeCadence.first(plan.interval(), draw()));
          } else if (retime) {
            schedule(probes, kept, ProbeCadence.spread(plan.interval(), draw()));
          }
        }
      }
      probes.targets.values().forEach(probes::drop);
      probes.targets = next;
      if (probes.plan != null && !probes.plan.upstreamLatencyBudget().equals(plan.upstreamLatencyBudget())) {
        probes.overBudget = false;
      }
      if (probes.plan != null && probes.plan.upstreamHeadBudget() != plan.upstreamHeadBudget()) {
        probes.headsOverBudget = false;
      }
      probes.plan = plan;
      probes.tracker = ProbeTracker.of(plan);
      publish(probes);
      if (probes.releaseHeldNews()) {
        notifyChanged(probes);
      }
    }
  }

  /**
   * Whether a target's history means under {@code next} what it meant under {@code before}: its
   * results are judged the same by both expected statuses. Then it is kept across a change of
   * thresholds or of expected statuses, and the new thresholds count from it: a confirmed fault
   * stays confirmed until enough successes clear it, rather than the Site going back to waiting
   * (and its alert resolving, to fire again once the fault is confirmed anew) on every edit.
   */
  private static boolean judgedAlike(ProbePlan before, ProbePlan next, TrackedProbe history) {
    return Stream.of(history.last(), history.confirmed()).filter(Objects::nonNull)
        .allMatch(r -> before.isSuccess(r) == next.isSuccess(r));
  }

  /**
   * Probes again now, ahead of their rounds, every target of {@code site} whose confirmed result is
   * a failure, and tells their next results as news whatever they conclude. For a failure seen in
   * a world that has since changed (the cluster-state fault it showed was repaired): the next round
   * may be a whole interval away, and the old failure would speak for the new world meanwhile. A
   * target whose probe is already running is left to that one; one waiting for a slot goes first.
   */
  public void recheckFailures(SiteRef site) {
    synchronized (lock) {
      SiteProbes probes = sites.get(site);
      if (closed || probes == null) {
        return;
      }
      for (TargetProbe target : probes.targets.values()) {
        if (target.tracked.confirmedFailure()) {
          target.rechecked = true;
          if (target.queued) {
            // Waiting for a slot as a routine probe: to the front of the line instead.
            probes.queue.remove(target);
            probes.queue.addFirst(target);
          } else if (!target.running) {
            schedule(probes, target, Duration.ZERO);
          }
        }
      }
      // A queued target waits for a slot, which the next probe to finish hands out: nothing starts here.
      offerTurn(probes);
    }
  }

  /** Stops probing {@code site} at once; nothing of it is reported afterwards. */
  public void remove(SiteRef site) {
    synchronized (lock) {
      SiteProbes probes = sites.remove(site);
      if (probes != null) {
        probes.removed = true;
        probes.targets.values().forEach(probes::drop);
        turns.remove(probes);
      }
      findings.remove(site);
    }
  }

  /** What the probes of {@code site} have seen, in plan order; {@link ProbeFindings#NONE} if unknown. */
  public ProbeFindings findings(SiteRef site) {
    return findings.getOrDefault(site, ProbeFindings.NONE);
  }

  /** Stops all probing. The prober is not closed: it belongs to whoever made it. */
  @Override
  public void close() {
    synchronized (lock) {
      closed = true;
      sites.values().forEach(s -> {
        s.removed = true;
        s.targets.values().forEach(s::drop);
      });
      sites.clear();
      turns.clear();
      findings.clear();
    }
    timer.shutdownNow();
    notifier.shutdownNow();
  }

  private void schedule(SiteProbes site, TargetProbe target, Duration delay) {
    if (target.nextTick != null) {
      target.nextTick.cancel(false);
    }
    target.nextTick = timer.schedule(() -> tick(site, target), delay.toNanos(), TimeUnit.NANOSECONDS);
  }

  private void tick(SiteProbes site, TargetProbe target) {
    List<Start> starts = List.of();
    ProbeTarget skipped = null;
    synchronized (lock) {
      if (closed || site.removed || target.dropped) {
        return;
      }
      Duration interval = site.plan.interval();
      long lateNanos = Math.max(0, -target.nextTick.getDelay(TimeUnit.NANOSECONDS));
      long dueNanos = System.nanoTime() - lateNanos;
      backlog.due(lateNanos);
      schedule(site, target, target.ticks++ == 0 ? ProbeCadence.spread(interval, draw()) : ProbeCadence.next(interval, draw()));
      if (target.queued || target.running) {
        backlog.skipped();
        skipped = target.target; // the previous round has not finished: skip this one rather than pile up
      } else {
        target.queued = true;
        target.roundEndsNanos = dueNanos + interval.toNanos();
        if (target.urgent()) {
          site.queue.addFirst(target);
        } else {
          site.queue.addLast(target);
        }
        offerTurn(site);
        starts = startWhatFits();
      }
    }
    if (skipped != null) {
      observer.roundSkipped(skipped);
    }
    starts.forEach(this::launch);
  }

  private void tellBacklog() {
    Optional<String> summary;
    synchronized (lock) {
      summary = backlog.periodEnded(BACKLOG_PERIOD);
    }
    summary.ifPresent(log::warn);
  }

  private static boolean sameManner(ProbeTarget a, ProbeTarget b) {
    return a.proxyProtocol() == b.proxyProtocol() && a.certificateCheck() == b.certificateCheck()
        && a.connectOnly().equals(b.connectOnly()) && a.path().equals(b.path()) && a.headers().equals(b.headers());
  }

  /** How many probes of {@code site} may run at once: its share. Under lock. */
  private int shareOf(SiteProbes site) {
    return site.consecutiveTimeouts >= TIMEOUTS_TO_THROTTLE ? 1 : maxConcurrentPerSite;
  }

  /** Puts a Site in line for a probe slot, if it has work and room. Under lock. */
  private void offerTurn(SiteProbes site) {
    if (!site.removed && !site.queue.isEmpty() && site.running < shareOf(site)) {
      TargetProbe next = site.queue.peekFirst();
      turns.offer(site, next.urgent(), next.roundEndsNanos);
    }
  }

  /** Hands free slots to waiting Sites, one probe per Site per turn. Under lock. */
  private List<Start> startWhatFits() {
    List<Start> starts = new ArrayList<>();
    SiteProbes site;
    while (running < maxConcurrentProbes && (site = turns.next()) != null) {
      if (site.running >= shareOf(site)) {
        continue;
      }
      TargetProbe target = site.queue.poll();
      if (target == null) {
        continue;
      }
      target.queued = false;
      target.running = true;
      target.holdsSlot = true;
      site.running++;
      running++;
      Start start = new Start(site, target, target.target, ++target.runs);
      if (target.target.timeout().compareTo(SLOT_LEASE) > 0) {
        target.lease = timer.schedule(() -> leaseEnded(start), SLOT_LEASE.toNanos(), TimeUnit.NANOSECONDS);
      }
      starts.add(start);
      offerTurn(site);
    }
    return starts;
  }

  /** A probe still running after its lease gives its global slot to whoever waits. */
  private void leaseEnded(Start start) {
    List<Start> starts;
    synchronized (lock) {
      TargetProbe target = start.probe;
      if (!target.running || !target.holdsSlot || target.runs != start.run || closed) {
        return;
      }
      releaseSlot(target);
      starts = startWhatFits();
    }
    starts.forEach(this::launch);
  }

  /** Gives back the global slot {@code target}'s running probe holds, and its lease with it. Under lock. */
  private void releaseSlot(TargetProbe target) {
    target.holdsSlot = false;
    running--;
    if (target.lease != null) {
      target.lease.cancel(false); // off the timer's queue; harmless when the lease itself is what runs
      target.lease = null;
    }
  }

  private void launch(Start start) {
    CompletableFuture<ProbeResult> probe;
    try {
      probe = prober.probe(start.target);
    } catch (RuntimeException e) {
      probe = CompletableFuture.failedFuture(e);
    }
    giveUpUnanswered(probe, start.target.timeout().plus(start.target.timeout()).plus(PROBER_GRACE));
    probe.whenComplete((result, error) -> finished(start, result != null ? result : proberFailed(start.target, error)));
  }

  /**
   * Ends {@code probe} with a TimeoutException if the prober has not answered within {@code
   * limit}, on this scheduler's own timer. Not {@link CompletableFuture#orTimeout}: on Java 25 that
   * hands every timeout, and every cancellation of one, to the common pool's delay thread and wakes
   * it each time, two thread wake-ups per probe for a timeout that almost never fires. Here a
   * launch from a tick runs on the timer thread itself, and a cancellation only takes the task out
   * of the timer's queue: neither wakes anyone.
   */
  private void giveUpUnanswered(CompletableFuture<ProbeResult> probe, Duration limit) {
    if (probe.isDone()) {
      return;
    }
    ScheduledFuture<?> giveUp;
    try {
      giveUp = timer.schedule(() -> probe.completeExceptionally(new TimeoutException("no answer within " + limit)),
          limit.toNanos(), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException closing) {
      return; // the scheduler closed meanwhile, and the prober ends every probe it still runs
    }
    probe.whenComplete((result, error) -> giveUp.cancel(false));
  }

  private void finished(Start start, ProbeResult result) {
    try {
      observer.observed(result);
    } catch (RuntimeException e) {
      log.warn("probe observer failed on {}", result.target().url(), e);
    }
    failedLookups.observed(result);
    boolean changed = false;
    List<Start> starts;
    synchronized (lock) {
      SiteProbes site = start.site;
      TargetProbe target = start.probe;
      target.running = false;
      site.running--;
      if (target.holdsSlot) {
        releaseSlot(target);
      }
      site.consecutiveTimeouts = timedOut(result) ? site.consecutiveTimeouts + 1 : 0;
      // A probe launched the old way (before a PROXY header, certificate check or path changed) is
      // no evidence of the new one, whose history started afresh.
      boolean current = !closed && !site.removed && !target.dropped;
      if (current && sameManner(start.target(), target.target)) {
        ProbeTracker.Folded folded = site.tracker.fold(target.tracked, result);
        target.tracked = folded.probe();
        boolean latencyNews = site.noteLatency(result);
        boolean headNews = site.noteHeads(result);
        boolean concluded = folded.conclusionChanged();
        boolean recheckAnswered = target.rechecked;
        target.rechecked = false;
        changed = site.newsToTell(concluded, (concluded && folded.probe().confirmedFailure()) || latencyNews || headNews
            || recheckAnswered);
        publish(site);
      } else if (current && target.tracked.last() == null) {
        // The new way's first round fell while the old probe ran, and was skipped: due again soon.
        schedule(site, target, ProbeCadence.first(site.plan.interval(), draw()));
      }
      offerTurn(site);
      starts = closed ? List.of() : startWhatFits();
    }
    starts.forEach(this::launch);
    if (changed) {
      notifyChanged(start.site);
    }
  }

  private void notifyChanged(SiteProbes site) {
    try {
      notifier.execute(() -> {
        if (site.removed) {
          return;
        }
        try {
          onConclusionChanged.accept(site.key);
        } catch (RuntimeException e) {
          log.warn("conclusion-change handler failed for Site {}", site.key, e);
        }
      });
    } catch (RejectedExecutionException closing) {
      // closed meanwhile: nobody is listening any more
    }
  }

  /** Under lock. */
  private void publish(SiteProbes site) {
    List<TrackedProbe> tracked = new ArrayList<>(site.targets.size());
    site.targets.values().forEach(t -> tracked.add(t.tracked));
    findings.put(site.key, new ProbeFindings(tracked, List.copyOf(site.upstreamLatencies)));
  }

  private static boolean timedOut(ProbeResult result) {
    return result.outcome() == ProbeOutcome.CONNECT_TIMEOUT || result.outcome() == ProbeOutcome.RESPONSE_TIMEOUT
        || (result.outcome() == ProbeOutcome.TLS_FAILED && result.latency().compareTo(result.target().timeout()) >= 0);
  }

  private static ProbeResult proberFailed(ProbeTarget target, Throwable error) {
    // Not expected from a Prober; recorded as a timeout so the slot and the history stay honest.
    return new ProbeResult(target, ProbeOutcome.RESPONSE_TIMEOUT, 0, false, target.timeout(),
        "probe did not complete: " + error, Instant.now());
  }

  /**
   * One thread for ticks, slot leases and giving up on unanswered probes. A cancelled task leaves
   * the queue at once: nearly every probe ends well within its lease and its limit, and a task left
   * queued would wake the thread for nothing.
   */
  private static ScheduledThreadPoolExecutor timer() {
    ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, new DefaultThreadFactory("probe-timer", true));
    timer.setRemoveOnCancelPolicy(true);
    return timer;
  }

  private static double draw() {
    return ThreadLocalRandom.current().nextDouble();
  }

  /** One Site's probing state. Guarded by the scheduler's lock, except {@code removed}. */
  private static final class SiteProbes {
    final SiteRef key;
    ProbePlan plan;
    ProbeTracker tracker;
    Map<ProbeTarget.Identity, TargetProbe> targets = new LinkedHashMap<>();
    final ArrayDeque<TargetProbe> queue = new ArrayDeque<>();
    int running;
    int consecutiveTimeouts;
    final ArrayDeque<Duration> upstreamLatencies = new ArrayDeque<>();
    boolean overBudget;
    boolean headsOverBudget;
    /** A success concluded while other targets had no result yet: told once they all have one. */
    boolean heldNews;
    volatile boolean removed;

    SiteProbes(SiteRef key) {
      this.key = key;
    }

    /**
     * Keeps the latency of an upstream probe that reached its upstream; true when the p90 now
     * crosses the plan's budget either way (news for the diagnosis, at most at each crossing).
     */
    boolean noteLatency(ProbeResult result) {
      if (result.target().layer() != ProbeLayer.UPSTREAM
          || !(result.responded() || result.outcome() == ProbeOutcome.RESPONSE_TIMEOUT)) {
        return false;
      }
      upstreamLatencies.addLast(result.latency());
      while (upstreamLatencies.size() > LATENCY_WINDOW) {
        upstreamLatencies.removeFirst();
      }
      Duration budget = plan.upstreamLatencyBudget();
      boolean over = !budget.isZero() && ProbeFindings.p90(List.copyOf(upstreamLatencies))
          .map(p90 -> p90.compareTo(budget) > 0).orElse(false);
      boolean crossed = over != overBudget;
      overBudget = over;
      return crossed;
    }

    /**
     * After an upstream probe's result: true when whether every probed upstream Service has an
     * endpoint answering with a response head over the plan's head budget has just changed. A head
     * that grows past the gateway's buffer at a release stays a success to its own probe, so no
     * conclusion changes; told only at each crossing, a head that wavers by a few bytes (a cookie's
     * value) costs nothing.
     */
    boolean noteHeads(ProbeResult result) {
      int budget = plan.upstreamHeadBudget();
      if (result.target().layer() != ProbeLayer.UPSTREAM || budget <= 0) {
        return false;
      }
      Map<String, Boolean> overByService = new HashMap<>();
      for (TargetProbe t : targets.values()) {
        if (t.target.layer() == ProbeLayer.UPSTREAM) {
          ProbeResult last = t.tracked.last();
          boolean over = last != null && last.responded() && last.trace().headBytes() > budget;
          overByService.merge(t.target.service(), over, Boolean::logicalOr);
        }
      }
      boolean over = !overByService.isEmpty() && !overByService.containsValue(false);
      boolean crossed = over != headsOverBudget;
      headsOverBudget = over;
      return crossed;
    }

    /**
     * Whether a probe's result is news to tell the reconciler now. Bad news always is. A success
     * concluded while some of the Site's targets have no result yet is held until they all have
     * one: at start-up a Site's targets answer one after another within a second, and each
     * success told on its own would cost a reconcile and a status write that the next one
     * replaces (at 10,000 Sites with seven targets each, most of start-up's work).
     */
    boolean newsToTell(boolean conclusionChanged, boolean badNews) {
      if (badNews) {
        heldNews = false;
        return true;
      }
      if (awaitingFirstResults()) {
        heldNews |= conclusionChanged;
        return false;
      }
      boolean tell = conclusionChanged || heldNews;
      heldNews = false;
      return tell;
    }

    /** Held news whose wait is over without a result (the awaited targets left the plan). */
    boolean releaseHeldNews() {
      if (heldNews && !awaitingFirstResults()) {
        heldNews = false;
        return true;
      }
      return false;
    }

    boolean awaitingFirstResults() {
      for (TargetProbe t : targets.values()) {
        if (t.tracked.last() == null) {
          return true;
        }
      }
      return false;
    }

    void drop(TargetProbe target) {
      target.dropped = true;
      if (target.nextTick != null) {
        target.nextTick.cancel(false);
      }
      queue.remove(target);
    }
  }

  /** One target's probing state. Guarded by the scheduler's lock. */
  private static final class TargetProbe {
    ProbeTarget target;
    TrackedProbe tracked;
    ScheduledFuture<?> nextTick;
    int ticks;
    boolean queued;
    /** When its queued probe's round ends ({@link System#nanoTime()}): it came due, plus the interval. */
    long roundEndsNanos;
    boolean running;
    boolean holdsSlot;
    /**
     * The timer task that ends the running probe's hold on its global slot after {@link #SLOT_LEASE};
     * null once the hold has ended, and for a probe whose timeout is within a lease.
     */
    ScheduledFuture<?> lease;
    int runs;
    boolean dropped;
    /** Asked to be probed again by {@link #recheckFailures}: its next result is news. */
    boolean rechecked;

    TargetProbe(ProbeTarget target) {
      this.target = target;
      this.tracked = ProbeTracker.untried(target);
    }

    /** Its probe goes before routine ones: it decides a change, or checks a failure again. */
    boolean urgent() {
      return tracked.deciding() || rechecked;
    }

    void forgetHistory() {
      tracked = ProbeTracker.untried(target);
    }

    /** Same key, maybe another timeout: the history stays, the next probe uses the new target. */
    void retarget(ProbeTarget next) {
      target = next;
      tracked = tracked.withTarget(next);
    }
  }

  /** @param run which run of the target this is: a late lease timer must not end a later run's lease */
  private record Start(SiteProbes site, TargetProbe probe, ProbeTarget target, int run) {}
}
