package dev.upstreamhealth.bench;

import dev.upstreamhealth.loopback.Behaviour;
import dev.upstreamhealth.loopback.LoopbackServer;
import dev.upstreamhealth.probe.NettyProber;
import dev.upstreamhealth.probe.ProbeLayer;
import dev.upstreamhealth.probe.ProbeOutcome;
import dev.upstreamhealth.probe.ProbeResult;
import dev.upstreamhealth.probe.ProbeTarget;
import dev.upstreamhealth.probe.Scheme;
import dev.upstreamhealth.probe.StatusRanges;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Probes per second and CPU per probe, NettyProber and the blackbox exporter one after the other
 * against the same loopback server answering 200, each kept at {@link #IN_FLIGHT} probes in flight
 * for a fixed time. Loopback traffic only.
 */
final class ProbeThroughputBench {
  static final int IN_FLIGHT = 64;
  static final Duration WARM_UP = Duration.ofSeconds(5);
  static final Duration MEASURE = Duration.ofSeconds(20);

  record Figures(String name, long probes, long ok, double seconds, double cpuSeconds, String cpuScope) {
    double perSecond() {
      return probes / seconds;
    }

    double cpuMicrosPerProbe() {
      return cpuSeconds * 1e6 / probes;
    }

    double perCoreSecond() {
      return probes / cpuSeconds;
    }
  }

  static List<Figures> run(Path workDir) throws Exception {
    List<Figures> out = new ArrayList<>();
    LoopbackServer target = LoopbackServer.http("127.0.0.50", 0, Behaviour.status(200));
    try {
      out.add(netty(target));
      try (BlackboxExporter exporter = BlackboxExporter.startOrNull(workDir)) {
        if (exporter != null) {
          out.add(blackbox(exporter, target));
        }
      }
    } finally {
      target.close();
    }
    return out;
  }

  private static Figures netty(LoopbackServer server) throws Exception {
    ProbeTarget target = new ProbeTarget(ProbeLayer.ORIGIN, server.address(), server.port(), Scheme.HTTP,
        "bench.example.com", "/", Duration.ofSeconds(5), "");
    StatusRanges expected = StatusRanges.DEFAULT;
    try (NettyProber prober = new NettyProber()) {
      drive(prober, target, expected, WARM_UP, new AtomicLong(), new AtomicLong());
      AtomicLong probes = new AtomicLong();
      AtomicLong ok = new AtomicLong();
      long cpu0 = probeThreadCpu();
      long t0 = System.nanoTime();
      drive(prober, target, expected, MEASURE, probes, ok);
      double seconds = (System.nanoTime() - t0) / 1e9;
      double cpu = (probeThreadCpu() - cpu0) / 1e9;
      Figures f = new Figures("NettyProber (this operator)", probes.get(), ok.get(), seconds, cpu,
          "its event-loop threads (ThreadMXBean)");
      log(f);
      return f;
    }
  }

  /** Keeps IN_FLIGHT probes going for the duration, classifying each result as the operator does. */
  private static void drive(NettyProber prober, ProbeTarget target, StatusRanges expected, Duration duration,
      AtomicLong probes, AtomicLong ok) throws InterruptedException {
    Semaphore slots = new Semaphore(IN_FLIGHT);
    long end = System.nanoTime() + duration.toNanos();
    while (System.nanoTime() < end) {
      slots.acquire();
      prober.probe(target).whenComplete((ProbeResult r, Throwable e) -> {
        probes.incrementAndGet();
        if (r != null && r.outcome() == ProbeOutcome.RESPONDED && expected.contains(r.statusCode())) {
          ok.incrementAndGet();
        }
        slots.release();
      });
    }
    slots.acquire(IN_FLIGHT);
  }

  /** CPU of the prober's own threads ("probe-…"), not the loopback server's or this driver's. */
  private static long probeThreadCpu() {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long sum = 0;
    for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info != null && info.getThreadName().startsWith("probe-")) {
        sum += Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
      }
    }
    return sum;
  }

  private static Figures blackbox(BlackboxExporter exporter, LoopbackServer server) throws Exception {
    URI uri = URI.create(exporter.probeUrl("http://" + server.address() + ":" + server.port() + "/"));
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    loadBlackbox(http, uri, WARM_UP, new AtomicLong(), new AtomicLong());
    AtomicLong probes = new AtomicLong();
    AtomicLong ok = new AtomicLong();
    long cpu0 = exporter.cpuNanos();
    long t0 = System.nanoTime();
    loadBlackbox(http, uri, MEASURE, probes, ok);
    double seconds = (System.nanoTime() - t0) / 1e9;
    double cpu = (exporter.cpuNanos() - cpu0) / 1e9;
    Figures f = new Figures("prometheus-blackbox-exporter " + version(), probes.get(), ok.get(), seconds, cpu,
        "the exporter process (/proc/PID/stat)");
    log(f);
    return f;
  }

  private static void loadBlackbox(HttpClient http, URI uri, Duration duration, AtomicLong probes, AtomicLong ok)
      throws InterruptedException {
    ExecutorService pool = Executors.newFixedThreadPool(IN_FLIGHT);
    long end = System.nanoTime() + duration.toNanos();
    for (int i = 0; i < IN_FLIGHT; i++) {
      pool.submit(() -> {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build();
        while (System.nanoTime() < end) {
          try {
            String body = http.send(request, HttpResponse.BodyHandlers.ofString()).body();
            probes.incrementAndGet();
            if (body.contains("\nprobe_success 1")) {
              ok.incrementAndGet();
            }
          } catch (Exception e) {
            probes.incrementAndGet();
          }
        }
      });
    }
    pool.shutdown();
    pool.awaitTermination(duration.toSeconds() + 30, TimeUnit.SECONDS);
  }

  private static String version() {
    try {
      Process p = new ProcessBuilder(BlackboxExporter.BINARY, "--version").redirectErrorStream(true).start();
      String first = new String(p.getInputStream().readAllBytes()).lines().findFirst().orElse("");
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("version (\\S+)").matcher(first);
      return m.find() ? m.group(1) : "";
    } catch (java.io.IOException e) {
      return "";
    }
  }

  private static void log(Figures f) {
    ClusterBench.log("%s: %d probes (%d ok) in %.1f s = %.0f/s, %.0f µs CPU per probe, %.0f probes per core-second",
        f.name(), f.probes(), f.ok(), f.seconds(), f.perSecond(), f.cpuMicrosPerProbe(), f.perCoreSecond());
  }

  private ProbeThroughputBench() {
  }
}
