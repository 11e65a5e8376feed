package dev.upstreamhealth.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class OperatorOptionsTest {
  @Test
  void defaultsWatchEverythingWithoutLeaderElection() {
    OperatorOptions o = OperatorOptions.parse(List.of());
    assertThat(o.namespaces()).isEmpty();
    assertThat(o.leaderElection()).isFalse();
    assertThat(o.metricsPort()).isEqualTo(8080);
    assertThat(o.siteSelector()).isNull();
    assertThat(o.cacheSyncTimeout()).isEqualTo(java.time.Duration.ofSeconds(30));
  }

  @Test
  void startUpWaitsForCachesAsLongAsToldAndNoLonger() {
    assertThat(OperatorOptions.parse(List.of("--cache-sync-timeout", "120")).cacheSyncTimeout())
        .isEqualTo(java.time.Duration.ofSeconds(120));
    assertThatThrownBy(() -> OperatorOptions.parse(List.of("--cache-sync-timeout", "0")))
        .hasMessageContaining("between 1 and 3600");
  }

  @Test
  void flagsTakeValuesSeparatedBySpaceOrEquals() {
    OperatorOptions o = OperatorOptions.parse(List.of("--namespaces", "web, shop", "--metrics-port=9090",
        "--leader-election", "--site-selector", "shard=a", "--probe-deny-cidrs", "10.0.0.0/8",
        "--probe-max-concurrency", "16"));
    assertThat(o.namespaces()).containsExactlyInAnyOrder("web", "shop");
    assertThat(o.metricsPort()).isEqualTo(9090);
    assertThat(o.leaderElection()).isTrue();
    assertThat(o.siteSelector()).isEqualTo("shard=a");
    assertThat(o.probeDenyCidrs()).extracting(Object::toString).containsExactly("10.0.0.0/8");
    assertThat(o.probeMaxConcurrency()).isEqualTo(16);
  }

  @Test
  void loopbackIsProbedOnlyWhenAskedFor() {
    assertThat(OperatorOptions.parse(List.of()).probeAllowLoopback()).isFalse();
    assertThat(OperatorOptions.parse(List.of("--probe-allow-loopback")).probeAllowLoopback()).isTrue();
  }

  @Test
  void aProbeCaFileMustHoldCertificates(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    java.nio.file.Path empty = java.nio.file.Files.writeString(dir.resolve("empty.pem"), "");
    assertThatThrownBy(() -> OperatorOptions.parse(List.of("--probe-ca-file", empty.toString())))
        .hasMessageContaining("empty.pem").hasMessageContaining("no PEM certificate");
    assertThatThrownBy(() -> OperatorOptions.parse(List.of("--probe-ca-file", dir.resolve("missing.pem").toString())))
        .hasMessageContaining("cannot read");
    java.nio.file.Path roots = dir.resolve("roots.pem");
    try (var in = getClass().getResourceAsStream("/trust/cloudflare-origin-ca-rsa-root.pem")) {
      java.nio.file.Files.copy(in, roots);
    }
    assertThat(OperatorOptions.parse(List.of("--probe-ca-file=" + roots)).probeCaFile()).isEqualTo(roots.toString());
  }

  @Test
  void badInputIsExplained() {
    assertThatThrownBy(() -> OperatorOptions.parse(List.of("--bogus"))).hasMessage("unknown flag --bogus");
    assertThatThrownBy(() -> OperatorOptions.parse(List.of("--metrics-port", "http")))
        .hasMessageContaining("needs a number");
    assertThatThrownBy(() -> OperatorOptions.parse(List.of("--probe-allow-cidrs", "10.0.0.0/33")))
        .hasMessageContaining("prefix length");
    assertThatThrownBy(() -> OperatorOptions.parse(List.of("--namespaces"))).hasMessageContaining("needs a value");
  }

  @Test
  void ingressNginxsControllerConfigMapIsReadUnlessToldOtherwise() {
    assertThat(OperatorOptions.parse(List.of()).ingressNginxConfigMaps())
        .containsExactly("ingress-nginx/ingress-nginx-controller");
    assertThat(OperatorOptions.parse(List.of("--ingress-nginx-configmaps", "edge/nginx-config, internal/nginx-config,"
        + "edge/nginx-config")).ingressNginxConfigMaps()).containsExactly("edge/nginx-config", "internal/nginx-config");
    assertThat(OperatorOptions.parse(List.of("--ingress-nginx-configmaps=")).ingressNginxConfigMaps())
        .as("an empty list turns it off").isEmpty();
    assertThatThrownBy(() -> OperatorOptions.parse(List.of("--ingress-nginx-configmaps", "ingress-nginx-controller")))
        .hasMessageContaining("\"ingress-nginx-controller\" is not namespace/name of a ConfigMap");
  }
}
