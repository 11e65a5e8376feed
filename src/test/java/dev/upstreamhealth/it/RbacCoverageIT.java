package dev.upstreamhealth.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.upstreamhealth.api.Site;
import dev.upstreamhealth.demo.EmbeddedApiServer;
import dev.upstreamhealth.demo.EmbeddedApiServers;
import dev.upstreamhealth.demo.GatewayApiFixture;
import dev.upstreamhealth.demo.SiteFixture;
import dev.upstreamhealth.demo.SiteFixtures;
import dev.upstreamhealth.helm.RenderedChart;
import dev.upstreamhealth.loopback.Behaviour;
import dev.upstreamhealth.loopback.LoopbackServer;
import dev.upstreamhealth.runtime.OperatorOptions;
import dev.upstreamhealth.runtime.UpstreamHealthOperator;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The chart grants exactly what the operator uses: every API request of a run (informers, status,
 * Events, the Lease) is allowed by the rendered RBAC, and every rule granted was used.
 */
class RbacCoverageIT {
  static final String AGENT = "upstream-health-operator-under-test";

  /** What RBAC checks: API group, resource (with subresource), verb. */
  record Access(String group, String resource, String verb) implements Comparable<Access> {
    @Override
    public int compareTo(Access o) {
      return toString().compareTo(o.toString());
    }
  }

  @Test
  void chartRbacCoversEveryRequestOfARunAndNothingMore() throws Exception {
    FaultInjectingDispatcher dispatcher = new FaultInjectingDispatcher();
    try (EmbeddedApiServer api = EmbeddedApiServers.over(dispatcher);
        KubernetesClient operatorClient = new KubernetesClientBuilder()
            .withConfig(new ConfigBuilder(Config.empty()).withMasterUrl(api.loopbackUrl()).withUserAgent(AGENT).build())
            .build();
        LoopbackServer origin = LoopbackServer.http("127.0.0.98", 0, Behaviour.status(200));
        LoopbackServer pod = LoopbackServer.http("127.0.0.99", 0, Behaviour.status(200))) {
      KubernetesClient admin = api.client();
      SiteFixture shop = new SiteFixture("web", "shop", "shop.example.com");
      for (var o : SiteFixtures.healthyWorld(shop, "127.0.0.98", origin.port(), "127.0.0.99", pod.port())) {
        admin.resource(o).create();
      }
      // A cluster with the Gateway API and a Site routed by an HTTPRoute: its caches are part of the run.
      api.installGatewayApi();
      SiteFixture blog = new SiteFixture("web", "blog", "blog.example.com");
      GatewayApiFixture blogRoute = new GatewayApiFixture(blog);
      for (var o : List.of(blog.service(pod.port()), blogRoute.gatewayClass(), blogRoute.gateway(origin.port()),
          blogRoute.route(), blogRoute.site(2, 1))) {
        admin.resource(o).create();
      }
      admin.resource(blogRoute.gatewayClassStatus(true)).updateStatus();
      admin.resource(blogRoute.gatewayStatus(origin.port(), "127.0.0.98")).updateStatus();
      admin.resource(blogRoute.acceptedRouteStatus(blogRoute.route())).updateStatus();
      OperatorOptions options = OperatorOptions.defaults().but(o -> {
        o.metricsPort = -1;
        o.probeAllowLoopback = true;
        o.leaderElection = true;
        o.leaseNamespace = RenderedChart.NAMESPACE;
        o.leaseTiming = new OperatorOptions.LeaseTiming("rbac-test", Duration.ofSeconds(3), Duration.ofSeconds(2),
            Duration.ofMillis(250), false);
      });
      try (UpstreamHealthOperator operator = UpstreamHealthOperator.start(operatorClient, options)) {
        await().atMost(Duration.ofSeconds(15)).until(() -> reason(admin), "Healthy"::equals);
        await().atMost(Duration.ofSeconds(15)).until(() -> reason(admin, "blog"), r -> r != null && !r.equals("CachesNotSynced")
            && !r.equals("GatewayApiNotInstalled") && !r.equals("AwaitingFirstProbe"));
        admin.pods().inNamespace("web").resource(shop.crashLoopingPod(1, "127.0.0.99", pod.port())).updateStatus();
        await().atMost(Duration.ofSeconds(10)).until(() -> admin.v1().events().inNamespace("web").list().getItems()
            .stream().anyMatch(e -> "UpstreamCrashLooping".equals(e.getReason())));
      }
    }

    List<FaultInjectingDispatcher.Seen> requests = dispatcher.seen().stream()
        .filter(r -> AGENT.equals(r.userAgent()) && access(r).isPresent()).toList();
    Set<Access> used = new TreeSet<>();
    requests.forEach(r -> used.add(access(r).orElseThrow()));
    RenderedChart chart = RenderedChart.render(Map.of());
    List<PolicyRule> rules = new ArrayList<>(chart.one(ClusterRole.class).getRules());
    chart.all(Role.class).forEach(role -> rules.addAll(role.getRules()));

    assertThat(used).as("requests the operator made").isNotEmpty();
    assertThat(requests).allSatisfy(r -> assertThat(rules.stream().anyMatch(rule -> allows(rule, r)))
        .as("the chart allows %s %s", r.method(), r.path()).isTrue());
    // A cluster's CRDs may weigh hundreds of MB: only the Gateway API's are read, each by its name.
    assertThat(requests).filteredOn(r -> access(r).orElseThrow().resource().equals("customresourcedefinitions"))
        .isNotEmpty()
        .allSatisfy(r -> assertThat(resourceName(r)).as("%s names its CRD", r.path()).isPresent())
        .extracting(r -> resourceName(r).orElseThrow()).containsOnly(GATEWAY_API_CRDS.toArray(String[]::new));
    assertThat(rules).filteredOn(rule -> rule.getResources().contains("customresourcedefinitions")).singleElement()
        .satisfies(rule -> assertThat(rule.getResourceNames()).containsExactlyInAnyOrderElementsOf(GATEWAY_API_CRDS));
    Set<Access> granted = new TreeSet<>();
    for (PolicyRule rule : rules) {
      for (String group : rule.getApiGroups()) {
        for (String resource : rule.getResources()) {
          rule.getVerbs().forEach(verb -> granted.add(new Access(group, resource, verb)));
        }
      }
    }
    assertThat(granted).as("rights granted but never used").isSubsetOf(used);
  }

  /** The Gateway API's CRDs, the only ones the operator reads. */
  private static final List<String> GATEWAY_API_CRDS = List.of("gatewayclasses.gateway.networking.k8s.io",
      "gateways.gateway.networking.k8s.io", "httproutes.gateway.networking.k8s.io",
      "referencegrants.gateway.networking.k8s.io", "listenersets.gateway.networking.k8s.io");

  /** As RBAC decides: a rule with resourceNames allows only requests that name one of them. */
  private static boolean allows(PolicyRule rule, FaultInjectingDispatcher.Seen request) {
    Access a = access(request).orElseThrow();
    return rule.getApiGroups().contains(a.group()) && rule.getResources().contains(a.resource())
        && rule.getVerbs().contains(a.verb())
        && (rule.getResourceNames().isEmpty() || resourceName(request).filter(rule.getResourceNames()::contains).isPresent());
  }

  /**
   * The object a request names, as RBAC sees it: in its path, or for a list or watch in a
   * metadata.name field selector (and nothing else in it).
   */
  static java.util.Optional<String> resourceName(FaultInjectingDispatcher.Seen request) {
    String path = request.path();
    int q = path.indexOf('?');
    String query = q < 0 ? "" : path.substring(q + 1);
    for (String param : query.split("&")) {
      if (param.startsWith("fieldSelector=")) {
        String selector = java.net.URLDecoder.decode(param.substring("fieldSelector=".length()),
            java.nio.charset.StandardCharsets.UTF_8);
        return selector.startsWith("metadata.name=") && !selector.contains(",")
            ? java.util.Optional.of(selector.substring("metadata.name=".length())) : java.util.Optional.empty();
      }
    }
    String[] parts = (q < 0 ? path : path.substring(0, q)).substring(1).split("/");
    int i = parts[0].equals("api") ? 2 : 3;
    if (i < parts.length && parts[i].equals("namespaces") && i + 2 < parts.length) {
      i += 2;
    }
    return i + 1 < parts.length ? java.util.Optional.of(parts[i + 1]) : java.util.Optional.empty();
  }

  /**
   * Maps /api/v1/namespaces/web/pods/x and /apis/group/version/... to what RBAC checks.
   * SelfSubjectRulesReviews are left out: every authenticated user may create them.
   */
  static java.util.Optional<Access> access(FaultInjectingDispatcher.Seen request) {
    String path = request.path();
    String query = path.contains("?") ? path.substring(path.indexOf('?') + 1) : "";
    String[] parts = (path.contains("?") ? path.substring(0, path.indexOf('?')) : path).substring(1).split("/");
    int i;
    String group;
    if (parts[0].equals("api")) {
      group = "";
      i = 2;
    } else {
      group = parts[1];
      i = 3;
    }
    if (i < parts.length && parts[i].equals("namespaces") && i + 2 < parts.length) {
      i += 2;
    }
    if (i >= parts.length || parts[i].equals("selfsubjectrulesreviews")) {
      return java.util.Optional.empty();
    }
    String resource = parts[i];
    boolean named = i + 1 < parts.length;
    if (i + 2 < parts.length) {
      resource += "/" + parts[i + 2];
    }
    String verb = switch (request.method()) {
      case "GET" -> query.contains("watch=true") ? "watch" : named ? "get" : "list";
      case "POST" -> "create";
      case "PUT" -> "update";
      case "PATCH" -> "patch";
      case "DELETE" -> "delete";
      default -> request.method().toLowerCase();
    };
    return java.util.Optional.of(new Access(group, resource, verb));
  }

  private static String reason(KubernetesClient client) {
    return reason(client, "shop");
  }

  private static String reason(KubernetesClient client, String name) {
    Site site = client.resources(Site.class).inNamespace("web").withName(name).get();
    return site == null || site.getStatus() == null ? null : site.getStatus().getReason();
  }
}
