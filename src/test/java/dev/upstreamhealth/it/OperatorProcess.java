package dev.upstreamhealth.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The jar users run, as a process of its own, against an API server named by a kubeconfig. */
final class OperatorProcess implements AutoCloseable {
  final Process process;
  final Path log;

  private OperatorProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  static Path jar() {
    return Path.of(System.getProperty("operator.jar", "target/upstream-health-operator.jar"));
  }

  static OperatorProcess start(Path dir, String apiServerUrl, String logName, String... args) throws IOException {
    Path log = dir.resolve(logName);
    List<String> command = new ArrayList<>(List.of(javaBinary(), "-jar", jar().toString()));
    command.addAll(List.of(args));
    command.add("--probe-allow-loopback"); // every test server is on 127.0.0.x
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().put("KUBECONFIG", kubeconfig(dir, apiServerUrl).toString());
    return new OperatorProcess(builder.start(), log);
  }

  String log() throws IOException {
    return Files.readString(log);
  }

  /** SIGKILL: no shutdown hook runs, nothing is flushed or handed back. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(20, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill();
    }
  }

  static Path kubeconfig(Path dir, String url) throws IOException {
    String server = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    Path file = dir.resolve("kubeconfig");
    Files.writeString(file, """
        apiVersion: v1
        kind: Config
        clusters:
        - name: embedded
          cluster:
            server: %s
        users:
        - name: embedded
          user: {}
        contexts:
        - name: embedded
          context: {cluster: embedded, user: embedded, namespace: default}
        current-context: embedded
        """.formatted(server));
    return file;
  }

  private static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
