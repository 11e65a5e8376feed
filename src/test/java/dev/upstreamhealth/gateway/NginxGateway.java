package dev.upstreamhealth.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A real nginx (Debian's) as the gateway in a test: started on a loopback address and a free
 * port with {@code -p DIR -c FILE -g 'daemon off;'}, serving the servers it is given the way an
 * ingress controller configures it: {@code proxy_pass} to the ready upstream endpoints, 503 when
 * a location has none, 404 from the default server for a host no server names. Each
 * {@link #serve} rewrites the config, reloads nginx and returns once the new config answers.
 * Self-contained: needs nothing from the operator.
 */
public final class NginxGateway implements AutoCloseable {
  /** Host of the server that reports which config generation is live. */
  private static final String GENERATION_HOST = "config-generation.nginx-gateway.invalid";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(15);

  /** A location: a path prefix and the "ip:port" endpoints it proxies to (none: 503). */
  public record Location(String path, List<String> upstreams) {
    public Location {
      upstreams = List.copyOf(upstreams);
    }
  }

  /**
   * A server block: {@code name} a host, a wildcard such as {@code *.example.com}, or {@code _}
   * for the default server (the one that answers hosts no other server names).
   */
  public record Server(String name, List<Location> locations) {
    public Server {
      locations = List.copyOf(locations);
    }
  }

  /** What nginx answered. */
  public record Answer(int status, String body) {}

  private final String address;
  private final int port;
  private final Path dir;
  private final Path conf;
  private final Process process;
  private int generation;

  private NginxGateway(String address, int port, Path dir, Process process) {
    this.address = address;
    this.port = port;
    this.dir = dir;
    this.conf = dir.resolve("nginx.conf");
    this.process = process;
  }

  /** Starts nginx on {@code address} (e.g. 127.0.0.40) and a free port, serving nothing yet (404). */
  public static NginxGateway start(String address) {
    try {
      Path dir = Files.createTempDirectory("nginx-gateway");
      Files.createDirectories(dir.resolve("logs"));
      Files.createDirectories(dir.resolve("temp"));
      int port = freePort(address);
      Files.writeString(dir.resolve("nginx.conf"), render(dir, address, port, 1, List.of()));
      Process process = new ProcessBuilder(binary(), "-p", dir.toString(), "-c", dir.resolve("nginx.conf").toString(),
          "-g", "daemon off;")
          .redirectErrorStream(true)
          .redirectOutput(dir.resolve("logs/stdout.log").toFile())
          .start();
      NginxGateway gateway = new NginxGateway(address, port, dir, process);
      gateway.generation = 1;
      gateway.awaitGeneration(1);
      return gateway;
    } catch (IOException e) {
      throw new IllegalStateException("cannot start nginx", e);
    }
  }

  public String address() {
    return address;
  }

  public int port() {
    return port;
  }

  /** Replaces the servers, reloads nginx, and returns once the new config answers. */
  public synchronized void serve(List<Server> servers) {
    generation++;
    try {
      Files.writeString(conf, render(dir, address, port, generation, servers));
      Process reload = new ProcessBuilder(binary(), "-p", dir.toString(), "-c", conf.toString(), "-s", "reload")
          .redirectErrorStream(true).redirectOutput(dir.resolve("logs/reload.log").toFile()).start();
      if (!reload.waitFor(10, TimeUnit.SECONDS) || reload.exitValue() != 0) {
        throw new IllegalStateException("nginx reload failed: " + Files.readString(dir.resolve("logs/reload.log"))
            + errorLog());
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot reconfigure nginx", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    awaitGeneration(generation);
  }

  /** A plain HTTP/1.1 GET with this Host header, as a CDN sends it. */
  public Answer get(String host, String path) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(address, port), 2000);
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      String response = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
      int status = Integer.parseInt(response.substring(9, 12));
      int bodyStart = response.indexOf("\r\n\r\n");
      return new Answer(status, bodyStart < 0 ? "" : response.substring(bodyStart + 4));
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException("no answer from nginx at " + address + ":" + port + " for " + host, e);
    }
  }

  public String errorLog() {
    try {
      Path log = dir.resolve("logs/error.log");
      return Files.exists(log) ? Files.readString(log) : "";
    } catch (IOException e) {
      return "(error log unreadable: " + e + ")";
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
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

  private void awaitGeneration(int wanted) {
    try {
      Awaitility.await().atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(20)).ignoreExceptions()
          .until(() -> {
            if (!process.isAlive()) {
              throw new IllegalStateException("nginx exited with " + process.exitValue());
            }
            // After a reload the old worker may still take a connection or two: wait until it is gone.
            if (process.children().count() != 1) {
              return false;
            }
            Answer answer = get(GENERATION_HOST, "/");
            return answer.status() == 200 && answer.body().trim().equals(String.valueOf(wanted));
          });
    } catch (ConditionTimeoutException e) {
      throw new IllegalStateException("nginx did not serve config generation " + wanted + ": " + errorLog(), e);
    }
  }

  static String render(Path dir, String address, int port, int generation, List<Server> servers) {
    StringBuilder c = new StringBuilder();
    if ("root".equals(System.getProperty("user.name"))) {
      c.append("user root;\n"); // workers keep access to the temp directory
    }
    c.append("worker_processes 1;\n")
        .append("pid ").append(dir.resolve("nginx.pid")).append(";\n")
        .append("error_log ").append(dir.resolve("logs/error.log")).append(" warn;\n")
        .append("events { worker_connections 256; }\n")
        .append("http {\n")
        .append("  access_log off;\n")
        .append("  client_body_temp_path ").append(dir.resolve("temp/body")).append(";\n")
        .append("  proxy_temp_path ").append(dir.resolve("temp/proxy")).append(";\n")
        .append("  fastcgi_temp_path ").append(dir.resolve("temp/fastcgi")).append(";\n")
        .append("  uwsgi_temp_path ").append(dir.resolve("temp/uwsgi")).append(";\n")
        .append("  scgi_temp_path ").append(dir.resolve("temp/scgi")).append(";\n")
        .append("  proxy_connect_timeout 5s;\n  proxy_read_timeout 60s;\n  proxy_send_timeout 60s;\n")
        .append("  proxy_http_version 1.1;\n  proxy_next_upstream error timeout;\n")
        .append("  server_names_hash_bucket_size 128;\n");
    int upstream = 0;
    StringBuilder blocks = new StringBuilder();
    boolean hasDefault = servers.stream().anyMatch(s -> "_".equals(s.name()));
    if (!hasDefault) {
      blocks.append("  server {\n    listen ").append(address).append(':').append(port).append(" default_server;\n")
          .append("    server_name _;\n    location / { return 404; }\n  }\n");
    }
    for (Server server : servers) {
      blocks.append("  server {\n    listen ").append(address).append(':').append(port)
          .append("_".equals(server.name()) ? " default_server" : "").append(";\n")
          .append("    server_name ").append(server.name()).append(";\n");
      for (Location location : server.locations()) {
        blocks.append("    location ").append(location.path()).append(" {\n");
        if (location.upstreams().isEmpty()) {
          blocks.append("      return 503;\n"); // no endpoint: what ingress-nginx's default upstream answers
        } else {
          String name = "upstream_" + upstream++;
          c.append("  upstream ").append(name).append(" {\n");
          location.upstreams().forEach(u -> c.append("    server ").append(u).append(" max_fails=0;\n"));
          c.append("  }\n");
          blocks.append("      proxy_set_header Host $host;\n")
              .append("      proxy_set_header X-Forwarded-For $remote_addr;\n")
              .append("      proxy_pass http://").append(name).append(";\n");
        }
        blocks.append("    }\n");
      }
      blocks.append("  }\n");
    }
    blocks.append("  server {\n    listen ").append(address).append(':').append(port).append(";\n")
        .append("    server_name ").append(GENERATION_HOST).append(";\n")
        .append("    location / { return 200 \"").append(generation).append("\"; }\n  }\n");
    return c.append(blocks).append("}\n").toString();
  }

  private static String binary() {
    return Files.isExecutable(Path.of("/usr/sbin/nginx")) ? "/usr/sbin/nginx" : "nginx";
  }

  private static int freePort(String address) throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(address))) {
      return socket.getLocalPort();
    }
  }
}
