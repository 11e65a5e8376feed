package dev.upstreamhealth.bench;

import dev.upstreamhealth.bench.api.BenchApiServer;
import dev.upstreamhealth.bench.api.RequestTally;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * K operator processes on one loaded bench API server, each with {@code --site-selector
 * shardK=sJ}: every Site's status cleared first, then the time to every Site's first verdict and
 * Healthy, each process's retained heap and CPU over an idle window, and the requests of all.
 */
final class ShardBench {
  record Figures(int sites, int shards, double firstVerdictSeconds, double allHealthySeconds, long maxHeapBytes,
      double cpuCoresPerShard, double requestsPerSitePerHour, long idleSeconds, long idleStatusWrites, String load) {
  }

  static Figures run(BenchApiServer server, ScaleBench.Verdicts verdicts, int sites, int shards, Duration idle,
      Path workDir) throws Exception {
    server.clearStatuses(ScaleBench.SITES);
    verdicts.reset();
    List<OperatorProcess> processes = new ArrayList<>();
    try {
      long t0 = System.nanoTime();
      for (int j = 0; j < shards; j++) {
        processes.add(OperatorProcess.start(server.url(), workDir, "shard" + shards + "-" + j,
            List.of("--metrics-port", "0", "--probe-allow-loopback", "--site-selector", "shard" + shards + "=s" + j)));
      }
      double first = ScaleBench.awaitSeconds(t0, () -> verdicts.judged.size() >= sites, ScaleBench.START_TIMEOUT);
      double healthy = ScaleBench.awaitSeconds(t0, () -> verdicts.healthy.size() >= sites, ScaleBench.START_TIMEOUT);
      ScaleBench.sleep(Duration.ofSeconds(5));
      Map<String, Long> r0 = server.tally().snapshot();
      double[] c0 = processes.stream().mapToDouble(OperatorProcess::cpuSeconds).toArray();
      ScaleBench.sleep(idle);
      Map<String, Long> requests = RequestTally.since(r0, server.tally().snapshot());
      double cpu = 0;
      for (int j = 0; j < shards; j++) {
        cpu += processes.get(j).cpuSeconds() - c0[j];
      }
      long heap = 0;
      for (OperatorProcess p : processes) {
        if (p.alive()) {
          heap = Math.max(heap, ClassHistogram.of(p.pid(), p.log.resolveSibling(p.log.getFileName().toString().replace(".log", "-histogram.txt"))).totalBytes());
        }
      }
      long total = RequestTally.total(requests, ScaleBench.OPERATOR_AGENT, null, null);
      long writes = RequestTally.total(requests, ScaleBench.OPERATOR_AGENT, java.util.Set.of("PATCH", "PUT"), "sites");
      Figures f = new Figures(sites, shards, first, healthy, heap, cpu / idle.toSeconds() / shards,
          total * 3600.0 / idle.toSeconds() / sites, idle.toSeconds(), writes, ProcessCpu.loadAverage());
      ScaleBench.log("%d shards over %,d Sites: first verdicts after %.1f s, Healthy after %.1f s, largest heap %.0f MiB, "
          + "%.2f cores per shard idle, %.1f requests per Site per hour, %d status writes idle", shards, sites, first,
          healthy, ClassHistogram.mib(heap), f.cpuCoresPerShard(), f.requestsPerSitePerHour(), writes);
      return f;
    } finally {
      processes.forEach(OperatorProcess::close);
    }
  }

  private ShardBench() {
  }
}
