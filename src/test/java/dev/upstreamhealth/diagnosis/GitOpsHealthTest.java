package dev.upstreamhealth.diagnosis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.upstreamhealth.api.Site;
import dev.upstreamhealth.status.StatusBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * How GitOps tools read a Site: Argo CD's health check (the Lua in dist/argocd-site-health.lua, run by the
 * real lua5.1) and kstatus (Flux's rules), on Sites whose status the operator's own code wrote for
 * every row of the fault catalogue, plus a Site with no status and one whose spec changed since.
 */
class GitOpsHealthTest {
  static final Path LUA = Path.of("dist", "argocd-site-health.lua");
  static final long GENERATION = 3;
  static final ObjectMapper JSON = new ObjectMapper();
  static final Map<String, JsonNode> SITES = new LinkedHashMap<>();
  static final Map<String, String> REASONS = new LinkedHashMap<>();

  @BeforeAll
  static void sitesAsTheOperatorWritesThem() {
    FaultCatalogueTest.catalogue().forEach(row -> {
      SiteWorld world = row.world().apply(SiteWorld.healthy());
      Verdict verdict = world.diagnose();
      Site site = new Site();
      site.setMetadata(new ObjectMetaBuilder().withNamespace("web").withName("shop").withGeneration(GENERATION).build());
      site.setSpec(world.snapshot().spec());
      site.setStatus(StatusBuilder.build(verdict, world.snapshot().probes(), GENERATION, null,
          Instant.parse("2026-11-29T12:00:00Z")));
      SITES.put(row.behaviour(), JSON.valueToTree(site));
      REASONS.put(row.behaviour(), verdict.reason());
      if (EVALUATION_FAILED_AFTER.contains(verdict.reason())) {
        // The same Site once its reconciles start to fail: the last verdict's fault conditions held.
        site.setStatus(StatusBuilder.evaluationFailed("the API server answered 500", GENERATION, site.getStatus(),
            Instant.parse("2026-11-29T12:05:00Z")));
        SITES.put(row.behaviour() + "ThenEvaluationFails", JSON.valueToTree(site));
        REASONS.put(row.behaviour() + "ThenEvaluationFails", "EvaluationFailed after " + verdict.reason());
      }
    });
  }

  /** Verdicts whose Sites are also shown once every reconcile fails: healthy, a fault, maintenance. */
  private static final Set<String> EVALUATION_FAILED_AFTER = Set.of("Healthy", "UpstreamCrashLooping", "MaintenanceMode",
      "RolloutInProgress");

  /** A Site whose reconciles fail shows the fault conditions its last verdict left (StatusBuilder.evaluationFailed). */
  private static String lastVerdictOf(JsonNode site) {
    String shown = "Progressing";
    for (JsonNode c : site.path("status").path("conditions")) {
      boolean fault = Set.of("OriginDown", "BadGateway", "ServiceUnavailable").contains(c.path("type").asText());
      if (fault && "True".equals(c.path("status").asText())) {
        if ("MaintenanceMode".equals(c.path("reason").asText())) {
          shown = "Suspended";
        } else if (!"RolloutInProgress".equals(c.path("reason").asText())) {
          return "Degraded";
        }
      }
    }
    return shown;
  }

  /** What docs/gitops.md promises Argo CD shows for a Site whose status is current. */
  static String argoHealthOf(JsonNode site) {
    String fault = site.path("status").path("fault").asText();
    String reason = site.path("status").path("reason").asText();
    if ("None".equals(fault)) {
      return "Healthy";
    }
    return switch (reason) {
      case "AwaitingFirstProbe", "CachesNotSynced", "RolloutInProgress" -> "Progressing";
      case "EvaluationFailed" -> lastVerdictOf(site);
      case "MaintenanceMode" -> "Suspended";
      default -> "Degraded";
    };
  }

  @Test
  void argoCdShowsHealthyProgressingOrDegradedAsDocumented() throws Exception {
    Map<String, JsonNode> objects = new LinkedHashMap<>(SITES);
    JsonNode stale = SITES.get(SITES.keySet().stream().filter(k -> "None".equals(
        SITES.get(k).path("status").path("fault").asText())).findFirst().orElseThrow()).deepCopy();
    ((com.fasterxml.jackson.databind.node.ObjectNode) stale.get("metadata")).put("generation", GENERATION + 1);
    objects.put("specChangedSinceTheLastVerdict", stale);
    JsonNode fresh = SITES.values().iterator().next().deepCopy();
    ((com.fasterxml.jackson.databind.node.ObjectNode) fresh).remove("status");
    objects.put("noStatusYet", fresh);

    Map<String, String> shown = runLua(objects);

    Map<String, String> expected = new LinkedHashMap<>();
    SITES.forEach((behaviour, site) -> expected.put(behaviour, argoHealthOf(site)));
    expected.put("specChangedSinceTheLastVerdict", "Progressing");
    expected.put("noStatusYet", "Progressing");
    assertThat(shown).containsExactlyInAnyOrderEntriesOf(expected);
    // Every class of the catalogue is among the objects: each fault, Unknown, and Healthy.
    assertThat(SITES.values()).extracting(s -> s.path("status").path("fault").asText())
        .contains("None", "521", "502", "503", "Other", "Unknown");
    assertThat(shown.values()).contains("Healthy", "Degraded", "Progressing");
    assertThat(REASONS).containsValues("InvalidSpec", "AwaitingFirstProbe");
    assertThat(shown.get(keyOf("InvalidSpec"))).isEqualTo("Degraded");
    assertThat(shown.get(keyOf("AwaitingFirstProbe"))).isEqualTo("Progressing");
    assertThat(shown.get(keyOf("RolloutInProgress"))).as("a rollout is not a failure").isEqualTo("Progressing");
    assertThat(shown.get(keyOf("MaintenanceMode"))).as("declared maintenance").isEqualTo("Suspended");
    assertThat(shown.get(keyOf("NoReadyEndpoints"))).isEqualTo("Degraded");
    // One failed reconcile of a serving Site is no fault of the site: Argo CD's on-health-degraded would page.
    assertThat(shown.get(keyOf("EvaluationFailed after Healthy"))).isEqualTo("Progressing");
    assertThat(shown.get(keyOf("EvaluationFailed after UpstreamCrashLooping"))).isEqualTo("Degraded");
    assertThat(shown.get(keyOf("EvaluationFailed after MaintenanceMode"))).isEqualTo("Suspended");
    assertThat(shown.get(keyOf("EvaluationFailed after RolloutInProgress"))).as("a held rollout is still a rollout")
        .isEqualTo("Progressing");
  }

  @Test
  void kstatusReadsOnlyTheObservedGeneration() {
    for (Map.Entry<String, JsonNode> site : SITES.entrySet()) {
      assertThat(Kstatus.compute(site.getValue())).as(site.getKey()).isEqualTo(Kstatus.CURRENT);
    }
    JsonNode stale = SITES.values().iterator().next().deepCopy();
    ((com.fasterxml.jackson.databind.node.ObjectNode) stale.get("metadata")).put("generation", GENERATION + 1);
    assertThat(Kstatus.compute(stale)).isEqualTo(Kstatus.IN_PROGRESS);
    // The operator never sets kstatus's own condition types, so no verdict reads as Failed or InProgress.
    assertThat(SITES.values()).allSatisfy(s -> assertThat(s.path("status").path("conditions").findValuesAsText("type"))
        .doesNotContain("Reconciling", "Stalled"));
  }

  @Test
  void theDocsShowTheCheckThatIsTested() throws IOException {
    String indented = Files.readString(LUA).lines().map(l -> l.isBlank() ? l : "  " + l)
        .collect(java.util.stream.Collectors.joining("\n", "", "\n"));

    assertThat(Files.readString(Path.of("docs", "gitops.md")))
        .contains("resource.customizations.health.upstreamhealth.dev_Site: |\n" + indented + "```");
  }

  @Test
  void fluxHealthExpressionsInTheDocsReadReadyAndObservedGeneration() throws Exception {
    FluxHealth flux = FluxHealth.fromDocs(Path.of("docs", "gitops.md"));
    for (Map.Entry<String, JsonNode> site : SITES.entrySet()) {
      String expected = switch (argoHealthOf(site.getValue())) {
        case "Healthy", "Suspended" -> "Current";
        case "Progressing" -> "InProgress";
        default -> "Failed";
      };
      assertThat(flux.status(site.getValue())).as(site.getKey()).isEqualTo(expected);
    }
    JsonNode stale = SITES.values().iterator().next().deepCopy();
    ((com.fasterxml.jackson.databind.node.ObjectNode) stale.get("metadata")).put("generation", GENERATION + 1);
    assertThat(flux.status(stale)).isEqualTo("InProgress");
    assertThat(SITES.values()).extracting(flux::status).contains("Current", "InProgress", "Failed");
  }

  private static String keyOf(String reason) {
    return REASONS.entrySet().stream().filter(e -> e.getValue().equals(reason)).findFirst().orElseThrow().getKey();
  }

  /** Runs the health check once per object, as Argo CD does: {@code obj} set, the script's return value read. */
  private static Map<String, String> runLua(Map<String, JsonNode> objects) throws IOException, InterruptedException {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/lua5.1")), "lua5.1 is not installed (.ci/install-tools installs it)");
    StringBuilder program = new StringBuilder("local check = assert(loadfile(\"" + LUA + "\"))\n");
    for (Map.Entry<String, JsonNode> object : objects.entrySet()) {
      program.append("obj = ").append(lua(object.getValue())).append('\n')
          .append("do local hs = check(); print(\"").append(object.getKey()).append("\\t\" .. hs.status) end\n");
    }
    Path file = Files.createTempFile("site-health", ".lua");
    Files.writeString(file, program);
    Process lua = new ProcessBuilder("/usr/bin/lua5.1", file.toString()).redirectErrorStream(true).start();
    String out = new String(lua.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(lua.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(lua.exitValue()).as(out).isZero();
    Files.delete(file);
    Map<String, String> shown = new LinkedHashMap<>();
    out.lines().map(l -> l.split("\t")).forEach(f -> shown.put(f[0], f[1]));
    return shown;
  }

  /** A JSON value as a Lua table constructor, as Argo CD hands an object to the script. */
  static String lua(JsonNode node) {
    if (node.isObject()) {
      List<String> fields = new ArrayList<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> f = it.next();
        if (!f.getValue().isNull()) {
          fields.add("[" + luaString(f.getKey()) + "] = " + lua(f.getValue()));
        }
      }
      return "{" + String.join(", ", fields) + "}";
    }
    if (node.isArray()) {
      List<String> items = new ArrayList<>();
      node.forEach(item -> items.add(lua(item)));
      return "{" + String.join(", ", items) + "}";
    }
    if (node.isNumber() || node.isBoolean()) {
      return node.asText();
    }
    return node.isNull() ? "nil" : luaString(node.asText());
  }

  /** A Lua string literal: quotes and backslashes escaped, control characters as decimal escapes. */
  private static String luaString(String s) {
    StringBuilder out = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20) {
        out.append(String.format("\\%03d", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.append('"').toString();
  }

  /**
   * Flux's health check with healthCheckExprs (RFC-0009): a differing observedGeneration is
   * InProgress; else the first of inProgress, failed, current that is true; none: InProgress.
   */
  record FluxHealth(List<Map.Entry<String, dev.cel.common.CelAbstractSyntaxTree>> expressions, dev.cel.bundle.Cel cel) {
    @SuppressWarnings("unchecked")
    static FluxHealth fromDocs(Path doc) throws Exception {
      String text = Files.readString(doc);
      String block = java.util.Arrays.stream(text.split("```yaml\n")).skip(1).map(b -> b.substring(0, b.indexOf("```")))
          .filter(b -> b.contains("healthCheckExprs")).findFirst().orElseThrow();
      Map<String, Object> kustomization = new org.yaml.snakeyaml.Yaml().load(block);
      Map<String, Object> exprs = ((List<Map<String, Object>>) ((Map<String, Object>) kustomization.get("spec"))
          .get("healthCheckExprs")).get(0);
      assertThat(exprs).containsEntry("kind", "Site").containsEntry("apiVersion", "upstreamhealth.dev/v1alpha1");
      dev.cel.bundle.Cel cel = dev.cel.bundle.CelFactory.standardCelBuilder()
          .setStandardMacros(dev.cel.parser.CelStandardMacro.STANDARD_MACROS)
          .addVar("apiVersion", dev.cel.common.types.SimpleType.DYN).addVar("kind", dev.cel.common.types.SimpleType.DYN)
          .addVar("metadata", dev.cel.common.types.SimpleType.DYN).addVar("spec", dev.cel.common.types.SimpleType.DYN)
          .addVar("status", dev.cel.common.types.SimpleType.DYN)
          .setResultType(dev.cel.common.types.SimpleType.BOOL).build();
      List<Map.Entry<String, dev.cel.common.CelAbstractSyntaxTree>> compiled = new ArrayList<>();
      for (String[] e : new String[][] {{"inProgress", "InProgress"}, {"failed", "Failed"}, {"current", "Current"}}) {
        compiled.add(Map.entry(e[1], cel.compile((String) exprs.get(e[0])).getAst()));
      }
      return new FluxHealth(compiled, cel);
    }

    String status(JsonNode site) {
      JsonNode observed = site.path("status").path("observedGeneration");
      if (!observed.isMissingNode() && observed.asLong() != site.path("metadata").path("generation").asLong()) {
        return "InProgress";
      }
      Map<String, Object> object = int64(JSON.convertValue(site, Map.class));
      try {
        for (Map.Entry<String, dev.cel.common.CelAbstractSyntaxTree> e : expressions) {
          if (Boolean.TRUE.equals(cel.createProgram(e.getValue()).eval(object))) {
            return e.getKey();
          }
        }
      } catch (dev.cel.common.CelException ex) {
        throw new AssertionError(ex);
      }
      return "InProgress";
    }

    /** As Kubernetes' unstructured objects hold them: every integer an int64. */
    @SuppressWarnings("unchecked")
    private static <T> T int64(T value) {
      if (value instanceof Map<?, ?> map) {
        Map<String, Object> out = new LinkedHashMap<>();
        map.forEach((k, v) -> out.put(String.valueOf(k), int64(v)));
        return (T) out;
      }
      if (value instanceof List<?> list) {
        return (T) list.stream().map(FluxHealth::int64).toList();
      }
      return value instanceof Integer i ? (T) Long.valueOf(i) : value;
    }
  }

  /** kstatus's rules for a resource kind it has no special rules for (cli-utils pkg/kstatus/status/generic.go). */
  static final class Kstatus {
    static final String CURRENT = "Current";
    static final String IN_PROGRESS = "InProgress";
    static final String FAILED = "Failed";

    static String compute(JsonNode object) {
      if (!object.path("metadata").path("deletionTimestamp").asText().isEmpty()) {
        return "Terminating";
      }
      JsonNode generation = object.path("metadata").path("generation");
      JsonNode observed = object.path("status").path("observedGeneration");
      if (!generation.isMissingNode() && !observed.isMissingNode() && observed.asLong() != generation.asLong()) {
        return IN_PROGRESS;
      }
      for (JsonNode c : object.path("status").path("conditions")) {
        if ("Reconciling".equals(c.path("type").asText()) && "True".equals(c.path("status").asText())) {
          return IN_PROGRESS;
        }
        if ("Stalled".equals(c.path("type").asText()) && "True".equals(c.path("status").asText())) {
          return FAILED;
        }
      }
      return CURRENT;
    }
  }

}
