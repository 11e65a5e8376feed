package dev.upstreamhealth.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** probe.caBundle: the roots strict origin checks trust, mounted for --probe-ca-file. */
class ChartProbeCaBundleTest {
  private static final String PEM = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";

  private static PodSpec pod(RenderedChart chart) {
    return chart.one(Deployment.class).getSpec().getTemplate().getSpec();
  }

  private static Container operator(RenderedChart chart) {
    return pod(chart).getContainers().get(0);
  }

  private static Volume probeCa(RenderedChart chart) {
    return pod(chart).getVolumes().stream().filter(v -> "probe-ca".equals(v.getName())).findFirst().orElseThrow();
  }

  @Test
  void byDefaultNoBundleAndNeverLoopback() {
    RenderedChart chart = RenderedChart.render(Map.of());
    assertThat(operator(chart).getArgs()).noneMatch(a -> a.startsWith("--probe-ca-file"))
        .as("the chart never lets probes reach loopback").doesNotContain("--probe-allow-loopback");
    assertThat(pod(chart).getVolumes()).noneMatch(v -> "probe-ca".equals(v.getName()));
    assertThat(chart.all(ConfigMap.class)).isEmpty();
  }

  @Test
  void pemTextBecomesAConfigMapMountedForTheFlag() {
    RenderedChart chart = RenderedChart.render(Map.of("probe", Map.of("caBundle", Map.of("pem", PEM))));
    ConfigMap bundle = chart.one(ConfigMap.class);
    assertThat(bundle.getData()).containsEntry("ca.crt", PEM);
    assertThat(probeCa(chart).getConfigMap().getName()).isEqualTo(bundle.getMetadata().getName());
    assertThat(operator(chart).getArgs()).contains("--probe-ca-file=/etc/upstream-health/probe-ca/ca.crt");
    assertThat(operator(chart).getVolumeMounts()).anySatisfy(m -> {
      assertThat(m.getName()).isEqualTo("probe-ca");
      assertThat(m.getMountPath()).isEqualTo("/etc/upstream-health/probe-ca");
      assertThat(m.getReadOnly()).isTrue();
    });
  }

  @Test
  void anExistingSecretOrConfigMapIsMountedWithItsKey() {
    RenderedChart fromSecret = RenderedChart.render(Map.of("probe", Map.of("caBundle",
        Map.of("secretName", "internal-ca", "key", "bundle.pem"))));
    assertThat(probeCa(fromSecret).getSecret().getSecretName()).isEqualTo("internal-ca");
    assertThat(operator(fromSecret).getArgs()).contains("--probe-ca-file=/etc/upstream-health/probe-ca/bundle.pem");
    assertThat(fromSecret.all(ConfigMap.class)).isEmpty();

    RenderedChart fromConfigMap = RenderedChart.render(Map.of("probe", Map.of("caBundle",
        Map.of("configMapName", "internal-ca"))));
    assertThat(probeCa(fromConfigMap).getConfigMap().getName()).isEqualTo("internal-ca");
  }

  @Test
  void twoSourcesAtOnceAreRefused() {
    assertThatThrownBy(() -> RenderedChart.render(Map.of("probe", Map.of("caBundle",
        Map.of("pem", PEM, "secretName", "internal-ca"))))).hasMessageContaining("probe.caBundle");
  }
}
