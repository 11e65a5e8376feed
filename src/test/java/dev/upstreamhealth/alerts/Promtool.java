package dev.upstreamhealth.alerts;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** Runs Prometheus's promtool, the real rule engine; CI must have it, a workstation may lack it. */
final class Promtool {
  record Result(int exitCode, String output) {}

  private Promtool() {}

  /** Fails on CI when promtool is missing, skips with the reason elsewhere. */
  static void requireInstalled() {
    boolean installed;
    try {
      installed = run(Path.of("."), "--version").exitCode() == 0;
    } catch (IllegalStateException e) {
      installed = false;
    }
    String message = "promtool is not on PATH; install it with: "
        + "apt-get install -y --no-install-recommends prometheus (or bash .ci/install-tools)";
    if (!installed && "true".equalsIgnoreCase(System.getenv("CI"))) {
      throw new AssertionError(message);
    }
    Assumptions.assumeTrue(installed, message);
  }

  static Result run(Path workingDir, String... args) {
    List<String> command = new ArrayList<>();
    command.add("promtool");
    command.addAll(List.of(args));
    try {
      Process process = new ProcessBuilder(command).directory(workingDir.toFile()).redirectErrorStream(true).start();
      byte[] output = process.getInputStream().readAllBytes();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("promtool " + String.join(" ", args) + " did not finish in 60s");
      }
      return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException("cannot run promtool: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
