package dev.upstreamhealth.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's one small HTTP port: {@code /metrics} for Prometheus, {@code /healthz} for the
 * liveness probe (the process answers) and {@code /readyz} for the readiness probe.
 */
public final class OperatorHttpServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(OperatorHttpServer.class);
  static final String TEXT_FORMAT = "text/plain; version=0.0.4; charset=utf-8";

  private final HttpServer server;
  private final ExecutorService executor;

  private OperatorHttpServer(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /**
   * Listens on all interfaces, as a pod's probes and Prometheus reach it by the pod IP.
   *
   * @param port 0 for any free port (see {@link #port()})
   * @param notReadyReason empty when ready, else a short text of what is not ready yet
   */
  public static OperatorHttpServer start(int port, PrometheusMeterRegistry registry,
      Supplier<Optional<String>> notReadyReason) {
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(port), 16);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on metrics port " + port, e);
    }
    // Two threads: a slow scrape must not keep the kubelet's probes waiting into a restart.
    ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "metrics-http");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    server.createContext("/", exchange -> handle(exchange, registry, notReadyReason));
    server.start();
    log.info("serving /metrics, /healthz and /readyz on port {}", server.getAddress().getPort());
    return new OperatorHttpServer(server, executor);
  }

  /** The port actually bound. */
  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private static void handle(HttpExchange exchange, PrometheusMeterRegistry registry,
      Supplier<Optional<String>> notReadyReason) throws IOException {
    try {
      answer(exchange, registry, notReadyReason);
    } catch (ScrapeAnswer.CutShort e) {
      // Left unclosed on purpose: closing would end the chunked answer as if it were whole.
      log.warn("{} {} failed", exchange.getRequestMethod(), exchange.getRequestURI(), e.getCause());
      throw e;
    } catch (IOException e) {
      exchange.close();
      throw e;
    } catch (RuntimeException e) {
      log.warn("{} {} failed", exchange.getRequestMethod(), exchange.getRequestURI(), e);
    }
    exchange.close();
  }

  private static void answer(HttpExchange exchange, PrometheusMeterRegistry registry,
      Supplier<Optional<String>> notReadyReason) throws IOException {
    String method = exchange.getRequestMethod();
    if (!method.equals("GET") && !method.equals("HEAD")) {
      exchange.getResponseHeaders().set("Allow", "GET, HEAD");
      reply(exchange, 405, "text/plain; charset=utf-8", "method not allowed\n");
      return;
    }
    switch (exchange.getRequestURI().getPath()) {
      case "/metrics" -> ScrapeAnswer.send(exchange, registry, TEXT_FORMAT);
      case "/healthz" -> reply(exchange, 200, "text/plain; charset=utf-8", "ok\n");
      case "/readyz" -> readiness(exchange, notReadyReason);
      default -> reply(exchange, 404, "text/plain; charset=utf-8", "not found; try /metrics, /healthz or /readyz\n");
    }
  }

  private static void readiness(HttpExchange exchange, Supplier<Optional<String>> notReadyReason) throws IOException {
    Optional<String> reason;
    try {
      reason = notReadyReason.get();
    } catch (RuntimeException e) {
      reason = Optional.of("readiness check failed: " + e);
    }
    if (reason.isPresent()) {
      reply(exchange, 503, "text/plain; charset=utf-8", "not ready: " + reason.get() + "\n");
    } else {
      reply(exchange, 200, "text/plain; charset=utf-8", "ready\n");
    }
  }

  private static void reply(HttpExchange exchange, int status, String contentType, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", contentType);
    boolean head = exchange.getRequestMethod().equals("HEAD");
    exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
    if (!head) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }
}
