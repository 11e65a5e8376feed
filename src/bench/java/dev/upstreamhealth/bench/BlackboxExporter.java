package dev.upstreamhealth.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Prometheus's blackbox exporter on 127.0.0.1 with an http_2xx module, as the yardstick for probe
 * throughput. Installed from Debian's package when missing (the bench runs as root on the
 * project's machines); its CPU is read from /proc/PID/stat.
 */
final class BlackboxExporter implements AutoCloseable {
  static final String BINARY = "/usr/bin/prometheus-blackbox-exporter";
  private static final String CONFIG = """
      modules:
        http_2xx:
          prober: http
          timeout: 5s
          http:
            preferred_ip_protocol: ip4
            valid_status_codes: []
      """;

  private final Process process;
  private final int port;

  private BlackboxExporter(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /** Installs the package if needed; null (with the reason logged) when that is not possible. */
  static BlackboxExporter startOrNull(Path workDir) throws Exception {
    if (!Files.isExecutable(Path.of(BINARY)) && !install()) {
      return null;
    }
    Files.createDirectories(workDir);
    Path config = workDir.resolve("blackbox.yml");
    Files.writeString(config, CONFIG);
    int port = freePort();
    Process p = new ProcessBuilder(BINARY, "--config.file=" + config, "--web.listen-address=127.0.0.1:" + port,
        "--log.level=warn")
        .redirectErrorStream(true).redirectOutput(workDir.resolve("blackbox.log").toFile()).start();
    BlackboxExporter exporter = new BlackboxExporter(p, port);
    long deadline = System.nanoTime() + 15_000_000_000L;
    while (System.nanoTime() < deadline) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return exporter;
      } catch (IOException notYet) {
        Thread.sleep(100);
      }
    }
    exporter.close();
    ClusterBench.log("blackbox exporter did not listen within 15 s; see %s", workDir.resolve("blackbox.log"));
    return null;
  }

  private static boolean install() throws Exception {
    ClusterBench.log("installing prometheus-blackbox-exporter with apt-get");
    for (List<String> command : List.of(List.of("apt-get", "update", "-qq"),
        List.of("apt-get", "install", "-y", "-qq", "--no-install-recommends", "prometheus-blackbox-exporter"))) {
      ProcessBuilder pb = new ProcessBuilder(command).inheritIO();
      pb.environment().put("DEBIAN_FRONTEND", "noninteractive");
      try {
        if (pb.start().waitFor() != 0) {
          ClusterBench.log("%s failed; the blackbox exporter column stays empty", String.join(" ", command));
          return false;
        }
      } catch (IOException e) {
        ClusterBench.log("cannot run apt-get (%s); the blackbox exporter column stays empty", e.getMessage());
        return false;
      }
    }
    return Files.isExecutable(Path.of(BINARY));
  }

  String probeUrl(String target) {
    return "http://127.0.0.1:" + port + "/probe?module=http_2xx&target=" + target;
  }

  /** User plus system CPU time of the exporter process so far, in nanoseconds. */
  long cpuNanos() throws IOException {
    String stat = Files.readString(Path.of("/proc/" + process.pid() + "/stat"));
    // Fields after the command name, which is in parentheses and may contain spaces.
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
    return ticks * 1_000_000_000L / clockTicksPerSecond();
  }

  private static long clockTicksPerSecond() {
    try {
      Process p = new ProcessBuilder("getconf", "CLK_TCK").start();
      return Long.parseLong(new String(p.getInputStream().readAllBytes()).strip());
    } catch (IOException | NumberFormatException e) {
      return 100;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      return s.getLocalPort();
    }
  }

  @Override
  public void close() {
    process.destroy();
  }
}
