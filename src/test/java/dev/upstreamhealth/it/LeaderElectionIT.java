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
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Two replicas on one Lease: one works, the other stays silent until the first stops, then takes
 * over. Timings are the Lease's own, with room for a loaded runner.
 */
class LeaderElectionIT {
  static final Duration LEASE = Duration.ofSeconds(3);
  static final Duration RENEW_DEADLINE = Duration.ofSeconds(2);
  static final Duration RETRY = Duration.ofMillis(250);
  /**
   * The most a takeover may take: the stopping leader hands the Lease back, but even if it did not,
   * the Lease expires after its duration and the standby takes it at its next retry. Tripled for a
   * 2-core runner with other builds on it.
   */
  static final Duration TAKEOVER = LEASE.plus(RENEW_DEADLINE).plus(RETRY).multipliedBy(3);
  /** A verdict follows a change within a few probe intervals (2 s). */
  static final Duration VERDICT = Duration.ofSeconds(30);

  @Test
  void secondReplicaStaysSilentAndTakesOverWhenTheLeaderStops() throws Exception {
    FaultInjectingDispatcher dispatcher = new FaultInjectingDispatcher();
    try (EmbeddedApiServer api = EmbeddedApiServers.over(dispatcher);
        LoopbackServer origin = LoopbackServer.http("127.0.0.95", 0, Behaviour.status(200));
        LoopbackServer pod = LoopbackServer.http("127.0.0.96", 0, Behaviour.status(200))) {
      KubernetesClient client = api.client();
      SiteFixture shop = new SiteFixture("web", "shop", "shop.example.com");
      for (var o : SiteFixtures.healthyWorld(shop, "127.0.0.95", origin.port(), "127.0.0.96", pod.port())) {
        client.resource(o).create();
      }
      UpstreamHealthOperator a = UpstreamHealthOperator.start(client, replica("replica-a"));
      await().atMost(TAKEOVER).until(() -> holder(client), "replica-a"::equals);
      // The standby speaks to the API server as itself, so what it sends can be told apart.
      KubernetesClient standbyClient = new io.fabric8.kubernetes.client.KubernetesClientBuilder()
          .withConfig(new io.fabric8.kubernetes.client.ConfigBuilder(client.getConfiguration())
              .withUserAgent("replica-b").build()).build();
      UpstreamHealthOperator b = UpstreamHealthOperator.start(standbyClient, replica("replica-b"));
      try (SiteTimeline timeline = new SiteTimeline(client, "web")) {
        await().atMost(VERDICT).until(() -> reason(client), "Healthy"::equals);
        assertThat(holder(client)).isEqualTo("replica-a");
        assertThat(readyz(b)).as("a standby is ready, so rollouts of two replicas complete").isEqualTo(200);
        assertThat(leading(a)).as("the leader's upstreamhealth_operator_leading").isEqualTo("1.0");
        assertThat(leading(b)).as("the standby's, which answers scrapes too").isEqualTo("0.0");
        // A while of leading by a, with a fault for the leader to report and nothing for the standby to say.
        client.pods().inNamespace("web").resource(shop.crashLoopingPod(1, "127.0.0.96", pod.port())).updateStatus();
        await().atMost(VERDICT).until(() -> reason(client), "UpstreamCrashLooping"::equals);
        client.pods().inNamespace("web").resource(shop.pod(1, "127.0.0.96", pod.port(), true)).updateStatus();
        await().atMost(VERDICT).until(() -> reason(client), "Healthy"::equals);
        // One Event per transition, each sent once: had the standby judged too, there would be two.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(eventReasons(client))
            .containsExactly("UpstreamCrashLooping", "Recovered"));
        assertThat(writesBy(dispatcher, "replica-b")).as("what the standby wrote while a led").isEmpty();
        assertThat(holder(client)).as("a led all the while").isEqualTo("replica-a");

        a.close();
        // The stopping leader hands the Lease back: the standby takes it at a next retry.
        await().atMost(TAKEOVER).until(() -> holder(client), "replica-b"::equals);
        await().atMost(TAKEOVER).until(() -> leading(b), "1.0"::equals);
        client.pods().inNamespace("web").resource(shop.crashLoopingPod(1, "127.0.0.96", pod.port())).updateStatus();
        await().atMost(VERDICT).until(() -> reason(client), "UpstreamCrashLooping"::equals);
        assertThat(writesBy(dispatcher, "replica-b")).as("the new leader's writes are seen as its own").isNotEmpty();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(eventReasons(client))
            .containsExactly("UpstreamCrashLooping", "Recovered", "UpstreamCrashLooping"));
        // Taking over re-judged a healthy Site as healthy: nothing in between, one Warning per fault.
        timeline.assertWay("shop", "None/Healthy", "502/UpstreamCrashLooping", "None/Healthy", "502/UpstreamCrashLooping");
      } finally {
        b.close();
        standbyClient.close();
      }
    }
  }

  /**
   * A Warning the API server refuses for a while (403, as while a Role is rolled out) when the
   * leader is stopped: it is recorded on the way out, before the Lease is handed back. The replica
   * taking over reads the stored status as announced, so one left unsent would never be sent.
   */
  @Test
  void anEventRefusedAsTheLeaderStopsIsRecordedBeforeTheLeaseIsHandedBack() throws Exception {
    FaultInjectingDispatcher dispatcher = new FaultInjectingDispatcher();
    try (EmbeddedApiServer api = EmbeddedApiServers.over(dispatcher);
        LoopbackServer origin = LoopbackServer.http("127.0.0.97", 0, Behaviour.status(200));
        LoopbackServer pod = LoopbackServer.http("127.0.0.98", 0, Behaviour.status(200))) {
      KubernetesClient client = api.client();
      SiteFixture shop = new SiteFixture("web", "shop", "shop.example.com");
      for (var o : SiteFixtures.healthyWorld(shop, "127.0.0.97", origin.port(), "127.0.0.98", pod.port())) {
        client.resource(o).create();
      }
      UpstreamHealthOperator a = UpstreamHealthOperator.start(client, replica("replica-a"));
      CompletableFuture<Void> stopping = null;
      try {
        await().atMost(TAKEOVER).until(() -> holder(client), "replica-a"::equals);
        await().atMost(VERDICT).until(() -> reason(client), "Healthy"::equals);
        AtomicBoolean refusing = new AtomicBoolean(true);
        dispatcher.fail(FaultInjectingDispatcher.eventCreate().and(r -> refusing.get()), 403, Integer.MAX_VALUE);
        client.pods().inNamespace("web").resource(shop.crashLoopingPod(1, "127.0.0.98", pod.port())).updateStatus();
        await().atMost(VERDICT).until(() -> reason(client), "UpstreamCrashLooping"::equals);
        // Past its quick tries (0, 0.2, 0.6, 2.6 s): left alone, the next would come 4 s later.
        await().atMost(Duration.ofSeconds(20)).until(() -> dispatcher.injected() >= 4);
        assertThat(eventReasons(client)).as("refused so far").isEmpty();

        stopping = CompletableFuture.runAsync(a::close);
        // JOSDK has stopped, the leader is on its way out, and the API server takes Events again.
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> leading(a), "0.0"::equals);
        refusing.set(false);
        stopping.get(60, TimeUnit.SECONDS);
      } finally {
        if (stopping == null) {
          a.close();
        }
      }
      assertThat(eventReasons(client)).as("recorded on the way out").containsExactly("UpstreamCrashLooping");
      assertThat(holder(client)).as("the Lease, handed back").isNull();
      List<FaultInjectingDispatcher.Seen> seen = dispatcher.seen();
      int recorded = lastIndexOf(seen, "POST", "/namespaces/web/events");
      int handedBack = lastIndexOf(seen, "PUT", "/leases/upstream-health-operator");
      assertThat(recorded).as("the Event, created before the Lease was handed back (request %d of %d)",
          handedBack, seen.size()).isLessThan(handedBack);
    }
  }

  private static int lastIndexOf(List<FaultInjectingDispatcher.Seen> seen, String method, String path) {
    for (int i = seen.size() - 1; i >= 0; i--) {
      if (method.equals(seen.get(i).method()) && seen.get(i).path().contains(path)) {
        return i;
      }
    }
    throw new AssertionError("no " + method + " " + path + " among " + seen.size() + " requests");
  }

  private static List<String> eventReasons(KubernetesClient client) {
    return client.v1().events().inNamespace("web").list().getItems().stream().map(e -> e.getReason()).toList();
  }

  /** Status patches and Events a replica sent: everything it wrote but its bid for the Lease. */
  private static List<String> writesBy(FaultInjectingDispatcher dispatcher, String userAgent) {
    return dispatcher.seen().stream()
        .filter(r -> r.userAgent() != null && r.userAgent().contains(userAgent))
        .filter(r -> !"GET".equals(r.method()) && !r.path().contains("/leases") && !r.path().contains("selfsubjectrulesreviews"))
        .map(r -> r.method() + " " + r.path()).toList();
  }

  private static OperatorOptions replica(String identity) {
    return OperatorOptions.defaults().but(o -> {
      o.metricsPort = 0;
      o.probeAllowLoopback = true;
      o.leaderElection = true;
      o.leaseNamespace = "default";
      o.leaseTiming = new OperatorOptions.LeaseTiming(identity, LEASE, RENEW_DEADLINE, RETRY, false);
    });
  }

  private static int readyz(UpstreamHealthOperator replica) throws Exception {
    return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
            java.net.URI.create("http://127.0.0.1:" + replica.metricsPort() + "/readyz")).build(),
        java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  /** The replica's upstreamhealth_operator_leading as Prometheus would scrape it. */
  private static String leading(UpstreamHealthOperator replica) throws Exception {
    String body = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
            java.net.URI.create("http://127.0.0.1:" + replica.metricsPort() + "/metrics")).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString()).body();
    return body.lines().filter(line -> line.startsWith("upstreamhealth_operator_leading "))
        .map(line -> line.substring(line.indexOf(' ') + 1)).findFirst().orElse(null);
  }

  private static String holder(KubernetesClient client) {
    Lease lease = client.leases().inNamespace("default").withName("upstream-health-operator").get();
    return lease == null || lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
  }

  private static String reason(KubernetesClient client) {
    Site site = client.resources(Site.class).inNamespace("web").withName("shop").get();
    return site == null || site.getStatus() == null ? null : site.getStatus().getReason();
  }
}
