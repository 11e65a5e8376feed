package dev.upstreamhealth.gateway;

import dev.upstreamhealth.loopback.LoopbackServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A real nginx configured as ingress-nginx configures it: {@code proxy_pass} to the ready upstream
 * endpoints, 503 when a location has none, 404 from the default server for a host no server
 * names. Each {@link #serve} rewrites the config and reloads nginx, as the controller does on a
 * change ({@link IngressNginx} says what to serve for Ingresses). Needs nothing from the operator.
 */
public final class IngressNginxGateway implements AutoCloseable {
  /**
   * A location: a path prefix and the "ip:port" endpoints it proxies to (none: 503), admitting
   * only the clients of {@code allowed} when it lists any (ingress-nginx's allowlist-source-range),
   * reading an upstream's response head into {@code proxyBufferSize} (ingress-nginx's
   * proxy-buffer-size, 4k unless an annotation says otherwise).
   */
  public record Location(String path, List<String> upstreams, List<String> allowed, String proxyBufferSize) {
    /** ingress-nginx's default proxy-buffer-size. */
    public static final String DEFAULT_BUFFER = "4k";

    public Location {
      upstreams = List.copyOf(upstreams);
      allowed = List.copyOf(allowed);
    }

    public Location(String path, List<String> upstreams, List<String> allowed) {
      this(path, upstreams, allowed, DEFAULT_BUFFER);
    }

    public Location(String path, List<String> upstreams) {
      this(path, upstreams, List.of());
    }
  }

  /**
   * A server block: {@code name} a host, a wildcard such as {@code *.example.com}, or {@code _}
   * for the default server (the one that answers hosts no other server names); {@code aliases}
   * more names it answers (ingress-nginx's server-alias), in nginx's server_name forms.
   */
  public record Server(String name, List<Location> locations, List<String> aliases) {
    public Server {
      locations = List.copyOf(locations);
      aliases = List.copyOf(aliases);
    }

    public Server(String name, List<Location> locations) {
      this(name, locations, List.of());
    }
  }

  /** What nginx answered. */
  public record Answer(int status, String body) {}

  private final NginxProcess nginx;

  private IngressNginxGateway(NginxProcess nginx) {
    this.nginx = nginx;
  }

  /** Starts nginx on {@code address} (e.g. 127.0.0.40) and a free port, serving nothing yet (404). */
  public static IngressNginxGateway start(String address) {
    int port = LoopbackServer.unusedPort(address);
    return new IngressNginxGateway(NginxProcess.start(address, port, http(address, port, List.of())));
  }

  public String address() {
    return nginx.address();
  }

  public int port() {
    return nginx.port();
  }

  /** Replaces the servers, reloads nginx, and returns once the new config answers. */
  public void serve(List<Server> servers) {
    nginx.reload(http(address(), port(), servers));
  }

  /** A plain HTTP/1.1 GET with this Host header, as a CDN sends it. */
  public Answer get(String host, String path) {
    return getFrom(null, host, path);
  }

  /** The same from the loopback address {@code source} (null: the kernel's choice), as a CDN edge there. */
  public Answer getFrom(String source, String host, String path) {
    try (Socket socket = new Socket()) {
      if (source != null) {
        socket.bind(new InetSocketAddress(source, 0));
      }
      socket.connect(new InetSocketAddress(address(), port()), 2000);
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
      throw new IllegalStateException("no answer from nginx at " + address() + ":" + port() + " for " + host
          + ": " + nginx.log(), e);
    }
  }

  @Override
  public void close() {
    nginx.close();
  }

  /** The http block ingress-nginx's template would give these servers. */
  private static String http(String address, int port, List<Server> servers) {
    StringBuilder upstreams = new StringBuilder();
    StringBuilder blocks = new StringBuilder();
    String listen = "listen " + address + ":" + port;
    if (servers.stream().noneMatch(s -> "_".equals(s.name()))) {
      blocks.append("server {\n  ").append(listen).append(" default_server;\n")
          .append("  server_name _;\n  location / { return 404; }\n}\n");
    }
    int upstream = 0;
    for (Server server : servers) {
      blocks.append("server {\n  ").append(listen).append("_".equals(server.name()) ? " default_server" : "")
          .append(";\n  server_name ").append(server.name());
      // As ingress-nginx's nginx.tmpl writes them: quoted, so a "~" regex keeps its characters.
      server.aliases().forEach(a -> blocks.append(" \"").append(a.replace("\\", "\\\\").replace("\"", "\\\""))
          .append('"'));
      blocks.append(";\n");
      for (Location location : server.locations()) {
        blocks.append("  location ").append(location.path()).append(" {\n");
        if (!location.allowed().isEmpty()) {
          // ingress-nginx's template for allowlist-source-range: nginx's own 403 to any other client.
          location.allowed().forEach(a -> blocks.append("    allow ").append(a).append(";\n"));
          blocks.append("    deny all;\n");
        }
        if (location.upstreams().isEmpty()) {
          blocks.append("    return 503;\n"); // no endpoint: what ingress-nginx's default upstream answers
        } else {
          String name = "upstream_" + upstream++;
          upstreams.append("upstream ").append(name).append(" {\n");
          location.upstreams().forEach(u -> upstreams.append("  server ").append(u).append(" max_fails=0;\n"));
          upstreams.append("}\n");
          // As ingress-nginx's template writes them, its proxy-buffers-number of 4 included.
          blocks.append("    proxy_buffer_size ").append(location.proxyBufferSize()).append(";\n")
              .append("    proxy_buffers 4 ").append(location.proxyBufferSize()).append(";\n")
              .append("    proxy_set_header Host $host;\n")
              .append("    proxy_set_header X-Forwarded-For $remote_addr;\n")
              .append("    proxy_pass http://").append(name).append(";\n");
        }
        blocks.append("  }\n");
      }
      blocks.append("}\n");
    }
    return """
        proxy_connect_timeout 5s;
        proxy_read_timeout 60s;
        proxy_send_timeout 60s;
        proxy_http_version 1.1;
        proxy_next_upstream error timeout;
        server_names_hash_bucket_size 128;
        """ + upstreams + blocks;
  }
}
