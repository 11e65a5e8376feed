package dev.upstreamhealth.reconciler;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/** Looks something up without pause on another thread while writes run, and counts what it missed. */
final class ConcurrentLookups {
  /** How many lookups ran while the writes did, and how many of them found nothing. */
  record Tally(long lookups, long misses) {}

  private ConcurrentLookups() {}

  static Tally whileWriting(Runnable writes, BooleanSupplier found) {
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong lookups = new AtomicLong();
    AtomicLong misses = new AtomicLong();
    CompletableFuture<Void> reader = CompletableFuture.runAsync(() -> {
      while (!stop.get()) {
        lookups.incrementAndGet();
        if (!found.getAsBoolean()) {
          misses.incrementAndGet();
        }
      }
    });
    try {
      writes.run();
    } finally {
      stop.set(true);
      reader.join();
    }
    return new Tally(lookups.get(), misses.get());
  }
}
