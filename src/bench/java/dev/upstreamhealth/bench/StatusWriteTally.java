package dev.upstreamhealth.bench;

import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts PATCH/PUT requests on sites/status as the mock API server received them, by the
 * client's User-Agent. It also drains the mock's request log, which otherwise keeps every
 * request with its body for the whole run and would blur the heap figures.
 */
final class StatusWriteTally implements AutoCloseable {
  private final KubernetesMockServer server;
  private final Map<String, AtomicLong> byAgent = new ConcurrentHashMap<>();
  private final Map<String, java.util.Set<String>> sitesByAgent = new ConcurrentHashMap<>();
  private final AtomicLong total = new AtomicLong();
  private final Thread drainer;
  private volatile boolean running = true;

  StatusWriteTally(KubernetesMockServer server) {
    this.server = server;
    drainer = new Thread(this::drain, "status-write-tally");
    drainer.setDaemon(true);
    drainer.start();
  }

  private void drain() {
    while (running) {
      try {
        RecordedRequest r = server.takeRequest(100, TimeUnit.MILLISECONDS);
        if (r != null && isSiteStatusWrite(r)) {
          total.incrementAndGet();
          String agent = r.getHeader("User-Agent");
          String who = agent == null ? "" : agent;
          byAgent.computeIfAbsent(who, a -> new AtomicLong()).incrementAndGet();
          sitesByAgent.computeIfAbsent(who, a -> ConcurrentHashMap.newKeySet()).add(siteOf(r.getPath()));
        }
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  static boolean isSiteStatusWrite(RecordedRequest r) {
    String method = r.getMethod();
    String path = r.getPath();
    return ("PATCH".equals(method) || "PUT".equals(method)) && path != null
        && path.contains("/sites/") && path.contains("/status");
  }

  /** ".../namespaces/NS/sites/NAME/status" gives "NS/NAME". */
  private static String siteOf(String path) {
    String[] parts = path.split("\\?")[0].split("/");
    for (int i = 0; i + 3 < parts.length; i++) {
      if ("namespaces".equals(parts[i]) && "sites".equals(parts[i + 2])) {
        return parts[i + 1] + "/" + parts[i + 3];
      }
    }
    return path;
  }

  java.util.Set<String> sitesWrittenBy(String agent) {
    return sitesByAgent.getOrDefault(agent, java.util.Set.of());
  }

  long total() {
    return total.get();
  }

  long byAgent(String agent) {
    AtomicLong n = byAgent.get(agent);
    return n == null ? 0 : n.get();
  }

  /** Waits until the log is drained, so counts include every request sent so far. */
  void catchUp() throws InterruptedException {
    Thread.sleep(300);
  }

  @Override
  public void close() {
    running = false;
    drainer.interrupt();
  }
}
