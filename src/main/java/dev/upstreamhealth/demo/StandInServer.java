package dev.upstreamhealth.demo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;

/**
 * A plain HTTP server on a loopback address of its own, standing in for one of a demo Site's load
 * balancers, gateways or pods: it answers every request with the status it is told, as a gateway
 * answers 502 while nothing behind it listens. Closing it makes the address refuse connections.
 */
final class StandInServer implements AutoCloseable {
  private final String address;
  private final HttpServer server;
  private volatile Answer answer;

  private record Answer(int status, String retryAfter) {}

  private StandInServer(String address, HttpServer server, Answer answer) {
    this.address = address;
    this.server = server;
    this.answer = answer;
  }

  /** Listens on {@code address:port} (port 0: any free port) and answers {@code status}. */
  static StandInServer answering(String address, int port, int status) {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(address), port), 16);
      StandInServer standIn = new StandInServer(address, server, new Answer(status, null));
      server.createContext("/", standIn::respond);
      server.start();
      return standIn;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on " + address + ":" + port, e);
    }
  }

  /**
   * A port on {@code address} where nothing listens right now, so connecting is refused. Another
   * process could take it in the meantime; on a loopback address of its own that is very unlikely.
   */
  static int unusedPort(String address) {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(address))) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot find a free port on " + address, e);
    }
  }

  String address() {
    return address;
  }

  int port() {
    return server.getAddress().getPort();
  }

  /** From the next request on, answer {@code status}. */
  void answer(int status) {
    answer = new Answer(status, null);
  }

  /** From the next request on, answer {@code status} with {@code Retry-After: retryAfter}. */
  void answer(int status, String retryAfter) {
    answer = new Answer(status, retryAfter);
  }

  private void respond(HttpExchange exchange) throws IOException {
    Answer now = answer;
    byte[] body = (now.status() + " from the demo's stand-in at " + address + "\n").getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/plain");
    exchange.getResponseHeaders().set("Connection", "close");
    if (now.retryAfter() != null) {
      exchange.getResponseHeaders().set("Retry-After", now.retryAfter());
    }
    exchange.sendResponseHeaders(now.status(), body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }

  @Override
  public String toString() {
    return "stand-in " + address + ":" + port() + " answering " + answer.status();
  }
}
