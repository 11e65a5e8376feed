package dev.upstreamhealth.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A process's CPU by kind of thread, from /proc/PID/task/TID/stat (user + system, as
 * {@link ProcessCpu} counts the whole process): where a start-up's CPU seconds went without a
 * profiler. A thread that has ended is no longer listed, so its CPU shows only in the process's
 * total: the caller reports that remainder as its own line.
 */
final class ThreadCpu {
  /**
   * Kinds in report order, each by the start of its threads' names (the kernel keeps 15
   * characters). JOSDK's reconcile threads are "ReconcilerExecutor-…" while they reconcile and
   * "pool-N-thread-M" between reconciles, the names of its executors' threads (its few other
   * pools start event sources).
   */
  private static final List<Map.Entry<String, List<String>>> KINDS = List.of(
      Map.entry("reconciles (JOSDK's pools)", List.of("ReconcilerExecu", "pool-")),
      // Fabric8's informers run their handlers on pools named "-<hash>-pool-…", and the client
      // decodes its answers in CompletableFuture stages on the common pool (CommonPoolSizing).
      Map.entry("API client and informers", List.of("JdkHttpClient", "HttpClient-", "-", "ForkJoinPool.co")),
      Map.entry("probes", List.of("probe-")),
      Map.entry("JIT compiler", List.of("C1 CompilerThre", "C2 CompilerThre")),
      Map.entry("garbage collector", List.of("G1 ", "GC Thread")));
  static final String OTHER = "other threads";

  private ThreadCpu() {
  }

  /** CPU seconds by kind of live thread, {@link #OTHER} last; empty once the process is gone. */
  static Map<String, Double> byKind(long pid) {
    Map<String, Double> out = new LinkedHashMap<>();
    KINDS.forEach(kind -> out.put(kind.getKey(), 0.0));
    out.put(OTHER, 0.0);
    try (Stream<Path> tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
      tasks.forEach(task -> {
        try {
          String stat = Files.readString(task.resolve("stat"));
          out.merge(kindOf(ProcessCpu.nameOf(stat)), ProcessCpu.secondsOf(stat), Double::sum);
        } catch (IOException | RuntimeException ended) {
          // the thread ended between the listing and the read: its CPU stays in the process's total
        }
      });
    } catch (IOException | RuntimeException gone) {
      return Map.of();
    }
    return out;
  }

  /**
   * The threads of {@link #OTHER} by name, busiest first, with their CPU seconds: what that line
   * holds (the JVM's own threads, string deduplication, the main thread's class loading).
   */
  static String busiestOthers(long pid, int most) {
    Map<String, Double> byName = new HashMap<>();
    try (Stream<Path> tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
      tasks.forEach(task -> {
        try {
          String stat = Files.readString(task.resolve("stat"));
          String name = ProcessCpu.nameOf(stat);
          if (OTHER.equals(kindOf(name))) {
            byName.merge(name, ProcessCpu.secondsOf(stat), Double::sum);
          }
        } catch (IOException | RuntimeException ended) {
          // the thread ended between the listing and the read
        }
      });
    } catch (IOException | RuntimeException gone) {
      return "(the process had ended)";
    }
    return byName.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed()).limit(most)
        .map(e -> String.format("%s %.1f s", e.getKey(), e.getValue())).collect(Collectors.joining(", "));
  }

  static String kindOf(String threadName) {
    for (Map.Entry<String, List<String>> kind : KINDS) {
      for (String prefix : kind.getValue()) {
        if (threadName.startsWith(prefix)) {
          return kind.getKey();
        }
      }
    }
    return OTHER;
  }
}
