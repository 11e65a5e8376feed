package dev.upstreamhealth.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.upstreamhealth.helm.RenderedChart;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The chart's PrometheusRule, rendered by Helm, checked and unit-tested by promtool against the
 * scenarios in src/test/resources/alerts.
 */
class AlertRulesTest {
  private static final Path SCENARIOS = Path.of("src", "test", "resources", "alerts");
  private static final Path WORK = Path.of("target", "alerts");
  static final List<String> ALERTS = List.of("SiteOriginDown", "SiteBadGateway", "SiteServiceUnavailable",
      "SiteFaultOther", "SiteInvalidSpec", "SiteCertificateExpiring",
      "UpstreamHealthOperatorDown", "UpstreamHealthOperatorNotReconciling");

  private static Map<String, Object> spec;

  @BeforeAll
  @SuppressWarnings("unchecked")
  static void renderRules() throws IOException {
    GenericKubernetesResource rule = RenderedChart.render(Map.of("prometheusRule", Map.of("enabled", true)))
        .ofKind("PrometheusRule").get(0);
    spec = (Map<String, Object>) rule.getAdditionalProperties().get("spec");
    Files.createDirectories(WORK);
    Files.writeString(WORK.resolve("rules.yml"), Serialization.asYaml(spec));
    try (Stream<Path> files = Files.list(SCENARIOS)) {
      for (Path file : files.toList()) {
        Files.copy(file, WORK.resolve(file.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }

  @Test
  void promtoolAcceptsTheRules() {
    Promtool.requireInstalled();
    Promtool.Result result = Promtool.run(WORK, "check", "rules", "rules.yml");

    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output()).contains("SUCCESS: " + ALERTS.size() + " rules found");
  }

  @ParameterizedTest
  @MethodSource("scenarios")
  void alertsBehaveAsTheScenarioExpects(String scenario) {
    Promtool.requireInstalled();
    Promtool.Result result = Promtool.run(WORK, "test", "rules", scenario);

    assertThat(result.exitCode()).as(result.output()).isZero();
  }

  @Test
  @SuppressWarnings("unchecked")
  void everyAlertHasSeverityAndRunbook() {
    List<Map<String, Object>> rules = ((List<Map<String, Object>>) spec.get("groups")).stream()
        .flatMap(g -> ((List<Map<String, Object>>) g.get("rules")).stream()).toList();

    assertThat(rules).extracting(r -> r.get("alert")).containsExactlyInAnyOrderElementsOf(ALERTS);
    assertThat(rules).allSatisfy(r -> {
      assertThat((Map<String, Object>) r.get("labels")).containsKey("severity");
      assertThat((Map<String, Object>) r.get("annotations")).containsKeys("summary", "description", "runbook_url");
      assertThat(r).containsKey("for");
    });
  }

  static Stream<String> scenarios() throws IOException {
    try (Stream<Path> files = Files.list(SCENARIOS)) {
      return files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".test.yml")).sorted().toList().stream();
    }
  }
}
