package dev.upstreamhealth.gateway;

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
import dev.upstreamhealth.loopback.LoopbackServer;
import org.junit.jupiter.api.Assumptions;

/**
 * A real nginx (Debian's /usr/sbin/nginx) with one server block written by the test, on a loopback
 * address and a free port, started in the foreground with its own prefix directory: for what
 * {@link NginxGateway}'s ingress-controller model does not cover, such as a listener that expects
 * PROXY protocol or speaks TLS, or an upstream that answers too late.
 */
public final class NginxServer implements AutoCloseable {
  private static final Path BINARY = Path.of("/usr/sbin/nginx");

  private final String address;
  private final int port;
  private final Path prefix;
  private final Process process;

  private NginxServer(String address, int port, Path prefix, Process process) {
    this.address = address;
    this.port = port;
    this.prefix = prefix;
    this.process = process;
  }

  /**
   * Starts nginx with one server on {@code address}: {@code listenOptions} go on its listen line
   * (e.g. "proxy_protocol"), {@code serverBody} inside its server block (locations).
   */
  public static NginxServer start(String address, String listenOptions, String serverBody) {
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
      NginxServer nginx = new NginxServer(address, port, prefix, process);
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
