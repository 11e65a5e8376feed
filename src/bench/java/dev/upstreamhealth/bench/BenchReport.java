package dev.upstreamhealth.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Writes the figures as the Markdown that docs/performance.md quotes. */
final class BenchReport {
  private final StringBuilder md = new StringBuilder();

  void machine(String operatorJvm, List<String> operatorArgs, String processor) {
    md.append("# Bench results, ").append(Instant.now()).append("\n\n## Machine\n\n```\n");
    md.append("$ nproc\n").append(run("nproc"));
    md.append("$ lscpu (the processor's lines)\n").append(processor);
    md.append("$ free -h\n").append(run("free", "-h"));
    md.append("$ uptime\n").append(run("uptime"));
    md.append("$ ").append(ImageJava.bin("java")).append(" -version\n").append(run(ImageJava.bin("java"), "-version"));
    md.append("```\n\nOperator JVM flags: `").append(operatorJvm).append("`; the runtime's own (as the image's): `")
        .append(ImageJava.runtimeFlags().isEmpty() ? "none" : String.join(" ", ImageJava.runtimeFlags())).append("`\n\n");
    md.append("The fleet's origins: ").append(BenchOrigins.https()
        ? "HTTPS (a full handshake per probe, the certificate checked strictly against the bench's CA)"
        : "plain HTTP").append("; its pods: plain HTTP\n\n");
    if (!operatorArgs.isEmpty()) {
      md.append("Operator options besides the defaults: `").append(String.join(" ", operatorArgs)).append("`\n\n");
    }
  }

  void parity(List<String> lines) {
    md.append("## Bench API server against Fabric8's mock (same operator, same scenarios)\n\n");
    lines.forEach(l -> md.append("- ").append(l).append('\n'));
    md.append('\n');
  }

  void scale(List<ScaleBench.Figures> all, Duration idle) {
    md.append("## Sizes\n\n")
        .append("| Sites | pods cached | objects | start-up: every first verdict / every Site Healthy | "
            + "state-fault detection p50 / p99 (n) | probe-fault detection p50 / p99 (n; budget) | heap after full GC | "
            + "process resident, anonymous (peak) | bytes per Site | status writes / Events idle | API requests per Site per hour | "
            + "operator CPU idle | CPU per probe | load average before → after |\n")
        .append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (var f : all) {
      md.append(String.format("| %,d | %,d | %,d | %.1f s / %.1f s | %.0f / %.0f ms (%d%s) | %.0f / %.0f ms (%d; %.0f ms%s) | "
              + "%s | %s | %s | %d / %d in %d s | %.1f | %.2f cores | %.0f µs | %s → %s |%n",
          f.sites(), f.pods(), f.objects(), f.firstVerdictSeconds(), f.allHealthySeconds(),
          f.allDetection().at(50), f.allDetection().at(99), f.allDetection().count(),
          f.timeouts() > 0 ? ", " + f.timeouts() + " missed" : "",
          f.probeDetection().at(50), f.probeDetection().at(99), f.probeDetection().count(), f.probeBudgetMillis(),
          f.probeTimeouts() > 0 ? ", " + f.probeTimeouts() + " missed" : "",
          f.heap() == null ? "process ended" : String.format("%.1f MiB", ClassHistogram.mib(f.heap().totalBytes())),
          f.memory().describe(),
          f.heap() == null ? "" : String.format("%,.0f B", (double) f.heap().totalBytes() / f.sites()),
          f.idleStatusWrites(), f.idleEvents(), f.idleSeconds(), f.requestsPerSitePerHour(),
          f.idleCpuSeconds() / f.idleSeconds(), f.cpuMicrosPerProbe(), f.loadBefore(), f.loadAfter()));
    }
    md.append("\n### On the way to the first verdicts (nothing is wrong in the world: any fault shown is a false page)\n\n")
        .append("| Sites | status writes | per Site | Events | Sites shown a fault |\n|---|---|---|---|---|\n");
    for (var f : all) {
      var noise = f.startNoise();
      md.append(String.format("| %,d | %,d | %.2f | %d | %d |%n", f.sites(), noise.statusWrites(),
          (double) noise.statusWrites() / f.sites(), noise.events(), noise.sitesShownFault()));
    }
    md.append("\n### Start-up CPU by thread, to every first verdict (`/proc/PID/task/*/stat`)\n\n");
    for (var f : all) {
      md.append(String.format("- %,d Sites, %.1f CPU s: %s; meanwhile %s%n", f.sites(), f.startCpuSeconds(),
          byThread(f.startCpuByThread(), f.startCpuSeconds()), f.startBeside().described(f.startCpuSeconds())));
    }
    md.append("\n### Detection by change\n\n| Sites | change | n | p50 ms | p99 ms | max ms |\n|---|---|---|---|---|---|\n");
    for (var f : all) {
      for (Map.Entry<ClusterChange, Percentiles> e : f.detection().entrySet()) {
        row(f.sites(), e.getKey().label(), e.getValue());
      }
      row(f.sites(), "recovery (repair → Healthy)", f.recovery());
      row(f.sites(), "origin refuses (→ 521)", f.probeDetection());
      row(f.sites(), "… fault → confirming probe (to a second)", f.probeParts().confirmed());
      row(f.sites(), "… confirming probe → status (to a second)", f.probeParts().told());
    }
    md.append("\n### Requests from start to the first verdicts, by client, verb and resource\n\n");
    for (var f : all) {
      md.append(String.format("- %,d Sites: %s%n", f.sites(), f.startNoise().requests()));
    }
    md.append("\n### Requests in the idle window, by verb and resource\n\n");
    for (var f : all) {
      md.append(String.format("- %,d Sites, %d s: %s%n", f.sites(), f.idleSeconds(), f.idleRequestsByKind()));
    }
    md.append("\n### Retained heap by class (top 12, `jcmd GC.class_histogram`)\n\n");
    for (var f : all) {
      if (f.heap() != null) {
        md.append(String.format("- %,d Sites (%,d pods): %s%n", f.sites(), f.pods(), String.join("; ", f.heap().top(12))));
      }
    }
    md.append('\n');
    growth(all);
  }

  /** Least-squares slope of retained heap over Sites and pods, from the sizes of 1,000 Sites up. */
  private void growth(List<ScaleBench.Figures> all) {
    List<ScaleBench.Figures> big = all.stream().filter(f -> f.sites() >= 1000 && f.heap() != null).toList();
    if (big.size() < 2) {
      return;
    }
    double n = big.size();
    double sx = big.stream().mapToDouble(ScaleBench.Figures::sites).sum();
    double sy = big.stream().mapToDouble(f -> f.heap().totalBytes()).sum();
    double sxx = big.stream().mapToDouble(f -> (double) f.sites() * f.sites()).sum();
    double sxy = big.stream().mapToDouble(f -> (double) f.sites() * f.heap().totalBytes()).sum();
    double slope = (n * sxy - sx * sy) / (n * sxx - sx * sx);
    double intercept = (sy - slope * sx) / n;
    double podsPerSite = (double) big.get(0).pods() / big.get(0).sites();
    md.append(String.format("### Fitted growth%n%nRetained heap ≈ %.1f MiB + %,.0f bytes × Sites (least squares over %s Sites); "
            + "with %.0f cached pods per Site, at most %,.0f bytes per cached pod if pods were all of it.%n%n",
        intercept / 1048576, slope, big.stream().map(f -> String.format("%,d", f.sites())).toList(), podsPerSite,
        slope / podsPerSite));
  }

  private void row(int sites, String label, Percentiles p) {
    md.append(String.format("| %,d | %s | %d | %.0f | %.0f | %.0f |%n", sites, label, p.count(), p.at(50), p.at(99), p.max()));
  }

  void restarts(List<RestartBench.Figures> all) {
    if (all.isEmpty()) {
      return;
    }
    md.append("## Restart over stored statuses (a new process; every Site Healthy, nothing wrong)\n\n")
        .append("| Sites | window | status writes | Events | Sites shown a fault | Sites shown Unknown | "
            + "Healthy at the end | CPU | statuses that differ after (by field) |\n|---|---|---|---|---|---|---|---|---|\n");
    for (var f : all) {
      var noise = f.noise();
      md.append(String.format("| %,d | %.0f s | %,d | %d | %d | %d | %,d | %.1f s | %,d %s |%n", f.sites(), f.windowSeconds(),
          noise.statusWrites(), noise.events(), noise.sitesShownFault(), noise.sitesShownUnknown(), f.healthyAtEnd(),
          f.cpuSeconds(), f.sitesChanged(), f.changedFields()));
    }
    md.append('\n');
    for (var f : all) {
      md.append(String.format("- %,d Sites, requests in the window by client, verb and resource: %s%n", f.sites(),
          f.noise().requests()));
    }
    md.append('\n');
  }

  void sharding(List<ShardBench.Figures> all) {
    if (all.isEmpty()) {
      return;
    }
    md.append("## Sharding (--site-selector: one shard of K alone, as on a node of its own)\n\n")
        .append("| Sites | shards | Sites in the shard | every first verdict | every Site Healthy | heap after full GC | "
            + "CPU idle | API requests per Site per hour | status writes idle | load average |\n")
        .append("|---|---|---|---|---|---|---|---|---|---|\n");
    for (var f : all) {
      md.append(String.format("| %,d | %d | %,d | %.1f s | %.1f s | %.1f MiB | %.2f cores | %.1f | %d in %d s | %s |%n",
          f.sites(), f.shards(), f.shardSites(), f.firstVerdictSeconds(), f.allHealthySeconds(),
          ClassHistogram.mib(f.heapBytes()), f.cpuCoresIdle(), f.requestsPerSitePerHour(), f.idleStatusWrites(),
          f.idleSeconds(), f.load()));
    }
    md.append('\n');
  }

  void decoding(DecodeCost.Figures f) {
    md.append(String.format("## Decoding one Site's objects (%d objects, %,d bytes of JSON; per Site, mean of %,d rounds "
            + "after as many of warm-up, this thread's allocation and CPU)%n%n", f.objects(), f.jsonBytes(), f.rounds()))
        .append("| decoding | allocated | CPU |\n|---|---|---|\n")
        .append(String.format("| Fabric8's default | %,.0f B | %.0f µs |%n", f.fabric8().bytesPerSite(), f.fabric8().microsPerSite()))
        .append(String.format("| the operator's (no managed fields, no last-applied) | %,.0f B | %.0f µs |%n%n",
            f.operator().bytesPerSite(), f.operator().microsPerSite()));
  }

  void probes(ProbeComparison.Figures f) {
    md.append(String.format("## Probing compared (same run, same loopback targets: %s; %d probes/s of each kind for each, "
        + "%d s measured after %d s warm-up)%n%n", String.join(", ", f.kinds()), f.ratePerKind(), f.measureSeconds(),
        f.warmSeconds()))
        .append("| prober | probes | ok | CPU s (whole process, /proc/PID/stat) | probes per core-second | "
            + "latency p50 / p99 ms by target |\n|---|---|---|---|---|---|\n");
    for (var s : f.sides()) {
      md.append(String.format("| %s | %,d | %,d | %.2f | %.0f | %s |%n", s.name(), s.probes(), s.ok(), s.cpuSeconds(),
          s.perCoreSecond(), ProbeComparison.format(s.p50p99ByKind())));
    }
    md.append(String.format("%nThe prober's JVM flags: `%s`. Load average before → after: %s → %s%n%n",
        ProbeComparison.proberJvm(), f.loadBefore(), f.loadAfter()));
  }

  /**
   * "reconciles 40.1 s (19 %), …": each kind's share of the process's CPU, then what threads that
   * have ended used (the total less the live threads' sum).
   */
  static String byThread(Map<String, Double> byKind, double total) {
    if (byKind.isEmpty() || !(total > 0)) {
      return "(the process had ended)";
    }
    List<String> parts = new ArrayList<>();
    double live = 0;
    for (Map.Entry<String, Double> e : byKind.entrySet()) {
      parts.add(String.format("%s %.1f s (%.0f %%)", e.getKey(), e.getValue(), 100 * e.getValue() / total));
      live += e.getValue();
    }
    double ended = Math.max(0, total - live);
    parts.add(String.format("threads that have ended %.1f s (%.0f %%)", ended, 100 * ended / total));
    return String.join(", ", parts);
  }

  void note(String text) {
    md.append(text).append("\n\n");
  }

  void write(Path dir) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("results.md"), md);
    System.out.println(md);
  }

  /**
   * Which processor: two cores of one generation can do twice the work of two of another, so a
   * figure means little without it (the flags and vulnerability lines are left out).
   */
  static String processor() {
    List<String> kept = List.of("Model name:", "CPU family:", "Model:", "Thread(s) per core:", "BogoMIPS:",
        "Hypervisor vendor:", "L2 cache:", "L3 cache:");
    StringBuilder lines = new StringBuilder();
    run("lscpu").lines().filter(l -> kept.stream().anyMatch(l::startsWith))
        .forEach(l -> lines.append(l.replaceAll("\\s{2,}", " ")).append('\n'));
    return lines.isEmpty() ? "(lscpu printed none of its processor lines)\n" : lines.toString();
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
