package dev.upstreamhealth.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Service;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The metrics Service, ServiceMonitor, PrometheusRule and the CRD the chart ships. */
class ChartMonitoringTest {

  @Test
  void metricsServiceTargetsTheOperatorPods() {
    Service service = RenderedChart.render(Map.of()).one(Service.class);

    assertThat(service.getSpec().getPorts()).singleElement().satisfies(p -> {
      assertThat(p.getPort()).isEqualTo(8080);
      assertThat(p.getTargetPort().getStrVal()).isEqualTo("metrics");
    });
    assertThat(service.getSpec().getSelector()).containsEntry("app.kubernetes.io/instance", RenderedChart.RELEASE);
  }

  @Test
  void serviceMonitorAndRulesOnlyWhenAsked() {
    RenderedChart defaults = RenderedChart.render(Map.of());
    assertThat(defaults.ofKind("ServiceMonitor")).isEmpty();
    assertThat(defaults.ofKind("PrometheusRule")).isEmpty();

    RenderedChart enabled = RenderedChart.render(Map.of(
        "serviceMonitor", Map.of("enabled", true, "labels", Map.of("release", "prometheus")),
        "prometheusRule", Map.of("enabled", true)));
    assertThat(enabled.ofKind("ServiceMonitor")).hasSize(1);
    assertThat(enabled.ofKind("PrometheusRule")).hasSize(1);
  }

  @Test
  @SuppressWarnings("unchecked")
  void serviceMonitorKeepsTheSitesNamespaceLabel() {
    GenericKubernetesResource monitor = RenderedChart.render(Map.of("serviceMonitor",
        Map.of("enabled", true, "labels", Map.of("release", "prometheus")))).ofKind("ServiceMonitor").get(0);

    assertThat(monitor.getMetadata().getLabels()).containsEntry("release", "prometheus");
    List<Map<String, Object>> endpoints = (List<Map<String, Object>>) ((Map<String, Object>) monitor
        .getAdditionalProperties().get("spec")).get("endpoints");
    assertThat(endpoints).singleElement().satisfies(e -> {
      assertThat(e).containsEntry("port", "metrics").containsEntry("path", "/metrics");
      assertThat(e).containsEntry("honorLabels", true);
    });
  }

  @Test
  void chartCrdIsByteIdenticalToTheTopLevelCrd() throws IOException {
    Path topLevel = Path.of("crds", "sites.upstreamhealth.dev-v1.yml");
    Path inChart = RenderedChart.CHART.resolve(topLevel);

    assertThat(Files.mismatch(topLevel, inChart))
        .as("copy %s to %s", topLevel, inChart)
        .isEqualTo(-1L);
  }

  @Test
  void helmInstallsTheSiteCrd() {
    String crds = new Helm(RenderedChart.CHART).show().crds().call();

    assertThat(crds).contains("name: \"sites.upstreamhealth.dev\"").contains("kind: \"Site\"");
  }
}
