package dev.upstreamhealth.bench;

import dev.upstreamhealth.loopback.Behaviour;
import dev.upstreamhealth.loopback.LoopbackServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The benchmark behind docs/performance.md: {@code mvn -B -Pbench verify}. Sizes and counts come
 * from -Dbench.sizes and -Dbench.changes; results go to target/bench/results.md.
 */
public final class BenchMain {
  /** The shared origins every Site's Ingress points at; the operator probes them for real. */
  static final List<String> ORIGIN_IPS = List.of("127.0.0.10", "127.0.0.11", "127.0.0.12", "127.0.0.13");
  static final int SHARDING_SITES = 1_000;

  public static void main(String[] args) throws Exception {
    List<Integer> sizes = Arrays.stream(System.getProperty("bench.sizes", "10,1000,3000").split(","))
        .map(String::strip).map(Integer::parseInt).toList();
    int changes = Integer.getInteger("bench.changes", 201);
    Path out = Path.of(System.getProperty("bench.out", "target/bench"));
    long start = System.nanoTime();

    BenchReport report = new BenchReport();
    report.machine();
    List<LoopbackServer> origins = new ArrayList<>();
    try {
      for (String ip : ORIGIN_IPS) {
        origins.add(LoopbackServer.http(ip, 0, Behaviour.status(200)));
      }
      List<Integer> ports = origins.stream().map(LoopbackServer::port).toList();

      List<ClusterBench.Figures> clusters = new ArrayList<>();
      PodCacheBench.Figures[] podCache = new PodCacheBench.Figures[1];
      int largest = sizes.stream().mapToInt(Integer::intValue).max().orElse(0);
      for (int n : sizes) {
        clusters.add(new ClusterBench(new BenchWorld(n, ORIGIN_IPS, ports), changes).run(api -> {
          if (n == largest) {
            try {
              podCache[0] = PodCacheBench.run(api.client());
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
          }
        }));
      }
      report.cluster(clusters);
      if (podCache[0] != null) {
        report.podCache(podCache[0]);
      }
      report.sharding(ShardingBench.run(new BenchWorld(SHARDING_SITES, ORIGIN_IPS, ports)));
      int requests = origins.stream().mapToInt(LoopbackServer::requests).sum();
      report.note(String.format("Probed: origin probes only (probe.upstreams: false, intervalSeconds %d) against %d "
          + "shared loopback origins answering 200; they answered %,d probe requests in all.",
          BenchWorld.PROBE_INTERVAL_SECONDS, origins.size(), requests));
    } finally {
      origins.forEach(LoopbackServer::close);
    }
    report.probes(ProbeThroughputBench.run(out));
    report.note(String.format("Whole bench: %.1f minutes.", (System.nanoTime() - start) / 60e9));
    report.write(out);
    System.exit(0);
  }

  private BenchMain() {
  }
}
