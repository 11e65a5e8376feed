package dev.upstreamhealth.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Writes the figures as the Markdown tables that docs/performance.md quotes. */
final class BenchReport {
  private final StringBuilder md = new StringBuilder();

  void machine() {
    md.append("# Bench results, ").append(Instant.now()).append("\n\n## Machine\n\n```\n");
    md.append("$ nproc\n").append(run("nproc"));
    md.append("$ free -h\n").append(run("free", "-h"));
    md.append("$ java -version\n").append(run(System.getProperty("java.home") + "/bin/java", "-version"));
    md.append("```\n\n");
  }

  void cluster(List<ClusterBench.Figures> all) {
    md.append("## Creating the world on the embedded API server\n\n| Sites | objects | seconds | objects/s |\n|---|---|---|---|\n");
    for (var f : all) {
      md.append(String.format("| %,d | %,d | %.1f | %.0f |%n", f.sites(), f.objects(), f.createSeconds(),
          f.objects() / f.createSeconds()));
    }
    md.append("\n## Detection latency (write → Site status watch event), ms\n\n")
        .append("| Sites | change | n | p50 | p99 | max |\n|---|---|---|---|---|---|\n");
    for (var f : all) {
      for (Map.Entry<ClusterChange, Percentiles> e : f.detection().entrySet()) {
        row(f.sites(), e.getKey().label(), e.getValue());
      }
      row(f.sites(), "**all changes**", f.allDetection());
      row(f.sites(), "recovery (repair → Healthy)", f.recovery());
      if (f.timeouts() > 0) {
        md.append(String.format("| %,d | changes with no status within %s | %d | | | |%n", f.sites(),
            ClusterBench.CHANGE_TIMEOUT, f.timeouts()));
      }
    }
    md.append("\n## Start-up (operator start call → every Site's status seen by the watch), s\n\n")
        .append("| Sites | start() returned (informers synced) | every Site has a status | every Site Healthy |\n|---|---|---|---|\n");
    for (var f : all) {
      md.append(String.format("| %,d | %.1f | %.1f | %.1f |%n", f.sites(), f.startCallSeconds(), f.allStatusSeconds(),
          f.allHealthySeconds()));
    }
    md.append("\n## Heap (retained after full GC) and steady-state status writes\n\n")
        .append("| Sites | pods | heap before operator | with operator | after operator stopped | operator's share | "
            + "sites/status PATCH+PUT per minute, steady state |\n|---|---|---|---|---|---|---|\n");
    for (var f : all) {
      md.append(String.format("| %,d | %,d | %s | %s | %s | %s | %d per %d s |%n", f.sites(), f.pods(),
          Heap.mib(f.heapWithoutOperator()), Heap.mib(f.heapWithOperator()), Heap.mib(f.heapAfterOperatorClosed()),
          Heap.mib(f.heapWithOperator() - f.heapAfterOperatorClosed()), f.steadyWrites(), f.steadySeconds()));
    }
    md.append('\n');
  }

  private void row(int sites, String label, Percentiles p) {
    md.append(String.format("| %,d | %s | %d | %.0f | %.0f | %.0f |%n", sites, label, p.count(), p.at(50), p.at(99), p.max()));
  }

  void podCache(PodCacheBench.Figures f) {
    md.append("## Bytes per cached Pod (a Fabric8 pod informer, retained heap with minus without)\n\n")
        .append("| pods | Fabric8's store | TrimmedItemStore |\n|---|---|---|\n")
        .append(String.format("| %,d | %.0f B/pod (%s) | %.0f B/pod (%s) |%n%n", f.pods(), f.untrimmedPerPod(),
            Heap.mib(f.untrimmedBytes()), f.trimmedPerPod(), Heap.mib(f.trimmedBytes())));
  }

  void sharding(ShardingBench.Figures f) {
    md.append("## Sharding (two operators, --site-selector shard=a / shard=b)\n\n")
        .append("| Sites | Sites written by shard=a | by shard=b | by both | status writes a / b | all Healthy after |\n")
        .append("|---|---|---|---|---|---|\n")
        .append(String.format("| %,d | %,d | %,d | %d | %d / %d | %.1f s |%n%n", f.sites(), f.sitesA(), f.sitesB(),
            f.sitesByBoth(), f.writesA(), f.writesB(), f.allHealthySeconds()));
  }

  void probes(List<ProbeThroughputBench.Figures> all) {
    md.append(String.format("## Probe throughput (loopback server answering 200, %d in flight, %d s)%n%n",
        ProbeThroughputBench.IN_FLIGHT, ProbeThroughputBench.MEASURE.toSeconds()))
        .append("| prober | probes | ok | probes/s | CPU per probe | probes per core-second | CPU counted |\n")
        .append("|---|---|---|---|---|---|---|\n");
    for (var f : all) {
      md.append(String.format("| %s | %,d | %,d | %.0f | %.0f µs | %.0f | %s |%n", f.name(), f.probes(), f.ok(),
          f.perSecond(), f.cpuMicrosPerProbe(), f.perCoreSecond(), f.cpuScope()));
    }
    md.append('\n');
  }

  void note(String text) {
    md.append(text).append("\n\n");
  }

  void write(Path dir) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("results.md"), md);
    System.out.println(md);
  }

  private static String run(String... command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      return new String(p.getInputStream().readAllBytes());
    } catch (IOException e) {
      return "(" + e.getMessage() + ")\n";
    }
  }
}
