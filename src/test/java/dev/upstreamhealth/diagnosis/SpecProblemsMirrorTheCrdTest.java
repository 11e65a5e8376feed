package dev.upstreamhealth.diagnosis;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.upstreamhealth.api.SiteSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every constraint the CRD schema puts on spec is also checked by the operator: an API server
 * without the schema (the mock one, an object stored before a CRD upgrade) lets anything in.
 * Walks the committed CRD, breaks each constraint in an otherwise valid spec, and expects a
 * problem naming the field.
 */
class SpecProblemsMirrorTheCrdTest {
  static final ObjectMapper JSON = new ObjectMapper();

  /** One constraint broken: the field, and the JSON value that breaks it. */
  record Violation(String field, String constraint, JsonNode value) {
    @Override
    public String toString() {
      return field + " " + constraint;
    }
  }

  static JsonNode specSchema() throws IOException {
    JsonNode crd = new ObjectMapper(new YAMLFactory()).readTree(Path.of("crds/sites.upstreamhealth.dev-v1.yml").toFile());
    return crd.at("/spec/versions/0/schema/openAPIV3Schema/properties/spec");
  }

  static Stream<Violation> violations() throws IOException {
    List<Violation> out = new ArrayList<>();
    walk("spec", specSchema(), out);
    return out.stream();
  }

  private static void walk(String path, JsonNode schema, List<Violation> out) {
    JsonNode properties = schema.get("properties");
    if (properties != null) {
      for (Iterator<Map.Entry<String, JsonNode>> it = properties.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> p = it.next();
        walk(path + "." + p.getKey(), p.getValue(), out);
      }
      return;
    }
    if (schema.has("minimum")) {
      out.add(new Violation(path, "minimum", JSON.getNodeFactory().numberNode(schema.get("minimum").asInt() - 1)));
    }
    if (schema.has("maximum")) {
      out.add(new Violation(path, "maximum", JSON.getNodeFactory().numberNode(schema.get("maximum").asInt() + 1)));
    }
    if (schema.has("maxLength")) {
      out.add(new Violation(path, "maxLength", JSON.getNodeFactory().textNode("a".repeat(schema.get("maxLength").asInt() + 1))));
    }
    if (schema.has("pattern")) {
      out.add(new Violation(path, "pattern", JSON.getNodeFactory().textNode(" Not\tValid\u0001")));
    }
    if (schema.has("maxItems")) {
      ArrayNode items = JSON.createArrayNode();
      for (int i = 0; i <= schema.get("maxItems").asInt(); i++) {
        items.add("10." + (i / 256) + "." + (i % 256) + ".0/24");
      }
      out.add(new Violation(path, "maxItems", items));
    }
  }

  static ObjectNode validSpec() {
    return (ObjectNode) JSON.valueToTree(SiteWorld.healthy().spec);
  }

  @Test
  void everyKindOfConstraintIsFound() throws IOException {
    assertThat(violations().map(Violation::constraint).distinct())
        .as("the walk reaches the schema").contains("minimum", "maximum", "maxLength", "pattern", "maxItems");
    assertThat(violations().count()).isGreaterThan(20);
    assertThat(SpecProblems.of(JSON.convertValue(validSpec(), SiteSpec.class))).as("the valid spec").isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("violations")
  void eachConstraintOfTheSchemaIsCheckedByTheOperator(Violation violation) {
    ObjectNode spec = validSpec();
    String[] parts = violation.field().split("\\.");
    ObjectNode parent = spec;
    for (int i = 1; i < parts.length - 1; i++) {
      parent = parent.has(parts[i]) && parent.get(parts[i]).isObject() ? (ObjectNode) parent.get(parts[i]) : parent.putObject(parts[i]);
    }
    parent.set(parts[parts.length - 1], violation.value());
    if (violation.field().equals("spec.gateway.serviceName") || violation.field().equals("spec.gateway.serviceNamespace")) {
      ObjectNode gateway = (ObjectNode) spec.get("gateway");
      gateway.putIfAbsent("serviceName", JSON.getNodeFactory().textNode("ingress-nginx-controller"));
      gateway.putIfAbsent("serviceNamespace", JSON.getNodeFactory().textNode("ingress-nginx"));
    }
    List<String> problems = SpecProblems.of(JSON.convertValue(spec, SiteSpec.class));
    assertThat(problems).as("problems for %s", violation).anySatisfy(p -> assertThat(p).contains(violation.field()));
  }

  /**
   * The other way round for the probe path: what the operator refuses (it must go on a request line
   * as it is) the schema refuses too, at kubectl apply, and what it takes the schema takes.
   */
  @Test
  void theSchemaTakesTheProbePathsTheOperatorTakes() throws IOException {
    java.util.regex.Pattern pattern = java.util.regex.Pattern.compile(
        specSchema().at("/properties/probe/properties/path/pattern").asText());
    for (String path : List.of("/caf\u00e9", "/a\u0001b", "/a b", "/tab\there", "healthz")) {
      ObjectNode spec = validSpec();
      ((ObjectNode) spec.get("probe")).put("path", path);
      assertThat(SpecProblems.of(JSON.convertValue(spec, SiteSpec.class))).as(path).isNotEmpty();
      assertThat(pattern.matcher(path).find()).as("the schema refuses %s", path).isFalse();
    }
    for (String path : List.of("/", "/healthz?full=1", "/caf%C3%A9", "/a~b/[x]")) {
      ObjectNode spec = validSpec();
      ((ObjectNode) spec.get("probe")).put("path", path);
      assertThat(SpecProblems.of(JSON.convertValue(spec, SiteSpec.class))).as(path).isEmpty();
      assertThat(pattern.matcher(path).find()).as("the schema takes %s", path).isTrue();
    }
  }

  /** maxLength counts characters as the schema does (code points): 1,024 emoji fit. */
  @Test
  void aMaintenanceMessageIsMeasuredInCharactersAsTheSchemaCountsThem() {
    ObjectNode fits = validSpec();
    fits.putObject("maintenance").put("active", true).put("message", "\uD83D\uDEA7".repeat(1024));
    assertThat(SpecProblems.of(JSON.convertValue(fits, SiteSpec.class))).isEmpty();
    ObjectNode tooLong = validSpec();
    tooLong.putObject("maintenance").put("message", "\uD83D\uDEA7".repeat(1025));
    assertThat(SpecProblems.of(JSON.convertValue(tooLong, SiteSpec.class)))
        .anySatisfy(p -> assertThat(p).contains("spec.maintenance.message"));
  }

  @Test
  void theSchemasRulesAreCheckedToo() {
    ObjectNode both = validSpec();
    ((ObjectNode) both.get("origin")).put("httpRouteName", "shop");
    assertThat(SpecProblems.of(JSON.convertValue(both, SiteSpec.class))).anySatisfy(p -> assertThat(p).contains("both set"));
    ObjectNode neither = validSpec();
    ((ObjectNode) neither.get("origin")).remove("ingressName");
    assertThat(SpecProblems.of(JSON.convertValue(neither, SiteSpec.class))).anySatisfy(p -> assertThat(p).contains("names no route"));
    ObjectNode slow = validSpec();
    ((ObjectNode) slow.get("probe")).put("timeoutSeconds", 30).put("intervalSeconds", 30);
    assertThat(SpecProblems.of(JSON.convertValue(slow, SiteSpec.class)))
        .anySatisfy(p -> assertThat(p).contains("spec.probe.timeoutSeconds (30) must be less than spec.probe.intervalSeconds (30)"));
    ObjectNode noHost = validSpec();
    noHost.remove("host");
    assertThat(SpecProblems.of(JSON.convertValue(noHost, SiteSpec.class))).anySatisfy(p -> assertThat(p).contains("spec.host"));
    ObjectNode noOrigin = validSpec();
    noOrigin.remove("origin");
    assertThat(SpecProblems.of(JSON.convertValue(noOrigin, SiteSpec.class))).anySatisfy(p -> assertThat(p).contains("spec.origin"));
  }
}
