package dev.upstreamhealth.bench;

import dev.upstreamhealth.demo.EmbeddedApiServer;
import dev.upstreamhealth.runtime.OperatorOptions;
import dev.upstreamhealth.runtime.UpstreamHealthOperator;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * One size of cluster on a fresh embedded API server: create the world, start the real operator,
 * time start-up, time detection of cluster changes, count steady-state status writes, weigh the
 * operator's heap. Everything runs in this JVM, on this machine's cores, with the mock server.
 */
final class ClusterBench {
  static final Duration CHANGE_TIMEOUT = Duration.ofSeconds(30);
  static final Duration STEADY_WINDOW = Duration.ofSeconds(60);

  record Figures(int sites, int objects, double createSeconds, double startCallSeconds,
      double allStatusSeconds, double allHealthySeconds, Map<ClusterChange, Percentiles> detection,
      Percentiles allDetection, Percentiles recovery, int timeouts, long steadyWrites, long steadySeconds,
      long heapWithoutOperator, long heapWithOperator, long heapAfterOperatorClosed, long pods) {
  }

  private final BenchWorld world;
  private final int changes;

  ClusterBench(BenchWorld world, int changes) {
    this.world = world;
    this.changes = changes;
  }

  static KubernetesClient clientAs(EmbeddedApiServer api, String userAgent) {
    return new KubernetesClientBuilder()
        .withConfig(new ConfigBuilder(api.client().getConfiguration()).withUserAgent(userAgent).build()).build();
  }

  /** Runs everything; {@code afterOperator} gets the API server once the operator has stopped. */
  Figures run(java.util.function.Consumer<EmbeddedApiServer> afterOperator) throws Exception {
    int n = world.sites();
    try (EmbeddedApiServer api = EmbeddedApiServer.start();
        StatusWriteTally tally = new StatusWriteTally(api.server());
        KubernetesClient bench = clientAs(api, "bench");
        KubernetesClient operatorClient = clientAs(api, "operator")) {
      long c0 = System.nanoTime();
      int objects = world.create(bench, 8, null);
      double createSeconds = seconds(System.nanoTime() - c0);
      log("%d Sites: created %d objects in %.1f s (%.0f objects/s)", n, objects, createSeconds, objects / createSeconds);

      try (SiteStatusWatch watch = new SiteStatusWatch(bench)) {
        long heapWithout = Heap.retainedBytes();
        long t0 = System.nanoTime();
        UpstreamHealthOperator operator = UpstreamHealthOperator.start(operatorClient,
            OperatorOptions.defaults().but(b -> {
              b.metricsPort = -1;
              b.probeAllowLoopback = true;
            }), List.of());
        double startCall = seconds(System.nanoTime() - t0);
        double allStatus = awaitSeconds(t0, () -> watch.withStatus() >= n, Duration.ofMinutes(10));
        double allHealthy = awaitSeconds(t0, () -> watch.healthy() >= n, Duration.ofMinutes(10));
        log("%d Sites: start() returned after %.1f s, all with status after %.1f s, all healthy after %.1f s",
            n, startCall, allStatus, allHealthy);

        Map<ClusterChange, Percentiles> detection = new EnumMap<>(ClusterChange.class);
        Percentiles all = new Percentiles();
        Percentiles recovery = new Percentiles();
        int timeouts = 0;
        for (int k = 0; k < changes; k++) {
          ClusterChange change = ClusterChange.values()[k % ClusterChange.values().length];
          int site = (int) ((k * 7919L) % n);
          String key = world.fixture(site).namespace() + "/" + world.fixture(site).name();
          Double broke = timed(watch, key, s -> !s.startsWith("None/"),
              before -> change.breakSite(bench, world, site, before));
          Double repaired = timed(watch, key, "None/Healthy"::equals,
              before -> change.repairSite(bench, world, site, before));
          if (broke == null || repaired == null) {
            timeouts++;
          }
          if (broke != null) {
            detection.computeIfAbsent(change, c -> new Percentiles()).add(broke);
            all.add(broke);
          }
          if (repaired != null) {
            recovery.add(repaired);
          }
        }
        log("%d Sites: detection p50 %.0f ms p99 %.0f ms over %d changes (%d timed out)",
            n, all.at(50), all.at(99), all.count(), timeouts);

        awaitSeconds(System.nanoTime(), () -> watch.healthy() >= n, Duration.ofMinutes(2));
        Thread.sleep(5_000);
        tally.catchUp();
        long before = tally.total();
        Thread.sleep(STEADY_WINDOW.toMillis());
        tally.catchUp();
        long steady = tally.total() - before;
        log("%d Sites: %d status writes in %d s of steady state", n, steady, STEADY_WINDOW.toSeconds());

        long heapWith = Heap.retainedBytes();
        operator.close();
        long heapAfter = Heap.retainedBytes();
        log("%d Sites: retained heap %s without operator, %s with, %s after it stopped", n,
            Heap.mib(heapWithout), Heap.mib(heapWith), Heap.mib(heapAfter));
        afterOperator.accept(api);
        return new Figures(n, objects, createSeconds, startCall, allStatus, allHealthy, detection, all, recovery,
            timeouts, steady, STEADY_WINDOW.toSeconds(), heapWithout, heapWith, heapAfter,
            (long) n * BenchWorld.PODS_PER_SITE);
      }
    }
  }

  interface Write {
    void run(Runnable beforeTimedWrite);
  }

  /** Milliseconds from the timed write to the watch event showing the expected status, or null. */
  private static Double timed(SiteStatusWatch watch, String key, java.util.function.Predicate<String> expected,
      Write write) throws InterruptedException {
    CompletableFuture<Long> seen = watch.expect(key, expected);
    AtomicLong start = new AtomicLong();
    write.run(() -> start.set(System.nanoTime()));
    try {
      long at = seen.get(CHANGE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      return (at - start.get()) / 1e6;
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      log("no status %s for %s within %s (last seen %s)", "change", key, CHANGE_TIMEOUT, watch.lastSeen.get(key));
      return null;
    }
  }

  static double awaitSeconds(long fromNanos, BooleanSupplier done, Duration limit) throws InterruptedException {
    long deadline = fromNanos + limit.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        return Double.NaN;
      }
      Thread.sleep(20);
    }
    return seconds(System.nanoTime() - fromNanos);
  }

  static double seconds(long nanos) {
    return nanos / 1e9;
  }

  static void log(String format, Object... args) {
    System.out.printf("[bench] " + format + "%n", args);
  }
}
