package dev.upstreamhealth.reconciler;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One instance per distinct value, for values that repeat across cached objects. Bounded, so
 * unique values cannot grow it without limit; past the bound a value simply stays unshared.
 */
final class SharingPool<T> {
  private final Map<T, T> pool = new ConcurrentHashMap<>();
  private final int max;

  SharingPool(int max) {
    this.max = max;
  }

  /** The shared instance equal to {@code value}, or {@code value} itself. */
  T share(T value) {
    T shared = pool.get(value);
    if (shared != null) {
      return shared;
    }
    if (pool.size() >= max) {
      return value;
    }
    shared = pool.putIfAbsent(value, value);
    return shared == null ? value : shared;
  }
}
