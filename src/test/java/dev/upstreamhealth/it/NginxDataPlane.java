package dev.upstreamhealth.it;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's nginx as a Gateway's data plane on a loopback address: it answers for host the way
 * the route tells it (proxy to the backend, or the fixed answer a Gateway API implementation
 * gives for a backend it cannot use), so the operator's probes meet a real HTTP server.
 */
final class NginxDataPlane implements AutoCloseable {
  static final String NGINX = "/usr/sbin/nginx";

  private final Path dir;
  private final String address;
  private final int port;
  private final String host;
  private Process process;

  private NginxDataPlane(Path dir, String address, int port, String host) {
    this.dir = dir;
    this.address = address;
    this.port = port;
    this.host = host;
  }

  /** Starts nginx on {@code address:port}, proxying host to {@code upstream} ("ip:port"). */
  static NginxDataPlane proxying(String address, int port, String host, String upstream) {
    try {
      Path dir = Files.createTempDirectory("nginx-data-plane");
      Files.createDirectories(dir.resolve("logs"));
      Files.createDirectories(dir.resolve("tmp"));
      NginxDataPlane nginx = new NginxDataPlane(dir, address, port, host);
      nginx.write(proxyTo(upstream));
      nginx.process = new ProcessBuilder(NGINX, "-p", dir.toString(), "-c", dir.resolve("nginx.conf").toString(),
          "-g", "daemon off;")
          .redirectErrorStream(true).redirectOutput(dir.resolve("logs/stdout.log").toFile()).start();
      await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
          .until(nginx::accepts);
      return nginx;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  int port() {
    return port;
  }

  String address() {
    return address;
  }

  /** What Envoy Gateway programs for a backend it cannot resolve: a direct 500 response. */
  void answerInvalidBackend() {
    write("return 500;");
    reload();
  }

  private static String proxyTo(String upstream) {
    return "proxy_pass http://" + upstream + "; proxy_set_header Host $host; "
        + "proxy_connect_timeout 1s; proxy_read_timeout 2s;";
  }

  private void write(String location) {
    String d = dir.toString();
    String conf = String.join("\n", List.of(
        "worker_processes 1;",
        "pid " + d + "/nginx.pid;",
        "error_log " + d + "/logs/error.log warn;",
        "events { worker_connections 64; }",
        "http {",
        "  access_log off;",
        "  client_body_temp_path " + d + "/tmp/body;",
        "  proxy_temp_path " + d + "/tmp/proxy;",
        "  fastcgi_temp_path " + d + "/tmp/fastcgi;",
        "  uwsgi_temp_path " + d + "/tmp/uwsgi;",
        "  scgi_temp_path " + d + "/tmp/scgi;",
        "  server { listen " + address + ":" + port + " default_server; return 404; }",
        "  server { listen " + address + ":" + port + "; server_name " + host + "; location / { " + location + " } }",
        "}", ""));
    try {
      Files.writeString(dir.resolve("nginx.conf"), conf);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** nginx re-reads its configuration; the old workers finish what they serve. */
  private void reload() {
    try {
      Process signal = new ProcessBuilder(NGINX, "-p", dir.toString(), "-c", dir.resolve("nginx.conf").toString(),
          "-s", "reload").redirectErrorStream(true).redirectOutput(dir.resolve("logs/reload.log").toFile()).start();
      if (!signal.waitFor(10, TimeUnit.SECONDS) || signal.exitValue() != 0) {
        throw new IllegalStateException("nginx -s reload failed: " + Files.readString(dir.resolve("logs/reload.log")));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private boolean accepts() {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(address, port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public void close() {
    if (process != null) {
      process.destroy();
      try {
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
