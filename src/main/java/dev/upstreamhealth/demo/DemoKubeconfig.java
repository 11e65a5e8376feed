package dev.upstreamhealth.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A kubeconfig for the embedded API server, so kubectl can look at what the operator writes. */
public final class DemoKubeconfig {
  private DemoKubeconfig() {}

  /** Writes it to {@code file} (parents created) and returns the path. */
  public static Path write(Path file, String serverUrl) {
    String server = serverUrl.endsWith("/") ? serverUrl.substring(0, serverUrl.length() - 1) : serverUrl;
    String text = """
        apiVersion: v1
        kind: Config
        clusters:
        - name: upstream-health-demo
          cluster:
            server: %s
        users:
        - name: upstream-health-demo
          user: {}
        contexts:
        - name: upstream-health-demo
          context:
            cluster: upstream-health-demo
            user: upstream-health-demo
        current-context: upstream-health-demo
        """.formatted(server);
    try {
      if (file.toAbsolutePath().getParent() != null) {
        Files.createDirectories(file.toAbsolutePath().getParent());
      }
      Files.writeString(file, text);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the demo kubeconfig to " + file, e);
    }
  }

  /** A fresh file in a temporary directory of its own. */
  public static Path writeTemporary(String serverUrl) {
    try {
      return write(Files.createTempDirectory("upstream-health-demo").resolve("kubeconfig"), serverUrl);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temporary directory for the demo kubeconfig", e);
    }
  }

  /** Removes the file and, if it made one, its temporary directory. */
  static void delete(Path file) {
    try {
      Files.deleteIfExists(file);
      Path dir = file.toAbsolutePath().getParent();
      if (dir != null && dir.getFileName().toString().startsWith("upstream-health-demo")) {
        Files.deleteIfExists(dir);
      }
    } catch (IOException e) {
      // Left in the temp directory; harmless.
    }
  }
}
