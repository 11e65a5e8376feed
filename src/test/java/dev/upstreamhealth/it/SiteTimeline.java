package dev.upstreamhealth.it;

import dev.upstreamhealth.api.Site;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;

/**
 * What a user watching {@code kubectl get sites -w} and the Events would have seen: every Site's
 * status in one namespace, as each write was watched, and its Warning Events, so a test can
 * assert on the way to the end state and not only on the end state.
 */
final class SiteTimeline implements AutoCloseable {
  /** One sample of one Site: "fault/reason" and each condition as "Type=Status/Reason". */
  record Sample(String site, String verdict, List<String> conditions) {}

  private final KubernetesClient client;
  private final String namespace;
  private final List<Sample> samples = new CopyOnWriteArrayList<>();
  private final Map<String, Sample> last = new LinkedHashMap<>();
  private final Watch watch;

  SiteTimeline(KubernetesClient client, String namespace) {
    this.client = client;
    this.namespace = namespace;
    client.resources(Site.class).inNamespace(namespace).list().getItems().forEach(this::record);
    this.watch = client.resources(Site.class).inNamespace(namespace).watch(new Watcher<>() {
      @Override
      public void eventReceived(Action action, Site site) {
        if (action == Action.ADDED || action == Action.MODIFIED) {
          record(site);
        }
      }

      @Override
      public void onClose(WatcherException cause) {}
    });
  }

  private static Sample sampleOf(Site site) {
    String name = site.getMetadata().getName();
    return site.getStatus() == null ? new Sample(name, "(no status)", List.of())
        : new Sample(name, site.getStatus().getFault() + "/" + site.getStatus().getReason(),
            site.getStatus().getConditions().stream()
                .map(c -> c.getType() + "=" + c.getStatus() + "/" + c.getReason()).toList());
  }

  private synchronized void record(Site site) {
    String name = site.getMetadata().getName();
    Sample s = sampleOf(site);
    if (!s.equals(last.get(name))) {
      last.put(name, s);
      samples.add(s);
    }
  }

  /** Waits until the watch has delivered what the API server shows now, so no write is missing. */
  private void catchUp() {
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> {
      for (Site site : client.resources(Site.class).inNamespace(namespace).list().getItems()) {
        Sample now = sampleOf(site);
        synchronized (this) {
          if (!now.equals(last.get(site.getMetadata().getName()))) {
            return false;
          }
        }
      }
      return true;
    });
  }

  /** The distinct verdicts ("fault/reason") each Site went through, in order. */
  Map<String, List<String>> verdicts() {
    catchUp();
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (Sample s : samples) {
      List<String> seen = out.computeIfAbsent(s.site(), k -> new ArrayList<>());
      if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(s.verdict())) {
        seen.add(s.verdict());
      }
    }
    return out;
  }

  /** What a Site shows before it has a verdict: no status yet, waiting for caches or a first probe. */
  static final Set<String> WAITING = Set.of("(no status)", "Unknown/AwaitingFirstProbe", "Unknown/CachesNotSynced");

  /**
   * The verdicts one Site went through, waiting left out: waiting is no verdict and no news (SPEC
   * §5), so a fault shown again after a wait for a changed plan's first probe is the same fault.
   */
  List<String> verdictsBesidesWaiting(String site) {
    List<String> out = new ArrayList<>();
    for (String verdict : verdicts().getOrDefault(site, List.of())) {
      if (!WAITING.contains(verdict) && (out.isEmpty() || !out.get(out.size() - 1).equals(verdict))) {
        out.add(verdict);
      }
    }
    return out;
  }

  /**
   * The way to the end state, as the user saw it: besides waiting, exactly these verdicts (no
   * false alarm between them), and one Warning Event for each fault among them (maintenance
   * excepted), no other.
   */
  void assertWay(String site, String... verdicts) {
    assertWayIsOneOf(site, List.of(verdicts));
  }

  /** The same where the order in which independent probes conclude may add a step: one of these ways. */
  @SafeVarargs
  final void assertWayIsOneOf(String site, List<String>... ways) {
    List<String> seen = verdictsBesidesWaiting(site);
    org.assertj.core.api.Assertions.assertThat(seen).as("verdicts of %s on the way", site).isIn((Object[]) ways);
    // Maintenance is announced with a Normal Event: no Warning for it.
    String[] faults = seen.stream().filter(v -> !v.startsWith("None/") && !v.endsWith("/MaintenanceMode"))
        .map(v -> v.substring(v.indexOf('/') + 1)).toArray(String[]::new);
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).untilAsserted(() ->
        org.assertj.core.api.Assertions.assertThat(warningReasons(site)).as("Warning Events about %s", site)
            .containsExactly(faults));
  }

  /** The reasons of the Warning Events about one Site, in the order the API server lists them. */
  List<String> warningReasons(String site) {
    return warnings().stream()
        .filter(e -> e.getInvolvedObject() != null && site.equals(e.getInvolvedObject().getName()))
        .map(Event::getReason).toList();
  }

  /** Every verdict any Site showed. */
  Set<String> verdictsSeen() {
    Set<String> all = new LinkedHashSet<>();
    verdicts().values().forEach(all::addAll);
    return all;
  }

  /** The samples of one Site, as its conditions changed. */
  List<Sample> of(String site) {
    catchUp();
    return samples.stream().filter(s -> s.site().equals(site)).toList();
  }

  List<Event> warnings() {
    return client.v1().events().inNamespace(namespace).list().getItems().stream()
        .filter(e -> "Warning".equals(e.getType())).toList();
  }

  @Override
  public void close() {
    watch.close();
  }
}
