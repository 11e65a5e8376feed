package dev.upstreamhealth.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.upstreamhealth.api.Site;
import dev.upstreamhealth.demo.EmbeddedApiServer;
import dev.upstreamhealth.demo.SiteFixture;
import dev.upstreamhealth.loopback.Behaviour;
import dev.upstreamhealth.loopback.LoopbackServer;
import dev.upstreamhealth.runtime.OperatorOptions;
import dev.upstreamhealth.runtime.UpstreamHealthOperator;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the API server does to an operator in production: conflicts and outages. */
class ApiFaultsIT {
  FaultInjectingDispatcher dispatcher;
  EmbeddedApiServer api;
  KubernetesClient client;
  UpstreamHealthOperator operator;
  LoopbackServer origin;
  LoopbackServer pod;
  SiteFixture shop = new SiteFixture("web", "shop", "shop.example.com");

  @BeforeEach
  void start() throws Exception {
    dispatcher = new FaultInjectingDispatcher();
    api = EmbeddedApiServer.start(dispatcher);
    client = api.client();
    origin = LoopbackServer.http("127.0.0.80", 0, Behaviour.status(200));
    pod = LoopbackServer.http("127.0.0.81", 0, Behaviour.status(200));
  }

  @AfterEach
  void stop() {
    if (operator != null) {
      operator.close();
    }
    api.close();
    origin.close();
    pod.close();
  }

  private void deployShop() {
    for (var o : shop.healthyWorld("127.0.0.80", origin.port(), "127.0.0.81", pod.port())) {
      client.resource(o).create();
    }
  }

  private void startOperator() {
    operator = UpstreamHealthOperator.start(client, OperatorOptions.defaults().but(b -> {
      b.metricsPort = -1;
      b.probeAllowLoopback = true;
    }), List.of());
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
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(client.v1().events().inNamespace("web")
        .list().getItems()).extracting(e -> e.getReason()).contains("UpstreamCrashLooping"));
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
  }

  @Test
  void failingListsAtStartUpAreRetried() {
    deployShop();
    dispatcher.fail(r -> "GET".equals(r.getMethod()) && r.getPath().contains("/pods"), 503, 3);
    startOperator();
    await().atMost(Duration.ofSeconds(30)).until(() -> shopSite().getStatus() != null
        && "Healthy".equals(shopSite().getStatus().getReason()));
    assertThat(dispatcher.injected()).isEqualTo(3);
  }
}
