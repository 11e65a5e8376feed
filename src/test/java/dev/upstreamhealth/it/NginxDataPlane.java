package dev.upstreamhealth.it;

import dev.upstreamhealth.gateway.NginxProcess;

/**
 * Debian's nginx as a Gateway's data plane on a loopback address: it answers for host the way
 * the route tells it (proxy to the backend, or the fixed answer a Gateway API implementation
 * gives for a backend it cannot use), so the operator's probes meet a real HTTP server.
 */
final class NginxDataPlane implements AutoCloseable {
  private final NginxProcess nginx;
  private final String host;

  private NginxDataPlane(NginxProcess nginx, String host) {
    this.nginx = nginx;
    this.host = host;
  }

  /** Starts nginx on {@code address:port}, proxying host to {@code upstream} ("ip:port"). */
  static NginxDataPlane proxying(String address, int port, String host, String upstream) {
    String proxy = "proxy_pass http://" + upstream + "; proxy_set_header Host $host; "
        + "proxy_connect_timeout 1s; proxy_read_timeout 2s;";
    return new NginxDataPlane(NginxProcess.start(address, port, route(address, port, host, proxy)), host);
  }

  int port() {
    return nginx.port();
  }

  String address() {
    return nginx.address();
  }

  /** What Envoy Gateway programs for a backend it cannot resolve: a direct 500 response. */
  void answerInvalidBackend() {
    nginx.reload(route(address(), port(), host, "return 500;"));
  }

  /** A 404 for hosts no route names; for host, what the route's rule does. */
  private static String route(String address, int port, String host, String rule) {
    String listen = "listen " + address + ":" + port;
    return "server { " + listen + " default_server; return 404; }\n"
        + "server { " + listen + "; server_name " + host + "; location / { " + rule + " } }\n";
  }

  @Override
  public void close() {
    nginx.close();
  }
}
