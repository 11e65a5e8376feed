package dev.upstreamhealth.probe;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Passes probes through and remembers the most that were in flight at once per address. Counted
 * on this side because a server notices a close later than the client makes it.
 */
final class CountingProber implements Prober {
  private final Prober delegate;
  private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> maxInFlight = new ConcurrentHashMap<>();

  CountingProber(Prober delegate) {
    this.delegate = delegate;
  }

  @Override
  public CompletableFuture<ProbeResult> probe(ProbeTarget target) {
    String address = target.address();
    int now = inFlight.computeIfAbsent(address, a -> new AtomicInteger()).incrementAndGet();
    maxInFlight.computeIfAbsent(address, a -> new AtomicInteger()).accumulateAndGet(now, Math::max);
    return delegate.probe(target).whenComplete((result, error) -> inFlight.get(address).decrementAndGet());
  }

  int inFlight(String address) {
    return inFlight.getOrDefault(address, new AtomicInteger()).get();
  }

  int maxInFlight(String address) {
    return maxInFlight.getOrDefault(address, new AtomicInteger()).get();
  }

  @Override
  public void close() {
    delegate.close();
  }
}
