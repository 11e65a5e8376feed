package dev.upstreamhealth.gateway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Assumptions;

/**
 * One real nginx (Debian's /usr/sbin/nginx) for a test: started in the foreground with
 * {@code -p DIR -c FILE -g 'daemon off;'} in a directory of its own, listening on a 127.0.0.x
 * address. The caller writes what goes inside the {@code http} block; this class writes the rest,
 * so that every nginx a test starts keeps its pid, logs and temp files in its directory. A start or
 * reload that fails says why with nginx's own log.
 */
public final class NginxProcess implements AutoCloseable {
  private static final Path BINARY = Path.of("/usr/sbin/nginx");
  /** Generous: several builds share two cores. */
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);

  private final String address;
  private final int port;
  private final Path dir;
  private final Path conf;
  private final Process process;

  private NginxProcess(String address, int port, Path dir, Process process) {
    this.address = address;
    this.port = port;
    this.dir = dir;
    this.conf = dir.resolve("nginx.conf");
    this.process = process;
  }

  /**
   * Starts nginx with {@code http} as its http block's content (which listens on
   * {@code address:port}) and returns once that port accepts connections. Skips the test when
   * nginx is not installed, except on CI, where that is a failure.
   */
  public static NginxProcess start(String address, int port, String http) {
    requireInstalled();
    try {
      Path dir = Files.createTempDirectory("nginx");
      Files.createDirectories(dir.resolve("logs"));
      Files.createDirectories(dir.resolve("temp"));
      Files.writeString(dir.resolve("nginx.conf"), config(dir, http));
      Process process = new ProcessBuilder(BINARY.toString(), "-p", dir.toString(), "-c",
          dir.resolve("nginx.conf").toString(), "-g", "daemon off;")
          .redirectErrorStream(true)
          .redirectOutput(dir.resolve("logs/stdout.log").toFile())
          .start();
      NginxProcess nginx = new NginxProcess(address, port, dir, process);
      // A worker too: a reload must not mistake the first worker, still on its way, for a new one.
      nginx.awaitReady("start", () -> nginx.accepts() && !nginx.workers().isEmpty());
      return nginx;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start nginx", e);
    }
  }

  public String address() {
    return address;
  }

  public int port() {
    return port;
  }

  /**
   * Replaces the http block's content and reloads, as a controller does on a change; returns once
   * every worker that served the old configuration has gone, so what answers next is the new one.
   */
  public synchronized void reload(String http) {
    Set<Long> oldWorkers = workers();
    try {
      Files.writeString(conf, config(dir, http));
      Path output = dir.resolve("logs/reload.log");
      Process signal = new ProcessBuilder(BINARY.toString(), "-p", dir.toString(), "-c", conf.toString(), "-s", "reload")
          .redirectErrorStream(true).redirectOutput(output.toFile()).start();
      if (!signal.waitFor(30, TimeUnit.SECONDS) || signal.exitValue() != 0) {
        throw new IllegalStateException("nginx -s reload failed: " + Files.readString(output) + "\n" + log());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot reconfigure nginx", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    awaitReady("reload", () -> {
      Set<Long> workers = workers();
      return !workers.isEmpty() && workers.stream().noneMatch(oldWorkers::contains);
    });
  }

  /** nginx's error log and its output, for failure messages. */
  public String log() {
    return read("logs/error.log") + read("logs/stdout.log");
  }

  @Override
  public void close() {
    process.destroy(); // SIGTERM: the master stops its workers, then itself
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a temp directory left behind is harmless
    }
  }

  private static void requireInstalled() {
    boolean installed = Files.isExecutable(BINARY);
    String message = BINARY + " is not installed; install it with: apt-get install -y --no-install-recommends nginx "
        + "(or bash .ci/install-tools)";
    if (!installed && "true".equalsIgnoreCase(System.getenv("CI"))) {
      throw new AssertionError(message);
    }
    Assumptions.assumeTrue(installed, message);
  }

  private static String config(Path dir, String http) {
    // Run as root (in a container), nginx's workers would otherwise become nobody and lose the temp directory.
    String user = "root".equals(System.getProperty("user.name")) ? "user root;\n" : "";
    return user + """
        worker_processes 1;
        pid %1$s/nginx.pid;
        error_log %1$s/logs/error.log warn;
        events { worker_connections 256; }
        http {
          access_log off;
          client_body_temp_path %1$s/temp/body;
          proxy_temp_path %1$s/temp/proxy;
          fastcgi_temp_path %1$s/temp/fastcgi;
          uwsgi_temp_path %1$s/temp/uwsgi;
          scgi_temp_path %1$s/temp/scgi;
        %2$s
        }
        """.formatted(dir, http.indent(2).stripTrailing());
  }

  private void awaitReady(String what, Callable<Boolean> ready) {
    try {
      Awaitility.await().atMost(READY_TIMEOUT).pollInterval(Duration.ofMillis(20)).until(() -> {
        if (!process.isAlive()) {
          throw new IllegalStateException("nginx exited with " + process.exitValue() + ": " + log());
        }
        return ready.call();
      });
    } catch (ConditionTimeoutException e) {
      throw new IllegalStateException("nginx on " + address + ":" + port + " not ready after " + what + ": " + log(), e);
    }
  }

  private Set<Long> workers() {
    return process.children().map(ProcessHandle::pid).collect(Collectors.toSet());
  }

  private boolean accepts() {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(address, port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private String read(String file) {
    try {
      Path log = dir.resolve(file);
      return Files.exists(log) ? Files.readString(log, StandardCharsets.ISO_8859_1) : "";
    } catch (IOException e) {
      return "(" + file + " unreadable: " + e.getMessage() + ")";
    }
  }
}
