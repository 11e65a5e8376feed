package dev.upstreamhealth.runtime;

import java.util.Optional;

/**
 * Gives Java's common fork-join pool two threads where the JVM would give it fewer.
 *
 * <p>Why: with one or two CPUs (a usual container limit) the common pool's default parallelism
 * is one, and {@code CompletableFuture} then runs each asynchronous stage on a thread started for
 * that stage alone. The Kubernetes client decodes every API response in such a stage, so while
 * the caches fill and the first statuses are written the process starts and ends thousands of
 * threads, each of them contending for the JSON decoder's caches: at 1,000 Sites 38-50 CPU
 * seconds to every first verdict against 31-34 with two lasting workers (docs/performance-log.md,
 * "A thread per API response").
 * A value set with {@code -D} is kept.
 */
public final class CommonPoolSizing {
  static final String PARALLELISM = "java.util.concurrent.ForkJoinPool.common.parallelism";
  /** Below this, CompletableFuture gives up on the common pool and starts a thread per stage. */
  static final int LEAST_SHARED = 2;

  private CommonPoolSizing() {
  }

  /** Call first thing in main, before anything uses the common pool: it reads the setting once. */
  public static void applyBeforeFirstUse() {
    parallelism(System.getProperty(PARALLELISM), Runtime.getRuntime().availableProcessors())
        .ifPresent(value -> System.setProperty(PARALLELISM, value));
  }

  /** The setting to make, if any: none when the user chose one or the JVM's default is enough. */
  static Optional<String> parallelism(String userSetting, int processors) {
    if (userSetting != null || processors - 1 >= LEAST_SHARED) {
      return Optional.empty();
    }
    return Optional.of(Integer.toString(LEAST_SHARED));
  }
}
