package dev.upstreamhealth.install;

import static org.assertj.core.api.Assertions.assertThat;

import dev.upstreamhealth.demo.DemoKubeconfig;
import dev.upstreamhealth.demo.EmbeddedApiServer;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** dist/install.yaml holds what the operator needs, and a real kubectl apply -f installs every object in it. */
class InstallManifestIT {
  private static final String PROJECT_VERSION = System.getProperty("project.version", "unknown");

  @TempDir
  Path dir;

  @Test
  void itHoldsEverythingTheOperatorNeedsWithTheImageOfThisVersion() throws IOException {
    List<HasMetadata> objects = objects(Files.readString(InstallManifest.FILE));

    assertThat(objects).extracting(HasMetadata::getKind).containsExactly("Namespace", "CustomResourceDefinition",
        "NetworkPolicy", "ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding", "Service", "Deployment");
    Deployment deployment = objects.stream().filter(Deployment.class::isInstance).map(Deployment.class::cast)
        .findFirst().orElseThrow();
    assertThat(deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
        .isEqualTo("ghcr.io/upstream-health/upstream-health-operator:" + PROJECT_VERSION);
    assertThat(objects).filteredOn(o -> o.getMetadata().getNamespace() != null)
        .allSatisfy(o -> assertThat(o.getMetadata().getNamespace()).isEqualTo(InstallManifest.NAMESPACE));
  }

  @Test
  void kubectlApplyInstallsEveryObject() throws Exception {
    Kubectl.requireInstalled();
    List<HasMetadata> objects = objects(Files.readString(InstallManifest.FILE));
    try (EmbeddedApiServer api = EmbeddedApiServer.start()) {
      // Before: nothing of the install is there but the CRD the embedded server starts with.
      assertThat(objects).filteredOn(o -> !o.getKind().equals("CustomResourceDefinition"))
          .allSatisfy(o -> assertThat(api.client().resource(o).get()).as(o.getKind()).isNull());
      Path kubeconfig = DemoKubeconfig.write(dir.resolve("kubeconfig"), api.loopbackUrl());

      // The embedded server serves no OpenAPI document for kubectl to validate against; the objects
      // were parsed into Fabric8's typed models above, which is the schema check here.
      String out = kubectl(kubeconfig, "apply", "--validate=false", "-f", InstallManifest.FILE.toString());

      for (HasMetadata object : objects) {
        String name = object.getKind().toLowerCase() + "/" + object.getMetadata().getName();
        assertThat(out).containsPattern("(?m)^" + java.util.regex.Pattern.quote(kindGroup(object) + "/"
            + object.getMetadata().getName()) + " (created|configured|unchanged)$");
        HasMetadata stored = api.client().resource(object).get();
        assertThat(stored).as(name).isNotNull();
        assertThat(stored.getMetadata().getLabels()).as(name).containsAllEntriesOf(
            object.getMetadata().getLabels() == null ? java.util.Map.of() : object.getMetadata().getLabels());
      }
      Deployment stored = api.client().apps().deployments().inNamespace(InstallManifest.NAMESPACE)
          .withName("upstream-health-operator").get();
      assertThat(stored.getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).endsWith(":" + PROJECT_VERSION);
    }
  }

  /** How kubectl names an object in its output: kind in lower case, with the API group when there is one. */
  private static String kindGroup(HasMetadata object) {
    String apiVersion = object.getApiVersion();
    String kind = object.getKind().toLowerCase();
    return apiVersion.contains("/") ? kind + "." + apiVersion.substring(0, apiVersion.indexOf('/')) : kind;
  }

  private static List<HasMetadata> objects(String yaml) {
    List<HasMetadata> objects = new ArrayList<>();
    for (String document : yaml.split("(?m)^---\\s*$")) {
      if (!document.lines().allMatch(l -> l.isBlank() || l.strip().startsWith("#"))) {
        objects.add(Serialization.unmarshal(document, HasMetadata.class));
      }
    }
    return objects;
  }

  private String kubectl(Path kubeconfig, String... args) throws IOException, InterruptedException {
    return Kubectl.run(kubeconfig, dir.resolve("cache"), args);
  }

}
