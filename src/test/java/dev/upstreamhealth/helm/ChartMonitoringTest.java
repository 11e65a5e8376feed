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

  /**
   * The operator's own alerts select its series by job (prometheusRule.jobRegex): an overridden
   * name must not rename the job, or absent() calls a healthy operator down and the others go blind.
   */
  @Test
  @SuppressWarnings("unchecked")
  void theJobIsTheChartsNameWhateverTheReleaseIsCalled() {
    for (Map<String, Object> names : List.<Map<String, Object>>of(Map.of(), Map.of("nameOverride", "shop-health"),
        Map.of("fullnameOverride", "uho-shard-a"))) {
      Map<String, Object> values = new java.util.HashMap<>(names);
      values.put("serviceMonitor", Map.of("enabled", true));
      values.put("prometheusRule", Map.of("enabled", true));
      RenderedChart chart = RenderedChart.render(values);
      Map<String, Object> spec = (Map<String, Object>) chart.ofKind("ServiceMonitor").get(0).getAdditionalProperties().get("spec");
      assertThat(spec).as("%s", names).doesNotContainKey("jobLabel");
      List<Map<String, Object>> endpoints = (List<Map<String, Object>>) spec.get("endpoints");
      List<Map<String, Object>> relabelings = (List<Map<String, Object>>) endpoints.get(0).get("relabelings");
      assertThat(relabelings).as("%s", names).singleElement().satisfies(r -> {
        assertThat(r).containsEntry("targetLabel", "job").containsEntry("action", "replace");
        assertThat((String) r.get("replacement")).as("what the default jobRegex matches")
            .matches(".*upstream-health-operator.*");
      });
      assertThat(chart.yaml()).as("the rules' default job selector").contains("job=~\".*upstream-health-operator.*\"");
    }
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
