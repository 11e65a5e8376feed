package dev.upstreamhealth.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The operator as it runs in a pod: its own JVM, {@code Main operator} with the chart's JVM
 * flags, a kubeconfig naming the bench API server. Its heap and CPU are its own.
 */
final class OperatorProcess implements AutoCloseable {
  /**
   * The chart's container: 768 MiB limit and -XX:MaxRAMPercentage=50, so at most 384 MiB of heap
   * and the rest for what the JVM holds beside it (ProcessMemory), and G1 as the chart names it
   * (the JVM would pick it here only because this machine is bigger).
   */
  static final String CHART_CONTAINER_JVM = "-XX:MaxRAM=768m -XX:+UseG1GC -XX:+UseStringDeduplication -XX:MaxRAMPercentage=50";
  /** The chart's container, and the chart's exit on running out of heap (a pod restarts; a bench run stops). */
  static final String DEFAULT_JVM = CHART_CONTAINER_JVM + " -XX:+ExitOnOutOfMemoryError";

  private static final HttpClient METRICS = HttpClient.newHttpClient();

  final Process process;
  final long startedNanos;
  final Path log;
  private final int metricsPort;

  private OperatorProcess(Process process, long startedNanos, Path log, int metricsPort) {
    this.process = process;
    this.startedNanos = startedNanos;
    this.log = log;
    this.metricsPort = metricsPort;
  }

  static String jvmFlags() {
    return System.getProperty("bench.operatorJvm", DEFAULT_JVM);
  }

  /** Options every operator of the bench gets after its own (-Dbench.operatorArgs), to try a setting. */
  static List<String> extraArgs() {
    String args = System.getProperty("bench.operatorArgs", "").strip();
    return args.isEmpty() ? List.of() : List.of(args.split("\\s+"));
  }

  static OperatorProcess start(String apiUrl, Path workDir, String name, List<String> operatorArgs) throws IOException {
    Files.createDirectories(workDir);
    Path kubeconfig = workDir.resolve(name + ".kubeconfig");
    // A bearer token, as the operator has in a cluster (its service account's): with none, the
    // client re-reads and parses the kubeconfig before every request, which in-cluster it does
    // once a minute. The bench API server does not check it.
    Files.writeString(kubeconfig, """
        apiVersion: v1
        kind: Config
        clusters:
        - name: bench
          cluster:
            server: %s
        contexts:
        - name: bench
          context:
            cluster: bench
            user: bench
            namespace: default
        current-context: bench
        users:
        - name: bench
          user:
            token: bench-operator
        """.formatted(apiUrl));
    List<String> command = ImageJava.command();
    command.addAll(List.of(jvmFlags().strip().split("\\s+")));
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.upstreamhealth.cli.Main", "operator"));
    command.addAll(operatorArgs);
    // A port free now rather than 0: the operator logs at warn, so the port it would pick is
    // nowhere to be read, and metricSum needs it.
    int metricsPort = freePort();
    command.addAll(List.of("--metrics-port", String.valueOf(metricsPort)));
    command.addAll(BenchOrigins.operatorArgs());
    command.addAll(extraArgs());
    Path log = workDir.resolve(name + ".log");
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("KUBECONFIG", kubeconfig.toString());
    pb.environment().remove("KUBERNETES_SERVICE_HOST");
    long t0 = System.nanoTime();
    return new OperatorProcess(pb.start(), t0, log, metricsPort);
  }

  long pid() {
    return process.pid();
  }

  /**
   * The sum over every series of one metric on the operator's /metrics, or NaN when it does not
   * serve them (yet).
   */
  double metricSum(String name) {
    try {
      HttpRequest get = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + "/metrics"))
          .timeout(Duration.ofSeconds(30)).build();
      double sum = 0;
      for (String line : METRICS.send(get, HttpResponse.BodyHandlers.ofLines()).body().toList()) {
        if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
          sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        }
      }
      return sum;
    } catch (IOException e) {
      return Double.NaN;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Double.NaN;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  double cpuSeconds() {
    return ProcessCpu.seconds(process.pid());
  }

  boolean alive() {
    return process.isAlive();
  }

  /** SIGTERM, as Kubernetes stops a pod; then SIGKILL if it has not ended in 20 s. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
