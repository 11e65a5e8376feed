package dev.upstreamhealth.gateway;

import dev.upstreamhealth.loopback.LoopbackServer;

/**
 * nginx with one server block the test writes, on a free port: for what {@link IngressNginxGateway}
 * does not model, such as a load balancer's listener that expects PROXY protocol or speaks TLS, or
 * an upstream that answers too late.
 */
public final class NginxServer {
  private NginxServer() {}

  /**
   * Starts nginx with one server on {@code address}: {@code listenOptions} go on its listen line
   * (e.g. "proxy_protocol"), {@code serverBody} inside its server block (locations).
   */
  public static NginxProcess start(String address, String listenOptions, String serverBody) {
    int port = LoopbackServer.unusedPort(address);
    return NginxProcess.start(address, port, """
        server {
          listen %s:%d %s;
          server_name _;
        %s
        }
        """.formatted(address, port, listenOptions, serverBody.indent(2).stripTrailing()));
  }
}
