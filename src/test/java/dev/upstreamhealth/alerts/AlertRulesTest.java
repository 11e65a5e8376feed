package dev.upstreamhealth.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.upstreamhealth.api.ConditionType;
import dev.upstreamhealth.api.Fault;
import dev.upstreamhealth.api.Reason;
import dev.upstreamhealth.helm.RenderedChart;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The chart's PrometheusRule, rendered by Helm, checked and unit-tested by promtool against the
 * scenarios in src/test/resources/alerts.
 */
class AlertRulesTest {
  private static final Path SCENARIOS = Path.of("src", "test", "resources", "alerts");
  private static final Path WORK = Path.of("target", "alerts");
  static final List<String> ALERTS = List.of("SiteOriginDown", "SiteBadGateway", "SiteServiceUnavailable",
      "SiteFaultOther", "SiteFaultChangingKind", "SiteFaultIntermittent", "SiteInvalidSpec", "SiteEvaluationFailed", "SiteCertificateExpiring",
      "SiteMaintenanceUndeclared",
      "UpstreamHealthOperatorDown", "UpstreamHealthOperatorRestarting", "UpstreamHealthOperatorNotReady", "UpstreamHealthOperatorNotReconciling", "UpstreamHealthOperatorProbesBehind",
      "UpstreamHealthOperatorMemoryTight");

  /**
   * None is health; Unknown is no verdict: SiteInvalidSpec alerts on the reasons of it no waiting
   * ends (InvalidSpec, GatewayApiNotInstalled), SiteEvaluationFailed on a reconcile that keeps failing.
   */
  private static final Set<Fault> NOT_ALERTED_FAULTS = EnumSet.of(Fault.NONE, Fault.UNKNOWN);
  /** Ready sums up the fault conditions; Degraded is a partial failure, not a fault visitors see. */
  private static final Set<ConditionType> NOT_ALERTED_CONDITIONS = EnumSet.of(ConditionType.READY, ConditionType.DEGRADED);

  private static Map<String, Object> spec;

  @BeforeAll
  @SuppressWarnings("unchecked")
  static void renderRules() throws IOException {
    GenericKubernetesResource rule = RenderedChart.render(Map.of("prometheusRule", Map.of("enabled", true)))
        .ofKind("PrometheusRule").get(0);
    spec = (Map<String, Object>) rule.getAdditionalProperties().get("spec");
    Files.createDirectories(WORK);
    Files.writeString(WORK.resolve("rules.yml"), Serialization.asYaml(spec));
    // As a rule evaluator over several clusters is given them (scenarios whose rule file is this).
    GenericKubernetesResource acrossClusters = RenderedChart.render(Map.of("prometheusRule",
        Map.of("enabled", true, "clusterLabels", List.of("cluster")))).ofKind("PrometheusRule").get(0);
    Files.writeString(WORK.resolve("rules-across-clusters.yml"),
        Serialization.asYaml(acrossClusters.getAdditionalProperties().get("spec")));
    try (Stream<Path> files = Files.list(SCENARIOS)) {
      for (Path file : files.toList()) {
        Files.copy(file, WORK.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"rules.yml", "rules-across-clusters.yml"})
  void promtoolAcceptsTheRules(String rules) {
    Promtool.requireInstalled();
    Promtool.Result result = Promtool.run(WORK, "check", "rules", rules);

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
    List<Map<String, Object>> rules = rules();

    assertThat(rules).extracting(r -> r.get("alert")).containsExactlyInAnyOrderElementsOf(ALERTS);
    assertThat(rules).allSatisfy(r -> {
      assertThat((Map<String, Object>) r.get("labels")).containsKey("severity");
      assertThat((Map<String, Object>) r.get("annotations")).containsKeys("summary", "description", "runbook_url");
      assertThat(r).containsKey("for");
    });
  }

  /**
   * The fault and condition mapping of the Site alerts, read from the enums rather than typed
   * again: a new fault or fault condition fails here until a rule alerts on it (or it is named
   * below as not alerted, with the reason why). The reason is read in the annotations.
   */
  @Test
  void everyFaultAndFaultConditionIsAlertedOn() {
    for (Fault fault : Fault.values()) {
      if (NOT_ALERTED_FAULTS.contains(fault)) {
        continue;
      }
      List<Map<String, Object>> alerting = rules().stream()
          .filter(r -> String.valueOf(r.get("expr")).contains("fault=\"" + fault.code() + "\"")).toList();
      assertThat(alerting).as("an alert on fault " + fault.code()).isNotEmpty();
      fault.condition().ifPresent(condition -> assertThat(alerting)
          .as("the alert on fault " + fault.code() + " gives the reason of its condition " + condition.typeName())
          .anyMatch(r -> annotations(r).contains("type=\"" + condition.typeName() + "\"")));
    }
    EnumSet<ConditionType> read = EnumSet.noneOf(ConditionType.class);
    for (ConditionType type : ConditionType.values()) {
      if (rules().stream().anyMatch(r -> queries(r).contains("type=\"" + type.typeName() + "\""))) {
        read.add(type);
      }
    }
    assertThat(EnumSet.complementOf(read)).as("conditions no alert reads")
        .containsExactlyInAnyOrderElementsOf(NOT_ALERTED_CONDITIONS);
  }

  /**
   * A Site alert is one per Site and fault: a label that changes within one outage (the reason,
   * the operator's pod) would resolve the page and start another after its 'for'.
   */
  @Test
  @SuppressWarnings("unchecked")
  void siteAlertsAreTheSiteAndItsFaultAndOutlastAnOperatorRestart() {
    for (Map<String, Object> rule : rules()) {
      if (!String.valueOf(rule.get("alert")).startsWith("Site")) {
        continue;
      }
      assertThat(String.valueOf(rule.get("expr"))).as(rule.get("alert") + " keeps only the Site's labels")
          .contains("max by (namespace, site)").doesNotContain("reason)");
      assertThat((Map<String, Object>) rule.get("labels")).as(rule.get("alert") + "'s own labels")
          .containsOnlyKeys("severity");
      assertThat(rule).as(rule.get("alert") + " is held over an operator restart").containsEntry("keep_firing_for", "5m");
    }
  }

  /** Every fault, condition type and reason a query selects on is one the operator writes. */
  @Test
  void labelValuesInTheRulesAreOnesTheOperatorWrites() {
    Set<String> faults = Stream.of(Fault.values()).map(Fault::code).collect(Collectors.toSet());
    Set<String> types = Stream.of(ConditionType.values()).map(ConditionType::typeName).collect(Collectors.toSet());
    Set<String> reasons = Stream.of(Reason.values()).map(Reason::reasonName).collect(Collectors.toSet());
    Pattern selector = Pattern.compile("\\b(fault|type|reason)=\"([^\"]*)\"");

    List<String> selected = new ArrayList<>();
    for (Map<String, Object> rule : rules()) {
      Matcher m = selector.matcher(queries(rule));
      while (m.find()) {
        selected.add(m.group(1) + "=" + m.group(2));
        Set<String> known = switch (m.group(1)) {
          case "fault" -> faults;
          case "type" -> types;
          default -> reasons;
        };
        assertThat(known).as(rule.get("alert") + " selects " + m.group()).contains(m.group(2));
      }
    }
    assertThat(selected).as("the rules select on these labels at all").isNotEmpty();
  }

  /** The rule's expression and the queries its annotations run. */
  private static String queries(Map<String, Object> rule) {
    return rule.get("expr") + "\n" + annotations(rule);
  }

  @SuppressWarnings("unchecked")
  private static String annotations(Map<String, Object> rule) {
    return String.join("\n", ((Map<String, String>) rule.get("annotations")).values());
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> rules() {
    return ((List<Map<String, Object>>) spec.get("groups")).stream()
        .flatMap(g -> ((List<Map<String, Object>>) g.get("rules")).stream()).toList();
  }

  static Stream<String> scenarios() throws IOException {
    try (Stream<Path> files = Files.list(SCENARIOS)) {
      return files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".test.yml")).sorted().toList().stream();
    }
  }
}
