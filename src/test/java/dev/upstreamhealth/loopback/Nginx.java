package dev.upstreamhealth.loopback;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A real nginx (Debian's /usr/sbin/nginx) as the gateway, on a loopback address and a free port,
 * started in the foreground with its own prefix directory and stopped by the test that made it.
 */
public final class Nginx implements AutoCloseable {
  private static final Path BINARY = Path.of("/usr/sbin/nginx");

  private final String address;
  private final int port;
  private final Path prefix;
  private final Process process;

  private Nginx(String address, int port, Path prefix, Process process) {
    this.address = address;
    this.port = port;
    this.prefix = prefix;
    this.process = process;
  }

  /**
   * Starts nginx with one server on {@code address}: {@code listenOptions} go on its listen line
   * (e.g. "proxy_protocol"), {@code serverBody} inside its server block (locations).
   */
  public static Nginx start(String address, String listenOptions, String serverBody) {
    Assumptions.assumeTrue(Files.isExecutable(BINARY), "nginx is not installed (.ci/install-tools installs it)");
    int port = LoopbackServer.unusedPort(address);
    try {
      Path prefix = Files.createTempDirectory("nginx-gateway");
      Files.createDirectories(prefix.resolve("tmp"));
      String conf = """
          worker_processes 1;
          error_log %1$s/error.log warn;
          pid %1$s/nginx.pid;
          events { worker_connections 256; }
          http {
            access_log off;
            client_body_temp_path %1$s/tmp/body;
            proxy_temp_path %1$s/tmp/proxy;
            fastcgi_temp_path %1$s/tmp/fastcgi;
            uwsgi_temp_path %1$s/tmp/uwsgi;
            scgi_temp_path %1$s/tmp/scgi;
            server {
              listen %2$s:%3$d %4$s;
              server_name _;
              %5$s
            }
          }
          """.formatted(prefix, address, port, listenOptions, serverBody);
      Path file = prefix.resolve("nginx.conf");
      Files.writeString(file, conf);
      Process process = new ProcessBuilder(BINARY.toString(), "-p", prefix.toString(), "-c", file.toString(),
          "-g", "daemon off; user root;")
          .redirectErrorStream(true)
          .redirectOutput(prefix.resolve("stdout.log").toFile())
          .start();
      Nginx nginx = new Nginx(address, port, prefix, process);
      await().atMost(Duration.ofSeconds(10)).until(() -> {
        if (!process.isAlive()) {
          throw new IllegalStateException("nginx exited: " + nginx.log());
        }
        return nginx.accepts();
      });
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

  /** nginx's error log and output, for assertion messages. */
  public String log() {
    try {
      return Files.readString(prefix.resolve("error.log"), java.nio.charset.StandardCharsets.ISO_8859_1)
          + Files.readString(prefix.resolve("stdout.log"), java.nio.charset.StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  private boolean accepts() {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(address, port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try (Stream<Path> files = Files.walk(prefix)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a temp directory left behind is harmless
    }
  }
}
