package dev.upstreamhealth.helm;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Least privilege: exactly the verbs the operator uses, no wildcard, no Secrets. */
class ChartRbacTest {
  /** group/resource → verbs the operator needs where it watches Sites. */
  private static final Set<String> WATCH_GRANTS = Set.of(
      "upstreamhealth.dev/sites:list,watch",
      "upstreamhealth.dev/sites/status:update",
      "/services:list,watch",
      "/pods:list,watch",
      "discovery.k8s.io/endpointslices:list,watch",
      "networking.k8s.io/ingresses:list,watch",
      "networking.k8s.io/networkpolicies:list,watch",
      "apps/deployments:list,watch",
      "apps/replicasets:list,watch",
      "apps/statefulsets:list,watch",
      "apps/daemonsets:list,watch",
      "/events:create,list,watch");
  private static final String INGRESS_CLASSES = "networking.k8s.io/ingressclasses:list,watch";
  /** Read cluster-wide in both modes: a route's Gateway and ReferenceGrants live in other namespaces. */
  private static final Set<String> GATEWAY_API_GRANTS = Set.of(
      "gateway.networking.k8s.io/gatewayclasses:list,watch",
      "gateway.networking.k8s.io/gateways:list,watch",
      "gateway.networking.k8s.io/httproutes:list,watch",
      "gateway.networking.k8s.io/referencegrants:list,watch",
      "gateway.networking.k8s.io/listenersets:list,watch",
      // Only the Gateway API's CRDs, by name: a cluster's others may weigh hundreds of MB.
      "apiextensions.k8s.io/customresourcedefinitions[gatewayclasses.gateway.networking.k8s.io,"
          + " gateways.gateway.networking.k8s.io, httproutes.gateway.networking.k8s.io,"
          + " referencegrants.gateway.networking.k8s.io, listenersets.gateway.networking.k8s.io]:list,watch");
  /** ingress-nginx's controller ConfigMap, by name, cluster-wide: no namespace of it needs to exist. */
  private static final String CONTROLLER_CONFIG = "/configmaps[ingress-nginx-controller]:list,watch";

  @Test
  void allNamespacesGetOneClusterRoleWithExactlyTheNeededVerbs() {
    RenderedChart chart = RenderedChart.render(Map.of("leaderElection", Map.of("enabled", false)));

    ClusterRole role = chart.one(ClusterRole.class);
    Set<String> expected = new TreeSet<>(WATCH_GRANTS);
    expected.add(INGRESS_CLASSES);
    expected.addAll(GATEWAY_API_GRANTS);
    expected.add(CONTROLLER_CONFIG);
    assertThat(grants(role.getRules())).isEqualTo(expected);
    assertThat(chart.one(ClusterRoleBinding.class).getRoleRef().getName()).isEqualTo(role.getMetadata().getName());
    assertThat(chart.all(Role.class)).isEmpty();
    assertLeastPrivilege(chart);
  }

  /**
   * ingress-nginx's controller ConfigMaps are read by name and no other, granted in the ClusterRole
   * so that no Role has to be made in a namespace that may not exist (a cluster without
   * ingress-nginx installs all the same); none without any listed.
   */
  @Test
  void ingressNginxConfigMapsAreGrantedByTheirNamesOnly() {
    RenderedChart several = RenderedChart.render(Map.of("ingressNginx", Map.of("configMaps",
        List.of("ingress-nginx/ingress-nginx-controller", "ingress-nginx/internal-controller", "edge/ingress-nginx-controller"))));
    assertThat(grants(several.one(ClusterRole.class).getRules())).filteredOn(g -> g.startsWith("/configmaps"))
        .containsExactly("/configmaps[ingress-nginx-controller, internal-controller]:list,watch");
    assertThat(several.all(Role.class)).as("no namespace of theirs needs to exist")
        .allSatisfy(r -> assertThat(r.getMetadata().getNamespace()).isEqualTo(RenderedChart.NAMESPACE));
    assertLeastPrivilege(several);

    RenderedChart none = RenderedChart.render(Map.of("ingressNginx", Map.of("configMaps", List.of())));
    assertThat(grants(none.one(ClusterRole.class).getRules())).noneMatch(g -> g.contains("configmaps"));
  }

  @Test
  void watchNamespacesGetARoleEachAndOnlyIngressClassesAndTheGatewayApiClusterWide() {
    RenderedChart chart = RenderedChart.render(Map.of(
        "watchNamespaces", List.of("web", "ingress-nginx"), "leaderElection", Map.of("enabled", false)));

    List<Role> watching = chart.all(Role.class).stream().filter(r -> !"default".equals(r.getMetadata().getNamespace())).toList();
    assertThat(watching).extracting(r -> r.getMetadata().getNamespace())
        .containsExactlyInAnyOrder("web", "ingress-nginx");
    assertThat(watching).allSatisfy(r -> assertThat(grants(r.getRules())).isEqualTo(new TreeSet<>(WATCH_GRANTS)));
    // The API server's endpoints, read once at start-up to keep probes off them: list in default only.
    assertThat(chart.all(Role.class)).filteredOn(r -> "default".equals(r.getMetadata().getNamespace())).singleElement()
        .satisfies(r -> assertThat(grants(r.getRules())).containsExactly("discovery.k8s.io/endpointslices:list"));
    assertThat(chart.all(RoleBinding.class)).extracting(b -> b.getMetadata().getNamespace())
        .containsExactlyInAnyOrder("web", "ingress-nginx", "default");
    assertThat(RenderedChart.render(Map.of("watchNamespaces", List.of("default", "web"), "leaderElection",
        Map.of("enabled", false))).all(Role.class)).as("default watched: its Role grants that already")
        .extracting(r -> r.getMetadata().getNamespace()).containsExactlyInAnyOrder("default", "web");
    assertThat(chart.all(RoleBinding.class)).allSatisfy(b -> assertThat(b.getSubjects()).singleElement()
        .satisfies(s -> assertThat(s.getNamespace()).isEqualTo(RenderedChart.NAMESPACE)));
    Set<String> clusterWide = new TreeSet<>(GATEWAY_API_GRANTS);
    clusterWide.add(INGRESS_CLASSES);
    clusterWide.add(CONTROLLER_CONFIG);
    assertThat(grants(chart.one(ClusterRole.class).getRules())).isEqualTo(clusterWide);
    assertLeastPrivilege(chart);
  }

  @Test
  void leaderElectionMayOnlyCreateAndRenewItsOwnLease() {
    RenderedChart chart = RenderedChart.render(Map.of());

    Role lease = chart.one(Role.class);
    assertThat(lease.getMetadata().getNamespace()).isEqualTo(RenderedChart.NAMESPACE);
    assertThat(grants(lease.getRules())).containsExactlyInAnyOrder(
        "coordination.k8s.io/leases:create", "coordination.k8s.io/leases[upstream-health-operator]:get,patch,update");
    assertThat(chart.one(RoleBinding.class).getRoleRef().getName()).isEqualTo(lease.getMetadata().getName());
    assertLeastPrivilege(chart);
  }

  @Test
  void noRbacWhenDisabled() {
    RenderedChart chart = RenderedChart.render(Map.of("rbac", Map.of("create", false)));

    assertThat(Stream.of(Role.class, ClusterRole.class, RoleBinding.class, ClusterRoleBinding.class)
        .flatMap(type -> chart.all(type).stream())).isEmpty();
  }

  /**
   * No rendering may grant a wildcard, Secrets, ConfigMaps but ingress-nginx's by name, or anything
   * but reads beyond the listed writes.
   */
  private static void assertLeastPrivilege(RenderedChart chart) {
    Stream<PolicyRule> rules = Stream.concat(
        chart.all(Role.class).stream().flatMap(r -> r.getRules().stream()),
        chart.all(ClusterRole.class).stream().flatMap(r -> r.getRules().stream()));
    rules.forEach(rule -> {
      assertThat(rule.getApiGroups()).doesNotContain("*");
      assertThat(rule.getResources()).doesNotContain("*", "secrets");
      if (rule.getResources().contains("configmaps")) {
        assertThat(rule.getResources()).containsExactly("configmaps");
        assertThat(rule.getResourceNames()).as("ConfigMaps by name only").isNotEmpty();
        assertThat(rule.getVerbs()).containsExactlyInAnyOrder("list", "watch");
      }
      assertThat(rule.getVerbs()).doesNotContain("*", "delete", "deletecollection", "escalate", "bind", "impersonate");
      assertThat(rule.getNonResourceURLs()).isEmpty();
    });
    assertThat(chart.objects()).extracting(HasMetadata::getKind).doesNotContain("Secret");
  }

  private static Set<String> grants(List<PolicyRule> rules) {
    Set<String> grants = new TreeSet<>();
    for (PolicyRule rule : rules) {
      String names = rule.getResourceNames().isEmpty() ? "" : rule.getResourceNames().toString();
      for (String group : rule.getApiGroups()) {
        for (String resource : rule.getResources()) {
          grants.add(group + "/" + resource + names + ":" + String.join(",", new TreeSet<>(rule.getVerbs())));
        }
      }
    }
    return grants;
  }
}
