package dev.upstreamhealth.bench;

import dev.upstreamhealth.api.SiteRef;
import dev.upstreamhealth.probe.ProbeLayer;
import dev.upstreamhealth.probe.ProbePlan;
import dev.upstreamhealth.probe.ProbeResult;
import dev.upstreamhealth.probe.ProbeScheduler;
import dev.upstreamhealth.probe.ProbeTarget;
import dev.upstreamhealth.probe.Scheme;
import dev.upstreamhealth.probe.StatusRanges;
import dev.upstreamhealth.probe.transport.NettyProber;
import dev.upstreamhealth.reconciler.ProbeAddressPolicy;
import java.io.FileInputStream;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The operator's prober in a process of its own, driven by its real scheduler: one Site per
 * target, each probed every second, as the operator would probe Sites with intervalSeconds 1.
 * Args: CA-PEM WARM-SECONDS MEASURE-SECONDS then "kind scheme address port host count" per
 * target kind. Prints MEASURING and DONE (the parent reads this process's CPU between them),
 * then a RESULT line per kind: probes, successes, latency p50 and p99 in ms.
 */
public final class ProberProcess {
  public static void main(String[] args) throws Exception {
    X509Certificate ca;
    try (FileInputStream in = new FileInputStream(args[0])) {
      ca = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
    long warm = Long.parseLong(args[1]);
    long measure = Long.parseLong(args[2]);
    Map<Integer, String> kindByPort = new ConcurrentHashMap<>();
    // Every result is tallied from the first probe on, and the window starts a fresh tally: the
    // same code runs before and during the window, so none of the CPU measured goes to compiling
    // the bench's own bookkeeping when the window opens.
    AtomicReference<Tally> tally = new AtomicReference<>(new Tally());
    // The operator's own address policy, as it runs with --probe-allow-loopback in a cluster whose
    // API server has a Service IP and three endpoints: each probe's address is judged as in the operator.
    ProbeAddressPolicy policy = ProbeAddressPolicy.of(List.of(), List.of(),
        List.of("10.96.0.1", "172.18.0.2", "172.18.0.3", "172.18.0.4"), true);
    try (NettyProber prober = new NettyProber(List.of(ca), policy);
        ProbeScheduler scheduler = new ProbeScheduler(prober, 256, 8, site -> { },
            result -> tally.get().add(kindByPort.get(result.target().port()), result))) {
      int site = 0;
      for (int i = 3; i + 5 < args.length + 1; i += 6) {
        String kind = args[i];
        Scheme scheme = args[i + 1].equals("https") ? Scheme.HTTPS : Scheme.HTTP;
        String address = args[i + 2];
        int port = Integer.parseInt(args[i + 3]);
        String host = args[i + 4];
        int count = Integer.parseInt(args[i + 5]);
        kindByPort.put(port, kind);
        for (int k = 0; k < count; k++) {
          // A path per Site makes each its own target, as distinct Sites are.
          ProbeTarget target = new ProbeTarget(ProbeLayer.ORIGIN, address, port, scheme, host, "/" + kind + "/" + k,
              Duration.ofSeconds(5), "");
          scheduler.apply(new SiteRef("bench", kind + "-" + k), new ProbePlan(List.of(target), Duration.ofSeconds(1), 3, 1,
              StatusRanges.DEFAULT));
          site++;
        }
      }
      Thread.sleep(warm * 1000);
      tally.set(new Tally());
      System.out.println("MEASURING");
      System.out.flush();
      Thread.sleep(measure * 1000);
      Tally measured = tally.getAndSet(new Tally());
      System.out.println("DONE");
      System.out.flush();
      System.err.println("outcomes " + measured.outcomes);
      for (Map.Entry<String, Percentiles> e : measured.latency.entrySet()) {
        Percentiles p = e.getValue();
        AtomicLong good = measured.ok.get(e.getKey());
        System.out.printf("RESULT %s %d %d %.2f %.2f%n", e.getKey(), p.count(), good == null ? 0 : good.get(),
            p.at(50), p.at(99));
      }
      System.out.flush();
    }
    System.exit(0);
  }

  private ProberProcess() {
  }

  /** Latencies, successes and outcomes by kind of target, over one stretch of time. */
  private static final class Tally {
    final Map<String, Percentiles> latency = new ConcurrentHashMap<>();
    final Map<String, AtomicLong> ok = new ConcurrentHashMap<>();
    final Map<String, Long> outcomes = new ConcurrentHashMap<>();

    void add(String kind, ProbeResult result) {
      latency.computeIfAbsent(kind, k -> new Percentiles()).add(result.latency().toNanos() / 1e6);
      outcomes.merge(kind + " " + result.outcome(), 1L, Long::sum);
      if (result.responded() && StatusRanges.DEFAULT.contains(result.statusCode())) {
        ok.computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet();
      }
    }
  }
}
