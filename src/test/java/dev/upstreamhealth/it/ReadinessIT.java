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
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** An informer that cannot list keeps the operator unready, and its Sites without a verdict, until it can. */
class ReadinessIT {
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void readyzStaysUnreadyAndSitesWaitUntilEveryInformerCanList() throws Exception {
    FaultInjectingDispatcher dispatcher = new FaultInjectingDispatcher();
    int port = freePort();
    URI readyz = URI.create("http://127.0.0.1:" + port + "/readyz");
    SiteFixture shop = new SiteFixture("web", "shop", "shop.example.com");
    try (EmbeddedApiServer api = EmbeddedApiServers.over(dispatcher);
        LoopbackServer origin = LoopbackServer.http("127.0.0.78", 0, Behaviour.status(200));
        LoopbackServer pod = LoopbackServer.http("127.0.0.79", 0, Behaviour.status(200))) {
      KubernetesClient client = api.client();
      for (var o : SiteFixtures.healthyWorld(shop, "127.0.0.78", origin.port(), "127.0.0.79", pod.port())) {
        client.resource(o).create();
      }
      SiteTimeline timeline = new SiteTimeline(client, "web");
      // NetworkPolicies cannot be listed for longer than start-up waits, as while RBAC is still being applied.
      dispatcher.failFor(FaultInjectingDispatcher.listOrWatchOf("networkpolicies"), 403, Duration.ofSeconds(10));
      CompletableFuture<UpstreamHealthOperator> starting = CompletableFuture.supplyAsync(() ->
          UpstreamHealthOperator.start(client, OperatorOptions.defaults().but(b -> {
            b.metricsPort = port;
            b.probeAllowLoopback = true;
            b.cacheSyncTimeout = Duration.ofSeconds(2);
          })));
      try {
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> get(readyz).statusCode() == 503);
        Site waiting = await().atMost(Duration.ofSeconds(10)).until(() -> site(client),
            s -> s.getStatus() != null && "CachesNotSynced".equals(s.getStatus().getReason()));
        assertThat(waiting.getStatus().getMessage()).contains("NetworkPolicy");
        assertThat(get(readyz).statusCode()).as("/readyz while a cache has not synced").isEqualTo(503);
        URI metrics = URI.create("http://127.0.0.1:" + port + "/metrics");
        assertThat(get(metrics).body()).as("what UpstreamHealthOperatorNotReady alerts on")
            .containsPattern("(?m)^upstreamhealth_operator_ready(\\{[^}]*\\})? 0(\\.0)?$");

        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> get(readyz).statusCode() == 200);
        assertThat(get(metrics).body()).containsPattern("(?m)^upstreamhealth_operator_ready(\\{[^}]*\\})? 1(\\.0)?$");
        await().atMost(Duration.ofSeconds(20)).until(() -> "Healthy".equals(site(client).getStatus().getReason()));
        assertThat(dispatcher.injected()).isPositive();
        assertThat(timeline.verdictsSeen()).as("the way there")
            .isSubsetOf("(no status)", "Unknown/CachesNotSynced", "Unknown/AwaitingFirstProbe", "None/Healthy");
        assertThat(timeline.warnings()).isEmpty();
      } finally {
        timeline.close();
        starting.get().close();
      }
    }
  }

  /**
   * The cluster serves the Gateway API but the operator may not list HTTPRoutes yet (its role is
   * being applied): HTTPRoute Sites keep their stored status meanwhile, so /readyz must say the
   * operator is not current, and say it no longer once the caches fill.
   */
  @Test
  void readyzIsUnreadyWhileTheGatewayApiCachesCannotBeFilled() throws Exception {
    FaultInjectingDispatcher dispatcher = new FaultInjectingDispatcher();
    int port = freePort();
    URI readyz = URI.create("http://127.0.0.1:" + port + "/readyz");
    try (EmbeddedApiServer api = EmbeddedApiServers.over(dispatcher)) {
      api.installGatewayApi();
      KubernetesClient client = api.client();
      dispatcher.failFor(FaultInjectingDispatcher.listOrWatchOf("httproutes"), 403, Duration.ofSeconds(5));
      CompletableFuture<UpstreamHealthOperator> starting = CompletableFuture.supplyAsync(() ->
          UpstreamHealthOperator.start(client, OperatorOptions.defaults().but(b -> {
            b.metricsPort = port;
            b.cacheSyncTimeout = Duration.ofSeconds(2);
          })));
      try {
        HttpResponse<String> unready = await().atMost(Duration.ofSeconds(40)).ignoreExceptions()
            .until(() -> get(readyz), r -> r.statusCode() == 503 && r.body().contains("GatewayApi"));
        assertThat(unready.body()).contains("caches not filled");
        assertThat(dispatcher.injected()).isPositive();

        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> get(readyz).statusCode() == 200);
      } finally {
        starting.get().close();
      }
    }
  }

  /**
   * A replica with leader election whose start fails (its role has no Lease rules, which JOSDK
   * checks once its informers are up) is never ready, not even as the standby it is while it
   * starts: a rolling update would otherwise take it for ready and remove a working replica.
   */
  @Test
  void aReplicaWhoseStartFailsIsNeverReady() throws Exception {
    FaultInjectingDispatcher dispatcher = new FaultInjectingDispatcher();
    int port = freePort();
    URI readyz = URI.create("http://127.0.0.1:" + port + "/readyz");
    try (EmbeddedApiServer api = EmbeddedApiServers.over(dispatcher)) {
      KubernetesClient client = api.client();
      dispatcher.denyLeases();
      // A slow first list holds the start long enough for /readyz to be asked meanwhile.
      dispatcher.slow(FaultInjectingDispatcher.listOrWatchOf("networkpolicies"), Duration.ofSeconds(3), 1);
      CompletableFuture<UpstreamHealthOperator> starting = CompletableFuture.supplyAsync(() ->
          UpstreamHealthOperator.start(client, OperatorOptions.defaults().but(b -> {
            b.metricsPort = port;
            b.leaderElection = true;
            b.leaseNamespace = "default";
          })));
      List<Integer> answers = new java.util.concurrent.CopyOnWriteArrayList<>();
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
        try {
          answers.add(get(readyz).statusCode());
        } catch (java.io.IOException closed) {
          // Not listening yet, or closed by the failed start.
        }
        return starting.isDone();
      });

      assertThat(starting).isCompletedExceptionally();
      assertThat(dispatcher.injected()).as("the start was held").isPositive();
      assertThat(answers).as("/readyz while the start ran").isNotEmpty().containsOnly(503);
    }
  }

  /** A port nothing listens on, for the operator's /metrics, /healthz and /readyz. */
  private static int freePort() throws java.io.IOException {
    try (ServerSocket probe = new ServerSocket(0)) {
      return probe.getLocalPort();
    }
  }

  private static Site site(KubernetesClient client) {
    return client.resources(Site.class).inNamespace("web").withName("shop").get();
  }

  private HttpResponse<String> get(URI uri) throws Exception {
    return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
  }
}
