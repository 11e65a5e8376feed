package dev.upstreamhealth.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * upstreamhealth_operator_leading as Prometheus scrapes it: the chart's UpstreamHealthOperatorDown
 * reads it to tell a release whose replicas all stand by from one at work.
 */
class LeadingMetricTest {

  @Test
  void aStandbyShowsZeroAndTheLeaderOne() {
    AtomicBoolean leading = new AtomicBoolean();
    try (OperatorMetrics metrics = new OperatorMetrics()) {
      metrics.leading(leading::get);
      OperatorHttpServer server = OperatorHttpServer.start(0, metrics.registry(), Optional::empty);
      try {
        assertThat(Http.scrape(server.port()).find("upstreamhealth_operator_leading", Map.of()))
            .singleElement().extracting(Exposition.Sample::value).isEqualTo(0.0);

        leading.set(true);

        assertThat(Http.scrape(server.port()).find("upstreamhealth_operator_leading", Map.of()))
            .singleElement().extracting(Exposition.Sample::value).isEqualTo(1.0);
      } finally {
        server.close();
      }
    }
  }
}
