package dev.upstreamhealth.reconciler;

import dev.upstreamhealth.api.Site;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An informer event source whose start returns once the objects of its first list have reached
 * its event handler, not only its store.
 *
 * <p>Fabric8 completes an informer's start when the list is stored and the watch is open, and
 * hands out the list's ADD notifications afterwards, on its own thread. JOSDK starts reconciling
 * once every event source has started, so at start-up every Site's first reconcile is queued
 * while those notifications still arrive: each one for an object that reconcile will read anyway
 * marks the Site for one more (3.6 reconciles per Site at 10,000 Sites, where two do). Delivered
 * before JOSDK starts reconciling, they only mark the Sites that are about to be reconciled once.
 *
 * <p>Nothing is filtered: waiting changes when the events arrive, never which. The wait is
 * bounded; past it the source starts as it would have, with the extra reconciles.
 */
final class ListDeliveringEventSource<R extends HasMetadata> extends InformerEventSource<R, Site> {
  private static final Logger log = LoggerFactory.getLogger(ListDeliveringEventSource.class);
  /**
   * How long a start waits at most, after the list is stored: delivering the list's 80,000 pods
   * at 10,000 Sites takes seconds, so a minute is far past it. It comes after the cache sync
   * timeout ({@code --cache-sync-timeout}) and adds to it only when the handler stalls: a list
   * slower than that timeout has the source start with what its store holds by then, and this
   * waits for those objects alone.
   */
  static final Duration MOST_WAITED = Duration.ofMinutes(1);

  private final Duration mostWaited;
  private final AtomicLong addsDelivered = new AtomicLong();
  /** Completed when as many ADDs as the store held at start have been handed out; null when none is awaited. */
  private volatile Awaited awaited;

  private record Awaited(long adds, CompletableFuture<Void> reached) {}

  ListDeliveringEventSource(InformerEventSourceConfiguration<R> configuration, EventSourceContext<Site> context,
      Duration mostWaited) {
    super(configuration, context);
    this.mostWaited = mostWaited;
  }

  @Override
  public void onAdd(R resource) {
    try {
      super.onAdd(resource);
    } finally {
      // Counted even when the handler throws: the ADD was handed out, and the start must not
      // wait out its bound for one that will never be counted.
      long adds = addsDelivered.incrementAndGet();
      Awaited a = awaited;
      if (a != null && adds >= a.adds()) {
        a.reached().complete(null);
      }
    }
  }

  /** Not synchronized as JOSDK's is: the handler it waits for takes that monitor for each event. */
  @Override
  public void start() {
    if (isRunning()) {
      return; // a second start is a no-op in JOSDK's too; there is no first list to wait for
    }
    addsDelivered.set(0);
    super.start();
    // Every object stored by now came with an ADD (the list's, or a watch's since), the list's
    // first: once this many have reached the handler, the list has.
    Awaited a = new Awaited(keys().count(), new CompletableFuture<>());
    awaited = a;
    if (addsDelivered.get() >= a.adds()) {
      a.reached().complete(null);
    }
    try {
      a.reached().get(mostWaited.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      log.warn("{}: {} of {} listed objects handed out after {}; starting without the rest,"
          + " which costs some Sites one more reconcile",
          name(), addsDelivered.get(), a.adds(), mostWaited);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException e) {
      throw new IllegalStateException(e); // never completed exceptionally
    } finally {
      awaited = null;
    }
  }
}
