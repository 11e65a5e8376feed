package dev.upstreamhealth.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The benchmark behind docs/performance.md: {@code mvn -B -Pbench verify}. First the bench API
 * server is checked against Fabric8's mock ({@link ApiServerParity}); then each size of
 * -Dbench.sizes, a restart and sharding at the largest (-Dbench.shards), and the probe comparison. Results go to
 * target/bench/results.md.
 */
public final class BenchMain {
  /** The shared origins most Sites' Ingresses point at; the operator probes them for real. */
  static final List<String> ORIGIN_IPS = List.of("127.0.0.10", "127.0.0.11", "127.0.0.12", "127.0.0.13");
  /** Sites whose origin is made to refuse connections, each round. */
  static final int PROBE_FAULT_SITES = 50;

  public static void main(String[] args) throws Exception {
    List<Integer> sizes = ints(System.getProperty("bench.sizes", "10,1000,3000,10000"));
    List<Integer> shards = ints(System.getProperty("bench.shards", "2,4"));
    int changes = Integer.getInteger("bench.changes", 201);
    int probeRounds = Integer.getInteger("bench.probeRounds", 2);
    Duration idle = Duration.ofSeconds(Long.getLong("bench.idleSeconds", 120));
    Duration shardIdle = Duration.ofSeconds(Long.getLong("bench.shardIdleSeconds", 60));
    int probeRate = Integer.getInteger("bench.probeRate", 50);
    long probeSeconds = Long.getLong("bench.probeSeconds", 60);
    long probeWarmSeconds = Long.getLong("bench.probeWarmSeconds", Math.min(60, probeSeconds));
    int decodeRounds = Integer.getInteger("bench.decodeRounds", 5000);
    Path out = Path.of(System.getProperty("bench.out", "target/bench"));
    long start = System.nanoTime();

    BenchReport report = new BenchReport();
    String processor = BenchReport.processor();
    report.machine(OperatorProcess.jvmFlags(), OperatorProcess.extraArgs(), processor);
    ScaleBench.log("%d CPUs: %s", Runtime.getRuntime().availableProcessors(),
        String.join("; ", processor.strip().split("\n")));
    if (!Boolean.getBoolean("bench.skipParity")) {
      report.parity(ApiServerParity.run());
    }
    if (decodeRounds > 0) {
      report.decoding(DecodeCost.run(decodeRounds));
    }
    // First, while nothing else of the bench runs: the two probers side by side.
    ProbeComparison.Figures probes = probeSeconds > 0
        ? ProbeComparison.run(out, probeRate, probeWarmSeconds, probeSeconds) : null;
    List<ScaleBench.Figures> all = new ArrayList<>();
    List<ShardBench.Figures> sharded = new ArrayList<>();
    List<RestartBench.Figures> restarts = new ArrayList<>();
    int largest = sizes.stream().mapToInt(Integer::intValue).max().orElse(0);
    try (ScaleBench.Targets targets = new ScaleBench.Targets(PROBE_FAULT_SITES)) {
      for (int n : sizes) {
        if (n <= 0) {
          continue;
        }
        ScaleBench bench = new ScaleBench(targets.world(n), targets, changes, probeRounds, idle, out);
        all.add(bench.run((server, verdicts, figures) -> {
          if (n == largest) {
            // First over the statuses the first process wrote; the shards clear them.
            restarts.add(RestartBench.run(server, verdicts, figures, out));
            for (int k : shards) {
              sharded.add(ShardBench.run(server, verdicts, n, k, shardIdle, out));
            }
          }
        }));
        report.note("after " + n + " Sites: " + String.format("%.1f", (System.nanoTime() - start) / 60e9) + " minutes");
      }
      report.scale(all, idle);
      report.restarts(restarts);
      report.sharding(sharded);
    }
    if (probes != null) {
      report.probes(probes);
    }
    report.note(String.format("Whole bench: %.1f minutes.", (System.nanoTime() - start) / 60e9));
    report.write(out);
    System.exit(0);
  }

  private static List<Integer> ints(String csv) {
    return Arrays.stream(csv.split(",")).map(String::strip).filter(s -> !s.isEmpty()).map(Integer::parseInt).toList();
  }

  private BenchMain() {
  }
}
