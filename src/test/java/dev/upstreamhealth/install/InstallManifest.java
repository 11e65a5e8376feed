package dev.upstreamhealth.install;

import com.marcnuri.helm.Helm;
import java.io.IOException;
import java.nio.file.Files;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * dist/install.yaml: the chart rendered by the real Helm engine with its default values, CRD included,
 * after the Namespace it installs into. InstallManifestIsCurrentTest keeps the committed file equal to
 * this render (and rewrites it on request); InstallManifestIT applies it with kubectl.
 */
public final class InstallManifest {
  public static final Path FILE = Path.of("dist", "install.yaml");
  public static final String NAMESPACE = "upstream-health-operator";
  static final String RELEASE = "upstream-health-operator";
  private static final Path CHART = Path.of("helm", "upstream-health-operator");

  private InstallManifest() {}

  public static String render() {
    String chart = new Helm(CHART).template().withName(RELEASE).withNamespace(NAMESPACE).call();
    // helm install applies crds/ before the templates; helm template leaves it out.
    StringBuilder crds = new StringBuilder();
    try (Stream<Path> files = Files.list(CHART.resolve("crds"))) {
      for (Path crd : files.sorted().toList()) {
        crds.append("---\n# Source: upstream-health-operator/crds/").append(crd.getFileName()).append('\n')
            .append(Files.readString(crd).stripTrailing()).append('\n');
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return """
        # upstream-health-operator: everything `helm install upstream-health-operator helm/upstream-health-operator
        #   --namespace upstream-health-operator --create-namespace` installs, in one file.
        # kubectl apply -f install.yaml
        # Generated from the chart with its default values (InstallManifestIsCurrentTest); do not edit.
        apiVersion: v1
        kind: Namespace
        metadata:
          name: %s
        """.formatted(NAMESPACE) + crds + chart;
  }
}
