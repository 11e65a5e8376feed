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
            headers:
              Host: %2$s
        https_2xx:
          prober: http
          timeout: 5s
          http:
            preferred_ip_protocol: ip4
            valid_status_codes: []
            headers:
              Host: %2$s
            tls_config:
              ca_file: %1$s
              server_name: %2$s
      """;

  private final Process process;
  private final int port;

  private BlackboxExporter(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /** Installs the package if needed; null (with the reason logged) when that is not possible. */
  static BlackboxExporter startOrNull(Path workDir, Path caFile, String host) throws Exception {
    if (!Files.isExecutable(Path.of(BINARY)) && !install()) {
      return null;
    }
    Files.createDirectories(workDir);
    Path config = workDir.resolve("blackbox.yml");
    Files.writeString(config, CONFIG.formatted(caFile, host));
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
    ScaleBench.log("blackbox exporter did not listen within 15 s; see %s", workDir.resolve("blackbox.log"));
    return null;
  }

  private static boolean install() throws Exception {
    ScaleBench.log("installing prometheus-blackbox-exporter with apt-get");
    for (List<String> command : List.of(List.of("apt-get", "update", "-qq"),
        List.of("apt-get", "install", "-y", "-qq", "--no-install-recommends", "prometheus-blackbox-exporter"))) {
      ProcessBuilder pb = new ProcessBuilder(command).inheritIO();
      pb.environment().put("DEBIAN_FRONTEND", "noninteractive");
      try {
        if (pb.start().waitFor() != 0) {
          ScaleBench.log("%s failed; the blackbox exporter column stays empty", String.join(" ", command));
          return false;
        }
      } catch (IOException e) {
        ScaleBench.log("cannot run apt-get (%s); the blackbox exporter column stays empty", e.getMessage());
        return false;
      }
    }
    return Files.isExecutable(Path.of(BINARY));
  }

  String probeUrl(String module, String target) {
    return "http://127.0.0.1:" + port + "/probe?module=" + module + "&target=" + target;
  }

  long pid() {
    return process.pid();
  }

  static String version() {
    try {
      Process p = new ProcessBuilder(BINARY, "--version").redirectErrorStream(true).start();
      String first = new String(p.getInputStream().readAllBytes()).lines().findFirst().orElse("");
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("version (\\S+)").matcher(first);
      return m.find() ? m.group(1) : "";
    } catch (IOException e) {
      return "";
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
