package dev.upstreamhealth.bench;

import dev.upstreamhealth.api.SiteRef;
import dev.upstreamhealth.probe.NettyProber;
import dev.upstreamhealth.probe.ProbeLayer;
import dev.upstreamhealth.probe.ProbePlan;
import dev.upstreamhealth.probe.ProbeScheduler;
import dev.upstreamhealth.probe.ProbeTarget;
import dev.upstreamhealth.probe.Scheme;
import dev.upstreamhealth.probe.StatusRanges;
import java.io.FileInputStream;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

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
    AtomicBoolean measuring = new AtomicBoolean();
    Map<Integer, String> kindByPort = new ConcurrentHashMap<>();
    Map<String, Percentiles> latency = new ConcurrentHashMap<>();
    Map<String, java.util.concurrent.atomic.AtomicLong> ok = new ConcurrentHashMap<>();
    Map<String, Long> outcomes = new ConcurrentHashMap<>();
    try (NettyProber prober = new NettyProber(List.of(ca));
        ProbeScheduler scheduler = new ProbeScheduler(prober, 256, 8, site -> { }, result -> {
          if (measuring.get()) {
            String kind = kindByPort.get(result.target().port());
            latency.computeIfAbsent(kind, k -> new Percentiles()).add(result.latency().toNanos() / 1e6);
            outcomes.merge(kind + " " + result.outcome(), 1L, Long::sum);
            if (result.responded() && StatusRanges.DEFAULT.contains(result.statusCode())) {
              ok.computeIfAbsent(kind, k -> new java.util.concurrent.atomic.AtomicLong()).incrementAndGet();
            }
          }
        })) {
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
      measuring.set(true);
      System.out.println("MEASURING");
      System.out.flush();
      Thread.sleep(measure * 1000);
      measuring.set(false);
      System.out.println("DONE");
      System.out.flush();
      System.err.println("outcomes " + outcomes);
      for (Map.Entry<String, Percentiles> e : latency.entrySet()) {
        Percentiles p = e.getValue();
        long good = ok.containsKey(e.getKey()) ? ok.get(e.getKey()).get() : 0;
        System.out.printf("RESULT %s %d %d %.2f %.2f%n", e.getKey(), p.count(), good, p.at(50), p.at(99));
      }
      System.out.flush();
    }
    System.exit(0);
  }

  private ProberProcess() {
  }
}
