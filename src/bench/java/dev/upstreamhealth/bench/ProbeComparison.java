package dev.upstreamhealth.bench;

import dev.upstreamhealth.loopback.Behaviour;
import dev.upstreamhealth.loopback.CertificateAuthority;
import dev.upstreamhealth.loopback.LoopbackServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The operator's prober ({@link ProberProcess}: NettyProber under ProbeScheduler, its own JVM)
 * and Prometheus's blackbox exporter, at the same time, against the same loopback targets (plain
 * HTTP, HTTPS with a CA both trust, and one answering after 250 ms), at the same rate of probes
 * per target kind. CPU is whole-process user+system time from /proc/PID/stat for both, read over
 * the same window. The blackbox exporter's probes are requested by this process, as Prometheus
 * would scrape them; the prober's are timed by its own scheduler.
 */
final class ProbeComparison {
  static final String HOST = "probe.example.com";

  record Side(String name, long probes, long ok, double cpuSeconds, double seconds, Map<String, double[]> p50p99ByKind) {
    double perCoreSecond() {
      return probes / cpuSeconds;
    }
  }

  record Figures(List<String> kinds, int ratePerKind, long warmSeconds, long measureSeconds, List<Side> sides, String loadBefore, String loadAfter) {
  }

  static Figures run(Path workDir, int ratePerKind, long warm, long measure) throws Exception {
    Files.createDirectories(workDir);
    String loadBefore = ProcessCpu.loadAverage();
    CertificateAuthority ca = CertificateAuthority.create("bench probe CA");
    Path caPem = workDir.resolve("probe-ca.pem");
    Files.writeString(caPem, ca.pem());
    try (LoopbackServer plain = LoopbackServer.http("127.0.0.50", 0, Behaviour.status(200));
        LoopbackServer tls = LoopbackServer.https("127.0.0.51", 0, ca.issue(HOST), Behaviour.status(200));
        SlowServer slow = new SlowServer("127.0.0.52", Duration.ofMillis(250));
        BlackboxExporter exporter = BlackboxExporter.startOrNull(workDir, caPem, HOST)) {
      List<Target> targets = compared(List.of(
          new Target("http", "http", "127.0.0.50", plain.port()),
          new Target("https", "https", "127.0.0.51", tls.port()),
          new Target("slow", "http", "127.0.0.52", slow.port())));
      Map<String, String> urls = new LinkedHashMap<>();
      targets.forEach(t -> urls.put(t.kind(), t.scheme() + "://" + t.address() + ":" + t.port()));

      // A listener is not always reachable the moment it is bound here: wait until each target
      // answers a probe of the exporter (or a plain request), so neither side starts on refusals.
      awaitReachable(exporter, urls);

      List<String> command = ImageJava.command();
      command.addAll(List.of(proberJvm().trim().split("\\s+")));
      command.addAll(List.of("-cp", System.getProperty("java.class.path"),
          ProberProcess.class.getName(), caPem.toString(), Long.toString(warm), Long.toString(measure)));
      targets.forEach(t -> command.addAll(
          List.of(t.kind(), t.scheme(), t.address(), Integer.toString(t.port()), HOST, Integer.toString(ratePerKind))));
      Process prober = new ProcessBuilder(command).redirectError(workDir.resolve("prober.log").toFile()).start();

      // The blackbox exporter gets the same rate: ratePerKind probes a second of each kind.
      BlackboxLoad load = exporter == null ? null : new BlackboxLoad(exporter, urls, ratePerKind);
      BufferedReader out = new BufferedReader(new InputStreamReader(prober.getInputStream()));
      double proberCpu0 = 0;
      double exporterCpu0 = 0;
      long t0 = 0;
      double proberCpu = 0;
      double exporterCpu = 0;
      double seconds = 0;
      Map<String, double[]> proberLatency = new LinkedHashMap<>();
      long proberProbes = 0;
      long proberOk = 0;
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        if (line.equals("MEASURING")) {
          proberCpu0 = ProcessCpu.seconds(prober.pid());
          exporterCpu0 = exporter == null ? 0 : ProcessCpu.seconds(exporter.pid());
          t0 = System.nanoTime();
          if (load != null) {
            load.measuring(true);
          }
        } else if (line.equals("DONE")) {
          proberCpu = ProcessCpu.seconds(prober.pid()) - proberCpu0;
          exporterCpu = exporter == null ? 0 : ProcessCpu.seconds(exporter.pid()) - exporterCpu0;
          seconds = (System.nanoTime() - t0) / 1e9;
          if (load != null) {
            load.measuring(false);
          }
        } else if (line.startsWith("RESULT ")) {
          String[] f = line.split(" ");
          proberProbes += Long.parseLong(f[2]);
          proberOk += Long.parseLong(f[3]);
          proberLatency.put(f[1], new double[] {Double.parseDouble(f[4]), Double.parseDouble(f[5])});
        }
      }
      prober.waitFor(30, TimeUnit.SECONDS);
      List<Side> sides = new ArrayList<>();
      sides.add(new Side("this operator's prober (NettyProber + ProbeScheduler, own JVM)", proberProbes, proberOk,
          proberCpu, seconds, proberLatency));
      if (load != null) {
        load.close();
        if (!load.failures.isEmpty()) {
          ScaleBench.log("blackbox exporter requests that failed: %s", load.failures);
        }
        sides.add(new Side("prometheus-blackbox-exporter " + BlackboxExporter.version(), load.probes.get(), load.ok.get(),
            exporterCpu, seconds, load.latencies()));
      }
      for (Side s : sides) {
        ScaleBench.log("%s: %,d probes (%,d ok) in %.0f s, %.2f CPU s: %.0f probes per core-second; p50/p99 ms %s",
            s.name(), s.probes(), s.ok(), s.seconds(), s.cpuSeconds(), s.perCoreSecond(), format(s.p50p99ByKind()));
      }
      return new Figures(List.copyOf(urls.keySet()), ratePerKind, warm, measure, sides, loadBefore, ProcessCpu.loadAverage());
    }
  }

  /** One kind of loopback target, as both sides are told it. */
  private record Target(String kind, String scheme, String address, int port) {}

  /**
   * The kinds {@code -Dbench.compareKinds} names (default all three): one kind alone shows what
   * each side spends on it, which the mix's single ratio cannot.
   */
  private static List<Target> compared(List<Target> all) {
    List<String> kinds = List.of(System.getProperty("bench.compareKinds", "http,https,slow").split(","));
    List<Target> chosen = all.stream().filter(t -> kinds.contains(t.kind())).toList();
    if (chosen.size() != kinds.size()) {
      throw new IllegalArgumentException("bench.compareKinds: " + kinds + "; the kinds are http, https and slow");
    }
    return chosen;
  }

  /** The prober process's JVM flags: by default the chart's container (512 MiB) and collector. */
  static String proberJvm() {
    return System.getProperty("bench.proberJvm", OperatorProcess.CHART_CONTAINER_JVM);
  }

  private static void awaitReachable(BlackboxExporter exporter, Map<String, String> urls) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    for (Map.Entry<String, String> e : urls.entrySet()) {
      String module = e.getKey().equals("https") ? "https_2xx" : "http_2xx";
      while (System.nanoTime() < deadline) {
        if (exporter == null) {
          break;
        }
        String body = http.send(HttpRequest.newBuilder(URI.create(exporter.probeUrl(module,
            URLEncoder.encode(e.getValue() + "/", StandardCharsets.UTF_8)))).build(),
            HttpResponse.BodyHandlers.ofString()).body();
        if (body.contains("\nprobe_success 1")) {
          break;
        }
        Thread.sleep(500);
      }
    }
  }

  static String format(Map<String, double[]> byKind) {
    StringBuilder b = new StringBuilder();
    byKind.forEach((k, v) -> b.append(b.length() == 0 ? "" : ", ").append(String.format("%s %.1f/%.1f", k, v[0], v[1])));
    return b.toString();
  }

  /** Requests /probe of each kind at a fixed rate, as a Prometheus scraping that many targets would. */
  static final class BlackboxLoad implements AutoCloseable {
    private static final Pattern DURATION = Pattern.compile("\nprobe_duration_seconds ([0-9.e+-]+)");
    final AtomicLong probes = new AtomicLong();
    final AtomicLong ok = new AtomicLong();
    final Map<String, Long> failures = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, Percentiles> latency = new LinkedHashMap<>();
    private volatile boolean measuring;
    private final ScheduledExecutorService ticks = Executors.newScheduledThreadPool(2);
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .executor(Executors.newFixedThreadPool(4)).build();

    BlackboxLoad(BlackboxExporter exporter, Map<String, String> urls, int ratePerKind) {
      urls.forEach((kind, url) -> {
        latency.put(kind, new Percentiles());
        String module = kind.equals("https") ? "https_2xx" : "http_2xx";
        long periodMicros = 1_000_000L / ratePerKind;
        AtomicLong n = new AtomicLong();
        ticks.scheduleAtFixedRate(() -> {
          // A path per target, as the prober has: ratePerKind distinct targets each once a second.
          String target = url + "/" + kind + "/" + (n.getAndIncrement() % ratePerKind);
          URI uri = URI.create(exporter.probeUrl(module, URLEncoder.encode(target, StandardCharsets.UTF_8)));
          boolean counted = measuring;
          http.sendAsync(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
              HttpResponse.BodyHandlers.ofString()).whenComplete((r, e) -> {
                if (!counted) {
                  return;
                }
                probes.incrementAndGet();
                if (e != null) {
                  failures.merge(e.getClass().getSimpleName() + ": " + e.getMessage(), 1L, Long::sum);
                }
                if (r != null && r.body().contains("\nprobe_success 1")) {
                  ok.incrementAndGet();
                }
                Matcher m = r == null ? null : DURATION.matcher(r.body());
                if (m != null && m.find()) {
                  latency.get(kind).add(Double.parseDouble(m.group(1)) * 1000);
                }
              });
        }, 0, periodMicros, TimeUnit.MICROSECONDS);
      });
    }

    void measuring(boolean on) {
      measuring = on;
    }

    Map<String, double[]> latencies() {
      Map<String, double[]> out = new LinkedHashMap<>();
      latency.forEach((k, p) -> out.put(k, new double[] {p.at(50), p.at(99)}));
      return out;
    }

    @Override
    public void close() throws InterruptedException {
      ticks.shutdownNow();
      Thread.sleep(1000);
    }
  }

  private ProbeComparison() {
  }
}
