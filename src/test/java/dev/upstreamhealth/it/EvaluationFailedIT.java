package dev.upstreamhealth.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.upstreamhealth.api.Site;
import dev.upstreamhealth.demo.EmbeddedApiServer;
import dev.upstreamhealth.demo.SiteFixture;
import dev.upstreamhealth.demo.SiteFixtures;
import dev.upstreamhealth.loopback.Behaviour;
import dev.upstreamhealth.loopback.LoopbackServer;
import dev.upstreamhealth.metrics.OperatorMetrics;
import dev.upstreamhealth.probe.ProbeScheduler;
import dev.upstreamhealth.probe.transport.NettyProber;
import dev.upstreamhealth.probe.transport.NettyProbers;
import dev.upstreamhealth.reconciler.SiteReconciler;
import dev.upstreamhealth.runtime.MetricsVerdictSink;
import dev.upstreamhealth.status.SiteEvents;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A reconcile that throws becomes a status that says so, through JOSDK's error path: Ready
 * Unknown/EvaluationFailed quoting the error, the fault conditions as they were, one Warning
 * Event however often JOSDK retries, and the error counted. The operator's own wiring, with a
 * reconciler that fails on demand (nothing in a healthy world makes the real one throw).
 */
class EvaluationFailedIT {
  /** The real reconciler, made to fail while {@code failing} is set. */
  static final class FailingOnDemand extends SiteReconciler {
    final AtomicBoolean failing = new AtomicBoolean();
    /** Reconciles still to fail once {@code failing} is off: a passing failure. */
    final java.util.concurrent.atomic.AtomicInteger failuresLeft = new java.util.concurrent.atomic.AtomicInteger();

    FailingOnDemand(ProbeScheduler probes, SiteEvents events, MetricsVerdictSink verdicts) {
      super(probes, events, verdicts, Clock.systemUTC(), java.util.List.of());
    }

    @Override
    public UpdateControl<Site> reconcile(Site site, Context<Site> context) {
      if (failing.get() || failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        throw new IllegalStateException("index site-by-ingress is corrupt");
      }
      return super.reconcile(site, context);
    }
  }

  /**
   * One Site whose origin answers 503 (Overloaded) on an embedded API server, and the operator's
   * own wiring around a reconciler that fails on demand; closed in reverse.
   */
  static final class Running implements AutoCloseable {
    final EmbeddedApiServer api = EmbeddedApiServer.start();
    final KubernetesClient client = api.client();
    final LoopbackServer origin;
    final LoopbackServer pod;
    final OperatorMetrics metrics = new OperatorMetrics();
    final NettyProber prober = NettyProbers.anyAddress();
    final ProbeScheduler scheduler;
    final SiteEvents events = new SiteEvents(client);
    final FailingOnDemand reconciler;
    final Operator operator;

    Running(String originIp, String podIp) {
      origin = LoopbackServer.http(originIp, 0, Behaviour.status(503));
      pod = LoopbackServer.http(podIp, 0, Behaviour.status(200));
      SiteFixture shop = new SiteFixture("web", "shop", "shop.example.com");
      SiteFixtures.healthyWorld(shop, originIp, origin.port(), podIp, pod.port()).forEach(o -> client.resource(o).create());
      AtomicReference<SiteReconciler> ref = new AtomicReference<>();
      scheduler = new ProbeScheduler(prober, 8, 4, site -> ref.get().probeConclusionChanged(site), null);
      reconciler = new FailingOnDemand(scheduler, events, new MetricsVerdictSink(metrics.sites()));
      ref.set(reconciler);
      operator = new Operator(o -> o.withKubernetesClient(client).withCloseClientOnStop(false)
          .withUseSSAToPatchPrimaryResource(false));
      operator.register(reconciler);
      operator.start();
    }

    @Override
    public void close() {
      operator.stop();
      reconciler.stopped();
      scheduler.close();
      events.close();
      prober.close();
      metrics.close();
      pod.close();
      origin.close();
      api.close();
    }
  }

  @Test
  void aFailingReconcileSaysSoOnceKeepsTheFaultConditionsAndIsCounted() {
    try (Running world = new Running("127.0.0.115", "127.0.0.116")) {
      KubernetesClient client = world.client;
      FailingOnDemand reconciler = world.reconciler;
      OperatorMetrics metrics = world.metrics;
      try (SiteTimeline timeline = new SiteTimeline(client, "web")) {
        Site before = await().atMost(Duration.ofSeconds(30)).until(() -> site(client),
            s -> s.getStatus() != null && "Overloaded".equals(s.getStatus().getReason()));

        reconciler.failing.set(true);
        touch(client);
        Site failed = await().atMost(Duration.ofSeconds(30)).until(() -> site(client),
            s -> "EvaluationFailed".equals(s.getStatus().getReason()));
        assertThat(failed.getStatus().getFault()).isEqualTo("Unknown");
        assertThat(failed.getStatus().getMessage())
            .contains("IllegalStateException: index site-by-ingress is corrupt");
        Condition ready = condition(failed, "Ready");
        assertThat(ready.getStatus()).isEqualTo("Unknown");
        assertThat(ready.getReason()).isEqualTo("EvaluationFailed");
        for (String type : List.of("OriginDown", "BadGateway", "ServiceUnavailable", "Degraded")) {
          assertThat(condition(failed, type)).as(type + " keeps what it showed").isEqualTo(condition(before, type));
        }
        // JOSDK retries a failing reconcile: each retry is counted, none is news again.
        await().atMost(Duration.ofSeconds(30)).until(() -> counted(metrics) >= 2);
        // Announced once a retry fails too, off the reconcile thread.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
            assertThat(warnings(client)).containsExactlyInAnyOrder("Overloaded", "EvaluationFailed"));

        reconciler.failing.set(false);
        touch(client);
        await().atMost(Duration.ofSeconds(30)).until(() -> "Overloaded".equals(site(client).getStatus().getReason()));
        assertThat(timeline.verdicts().get("shop")).endsWith("503/Overloaded", "Unknown/EvaluationFailed", "503/Overloaded");
        // Evaluated again, the verdict as before: said with a Normal Event, not a second Warning.
        await().atMost(Duration.ofSeconds(10)).until(() -> normals(client).contains(SiteEvents.EVALUATION_RESUMED));
        assertThat(warnings(client)).containsExactlyInAnyOrder("Overloaded", "EvaluationFailed");
      }
    }
  }

  /** A reconcile that fails once, and whose retry succeeds, is shown and counted but announces nothing. */
  @Test
  void aFailureTheRetryClearsSendsNoWarning() {
    try (Running world = new Running("127.0.0.117", "127.0.0.118")) {
      KubernetesClient client = world.client;
      FailingOnDemand reconciler = world.reconciler;
      OperatorMetrics metrics = world.metrics;
      await().atMost(Duration.ofSeconds(30)).until(() -> site(client),
          s -> s.getStatus() != null && "Overloaded".equals(s.getStatus().getReason()));
      reconciler.failuresLeft.set(1);
      touch(client);
      await().atMost(Duration.ofSeconds(30)).until(() -> counted(metrics) >= 1 && reconciler.failuresLeft.get() == 0);
      // The retry, 2 s later, shows the verdict again.
      await().atMost(Duration.ofSeconds(30)).until(() -> "Overloaded".equals(site(client).getStatus().getReason()));
      // The passing failure is no news: no Warning for it, none for the verdict shown again.
      await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
          .until(() -> warnings(client), w -> w.equals(List.of("Overloaded")));
    }
  }

  private static List<String> normals(KubernetesClient client) {
    return client.v1().events().inNamespace("web").list().getItems().stream()
        .filter(e -> "Normal".equals(e.getType())).map(e -> e.getReason()).toList();
  }

  /** A change of the Site's backend Service: what makes the Site be reconciled again. */
  private static void touch(KubernetesClient client) {
    client.services().inNamespace("web").withName("shop-web").edit(s -> {
      s.getMetadata().setAnnotations(java.util.Map.of("touched", String.valueOf(System.nanoTime())));
      return s;
    });
  }

  /** The counter as Prometheus scrapes it. */
  private static double counted(OperatorMetrics metrics) {
    String series = "upstreamhealth_site_evaluation_failures_total{namespace=\"web\",site=\"shop\"} ";
    return metrics.registry().scrape().lines().filter(line -> line.startsWith(series))
        .mapToDouble(line -> Double.parseDouble(line.substring(series.length()))).findFirst().orElse(0);
  }

  private static List<String> warnings(KubernetesClient client) {
    return client.v1().events().inNamespace("web").list().getItems().stream()
        .filter(e -> "Warning".equals(e.getType())).map(e -> e.getReason()).toList();
  }

  private static Site site(KubernetesClient client) {
    return client.resources(Site.class).inNamespace("web").withName("shop").get();
  }

  private static Condition condition(Site site, String type) {
    return site.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst().orElseThrow();
  }
}
