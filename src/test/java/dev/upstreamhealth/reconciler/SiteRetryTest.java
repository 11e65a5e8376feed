package dev.upstreamhealth.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.upstreamhealth.api.Site;
import dev.upstreamhealth.api.SiteRef;
import dev.upstreamhealth.api.SiteStatus;
import dev.upstreamhealth.probe.ProbeResult;
import dev.upstreamhealth.probe.ProbeScheduler;
import dev.upstreamhealth.probe.ProbeTarget;
import dev.upstreamhealth.probe.Prober;
import dev.upstreamhealth.status.SiteEvents;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.javaoperatorsdk.operator.api.config.BaseConfigurationService;
import io.javaoperatorsdk.operator.processing.retry.RetryExecution;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * How JOSDK retries a Site whose reconcile fails (EvaluationFailed), as it reads the reconciler's
 * configuration: soon at first, then less often, and never giving up, so a Site does not stay
 * EvaluationFailed until the 10-hour resync after an error that has gone.
 */
class SiteRetryTest {
  private static final Prober NEVER_ASKED = new Prober() {
    @Override
    public CompletableFuture<ProbeResult> probe(ProbeTarget target) {
      throw new AssertionError("nothing is probed here");
    }

    @Override
    public void close() {}
  };

  private static final VerdictSink NOWHERE = new VerdictSink() {
    @Override
    public void shown(Site site, SiteStatus status) {}

    @Override
    public void evaluationFailed(SiteRef site) {}

    @Override
    public void forget(SiteRef site) {}
  };

  @Test
  void aFailingSiteIsRetriedWithBackoffForAsLongAsItFails() {
    List<Duration> delays = new ArrayList<>();
    // No Event is sent here: the client names no API server that answers.
    try (KubernetesClient nowhere = new KubernetesClientBuilder()
            .withConfig(new ConfigBuilder(Config.empty()).withMasterUrl("http://127.0.0.1:1").build()).build();
        ProbeScheduler probes = new ProbeScheduler(NEVER_ASKED, 1, 1, site -> { }, null);
        SiteEvents events = new SiteEvents(nowhere)) {
      SiteReconciler reconciler = new SiteReconciler(probes, events, NOWHERE, Clock.systemUTC(), List.of());
      RetryExecution retry = new BaseConfigurationService().getConfigurationFor(reconciler).getRetry().initExecution();
      // A day and more of failing, one retry after another.
      for (int attempt = 0; attempt < 300; attempt++) {
        delays.add(Duration.ofMillis(retry.nextDelay().orElseThrow(
            () -> new AssertionError("gave up after " + delays.size() + " retries"))));
      }
    }

    assertThat(delays.get(0)).isEqualTo(Duration.ofSeconds(2));
    assertThat(delays).isSorted();
    assertThat(delays.get(5)).isGreaterThan(delays.get(0));
    assertThat(delays).allSatisfy(d -> assertThat(d).isLessThanOrEqualTo(Duration.ofMinutes(5)));
    assertThat(delays.get(delays.size() - 1)).isEqualTo(Duration.ofMinutes(5));
    assertThat(delays.stream().reduce(Duration.ZERO, Duration::plus)).isGreaterThan(Duration.ofDays(1));
  }
}
