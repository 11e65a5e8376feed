package dev.upstreamhealth.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.upstreamhealth.bench.api.BenchApiServer;
import dev.upstreamhealth.bench.api.RequestTally;
import dev.upstreamhealth.demo.EmbeddedApiServer;
import dev.upstreamhealth.loopback.Behaviour;
import dev.upstreamhealth.loopback.LoopbackServer;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClassBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * One size of cluster: the world loaded into a fresh bench API server, the operator started as
 * its own process, then start-up, state-fault and probe-fault detection, an idle window and the
 * retained heap measured, in that order. Probes go to loopback servers in this process.
 */
final class ScaleBench {
  static final String SITES = "upstreamhealth.dev/v1alpha1/sites";
  static final Duration CHANGE_TIMEOUT = Duration.ofSeconds(30);
  static final Duration START_TIMEOUT = Duration.ofMinutes(5);
  static final String OPERATOR_AGENT = "fabric8-kubernetes-client";
  /** One reading of both clocks, to place the status's wall-clock times on the monotonic scale. */
  private static final long WALL_ANCHOR_MILLIS = System.currentTimeMillis();
  private static final long NANOS_AT_WALL_ANCHOR = System.nanoTime();

  record Figures(int sites, long pods, long objects, double loadSeconds, String loadBefore, String loadAfter,
      double firstVerdictSeconds, double allHealthySeconds, double startCpuSeconds, Map<String, Double> startCpuByThread,
      MachineCpu.Share startBeside, StartNoise startNoise,
      Map<ClusterChange, Percentiles> detection, Percentiles allDetection, Percentiles recovery, int timeouts,
      Percentiles probeDetection, ProbeFaultParts probeParts, double probeBudgetMillis, int probeTimeouts,
      long idleSeconds, long idleStatusWrites, long idleEvents, long idleRequests, Map<String, Long> idleRequestsByKind,
      double idleCpuSeconds, long idleProbes, ClassHistogram heap, ProcessMemory memory, boolean survived) {

    double requestsPerSitePerHour() {
      return idleRequests * 3600.0 / idleSeconds / sites;
    }

    double cpuMicrosPerProbe() {
      return idleCpuSeconds * 1e6 / Math.max(1, idleProbes);
    }
  }

  /** What the status watch of the bench API server has seen, per Site. */
  static final class Verdicts implements BenchApiServer.StatusListener {
    final Map<String, String> last = new ConcurrentHashMap<>();
    /** Sites that have shown a verdict: a fault or None, not Unknown (waiting for caches or a first probe). */
    final Set<String> judged = ConcurrentHashMap.newKeySet();
    final Set<String> healthy = ConcurrentHashMap.newKeySet();
    /** Sites that have shown a fault (not None, not Unknown) since the last {@link #forgetShown}. */
    final Set<String> faulted = ConcurrentHashMap.newKeySet();
    /** Sites that have shown Unknown (waiting, caches not synced) since the last {@link #forgetShown}. */
    final Set<String> unknown = ConcurrentHashMap.newKeySet();
    /** When each Site's first status write, and its first verdict, arrived ({@link System#nanoTime()}). */
    final Map<String, Long> firstWritten = new ConcurrentHashMap<>();
    final Map<String, Long> firstJudged = new ConcurrentHashMap<>();
    private final Map<String, Expectation> waiting = new ConcurrentHashMap<>();

    private record Expectation(Predicate<String> accepts, CompletableFuture<Seen> at) {
    }

    /** A status write as it arrived: when ({@link System#nanoTime()}) and what it said. */
    record Seen(long atNanos, JsonNode status) {
    }

    @Override
    public void statusWritten(String namespace, String name, JsonNode status, long atNanos) {
      String key = namespace + "/" + name;
      String verdict = status.path("fault").asText() + "/" + status.path("reason").asText();
      last.put(key, verdict);
      firstWritten.putIfAbsent(key, atNanos);
      String fault = status.path("fault").asText();
      if (fault.equals("Unknown")) {
        unknown.add(key);
      } else {
        firstJudged.putIfAbsent(key, atNanos);
        judged.add(key);
        if (!fault.equals("None")) {
          faulted.add(key);
        }
      }
      if (verdict.equals("None/Healthy")) {
        healthy.add(key);
      } else {
        healthy.remove(key);
      }
      Expectation e = waiting.get(key);
      if (e != null && e.accepts.test(verdict)) {
        waiting.remove(key, e);
        e.at.complete(new Seen(atNanos, status));
      }
    }

    /** Call before the write: completes with when the first status write that passes arrived. */
    CompletableFuture<Seen> expect(String key, Predicate<String> accepts) {
      Expectation e = new Expectation(accepts, new CompletableFuture<>());
      waiting.put(key, e);
      return e.at;
    }

    void reset() {
      last.clear();
      firstWritten.clear();
      firstJudged.clear();
      judged.clear();
      healthy.clear();
      forgetShown();
    }

    /** Starts counting the Sites shown a fault or Unknown afresh; what each Site shows now is kept. */
    void forgetShown() {
      faulted.clear();
      unknown.clear();
    }
  }

  /**
   * What a start (or restart) of the operator showed in a world where nothing is wrong: every
   * status write, every Event and every Site shown a fault is noise there, and a Site shown a
   * fault is a false page.
   */
  record StartNoise(long statusWrites, long events, int sitesShownFault, int sitesShownUnknown,
      Map<String, Long> requests) {
    static StartNoise since(Map<String, Long> before, BenchApiServer server, Verdicts verdicts) {
      Map<String, Long> requests = RequestTally.since(before, server.tally().snapshot());
      return new StartNoise(RequestTally.total(requests, OPERATOR_AGENT, Set.of("PATCH", "PUT"), "sites"),
          RequestTally.total(requests, OPERATOR_AGENT, Set.of("POST", "PATCH", "PUT"), "events"),
          verdicts.faulted.size(), verdicts.unknown.size(), requests);
    }
  }

  /** The loopback servers every Site is probed against. */
  static final class Targets implements AutoCloseable {
    final List<LoopbackServer> origins = new ArrayList<>();
    final LoopbackServer pods;
    final List<LoopbackServer> faultOrigins = new ArrayList<>();
    final List<String> faultIps = new ArrayList<>();
    final List<Integer> faultPorts = new ArrayList<>();

    Targets(int faultSites) {
      for (String ip : BenchMain.ORIGIN_IPS) {
        origins.add(BenchOrigins.server(ip, 0));
      }
      // Every pod has its own 127.x address: one listener on the wildcard address answers them all.
      pods = LoopbackServer.http("0.0.0.0", 0, Behaviour.status(200));
      for (int i = 0; i < faultSites; i++) {
        String ip = "127.0.2." + (i + 1);
        LoopbackServer s = BenchOrigins.server(ip, 0);
        faultOrigins.add(s);
        faultIps.add(ip);
        faultPorts.add(s.port());
      }
    }

    long requests() {
      return origins.stream().mapToLong(LoopbackServer::requests).sum() + pods.requests()
          + faultOrigins.stream().mapToLong(LoopbackServer::requests).sum();
    }

    BenchWorld world(int sites) {
      return new BenchWorld(sites, BenchMain.ORIGIN_IPS, origins.stream().map(LoopbackServer::port).toList(),
          pods.port(), faultIps.subList(0, Math.min(sites, faultIps.size())),
          faultPorts.subList(0, Math.min(sites, faultPorts.size())));
    }

    @Override
    public void close() {
      origins.forEach(LoopbackServer::close);
      pods.close();
      faultOrigins.forEach(LoopbackServer::close);
    }
  }

  private final BenchWorld world;
  private final Targets targets;
  private final int changes;
  private final int probeRounds;
  private final Duration idle;
  private final Path workDir;

  ScaleBench(BenchWorld world, Targets targets, int changes, int probeRounds, Duration idle, Path workDir) {
    this.world = world;
    this.targets = targets;
    this.changes = changes;
    this.probeRounds = probeRounds;
    this.idle = idle;
    this.workDir = workDir;
  }

  static BenchApiServer serverWithCrd() {
    BenchApiServer server = BenchApiServer.start(Duration.ofMinutes(1));
    server.create(EmbeddedApiServer.siteCrd());
    server.create(new IngressClassBuilder().withNewMetadata().withName("nginx").endMetadata()
        .withNewSpec().withController("k8s.io/ingress-nginx").endSpec().build());
    return server;
  }

  /** Runs one size; {@code afterwards} gets the loaded server (for sharding) before it closes. */
  Figures run(ServerUse afterwards) throws Exception {
    int n = world.sites();
    String loadBefore = ProcessCpu.loadAverage();
    try (BenchApiServer server = serverWithCrd()) {
      Verdicts verdicts = new Verdicts();
      server.onStatusWritten(verdicts);
      long l0 = System.nanoTime();
      long objects = world.load(server);
      double loadSeconds = seconds(System.nanoTime() - l0);
      long pods = server.count("core/v1/pods");
      log("%,d Sites: %,d objects (%,d pods) in the bench API server after %.1f s", n, objects, pods, loadSeconds);

      Figures f;
      Map<String, Long> beforeStart = server.tally().snapshot();
      try (OperatorProcess operator = OperatorProcess.start(server.url(), workDir, "operator-" + n,
          List.of("--probe-allow-loopback"))) {
        long t0 = operator.startedNanos;
        MachineCpu beside = MachineCpu.now();
        double first = awaitSeconds(t0, () -> verdicts.judged.size() >= n, START_TIMEOUT);
        double healthy = awaitSeconds(t0, () -> verdicts.healthy.size() >= n, START_TIMEOUT);
        double startCpu = operator.cpuSeconds();
        MachineCpu.Share startShare = beside.since();
        double reconciles = operator.metricSum("operator_sdk_reconciliations_started_total");
        double eventsReceived = operator.metricSum("operator_sdk_events_received_total");
        Map<String, Double> startByThread = ThreadCpu.byKind(operator.pid());
        String startOthers = ThreadCpu.busiestOthers(operator.pid(), 8);
        StartNoise noise = StartNoise.since(beforeStart, server, verdicts);
        if (noise.statusWrites() < verdicts.judged.size()) {
          // Each Site judged took at least one status write: fewer means the tally lost them.
          throw new IllegalStateException("the request tally counted " + noise.statusWrites()
              + " status writes for " + verdicts.judged.size() + " Sites judged");
        }
        log("%,d Sites: every Site's first verdict %.1f s after the process started, every Site Healthy after %.1f s "
            + "(%.1f CPU s); on the way %,d status writes, %d Events, %d Sites shown a fault", n, first, healthy, startCpu,
            noise.statusWrites(), noise.events(), noise.sitesShownFault());
        double probes = operator.metricSum("upstreamhealth_probe_duration_seconds_count");
        log("%,d Sites: start-up CPU by thread: %s", n, BenchReport.byThread(startByThread, startCpu));
        log("%,d Sites: meanwhile %s", n, startShare.described(startCpu));
        log("%,d Sites: start-up CPU of the other threads, busiest first: %s", n, startOthers);
        log("%,d Sites: on the way, the first status write of 10/50/90/100 %% of Sites after %s s, their first verdict"
            + " after %s s; %,.0f probes by then, %.1f ms each on average", n, shares(t0, verdicts.firstWritten),
            shares(t0, verdicts.firstJudged), probes, 1000 * operator.metricSum("upstreamhealth_probe_duration_seconds_sum")
                / probes);
        log("%,d Sites: by the time every Site was Healthy, %,.0f reconciles (%.2f per Site) for %,.0f events received", n,
            reconciles, reconciles / n, eventsReceived);

        // State faults, one at a time, each repaired before the next.
        Map<ClusterChange, Percentiles> detection = new EnumMap<>(ClusterChange.class);
        Percentiles all = new Percentiles();
        Percentiles recovery = new Percentiles();
        int timeouts = 0;
        int first0 = world.probeFaultSites() < n ? world.probeFaultSites() : 0;
        for (int k = 0; k < changes && operator.alive(); k++) {
          ClusterChange change = ClusterChange.values()[k % ClusterChange.values().length];
          int site = first0 + (int) ((k * 7919L) % (n - first0));
          String key = BenchWorld.key(world.fixture(site));
          Double broke = timed(verdicts, key, v -> !v.startsWith("None/"), () -> change.breakSite(server, world, site));
          Double repaired = timed(verdicts, key, "None/Healthy"::equals, () -> change.repairSite(server, world, site));
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
        log("%,d Sites: state faults detected p50 %.0f ms p99 %.0f ms over %d changes (%d timed out)",
            n, all.at(50), all.at(99), all.count(), timeouts);

        // Probe faults: the Sites with an origin of their own see it refuse connections.
        Percentiles probe = new Percentiles();
        ProbeFaultParts parts = new ProbeFaultParts(new Percentiles(), new Percentiles());
        int probeTimeouts = probeFaults(verdicts, probe, parts);
        double budget = (BenchWorld.PROBE_FAULT_THRESHOLD * BenchWorld.PROBE_FAULT_INTERVAL_SECONDS + 1) * 1000.0;
        log("%,d Sites: origin refusing detected p50 %.0f ms p99 %.0f ms over %d (budget %.0f ms, %d timed out); "
            + "the confirming probe p50 %.0f p99 %.0f ms after the fault, its status p50 %.0f p99 %.0f ms after the probe",
            n, probe.at(50), probe.at(99), probe.count(), budget, probeTimeouts, parts.confirmed().at(50),
            parts.confirmed().at(99), parts.told().at(50), parts.told().at(99));

        // Idle: every Site healthy, probes running, nothing changing.
        awaitSeconds(System.nanoTime(), () -> verdicts.healthy.size() >= n, Duration.ofMinutes(2));
        sleep(Duration.ofSeconds(5));
        Map<String, Long> r0 = server.tally().snapshot();
        double c0 = operator.cpuSeconds();
        long p0 = targets.requests();
        sleep(idle);
        Map<String, Long> idleRequests = RequestTally.since(r0, server.tally().snapshot());
        double idleCpu = operator.cpuSeconds() - c0;
        long idleProbes = targets.requests() - p0;
        long writes = RequestTally.total(idleRequests, OPERATOR_AGENT, Set.of("PATCH", "PUT"), "sites");
        long events = RequestTally.total(idleRequests, OPERATOR_AGENT, Set.of("POST", "PATCH", "PUT"), "events");
        long requests = RequestTally.total(idleRequests, OPERATOR_AGENT, null, null);
        log("%,d Sites: idle %d s: %d status writes, %d Events, %d API requests %s, %.1f CPU s for %,d probes",
            n, idle.toSeconds(), writes, events, requests, idleRequests, idleCpu, idleProbes);

        ClassHistogram heap = operator.alive() ? ClassHistogram.of(operator.pid(), operator.log.resolveSibling("histogram-" + n + ".txt")) : null;
        ProcessMemory memory = operator.alive() ? ProcessMemory.of(operator.pid()) : new ProcessMemory(0, 0, 0);
        if (heap != null) {
          log("%,d Sites: retained heap %.1f MiB, process resident %s; top: %s", n, ClassHistogram.mib(heap.totalBytes()),
              memory.describe(), heap.top(8));
        }
        boolean survived = operator.alive();
        if (!survived) {
          log("%,d Sites: the operator process ended (exit %d); see %s", n, operator.process.exitValue(), operator.log);
        }
        f = new Figures(n, pods, objects, loadSeconds, loadBefore, ProcessCpu.loadAverage(), first, healthy, startCpu,
            startByThread, startShare, noise, detection, all, recovery, timeouts, probe, parts, budget, probeTimeouts, idle.toSeconds(), writes, events, requests,
            idleRequests, idleCpu, idleProbes, heap, memory, survived);
      }
      afterwards.use(server, verdicts, f);
      return f;
    }
  }

  interface ServerUse {
    void use(BenchApiServer server, Verdicts verdicts, Figures figures) throws Exception;
  }

  /**
   * Where a refused origin's detection time goes: from the fault to the probe that confirmed it
   * ({@code probedAt} of the origin probe in the status), and from that probe to its status write.
   * {@code probedAt} has whole seconds, so each part is known to a second.
   */
  record ProbeFaultParts(Percentiles confirmed, Percentiles told) {
  }

  /** Rounds of: every fault Site's origin stops listening at once; each timed to its 521; all restored. */
  private int probeFaults(Verdicts verdicts, Percentiles out, ProbeFaultParts parts) throws Exception {
    int sites = world.probeFaultSites();
    int timeouts = 0;
    Duration limit = Duration.ofSeconds(BenchWorld.PROBE_FAULT_THRESHOLD * BenchWorld.PROBE_FAULT_INTERVAL_SECONDS + 30L);
    for (int round = 0; round < probeRounds; round++) {
      List<CompletableFuture<Verdicts.Seen>> seen = new ArrayList<>();
      List<Long> closedAt = new ArrayList<>();
      for (int i = 0; i < sites; i++) {
        seen.add(verdicts.expect(BenchWorld.key(world.fixture(i)), v -> v.startsWith("521/")));
      }
      for (int i = 0; i < sites; i++) {
        targets.faultOrigins.get(i).close();
        closedAt.add(System.nanoTime());
      }
      for (int i = 0; i < sites; i++) {
        try {
          Verdicts.Seen at = seen.get(i).get(limit.toMillis(), TimeUnit.MILLISECONDS);
          out.add((at.atNanos() - closedAt.get(i)) / 1e6);
          Long probedAt = originProbedAtNanos(at.status());
          if (probedAt != null) {
            parts.confirmed().add((probedAt - closedAt.get(i)) / 1e6);
            parts.told().add((at.atNanos() - probedAt) / 1e6);
          }
        } catch (java.util.concurrent.TimeoutException e) {
          timeouts++;
          log("no 521 for %s within %s (last %s)", BenchWorld.key(world.fixture(i)), limit,
              verdicts.last.get(BenchWorld.key(world.fixture(i))));
        }
      }
      List<CompletableFuture<Verdicts.Seen>> back = new ArrayList<>();
      for (int i = 0; i < sites; i++) {
        back.add(verdicts.expect(BenchWorld.key(world.fixture(i)), "None/Healthy"::equals));
        targets.faultOrigins.set(i, BenchOrigins.server(targets.faultIps.get(i), targets.faultPorts.get(i)));
      }
      for (CompletableFuture<Verdicts.Seen> b : back) {
        try {
          b.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
          timeouts++;
        }
      }
    }
    return timeouts;
  }

  private static Double timed(Verdicts verdicts, String key, Predicate<String> expected, java.util.function.LongSupplier write)
      throws InterruptedException {
    CompletableFuture<Verdicts.Seen> seen = verdicts.expect(key, expected);
    long start = write.getAsLong();
    try {
      long at = seen.get(CHANGE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).atNanos();
      return (at - start) / 1e6;
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      log("no expected status for %s within %s (last seen %s)", key, CHANGE_TIMEOUT, verdicts.last.get(key));
      return null;
    }
  }

  /** When the origin probe shown in {@code status} ran, on the {@link System#nanoTime()} scale. */
  private static Long originProbedAtNanos(JsonNode status) {
    for (JsonNode probe : status.path("probes")) {
      if (probe.path("layer").asText().equals("origin") && probe.hasNonNull("probedAt")) {
        long epochMillis = java.time.Instant.parse(probe.get("probedAt").asText()).toEpochMilli();
        return NANOS_AT_WALL_ANCHOR + (epochMillis - WALL_ANCHOR_MILLIS) * 1_000_000;
      }
    }
    return null;
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

  static void sleep(Duration d) throws InterruptedException {
    Thread.sleep(d.toMillis());
  }

  /** When 10, 50, 90 and 100 % of the times in {@code at} had come, in seconds after {@code t0}. */
  static String shares(long t0, Map<String, Long> at) {
    long[] sorted = at.values().stream().mapToLong(t -> t - t0).sorted().toArray();
    if (sorted.length == 0) {
      return "-";
    }
    StringBuilder out = new StringBuilder();
    for (double share : new double[] {0.1, 0.5, 0.9, 1.0}) {
      int i = Math.max(0, (int) Math.ceil(share * sorted.length) - 1);
      out.append(out.isEmpty() ? "" : "/").append(String.format(Locale.ROOT, "%.1f", seconds(sorted[i])));
    }
    return out.toString();
  }

  static double seconds(long nanos) {
    return nanos / 1e9;
  }

  static void log(String format, Object... args) {
    System.out.printf("[bench] " + format + "%n", args);
  }
}
