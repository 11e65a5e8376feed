package dev.upstreamhealth.helm;

import com.marcnuri.helm.Helm;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** The chart rendered by the real Helm engine, parsed into typed Kubernetes objects. */
public record RenderedChart(String yaml, List<HasMetadata> objects) {
  public static final Path CHART = Path.of("helm", "upstream-health-operator");
  public static final String RELEASE = "uho";
  public static final String NAMESPACE = "ops";
  private static final Path VALUES_DIR = Path.of("target", "helm-values");
  private static final AtomicInteger FILES = new AtomicInteger();

  /** Renders with these values over the chart's defaults; an empty map renders the defaults. */
  public static RenderedChart render(Map<String, Object> values) {
    return render(RELEASE, values);
  }

  /** Renders as this release. */
  public static RenderedChart render(String release, Map<String, Object> values) {
    try {
      Files.createDirectories(VALUES_DIR);
      Path file = VALUES_DIR.resolve("values-" + ProcessHandle.current().pid() + "-" + FILES.incrementAndGet() + ".yaml");
      Files.writeString(file, Serialization.asYaml(values));
      String yaml = new Helm(CHART).template().withName(release).withNamespace(NAMESPACE).withKubeVersion("1.30.0").withValuesFile(file).call();
      return new RenderedChart(yaml, parse(yaml));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<HasMetadata> parse(String yaml) {
    List<HasMetadata> objects = new ArrayList<>();
    for (String document : yaml.split("(?m)^---\\s*$")) {
      boolean onlyComments = document.lines().allMatch(l -> l.isBlank() || l.strip().startsWith("#"));
      if (!onlyComments) {
        objects.add(Serialization.unmarshal(document, HasMetadata.class));
      }
    }
    return objects;
  }

  public <T extends HasMetadata> List<T> all(Class<T> type) {
    return objects.stream().filter(type::isInstance).map(type::cast).toList();
  }

  public <T extends HasMetadata> T one(Class<T> type) {
    List<T> found = all(type);
    if (found.size() != 1) {
      throw new AssertionError("expected one " + type.getSimpleName() + ", found " + found.size());
    }
    return found.get(0);
  }

  /** Objects of kinds Fabric8 has no model for here, such as ServiceMonitor and PrometheusRule. */
  public List<GenericKubernetesResource> ofKind(String kind) {
    return all(GenericKubernetesResource.class).stream().filter(r -> kind.equals(r.getKind())).toList();
  }
}
