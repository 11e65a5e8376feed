package dev.upstreamhealth.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The CRD in crds/ is the one the build generates from the model, with the printer columns in
 * the order kubectl should show them. Regenerate it with
 * {@code mvn -q process-test-classes surefire:test -Dtest=CrdIsCurrentTest -Dcrd.write=true}.
 */
class CrdIsCurrentTest {
  static final Path GENERATED = Path.of("target/classes/META-INF/fabric8/sites.upstreamhealth.dev-v1.yml");
  static final Path COMMITTED = Path.of("crds/sites.upstreamhealth.dev-v1.yml");
  static final List<String> COLUMN_ORDER = List.of("Host", "Fault", "Reason", "Ready", "Age");

  @Test
  void committedCrdMatchesTheModel() throws IOException {
    CustomResourceDefinition expected = generatedWithColumnsInOrder();
    if (Boolean.getBoolean("crd.write")) {
      String yaml = Serialization.asYaml(expected).replaceFirst("^---\\n", "");
      Files.writeString(COMMITTED, "# Generated from dev.upstreamhealth.api.Site; see CrdIsCurrentTest.\n" + yaml);
    }
    CustomResourceDefinition committed = Serialization.unmarshal(Files.readString(COMMITTED), CustomResourceDefinition.class);
    assertThat(committed)
        .as("crds/ is stale: regenerate it with -Dcrd.write=true (see this test's javadoc)")
        .isEqualTo(expected);
  }

  @Test
  void printerColumnsAreHostFaultReasonReadyAge() throws IOException {
    CustomResourceDefinition committed = Serialization.unmarshal(Files.readString(COMMITTED), CustomResourceDefinition.class);
    List<String> names = committed.getSpec().getVersions().get(0).getAdditionalPrinterColumns().stream()
        .map(CustomResourceColumnDefinition::getName).toList();
    assertThat(names).containsExactlyElementsOf(COLUMN_ORDER);
  }

  @Test
  void schemaRequiresHostAndValidatesTimeoutAgainstInterval() throws IOException {
    String yaml = Files.readString(COMMITTED);
    CustomResourceDefinition crd = Serialization.unmarshal(yaml, CustomResourceDefinition.class);
    var spec = crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema().getProperties().get("spec");
    assertThat(spec.getRequired()).contains("host", "origin");
    var probe = spec.getProperties().get("probe");
    assertThat(probe.getXKubernetesValidations()).anySatisfy(rule ->
        assertThat(rule.getRule()).contains("self.timeoutSeconds < self.intervalSeconds"));
    assertThat(probe.getProperties().get("intervalSeconds").getMinimum()).isEqualTo(1.0);
    assertThat(crd.getSpec().getVersions().get(0).getSubresources().getStatus()).isNotNull();
  }

  static CustomResourceDefinition generatedWithColumnsInOrder() throws IOException {
    CustomResourceDefinition crd = Serialization.unmarshal(Files.readString(GENERATED), CustomResourceDefinition.class);
    // The generator orders columns by JSON path; users read Host, Fault, Reason, Ready, Age.
    crd.getSpec().getVersions().forEach(v -> v.getAdditionalPrinterColumns()
        .sort(Comparator.comparingInt(c -> COLUMN_ORDER.indexOf(c.getName()))));
    return crd;
  }
}
