package dev.upstreamhealth.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.upstreamhealth.api.Site;
import dev.upstreamhealth.demo.EmbeddedApiServer;
import dev.upstreamhealth.demo.EmbeddedApiServers;
import dev.upstreamhealth.demo.SiteFixture;
import dev.upstreamhealth.demo.SiteFixtures;
import dev.upstreamhealth.loopback.Behaviour;
import dev.upstreamhealth.loopback.LoopbackServer;
import dev.upstreamhealth.runtime.OperatorOptions;
import dev.upstreamhealth.runtime.UpstreamHealthOperator;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What the API server does to an operator in production: conflicts and outages. */
class ApiFaultsIT {
  FaultInjectingDispatcher dispatcher;
  EmbeddedApiServer api;
  KubernetesClient client;
  UpstreamHealthOperator operator;
  LoopbackServer origin;
  LoopbackServer pod;
  SiteFixture shop = new SiteFixture("web", "shop", "shop.example.com");
  SiteTimeline timeline;

  @BeforeEach
  void start() throws Exception {
    dispatcher = new FaultInjectingDispatcher();
    api = EmbeddedApiServers.over(dispatcher);
    client = api.client();
    origin = LoopbackServer.http("127.0.0.80", 0, Behaviour.status(200));
    pod = LoopbackServer.http("127.0.0.81", 0, Behaviour.status(200));
    timeline = new SiteTimeline(client, "web");
  }

  @AfterEach
  void stop() {
    timeline.close();
    if (operator != null) {
      operator.close();
    }
    api.close();
    origin.close();
    pod.close();
  }

  private void deployShop() {
    for (var o : SiteFixtures.healthyWorld(shop, "127.0.0.80", origin.port(), "127.0.0.81", pod.port())) {
      client.resource(o).create();
    }
  }

  private void startOperator() {
    operator = UpstreamHealthOperator.start(client, OperatorOptions.defaults().but(b -> {
      b.metricsPort = -1;
      b.probeAllowLoopback = true;
    }));
  }

  private void startOperatorWatching(Set<String> namespaces) {
    operator = UpstreamHealthOperator.start(client, impatient(-1).but(b -> b.namespaces = namespaces));
  }

  /** Waiting for the first probe is not a verdict; anything else on the way to Healthy is a false alarm. */
  private void assertOnlyWaitingThenHealthy() {
    assertThat(timeline.verdictsSeen()).as("what the Site showed on the way")
        .isSubsetOf("(no status)", "Unknown/AwaitingFirstProbe", "None/Healthy");
    assertThat(timeline.warnings()).as("Warning Events").isEmpty();
  }

  private Site shopSite() {
    return client.resources(Site.class).inNamespace("web").withName("shop").get();
  }

  @Test
  void conflictingStatusPatchesAreRetriedUntilTheStatusIsWritten() {
    dispatcher.fail(FaultInjectingDispatcher.statusWrite(), 409, 2);
    deployShop();
    startOperator();
    await().atMost(Duration.ofSeconds(20)).until(() -> shopSite().getStatus() != null
        && "Healthy".equals(shopSite().getStatus().getReason()));
    assertThat(dispatcher.injected()).isEqualTo(2);
    assertOnlyWaitingThenHealthy();
  }

  /**
   * A 502 whose status write is refused (409, someone else wrote the Site first) and that clears
   * before the retry: it was never shown, so it must not be announced either. Announced before
   * the write, its Warning would stand with no Recovered to follow, and the same fault coming back
   * later would get none.
   */
  @Test
  void aFaultRefusedAtItsWriteAndGoneBeforeTheRetryIsNeverAnnounced() {
    deployShop();
    startOperator();
    await().atMost(Duration.ofSeconds(10)).until(() -> shopSite().getStatus() != null
        && "Healthy".equals(shopSite().getStatus().getReason()));
    dispatcher.fail(FaultInjectingDispatcher.statusWrite(), 409, 1);
    client.pods().inNamespace("web").resource(shop.crashLoopingPod(1, "127.0.0.81", pod.port())).updateStatus();
    await().atMost(Duration.ofSeconds(10)).until(() -> dispatcher.injected() == 1);
    // Serving again well before the refused reconcile is retried (2 s later).
    client.pods().inNamespace("web").resource(shop.pod(1, "127.0.0.81", pod.port(), true)).updateStatus();

    await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(8))
        .until(() -> timeline.warnings().isEmpty() && "Healthy".equals(shopSite().getStatus().getReason()));
    assertOnlyWaitingThenHealthy();
  }

  /**
   * A status write the API server stores but whose answer is lost (a proxy's 504): the
   * reconcile fails before its Event, and the retry finds the status already written. The
   * Warning still goes out, once.
   */
  @Test
  void aFaultWhoseWriteIsStoredButUnansweredIsStillAnnouncedOnce() {
    deployShop();
    startOperator();
    await().atMost(Duration.ofSeconds(10)).until(() -> shopSite().getStatus() != null
        && "Healthy".equals(shopSite().getStatus().getReason()));
    dispatcher.applyThenFail(FaultInjectingDispatcher.statusWrite(), 504, 1);
    client.pods().inNamespace("web").resource(shop.crashLoopingPod(1, "127.0.0.81", pod.port())).updateStatus();

    await().atMost(Duration.ofSeconds(45)).untilAsserted(() -> assertThat(timeline.warnings())
        .extracting(e -> e.getReason()).containsExactly("UpstreamCrashLooping"));
    assertThat(dispatcher.injected()).isEqualTo(1);
    await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(6))
        .until(() -> timeline.warnings().size() == 1);
    timeline.assertWay("shop", "None/Healthy", "502/UpstreamCrashLooping");
  }

  /**
   * Event creates refused for seconds: here 403, as while the operator's Role is being rolled
   * out. The Warning a page hangs on is recorded once they pass, once, not lost after a few quick
   * tries.
   */
  @Test
  void aWarningRefusedForSecondsIsRecordedOnceTheApiServerTakesItAgain() {
    deployShop();
    startOperator();
    await().atMost(Duration.ofSeconds(10)).until(() -> shopSite().getStatus() != null
        && "Healthy".equals(shopSite().getStatus().getReason()));
    dispatcher.failFor(FaultInjectingDispatcher.eventCreate(), 403, Duration.ofSeconds(8));
    client.pods().inNamespace("web").resource(shop.crashLoopingPod(1, "127.0.0.81", pod.port())).updateStatus();

    await().atMost(Duration.ofSeconds(10)).until(() -> "UpstreamCrashLooping".equals(shopSite().getStatus().getReason()));
    assertThat(timeline.warnings()).as("refused so far").isEmpty();
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(timeline.warnings())
        .extracting(e -> e.getReason()).containsExactly("UpstreamCrashLooping"));
    assertThat(dispatcher.injected()).as("the API server did refuse, more than a few quick tries").isGreaterThan(3);
    await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(6)).until(() -> timeline.warnings().size() == 1);
  }

  @Test
  void anApiOutageLosesNoTransition() {
    deployShop();
    startOperator();
    await().atMost(Duration.ofSeconds(10)).until(() -> shopSite().getStatus() != null
        && "Healthy".equals(shopSite().getStatus().getReason()));
    // The pod crashes while every status write fails for a while; the transition must land afterwards.
    dispatcher.fail(FaultInjectingDispatcher.statusWrite(), 500, 4);
    client.pods().inNamespace("web").resource(shop.crashLoopingPod(1, "127.0.0.81", pod.port())).updateStatus();
    await().atMost(Duration.ofSeconds(40)).until(() -> "UpstreamCrashLooping".equals(shopSite().getStatus().getReason()));
    assertThat(dispatcher.injected()).isEqualTo(4);
    // The way there: one transition, nothing in between, one Warning.
    timeline.assertWay("shop", "None/Healthy", "502/UpstreamCrashLooping");
  }

  @Test
  void expiredWatchesAreReListedAndNoChangeIsMissed() {
    // The pod watch is answered 410 Gone: the informer must re-list and watch again.
    dispatcher.fail(FaultInjectingDispatcher.watchOf("pods"), 410, 1);
    deployShop();
    startOperator();
    await().atMost(Duration.ofSeconds(20)).until(() -> shopSite().getStatus() != null
        && "Healthy".equals(shopSite().getStatus().getReason()));
    client.pods().inNamespace("web").resource(shop.crashLoopingPod(1, "127.0.0.81", pod.port())).updateStatus();
    await().atMost(Duration.ofSeconds(30)).until(() -> "UpstreamCrashLooping".equals(shopSite().getStatus().getReason()));
    assertThat(dispatcher.injected()).isEqualTo(1);
    timeline.assertWay("shop", "None/Healthy", "502/UpstreamCrashLooping");
  }

  @Test
  void slowStatusWritesDelayButDoNotLoseTheVerdict() {
    dispatcher.slow(FaultInjectingDispatcher.statusWrite(), Duration.ofSeconds(2), 2);
    deployShop();
    startOperator();
    client.pods().inNamespace("web").resource(shop.crashLoopingPod(1, "127.0.0.81", pod.port())).updateStatus();
    await().atMost(Duration.ofSeconds(30)).until(() -> shopSite().getStatus() != null
        && "UpstreamCrashLooping".equals(shopSite().getStatus().getReason()));
    assertThat(dispatcher.injected()).isGreaterThanOrEqualTo(1);
    // The pod crashes as the operator starts: whether Healthy is shown first depends on which comes
    // first, the origin's first probe or the pod's update; nothing else may be shown, one Warning.
    timeline.assertWayIsOneOf("shop", List.of("502/UpstreamCrashLooping"),
        List.of("None/Healthy", "502/UpstreamCrashLooping"));
  }

  @Test
  void aSlowInformerAtStartUpDoesNotStopTheOthersFromStarting() {
    // Services, pods and slices arrive while the Ingress and Site caches are still listing: their
    // mappers must not fail on caches that are not running yet.
    dispatcher.slow(r -> "GET".equals(r.getMethod()) && r.getPath().contains("/ingresses?"), Duration.ofSeconds(2), 1);
    dispatcher.slow(r -> "GET".equals(r.getMethod()) && r.getPath().contains("/sites?"), Duration.ofSeconds(2), 1);
    deployShop();
    startOperator();
    await().atMost(Duration.ofSeconds(20)).until(() -> shopSite().getStatus() != null
        && "Healthy".equals(shopSite().getStatus().getReason()));
    assertOnlyWaitingThenHealthy();
  }

  @Test
  void failingListsAtStartUpAreRetried() {
    deployShop();
    dispatcher.fail(r -> "GET".equals(r.getMethod()) && r.getPath().contains("/pods"), 503, 3);
    startOperator();
    await().atMost(Duration.ofSeconds(30)).until(() -> shopSite().getStatus() != null
        && "Healthy".equals(shopSite().getStatus().getReason()));
    assertThat(dispatcher.injected()).isEqualTo(3);
    assertThat(timeline.verdictsSeen()).as("what the Site showed on the way")
        .isSubsetOf("(no status)", "Unknown/CachesNotSynced", "Unknown/AwaitingFirstProbe", "None/Healthy");
    assertThat(timeline.warnings()).isEmpty();
  }

  // ---- caches that cannot list: no verdict from them, however long it lasts

  /** Longer than the operator's cache sync timeout (2 s here), so JOSDK does start reconciling meanwhile. */
  static final Duration FORBIDDEN_FOR = Duration.ofSeconds(12);

  private OperatorOptions impatient(int metricsPort) {
    return OperatorOptions.defaults().but(b -> {
      b.metricsPort = metricsPort;
      b.probeAllowLoopback = true;
      b.cacheSyncTimeout = Duration.ofSeconds(2);
    });
  }

  private final SiteFixture blog = new SiteFixture("web", "blog", "blog.example.com");
  private LoopbackServer blogOrigin;
  private LoopbackServer blogPod;

  private void deployShopAndBlog() {
    deployShop();
    blogOrigin = LoopbackServer.http("127.0.0.82", 0, Behaviour.status(200));
    blogPod = LoopbackServer.http("127.0.0.83", 0, Behaviour.status(200));
    for (var o : SiteFixtures.healthyWorld(blog, "127.0.0.82", blogOrigin.port(), "127.0.0.83", blogPod.port())) {
      client.resource(o).create();
    }
  }

  private boolean bothHealthy() {
    return List.of("shop", "blog").stream().allMatch(name -> {
      Site site = client.resources(Site.class).inNamespace("web").withName(name).get();
      return site.getStatus() != null && "Healthy".equals(site.getStatus().getReason())
          && site.getStatus().getProbes().size() >= 2;
    });
  }

  @ParameterizedTest(name = "{0} forbidden at start-up")
  @ValueSource(strings = {"services", "pods"})
  void aRestartBehindACacheThatCannotListShowsNothingButHealthy(String resource) {
    deployShopAndBlog();
    try {
      startOperator();
      await().atMost(Duration.ofSeconds(20)).until(this::bothHealthy);
      operator.close();
      operator = null;
      timeline.close();
      timeline = new SiteTimeline(client, "web");
      long eventsBefore = client.v1().events().inNamespace("web").list().getItems().size();

      // The new process may not list or watch them, as while its RBAC is still being applied.
      dispatcher.failFor(FaultInjectingDispatcher.listOrWatchOf(resource), 403, FORBIDDEN_FOR);
      operator = UpstreamHealthOperator.start(client, impatient(-1));
      await().atMost(FORBIDDEN_FOR.plus(Duration.ofSeconds(40))).pollDelay(FORBIDDEN_FOR)
          .until(() -> dispatcher.seen().stream().anyMatch(r -> r.path().contains("/" + resource + "?")
              && r.path().contains("watch=true")) && bothHealthy());
      // Three probe intervals (2 s) of the new process's own probes: still nothing but Healthy.
      await().during(Duration.ofSeconds(6)).atMost(Duration.ofSeconds(20)).until(this::bothHealthy);

      assertThat(timeline.verdicts()).as("every Site, all the while").containsOnlyKeys("shop", "blog")
          .allSatisfy((site, seen) -> assertThat(seen).containsExactly("None/Healthy"));
      assertThat(client.v1().events().inNamespace("web").list().getItems()).as("no Event").hasSize((int) eventsBefore);
      assertThat(dispatcher.injected()).as("the API server did refuse").isPositive();
    } finally {
      blogOrigin.close();
      blogPod.close();
    }
  }

  /**
   * The operator told to watch "web" and "gone", and "gone" deleted with the Role that let it in:
   * its informers there can never list. Nothing of "gone" is read for a Site of "web", whose
   * stored 521 must give way to what its probes see now, not stand for as long as that lasts.
   */
  @Test
  void aWatchedNamespaceThatCannotBeListedDoesNotHoldTheOtherNamespacesSites() {
    deployShop();
    startOperatorWatching(Set.of("web", "gone"));
    await().atMost(Duration.ofSeconds(20)).until(() -> shopSite().getStatus() != null
        && "Healthy".equals(shopSite().getStatus().getReason()));
    int shopOriginPort = origin.port();
    origin.close();
    await().atMost(Duration.ofSeconds(20)).until(() -> "ConnectionRefused".equals(shopSite().getStatus().getReason()));
    operator.close();
    operator = null;

    dispatcher.failFor(r -> "GET".equals(r.getMethod()) && r.getPath().contains("/namespaces/gone/"), 403,
        Duration.ofHours(1));
    origin = LoopbackServer.http("127.0.0.80", shopOriginPort, Behaviour.status(200));
    startOperatorWatching(Set.of("web", "gone"));

    Site recovered = await().atMost(Duration.ofSeconds(30)).until(this::shopSite,
        s -> "Healthy".equals(s.getStatus().getReason()));
    assertThat(recovered.getStatus().getFault()).isEqualTo("None");
    assertThat(dispatcher.injected()).as("the API server did refuse the lists of gone").isPositive();
  }

  @Test
  void aNewSiteBehindACacheThatCannotListWaitsAndSaysWhy() throws Exception {
    dispatcher.failFor(FaultInjectingDispatcher.listOrWatchOf("services"), 403, FORBIDDEN_FOR);
    deployShopAndBlog();
    try {
      operator = UpstreamHealthOperator.start(client, impatient(0));
      java.net.URI readyz = java.net.URI.create("http://127.0.0.1:" + operator.metricsPort() + "/readyz");
      Site waiting = await().atMost(Duration.ofSeconds(10)).until(this::shopSite,
          s -> s.getStatus() != null && "CachesNotSynced".equals(s.getStatus().getReason()));
      assertThat(waiting.getStatus().getFault()).isEqualTo("Unknown");
      assertThat(waiting.getStatus().getMessage()).contains("Service");
      assertThat(status(readyz)).as("/readyz while a cache has not synced").isEqualTo(503);

      await().atMost(FORBIDDEN_FOR.plus(Duration.ofSeconds(40))).until(this::bothHealthy);
      assertThat(status(readyz)).isEqualTo(200);
      assertThat(timeline.verdictsSeen()).as("what the Sites showed on the way")
          .isSubsetOf("(no status)", "Unknown/CachesNotSynced", "Unknown/AwaitingFirstProbe", "None/Healthy");
      assertThat(timeline.warnings()).isEmpty();
    } finally {
      blogOrigin.close();
      blogPod.close();
    }
  }

  private static int status(java.net.URI uri) throws Exception {
    return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(uri).build(),
        java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
  }
}
