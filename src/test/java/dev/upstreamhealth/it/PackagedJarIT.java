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
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The jar users run, as a separate process, against an API server named by KUBECONFIG. */
class PackagedJarIT {
  @TempDir
  Path dir;

  @Test
  void reconcilesSitesAndStopsCleanlyOnSigtermKeepingWhatTheProbesConcluded() throws Exception {
    assertThat(OperatorProcess.jar()).exists();
    try (EmbeddedApiServer api = EmbeddedApiServer.start();
        LoopbackServer origin = LoopbackServer.http("127.0.0.90", 0, Behaviour.status(200));
        LoopbackServer pod = LoopbackServer.http("127.0.0.91", 0, Behaviour.status(200));
        LoopbackServer busyOrigin = LoopbackServer.http("127.0.0.92", 0, Behaviour.status(503))) {
      KubernetesClient client = api.client();
      SiteFixture shop = new SiteFixture("web", "shop", "shop.example.com");
      SiteFixture busy = new SiteFixture("web", "busy", "busy.example.com");
      SiteFixtures.healthyWorld(shop, "127.0.0.90", origin.port(), "127.0.0.91", pod.port()).forEach(o -> client.resource(o).create());
      SiteFixtures.healthyWorld(busy, "127.0.0.92", busyOrigin.port(), "127.0.0.91", pod.port()).forEach(o -> client.resource(o).create());
      OperatorProcess operator = OperatorProcess.start(dir, api.loopbackUrl(), "operator.log", "--metrics-port", "0");
      try (SiteTimeline timeline = new SiteTimeline(client, "web")) {
        try {
          await().atMost(Duration.ofSeconds(60)).until(() -> reason(client, "shop").equals("Healthy")
              && reason(client, "busy").equals("Overloaded"));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
          throw new AssertionError("shop " + reason(client, "shop") + ", busy " + reason(client, "busy")
              + "; operator log:\n" + operator.log(), e);
        }
        assertThat(operator.log()).contains("Site web/shop: None Healthy");
        // On two CPUs or fewer the JVM would start a thread per API response; the jar's main prevents it.
        assertThat(operator.log()).contains("API responses are decoded on").doesNotContain("a new thread each");
        List<SiteTimeline.Sample> shopBefore = timeline.of("shop");
        List<SiteTimeline.Sample> busyBefore = timeline.of("busy");

        operator.process.destroy(); // SIGTERM
        assertThat(operator.process.waitFor(20, TimeUnit.SECONDS)).as("exits after SIGTERM").isTrue();
        assertThat(operator.log()).contains("stopping");
        assertThat(operator.process.exitValue()).as("exit code after SIGTERM, log:%n%s", operator.log()).isIn(0, 143);
        // Shutting down is not news: nothing the probes had concluded is overwritten on the way out.
        assertThat(timeline.of("shop")).isEqualTo(shopBefore);
        assertThat(timeline.of("busy")).isEqualTo(busyBefore);
        assertThat(timeline.verdictsSeen()).doesNotContain("Unknown/EvaluationFailed");
      } finally {
        operator.close();
      }
    }
  }

  /**
   * The leader stopped on purpose (a rollout, a drain): it exits promptly and hands the Lease
   * back. Stopping is no loss of the Lease; exiting for one from inside the shutdown hook would
   * block for ever, the pod hanging until killed with the Lease still held.
   */
  @Test
  void aLeaderStopsPromptlyOnSigtermAndHandsTheLeaseBack() throws Exception {
    try (EmbeddedApiServer api = EmbeddedApiServers.over(new FaultInjectingDispatcher());
        LoopbackServer origin = LoopbackServer.http("127.0.0.93", 0, Behaviour.status(200));
        LoopbackServer pod = LoopbackServer.http("127.0.0.94", 0, Behaviour.status(200))) {
      KubernetesClient client = api.client();
      SiteFixture shop = new SiteFixture("web", "shop", "shop.example.com");
      SiteFixtures.healthyWorld(shop, "127.0.0.93", origin.port(), "127.0.0.94", pod.port()).forEach(o -> client.resource(o).create());
      OperatorProcess operator = OperatorProcess.start(dir, api.loopbackUrl(), "leader.log", "--metrics-port", "0",
          "--leader-election", "--lease-namespace", "default");
      try {
        await().atMost(Duration.ofSeconds(60)).until(() -> reason(client, "shop").equals("Healthy"));
        assertThat(holder(client)).isNotBlank();

        operator.process.destroy(); // SIGTERM
        assertThat(operator.process.waitFor(20, TimeUnit.SECONDS)).as("exits after SIGTERM, log:%n%s", operator.log())
            .isTrue();
        assertThat(operator.process.exitValue()).as("exit code after SIGTERM, log:%n%s", operator.log()).isIn(0, 143);
        assertThat(holder(client)).as("the Lease handed back").isNull();
        assertThat(operator.log()).contains("released Lease default/upstream-health-operator");
      } finally {
        operator.close();
      }
    }
  }

  private static String holder(KubernetesClient client) {
    Lease lease = client.leases().inNamespace("default").withName("upstream-health-operator").get();
    return lease == null || lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
  }

  private static String reason(KubernetesClient client, String name) {
    Site site = client.resources(Site.class).inNamespace("web").withName(name).get();
    return site == null || site.getStatus() == null ? "" : site.getStatus().getReason();
  }
}
