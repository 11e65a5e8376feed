package dev.upstreamhealth.bench;

import dev.upstreamhealth.bench.api.BenchApiServer;
import dev.upstreamhealth.bench.api.RequestTally;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One shard of K on the loaded bench API server: an operator process with {@code --site-selector
 * shardK=s0}, alone on the machine, as a shard runs in a pod of its own on a node of its own. The
 * bench labels Sites round-robin, so every shard of K holds the same share and any one of them
 * stands for the others. Its Sites' statuses are cleared first; then the time to their first
 * verdicts and to Healthy, the retained heap, and the CPU, requests and status writes of an idle
 * window. (Running all K processes on this machine's two cores at once would measure two cores
 * shared K ways, not sharding.)
 */
final class ShardBench {
  record Figures(int sites, int shards, int shardSites, double firstVerdictSeconds, double allHealthySeconds,
      long heapBytes, double cpuCoresIdle, double requestsPerSitePerHour, long idleSeconds, long idleStatusWrites,
      String load) {
  }

  static Figures run(BenchApiServer server, ScaleBench.Verdicts verdicts, int sites, int shards, Duration idle,
      Path workDir) throws Exception {
    server.clearStatuses(ScaleBench.SITES);
    verdicts.reset();
    // Site i carries shardK=s(i mod K): shard s0 holds the Sites whose index is a multiple of K.
    int shardSites = (sites + shards - 1) / shards;
    try (OperatorProcess shard = OperatorProcess.start(server.url(), workDir, "shard" + shards + "-0",
        List.of("--probe-allow-loopback", "--site-selector", "shard" + shards + "=s0"))) {
      long t0 = shard.startedNanos;
      double first = ScaleBench.awaitSeconds(t0, () -> verdicts.judged.size() >= shardSites, ScaleBench.START_TIMEOUT);
      double healthy = ScaleBench.awaitSeconds(t0, () -> verdicts.healthy.size() >= shardSites, ScaleBench.START_TIMEOUT);
      ScaleBench.sleep(Duration.ofSeconds(5));
      Map<String, Long> r0 = server.tally().snapshot();
      double c0 = shard.cpuSeconds();
      ScaleBench.sleep(idle);
      Map<String, Long> requests = RequestTally.since(r0, server.tally().snapshot());
      double cpu = shard.cpuSeconds() - c0;
      long heap = shard.alive() ? ClassHistogram.of(shard.pid(), shard.log.resolveSibling(
          shard.log.getFileName().toString().replace(".log", "-histogram.txt"))).totalBytes() : 0;
      long total = RequestTally.total(requests, ScaleBench.OPERATOR_AGENT, null, null);
      long writes = RequestTally.total(requests, ScaleBench.OPERATOR_AGENT, java.util.Set.of("PATCH", "PUT"), "sites");
      Figures f = new Figures(sites, shards, shardSites, first, healthy, heap, cpu / idle.toSeconds(),
          total * 3600.0 / idle.toSeconds() / shardSites, idle.toSeconds(), writes, ProcessCpu.loadAverage());
      ScaleBench.log("one shard of %d over %,d Sites (%,d of them): first verdicts after %.1f s, Healthy after %.1f s, "
          + "heap %.0f MiB, %.2f cores idle, %.1f requests per Site per hour, %d status writes idle", shards, sites,
          shardSites, first, healthy, ClassHistogram.mib(heap), f.cpuCoresIdle(), f.requestsPerSitePerHour(), writes);
      return f;
    }
  }

  private ShardBench() {
  }
}
