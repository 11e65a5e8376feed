package dev.upstreamhealth.probe;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A {@link Prober} that answers from a script instead of the network, for logic that depends on
 * time and on what probes saw: each target (by {@link ProbeTarget#key()}) or address has a queue
 * of answers, taken one per probe; the last answer repeats, so "refused, then 200 for good" is two
 * entries. Results are stamped with the given clock, and every call is recorded. A probe of a
 * target without a script fails the test at once rather than inventing an answer.
 */
public final class ScriptedProber implements Prober {
  /** What one scripted probe sees. */
  public record Answer(ProbeOutcome outcome, int statusCode, boolean retryAfter, String detail) {
    ProbeResult to(ProbeTarget target, Clock clock) {
      return new ProbeResult(target, outcome, statusCode, retryAfter, LATENCY, detail, clock.instant());
    }
  }

  private static final Duration LATENCY = Duration.ofMillis(3);

  private final Clock clock;
  private final Map<String, Deque<Answer>> byTarget = new HashMap<>();
  private final Map<String, Deque<Answer>> byAddress = new HashMap<>();
  private final List<ProbeTarget> calls = new ArrayList<>();
  private boolean closed;

  public ScriptedProber(Clock clock) {
    this.clock = clock;
  }

  public static Answer responded(int statusCode) {
    return new Answer(ProbeOutcome.RESPONDED, statusCode, false, null);
  }

  public static Answer respondedWithRetryAfter(int statusCode) {
    return new Answer(ProbeOutcome.RESPONDED, statusCode, true, null);
  }

  public static Answer refused() {
    return new Answer(ProbeOutcome.CONNECTION_REFUSED, 0, false, "Connection refused");
  }

  public static Answer connectTimedOut() {
    return new Answer(ProbeOutcome.CONNECT_TIMEOUT, 0, false, "no connection within the timeout");
  }

  public static Answer responseTimedOut() {
    return new Answer(ProbeOutcome.RESPONSE_TIMEOUT, 0, false, "no response head within the timeout");
  }

  public static Answer failed(ProbeOutcome outcome, String detail) {
    return new Answer(outcome, 0, false, detail);
  }

  /** Answers for this target only; they take precedence over a script for its address. */
  public synchronized ScriptedProber script(ProbeTarget target, Answer first, Answer... then) {
    byTarget.put(target.key(), queue(first, then));
    return this;
  }

  /** Answers for every target at this address that has no script of its own. */
  public synchronized ScriptedProber script(String address, Answer first, Answer... then) {
    byAddress.put(address, queue(first, then));
    return this;
  }

  @Override
  public synchronized CompletableFuture<ProbeResult> probe(ProbeTarget target) {
    if (closed) {
      throw new IllegalStateException("probed after close: " + target.url());
    }
    Deque<Answer> answers = byTarget.getOrDefault(target.key(), byAddress.get(target.address()));
    if (answers == null) {
      throw new IllegalStateException("no script for " + target.key());
    }
    calls.add(target);
    Answer answer = answers.size() > 1 ? answers.removeFirst() : answers.getFirst();
    return CompletableFuture.completedFuture(answer.to(target, clock));
  }

  /** Every target probed, in order. */
  public synchronized List<ProbeTarget> calls() {
    return List.copyOf(calls);
  }

  /** How often targets at this address were probed. */
  public synchronized int calls(String address) {
    return (int) calls.stream().filter(t -> t.address().equals(address)).count();
  }

  public synchronized boolean isClosed() {
    return closed;
  }

  @Override
  public synchronized void close() {
    closed = true;
  }

  private static Deque<Answer> queue(Answer first, Answer... then) {
    Deque<Answer> q = new ArrayDeque<>();
    q.add(first);
    q.addAll(List.of(then));
    return q;
  }
}
