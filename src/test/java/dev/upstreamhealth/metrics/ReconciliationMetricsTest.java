package dev.upstreamhealth.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.upstreamhealth.api.Site;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.processing.GroupVersionKind;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Pins the names of JOSDK's reconciliation counters as Prometheus sees them: the chart's
 * UpstreamHealthOperatorNotReconciling alert queries exactly these.
 */
class ReconciliationMetricsTest {

  @Test
  void josdkCountersAreExposedUnderTheNamesTheAlertUses() {
    try (OperatorMetrics metrics = new OperatorMetrics()) {
      OperatorHttpServer server = OperatorHttpServer.start(0, metrics.registry(), Optional::empty);
      try {
        Site site = new Site();
        site.setMetadata(new ObjectMetaBuilder().withNamespace("web").withName("shop").build());
        Map<String, Object> metadata = Map.of(Constants.RESOURCE_GVK_KEY, GroupVersionKind.gvkFor(Site.class));

        metrics.reconciliation().finishedReconciliation(site, metadata);
        metrics.reconciliation().failedReconciliation(site, new IllegalStateException("boom"), metadata);

        Exposition scrape = Http.scrape(server.port());
        assertThat(scrape.find("operator_sdk_reconciliations_success_total", Map.of("kind", "Site")))
            .singleElement().satisfies(s -> {
              assertThat(s.value()).isEqualTo(1.0);
              assertThat(s.labels()).doesNotContainKeys("name", "namespace");
            });
        assertThat(scrape.find("operator_sdk_reconciliations_failed_total",
            Map.of("kind", "Site", "exception", "IllegalStateException"))).singleElement()
            .extracting(Exposition.Sample::value).isEqualTo(1.0);
      } finally {
        server.close();
      }
    }
  }
}
