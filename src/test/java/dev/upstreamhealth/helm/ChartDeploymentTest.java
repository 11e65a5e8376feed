package dev.upstreamhealth.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The operator's Deployment as Helm renders it: restricted Pod Security, probes, flags. */
class ChartDeploymentTest {

  @Test
  void chartLintsCleanly() {
    LintResult lint = new Helm(RenderedChart.CHART).lint().strict().call();
    assertThat(lint.isFailed()).as("%s", lint.getMessages()).isFalse();
  }

  @Test
  void podMeetsTheRestrictedPodSecurityStandard() {
    Deployment deployment = RenderedChart.render(Map.of()).one(Deployment.class);
    PodSpec pod = deployment.getSpec().getTemplate().getSpec();
    Container operator = pod.getContainers().get(0);

    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(65532L);
    assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    assertThat(operator.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(operator.getSecurityContext().getRunAsUser()).isEqualTo(65532L);
    assertThat(operator.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(operator.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(operator.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(operator.getSecurityContext().getCapabilities().getAdd()).isEmpty();
    assertThat(operator.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    assertThat(pod.getHostNetwork()).isNotEqualTo(Boolean.TRUE);
    assertThat(operator.getVolumeMounts()).anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo("/tmp"));
    assertThat(pod.getVolumes()).anySatisfy(v -> assertThat(v.getEmptyDir()).isNotNull());
  }

  @Test
  void probesUseHealthzAndReadyzOnTheMetricsPort() {
    Container operator = container(RenderedChart.render(Map.of("metrics", Map.of("port", 9090))));

    assertThat(operator.getPorts()).singleElement().satisfies(p -> {
      assertThat(p.getName()).isEqualTo("metrics");
      assertThat(p.getContainerPort()).isEqualTo(9090);
    });
    assertThat(operator.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(operator.getLivenessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("metrics");
    assertThat(operator.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
    assertThat(operator.getReadinessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("metrics");
    assertThat(operator.getArgs()).contains("--metrics-port=9090");
    assertThat(operator.getResources().getLimits()).containsKey("memory");
  }

  @Test
  void defaultsRunTwoReplicasWithLeaderElectionInTheReleaseNamespace() {
    RenderedChart chart = RenderedChart.render(Map.of());
    Deployment deployment = chart.one(Deployment.class);

    assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
    assertThat(container(chart).getImage()).isEqualTo("ghcr.io/upstream-health/upstream-health-operator:" + ChartVersionTest.PROJECT_VERSION);
    assertThat(container(chart).getArgs()).containsExactly(
        "operator", "--metrics-port=8080", "--leader-election", "--lease-name=upstream-health-operator",
        "--lease-namespace=" + RenderedChart.NAMESPACE, "--probe-max-concurrency=64", "--probe-max-per-site=8",
        "--ingress-nginx-configmaps=ingress-nginx/ingress-nginx-controller");
  }

  /** Shards are releases with a siteSelector each: on one shared Lease only one would ever work. */
  /**
   * Helm allows release names of up to 53 characters; every name the chart makes of one, with its
   * suffixes, must still be a valid name: at most 63 characters, a DNS-1035 label (a Service's).
   */
  @Test
  void everyNameStaysValidForTheLongestReleaseName() {
    String release = "a-release-named-as-long-as-helm-allows-fifty-three-ch";
    assertThat(release).hasSize(53);
    List<RenderedChart> renders = List.of(
        RenderedChart.render(release, Map.of("probe", Map.of("caBundle", Map.of("pem", "x")))),
        RenderedChart.render(release, Map.of("watchNamespaces", List.of("web"))));

    assertThat(renders).flatMap(RenderedChart::objects).extracting(o -> o.getMetadata().getName())
        .hasSizeGreaterThan(5)
        .allSatisfy(name -> assertThat(name).hasSizeLessThanOrEqualTo(63).matches("[a-z]([-a-z0-9]*[a-z0-9])?"))
        .anySatisfy(name -> assertThat(name).endsWith("-metrics"))
        .anySatisfy(name -> assertThat(name).endsWith("-probe-ca"))
        .anySatisfy(name -> assertThat(name).endsWith("-api-server-endpoints"))
        .anySatisfy(name -> assertThat(name).endsWith("-cluster-reads"))
        .anySatisfy(name -> assertThat(name).endsWith("-leader-election"));
  }

  /** The image is linux/amd64 only: its pods must not land on an arm64 node, where it cannot start. */
  @Test
  void podsAreKeptOnLinuxAmd64NodesUnlessToldOtherwise() {
    PodSpec pod = RenderedChart.render(Map.of()).one(Deployment.class).getSpec().getTemplate().getSpec();
    assertThat(pod.getNodeSelector()).containsEntry("kubernetes.io/os", "linux")
        .containsEntry("kubernetes.io/arch", "amd64");

    java.util.Map<String, Object> selector = new java.util.HashMap<>();
    selector.put("kubernetes.io/arch", null);
    selector.put("pool", "ops");
    PodSpec own = RenderedChart.render(Map.of("nodeSelector", selector)).one(Deployment.class).getSpec()
        .getTemplate().getSpec();
    assertThat(own.getNodeSelector()).as("an image of one's own for another architecture")
        .containsOnly(Map.entry("kubernetes.io/os", "linux"), Map.entry("pool", "ops"));
  }

  /**
   * A namespace whose policies deny egress by default would keep every probe in, and every Site
   * would read 521 at once: the chart's own policy lets the operator's pods connect anywhere, and
   * only them.
   */
  @Test
  void theOperatorsPodsMayConnectAnywhereUnlessTurnedOff() {
    RenderedChart chart = RenderedChart.render(Map.of());
    NetworkPolicy egress = chart.one(NetworkPolicy.class);
    assertThat(egress.getSpec().getPolicyTypes()).containsExactly("Egress");
    assertThat(egress.getSpec().getEgress()).singleElement()
        .satisfies(rule -> assertThat(rule.getTo()).isNullOrEmpty())
        .satisfies(rule -> assertThat(rule.getPorts()).isNullOrEmpty());
    assertThat(egress.getSpec().getPodSelector().getMatchLabels())
        .isEqualTo(chart.one(Deployment.class).getSpec().getSelector().getMatchLabels());
    assertThat(egress.getSpec().getIngress()).as("ingress is left to the namespace's policies").isNullOrEmpty();

    assertThat(RenderedChart.render(Map.of("networkPolicy", Map.of("egress", Map.of("enabled", false))))
        .all(NetworkPolicy.class)).isEmpty();
  }

  @Test
  void eachShardLeadsOnALeaseOfItsOwn() {
    RenderedChart shardA = RenderedChart.render(Map.of("siteSelector", "shard=a", "fullnameOverride", "uho-shard-a"));
    RenderedChart shardB = RenderedChart.render(Map.of("siteSelector", "shard=b", "fullnameOverride", "uho-shard-b"));
    RenderedChart named = RenderedChart.render(Map.of("siteSelector", "shard=a",
        "leaderElection", Map.of("enabled", true, "leaseName", "sites-a")));

    assertThat(container(shardA).getArgs()).contains("--lease-name=uho-shard-a").doesNotContain(
        "--lease-name=upstream-health-operator");
    assertThat(container(shardB).getArgs()).contains("--lease-name=uho-shard-b");
    assertThat(container(named).getArgs()).contains("--lease-name=sites-a");
    // Releases that split the cluster by namespace may share the release namespace too.
    RenderedChart web = RenderedChart.render(Map.of("watchNamespaces", List.of("web"), "fullnameOverride", "uho-web"));
    assertThat(container(web).getArgs()).contains("--lease-name=uho-web");
    assertThat(container(RenderedChart.render(Map.of())).getArgs()).as("one release for the cluster keeps its Lease")
        .contains("--lease-name=upstream-health-operator");
    assertThat(shardA.all(io.fabric8.kubernetes.api.model.rbac.Role.class).stream()
        .filter(r -> r.getMetadata().getName().endsWith("-leader-election")).findFirst().orElseThrow().getRules())
        .as("the shard may update its own Lease").anySatisfy(rule -> assertThat(rule.getResourceNames())
            .containsExactly("uho-shard-a"));
  }

  @Test
  void everyFlagFollowsItsValue() {
    Container operator = container(RenderedChart.render(Map.of(
        "watchNamespaces", List.of("web", "ingress-nginx"),
        "siteSelector", "shard=a",
        "probe", Map.of("allowCidrs", List.of("10.0.0.0/8", "192.168.0.0/16"), "denyCidrs", List.of("10.9.0.0/16"),
            "maxConcurrency", 16, "maxPerSite", 2),
        "image", Map.of("repository", "registry.local/uho", "tag", "dev", "pullPolicy", "Always"),
        "ingressNginx", Map.of("configMaps", List.of("ingress-nginx/ingress-nginx-controller", "edge/nginx-config")))));

    assertThat(operator.getArgs()).contains("--namespaces=web,ingress-nginx", "--site-selector=shard=a",
        "--probe-allow-cidrs=10.0.0.0/8,192.168.0.0/16", "--probe-deny-cidrs=10.9.0.0/16",
        "--probe-max-concurrency=16", "--probe-max-per-site=2",
        "--ingress-nginx-configmaps=ingress-nginx/ingress-nginx-controller,edge/nginx-config");
    assertThat(container(RenderedChart.render(Map.of("ingressNginx", Map.of("configMaps", List.of())))).getArgs())
        .as("an empty list turns the operator's default off").contains("--ingress-nginx-configmaps=");
    assertThat(operator.getImage()).isEqualTo("registry.local/uho:dev");
    assertThat(operator.getImagePullPolicy()).isEqualTo("Always");
  }

  @Test
  void withoutLeaderElectionOneReplicaAndNoLeaseFlags() {
    RenderedChart chart = RenderedChart.render(Map.of("leaderElection", Map.of("enabled", false)));

    assertThat(chart.one(Deployment.class).getSpec().getReplicas()).isEqualTo(1);
    assertThat(container(chart).getArgs()).noneMatch(a -> a.startsWith("--lease") || a.equals("--leader-election"));
    assertThat(chart.one(Deployment.class).getSpec().getStrategy().getType())
        .as("no rollout with two operators at once").isEqualTo("Recreate");
    assertThat(RenderedChart.render(Map.of()).one(Deployment.class).getSpec().getStrategy())
        .as("with a Lease the rolling update hands over").isNull();
  }

  @Test
  void twoReplicasWithoutLeaderElectionAreRefused() {
    assertThatThrownBy(() -> RenderedChart.render(Map.of("leaderElection", Map.of("enabled", false), "replicas", 2)))
        .hasMessageContaining("needs leaderElection.enabled");
  }

  @Test
  void schemaRejectsValuesTheOperatorCannotUse() {
    assertThatThrownBy(() -> RenderedChart.render(Map.of("probe", Map.of("maxConcurrency", 0))))
        .hasMessageContaining("maxConcurrency");
    assertThatThrownBy(() -> RenderedChart.render(Map.of("probe", Map.of("allowCidrs", List.of("everything")))))
        .hasMessageContaining("allowCidrs");
    assertThatThrownBy(() -> RenderedChart.render(Map.of("watchNamespace", List.of("web"))))
        .hasMessageContaining("watchNamespace");
    assertThatThrownBy(() -> RenderedChart.render(Map.of("ingressNginx", Map.of("configMaps",
        List.of("ingress-nginx-controller"))))).as("namespace/name").hasMessageContaining("configMaps");
  }

  private static Container container(RenderedChart chart) {
    return chart.one(Deployment.class).getSpec().getTemplate().getSpec().getContainers().get(0);
  }
}
