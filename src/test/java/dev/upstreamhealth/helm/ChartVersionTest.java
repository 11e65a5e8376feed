package dev.upstreamhealth.helm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The chart's default image is the image this build makes: Jib tags it with the project version,
 * so the chart's appVersion (the default tag) and version follow the project version.
 */
class ChartVersionTest {
  static final String PROJECT_VERSION = System.getProperty("project.version", "unknown: run through Maven");

  @Test
  void chartVersionAndAppVersionAreTheProjectVersion() throws IOException {
    Map<String, Object> chart = new Yaml().load(Files.readString(RenderedChart.CHART.resolve("Chart.yaml")));

    assertThat(chart.get("appVersion")).isEqualTo(PROJECT_VERSION);
    assertThat(chart.get("version")).isEqualTo(PROJECT_VERSION);
  }

  @Test
  void theDefaultImageIsTaggedWithTheProjectVersion() {
    String image = RenderedChart.render(Map.of()).one(io.fabric8.kubernetes.api.model.apps.Deployment.class)
        .getSpec().getTemplate().getSpec().getContainers().get(0).getImage();

    assertThat(image).isEqualTo("ghcr.io/upstream-health/upstream-health-operator:" + PROJECT_VERSION);
  }
}
