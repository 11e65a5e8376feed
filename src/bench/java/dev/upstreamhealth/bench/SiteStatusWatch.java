package dev.upstreamhealth.bench;

import dev.upstreamhealth.api.Site;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A watch on Sites in the bench process: the clock stops when the watch event that carries the
 * new status arrives here, as it would for any client of the API server.
 */
final class SiteStatusWatch implements AutoCloseable {
  /** The last status seen per Site, as "fault/reason". */
  final Map<String, String> lastSeen = new ConcurrentHashMap<>();
  private final Map<String, Expectation> waiting = new ConcurrentHashMap<>();
  private final AtomicInteger healthy = new AtomicInteger();
  private final Watch watch;

  private record Expectation(Predicate<String> accepts, CompletableFuture<Long> seenAtNanos) {
  }

  SiteStatusWatch(KubernetesClient client) {
    watch = client.resources(Site.class).inAnyNamespace().watch(new Watcher<>() {
      @Override
      public void eventReceived(Action action, Site site) {
        long now = System.nanoTime();
        if (site.getStatus() == null || site.getStatus().getFault() == null) {
          return;
        }
        String key = site.getMetadata().getNamespace() + "/" + site.getMetadata().getName();
        String status = site.getStatus().getFault() + "/" + site.getStatus().getReason();
        String before = lastSeen.put(key, status);
        boolean wasHealthy = before != null && before.startsWith("None/");
        boolean isHealthy = status.startsWith("None/");
        if (wasHealthy != isHealthy) {
          healthy.addAndGet(isHealthy ? 1 : -1);
        }
        Expectation e = waiting.get(key);
        if (e != null && e.accepts.test(status)) {
          waiting.remove(key, e);
          e.seenAtNanos.complete(now);
        }
      }

      @Override
      public void onClose(WatcherException cause) {
        // The bench ends by closing it; a failed watch shows up as expectations that time out.
      }
    });
  }

  /** Call before the write: completes with the nanoTime of the first event whose status passes. */
  CompletableFuture<Long> expect(String key, Predicate<String> accepts) {
    Expectation e = new Expectation(accepts, new CompletableFuture<>());
    waiting.put(key, e);
    return e.seenAtNanos;
  }

  int withStatus() {
    return lastSeen.size();
  }

  int healthy() {
    return healthy.get();
  }

  @Override
  public void close() {
    watch.close();
  }
}
