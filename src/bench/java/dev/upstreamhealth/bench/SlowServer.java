package dev.upstreamhealth.bench;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** A loopback origin that answers 200 after a fixed delay: the "slow" target of the probe comparison. */
final class SlowServer implements AutoCloseable {
  private final HttpServer http;
  private final ExecutorService threads = Executors.newFixedThreadPool(128, r -> {
    Thread t = new Thread(r, "slow-origin");
    t.setDaemon(true);
    return t;
  });

  SlowServer(String address, Duration delay) {
    try {
      http = HttpServer.create(new InetSocketAddress(InetAddress.getByName(address), 0), 1024);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    http.setExecutor(threads);
    http.createContext("/", ex -> {
      try {
        Thread.sleep(delay.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      byte[] body = "slow but fine\n".getBytes();
      ex.sendResponseHeaders(200, body.length);
      ex.getResponseBody().write(body);
      ex.close();
    });
    http.start();
  }

  int port() {
    return http.getAddress().getPort();
  }

  @Override
  public void close() {
    http.stop(0);
    threads.shutdownNow();
  }
}
