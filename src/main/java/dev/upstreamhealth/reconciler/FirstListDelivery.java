package dev.upstreamhealth.reconciler;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts the ADD notifications a cache hands to its event handler, so that its start can wait
 * until those of its first list have all been handed out.
 *
 * <p>Fabric8 completes an informer's start when the list is stored and the watch is open, and
 * hands out the list's ADD notifications afterwards, on its own thread. JOSDK starts reconciling
 * once every event source has started, so at start-up every Site's first reconcile is queued
 * while those notifications still arrive: each one for an object that reconcile will read anyway
 * marks the Site for one more. Handed out before reconciling starts, they mark nothing.
 *
 * <p>Every object stored when the start returns came with an ADD (the list's, or a watch's since),
 * the list's first: once as many have been handed out as the store holds, the list has been.
 */
final class FirstListDelivery {
  /**
   * How long a start waits at most, after the list is stored: delivering the list's 80,000 pods
   * at 10,000 Sites takes seconds, so a minute is far past it. It comes after the cache sync
   * timeout ({@code --cache-sync-timeout}) and adds to it only when the handler stalls: a list
   * slower than that timeout has the source start with what its store holds by then, and this
   * waits for those objects alone.
   */
  static final Duration MOST_WAITED = Duration.ofMinutes(1);

  private final AtomicLong handedOut = new AtomicLong();
  /** Completed when {@code adds} ADDs have been handed out; null when none is awaited. */
  private volatile Awaited awaited;

  private record Awaited(long adds, CompletableFuture<Void> reached) {}

  /** Before a start: the ADDs counted are those of the list to come. */
  void restart() {
    handedOut.set(0);
  }

  /** One ADD handed out; called even when its handling failed, which will never be counted again. */
  void handedOut() {
    long adds = handedOut.incrementAndGet();
    Awaited a = awaited;
    if (a != null && adds >= a.adds()) {
      a.reached().complete(null);
    }
  }

  long count() {
    return handedOut.get();
  }

  /**
   * Waits until {@code stored} ADDs have been handed out, at most {@code mostWaited}.
   *
   * @return whether they were; false also when the wait was interrupted
   */
  boolean await(long stored, Duration mostWaited) {
    Awaited a = new Awaited(stored, new CompletableFuture<>());
    awaited = a;
    if (handedOut.get() >= stored) {
      a.reached().complete(null);
    }
    try {
      a.reached().get(mostWaited.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (ExecutionException e) {
      throw new IllegalStateException(e); // never completed exceptionally
    } finally {
      awaited = null;
    }
  }
}
