package dev.upstreamhealth.install;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** The real kubectl: CI must have it, a workstation may lack it. */
public final class Kubectl {
  private Kubectl() {}

  /** Fails on CI when kubectl is missing, skips with the reason elsewhere. */
  public static void requireInstalled() {
    String path = System.getenv("PATH");
    boolean installed = path != null && List.of(path.split(File.pathSeparator)).stream()
        .anyMatch(d -> Files.isExecutable(Path.of(d, "kubectl")));
    String message = "kubectl is not on PATH: the kubectl apply checks need it";
    if (!installed && "true".equalsIgnoreCase(System.getenv("CI"))) {
      throw new AssertionError(message);
    }
    Assumptions.assumeTrue(installed, message);
  }

  /** Runs kubectl against {@code kubeconfig}, with its cache in {@code cacheDir}; it must succeed. Its output. */
  public static String run(Path kubeconfig, Path cacheDir, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("kubectl", "--cache-dir", cacheDir.toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("KUBECONFIG", kubeconfig.toString());
    Process process = builder.start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("kubectl finishes").isTrue();
    assertThat(process.exitValue()).as("kubectl %s:%n%s", String.join(" ", args), out).isZero();
    return out;
  }
}
