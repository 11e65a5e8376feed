package dev.upstreamhealth.status;

import dev.upstreamhealth.api.SiteRef;
import dev.upstreamhealth.status.SiteEvents.Alarm;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Events on their way, one slot per Site, like a controller's work queue keyed by object: a
 * Site's newer Event takes the place of its older one still unsent, so a flood of thousands of
 * Sites changing at once holds at most one Event per Site and never drops the newest. A few
 * senders work the slots in turn; a refused Event waits in its own slot with backoff while the
 * others go, and a namespace that answers 429 (the EventRateLimit admission limits per
 * namespace) is left alone until its hold passes, without holding up any other namespace.
 */
final class SiteEventQueue {
  /** Where an Event is created: one try, no retries of its own (the backoff is the queue's). */
  interface Sink {
    void create(Event event);
  }

  /**
   * One Event on its way, built once: its fixed name makes a create that was stored but not
   * answered a 409. {@code leadsTo} is what the Site's Events say once it is recorded.
   */
  record Outgoing(SiteRef site, Event event, String reason, Optional<Alarm> leadsTo) {}

  private static final Logger log = LoggerFactory.getLogger(SiteEventQueue.class);
  private static final int TOO_MANY_REQUESTS = 429;
  /** Quick tries one after the other, for a blip, before the slow retries. */
  static final int QUICK_ATTEMPTS = 3;
  private static final Duration QUICK_BACKOFF = Duration.ofMillis(200);
  private static final Duration SLOW_FIRST = Duration.ofSeconds(2);
  private static final Duration SLOW_MAX = Duration.ofMinutes(5);
  /** While stopping, a refusal that passes must not be waited for minutes. */
  private static final Duration DRAIN_RETRY = Duration.ofSeconds(1);
  /** Refusals are told at most this often, with a count: 10,000 Sites refused are one line. */
  private static final long REPORT_EVERY = TimeUnit.SECONDS.toNanos(30);

  /** A Site's Events: the newest not recorded yet, and what the recorded ones last said. */
  private static final class Slot {
    final SiteRef site;
    Optional<Alarm> told;
    Outgoing pending;
    int attempt;
    boolean inFlight;
    boolean ready;
    /** When a delayed try is due (System.nanoTime), 0 when not delayed. */
    long due;
    boolean gone;

    Slot(SiteRef site, Optional<Alarm> told) {
      this.site = site;
      this.told = told;
    }
  }

  private record Delayed(long due, Slot slot) {}

  /** A namespace that answered 429: no Event of it is sent before {@code until}. */
  private record Hold(long until, int refusals) {}

  private final Sink sink;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition work = lock.newCondition();
  private final Condition drained = lock.newCondition();
  private final Map<SiteRef, Slot> slots = new HashMap<>();
  private final ArrayDeque<Slot> ready = new ArrayDeque<>();
  private final PriorityQueue<Delayed> delayed = new PriorityQueue<>((a, b) -> Long.compare(a.due(), b.due()));
  private final Map<String, Hold> holds = new HashMap<>();
  private final List<Thread> senders = new ArrayList<>();
  private boolean draining;
  private boolean closed;
  private long lastReport;
  private int unreported;

  SiteEventQueue(Sink sink, int senderCount) {
    this.sink = sink;
    for (int i = 0; i < senderCount; i++) {
      Thread t = new Thread(this::sendLoop, "site-events-" + i);
      t.setDaemon(true);
      senders.add(t);
      t.start();
    }
  }

  /**
   * Queues the Site's newest Event. {@code toldBefore}, what the Site's Events said before it,
   * counts only when nothing of the Site is on its way; otherwise the slot knows better.
   */
  void offer(Outgoing outgoing, Optional<Alarm> toldBefore) {
    lock.lock();
    try {
      if (closed) {
        return;
      }
      Slot slot = slots.computeIfAbsent(outgoing.site(), site -> new Slot(site, toldBefore));
      slot.pending = outgoing;
      slot.attempt = 0;
      if (slot.inFlight) {
        return; // decided once the try in flight is answered
      }
      if (supersededToNothing(slot)) {
        return;
      }
      // A new Event is tried at once, even if the one it replaces was backing off.
      makeReady(slot);
    } finally {
      lock.unlock();
    }
  }

  /**
   * An Event that brings the Site's record back to what it already says replaces the unsent one
   * and goes too: a fault whose Warning was never recorded clears with no Event at all. A
   * Recovered from nothing the record shows would puzzle whoever reads {@code kubectl describe
   * site}, and a late Warning for a fault already over would page through anything that forwards
   * Events, at the moment a flood needs fewer creates, not more; the status's transition times
   * keep when the fault came and went. A Recovered after a recorded Warning is always sent.
   */
  private boolean supersededToNothing(Slot slot) {
    if (slot.pending != null && !slot.pending.leadsTo().equals(slot.told)) {
      return false;
    }
    remove(slot);
    return true;
  }

  /** A deleted Site's Events go with it, on their way or backing off. */
  void forget(SiteRef site) {
    lock.lock();
    try {
      Slot slot = slots.get(site);
      if (slot != null) {
        remove(slot);
      }
    } finally {
      lock.unlock();
    }
  }

  private void remove(Slot slot) {
    slot.gone = true;
    slot.pending = null;
    slots.remove(slot.site, slot);
    if (slots.isEmpty()) {
      drained.signalAll();
    }
  }

  private void makeReady(Slot slot) {
    slot.due = 0;
    if (!slot.ready) {
      slot.ready = true;
      ready.add(slot);
      work.signal();
    }
  }

  private void delay(Slot slot, long due) {
    if (draining) {
      due = Math.min(due, System.nanoTime() + DRAIN_RETRY.toNanos());
    }
    slot.due = due;
    delayed.add(new Delayed(due, slot));
    work.signal();
  }

  private void sendLoop() {
    while (true) {
      Slot slot;
      Outgoing outgoing;
      int attempt;
      lock.lock();
      try {
        slot = next();
        if (slot == null) {
          return;
        }
        outgoing = slot.pending;
        attempt = ++slot.attempt;
        slot.inFlight = true;
      } finally {
        lock.unlock();
      }
      RuntimeException refusal = null;
      try {
        sink.create(outgoing.event());
      } catch (RuntimeException e) {
        refusal = e;
      }
      String report = answered(slot, outgoing, attempt, refusal);
      if (report != null) {
        log.warn(report);
      }
    }
  }

  /** The next slot whose Event may be tried now, waiting for one; null once closed. */
  private Slot next() {
    while (!closed) {
      long now = System.nanoTime();
      while (!delayed.isEmpty() && delayed.peek().due() <= now) {
        Delayed d = delayed.poll();
        if (!d.slot().gone && d.slot().due == d.due()) {
          makeReady(d.slot());
        }
      }
      Slot slot;
      while ((slot = ready.poll()) != null) {
        slot.ready = false;
        if (slot.gone || slot.pending == null || slot.inFlight) {
          continue;
        }
        Hold hold = holds.get(slot.site.namespace());
        if (hold != null && hold.until() - now > 0) {
          delay(slot, hold.until()); // not tried, so its own backoff does not grow
          continue;
        }
        return slot;
      }
      try {
        if (delayed.isEmpty()) {
          work.await();
        } else {
          work.awaitNanos(delayed.peek().due() - now);
        }
      } catch (InterruptedException e) {
        return null;
      }
    }
    return null;
  }

  /** Settles a try; returns a line to log, if one is due. */
  private String answered(Slot slot, Outgoing outgoing, int attempt, RuntimeException refusal) {
    lock.lock();
    try {
      slot.inFlight = false;
      String namespace = slot.site.namespace();
      if (refusal == null) {
        holds.remove(namespace);
      } else if (refusal instanceof KubernetesClientException k && k.getCode() == TOO_MANY_REQUESTS) {
        hold(namespace, retryAfter(k));
      }
      if (slot.gone) {
        return null;
      }
      if (refusal == null) {
        slot.told = outgoing.leadsTo();
      }
      if (slot.pending == outgoing) {
        if (refusal == null) {
          remove(slot);
          return null;
        }
        Duration wait = backoff(attempt);
        Hold hold = holds.get(namespace);
        long due = System.nanoTime() + wait.toNanos();
        delay(slot, hold != null && hold.until() - due > 0 ? hold.until() : due);
        return attempt == QUICK_ATTEMPTS ? refusalReport(outgoing, refusal) : null;
      }
      // A newer Event came while this one was in flight: it is tried next, unless the record
      // already says what it would.
      slot.attempt = 0;
      if (!supersededToNothing(slot)) {
        makeReady(slot);
      }
      return null;
    } finally {
      lock.unlock();
    }
  }

  private void hold(String namespace, Duration retryAfter) {
    long now = System.nanoTime();
    Hold hold = holds.get(namespace);
    // Senders answered at once count as one refusal: the hold grows with time refused, not with senders.
    int refusals = hold == null ? 1 : hold.until() - now > 0 ? hold.refusals() : hold.refusals() + 1;
    Duration wait = backoff(refusals);
    if (retryAfter.compareTo(wait) > 0) {
      wait = retryAfter;
    }
    long until = now + wait.toNanos();
    holds.put(namespace, new Hold(hold == null ? until : Math.max(until, hold.until()), refusals));
  }

  private static Duration retryAfter(KubernetesClientException e) {
    if (e.getStatus() == null || e.getStatus().getDetails() == null
        || e.getStatus().getDetails().getRetryAfterSeconds() == null) {
      return Duration.ZERO;
    }
    return Duration.ofSeconds(Math.max(0, e.getStatus().getDetails().getRetryAfterSeconds()));
  }

  private String refusalReport(Outgoing outgoing, RuntimeException refusal) {
    long now = System.nanoTime();
    if (lastReport != 0 && now - lastReport < REPORT_EVERY) {
      unreported++;
      return null;
    }
    String more = unreported == 0 ? "" : " (" + unreported + " more Events refused since the last report)";
    lastReport = now;
    unreported = 0;
    return "Event " + outgoing.reason() + " for Site " + outgoing.site()
        + " not recorded yet, trying again with backoff until it is: " + refusal.getMessage() + more;
  }

  /** 200, 400 ms for a blip; then 2 s, doubling, up to every 5 minutes. */
  static Duration backoff(int attempt) {
    if (attempt < QUICK_ATTEMPTS) {
      return QUICK_BACKOFF.multipliedBy(1L << (attempt - 1));
    }
    int doublings = Math.min(attempt - QUICK_ATTEMPTS, 10);
    Duration slow = SLOW_FIRST.multipliedBy(1L << doublings);
    return slow.compareTo(SLOW_MAX) > 0 ? SLOW_MAX : slow;
  }

  /**
   * Sends what is on its way for at most {@code within}, refused Events tried again every second
   * meanwhile, then stops the senders and logs the Events given up. A process that stops is
   * followed by one that takes the stored status as announced: what it leaves unsent is lost.
   */
  void drain(Duration within) {
    List<String> lost = new ArrayList<>();
    int waiting = 0;
    lock.lock();
    try {
      if (closed) {
        return;
      }
      draining = true;
      waiting = slots.size();
      long now = System.nanoTime();
      long cap = now + DRAIN_RETRY.toNanos();
      for (Slot slot : slots.values()) {
        if (slot.due != 0 && slot.due - cap > 0) {
          delay(slot, cap);
        }
      }
      holds.replaceAll((namespace, h) -> h.until() - cap > 0 ? new Hold(cap, h.refusals()) : h);
      long deadline = now + within.toNanos();
      while (!slots.isEmpty()) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          break;
        }
        drained.awaitNanos(left);
      }
      for (Slot slot : slots.values()) {
        if (slot.pending != null) {
          lost.add(slot.pending.reason() + " for " + slot.site);
        }
      }
      closed = true;
      work.signalAll();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closed = true;
      work.signalAll();
    } finally {
      lock.unlock();
    }
    if (!lost.isEmpty()) {
      log.warn("stopping: {} of {} Events on their way not recorded within {} s, lost: {}{}", lost.size(), waiting,
          within.toSeconds(), String.join(", ", lost.subList(0, Math.min(10, lost.size()))),
          lost.size() > 10 ? ", ..." : "");
    } else if (waiting > 0) {
      log.info("stopping: the {} Events on their way recorded", waiting);
    }
  }
}
