package dev.upstreamhealth.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.upstreamhealth.api.Site;
import dev.upstreamhealth.demo.SiteFixture;
import dev.upstreamhealth.demo.SiteFixtures;
import dev.upstreamhealth.loopback.Behaviour;
import dev.upstreamhealth.loopback.LoopbackServer;
import dev.upstreamhealth.runtime.OperatorOptions;
import dev.upstreamhealth.runtime.UpstreamHealthOperator;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodList;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The bench API server checked against Fabric8's mock: the same cluster-state scenarios as
 * {@code ClusterStateScenariosIT} (and a probe fault, leader election and paged lists), run with
 * the real operator on each server in turn. Each scenario's verdicts in order and its Events'
 * reasons must be the same on both, and be the expected ones: then the bench server serves the
 * operator as the mock does. {@code mvn -Pbench verify -Dbench.sizes=0 -Dbench.probeSeconds=0} runs only this.
 */
final class ApiServerParity {
  static final Duration SETTLE = Duration.ofSeconds(15);

  /** One scenario: what it does once the Site is healthy, and the verdict it must end with (a prefix). */
  record Scenario(String name, String endsWith, Consumer<Step> breakIt) {
  }

  /** What a scenario can do to its own Site's world. */
  record Step(KubernetesClient client, SiteFixture f, int podPort, String podIp, LoopbackServer origin) {
  }

  static final List<Scenario> SCENARIOS = List.of(
      new Scenario("healthy stays healthy", "None/Healthy", s -> { }),
      new Scenario("crash-looping pod", "502/UpstreamCrashLooping", s ->
          s.client().pods().inNamespace(s.f().namespace()).resource(s.f().crashLoopingPod(1, s.podIp(), s.podPort()))
              .updateStatus()),
      new Scenario("scaled to zero", "503/ScaledToZero", s -> {
        s.client().resource(new DeploymentBuilder(s.f().deployment(0)).build()).update();
        s.client().pods().inNamespace(s.f().namespace()).withName(s.f().serviceName() + "-1").delete();
        s.client().resource(s.f().endpointSlice(s.podPort(), Map.of())).update();
      }),
      new Scenario("readiness failing", "503/NoReadyEndpoints", s -> {
        s.client().pods().inNamespace(s.f().namespace()).resource(s.f().pod(1, s.podIp(), s.podPort(), false)).updateStatus();
        s.client().resource(s.f().endpointSlice(s.podPort(), Map.of(s.podIp(), false))).update();
      }),
      new Scenario("backend Service deleted", "502/BackendServiceMissing", s ->
          s.client().services().inNamespace(s.f().namespace()).withName(s.f().serviceName()).delete()),
      new Scenario("Ingress without address", "521/NoOriginAddress", s ->
          s.client().resource(s.f().ingress(null)).update()),
      new Scenario("maintenance declared (merge patch)", "503/MaintenanceMode", s ->
          s.client().resources(Site.class).inNamespace(s.f().namespace()).withName(s.f().name())
              .patch(PatchContext.of(PatchType.JSON_MERGE),
                  "{\"spec\":{\"maintenance\":{\"active\":true,\"message\":\"database migration\"}}}")),
      new Scenario("invalid spec (JSON patch)", "Unknown/InvalidSpec", s ->
          s.client().resources(Site.class).inNamespace(s.f().namespace()).withName(s.f().name())
              .patch(PatchContext.of(PatchType.JSON), "[{\"op\":\"replace\",\"path\":\"/spec/probe/expectedStatus\",\"value\":\"2xx\"}]")),
      new Scenario("Ingress deleted", "Other/IngressNotFound", s ->
          s.client().network().v1().ingresses().inNamespace(s.f().namespace()).withName(s.f().name()).delete()),
      // A probe fault: the origin stops listening, so connecting is refused.
      new Scenario("origin refuses connections", "521/", s -> s.origin().close()));

  record Outcome(String scenario, List<String> verdicts, List<String> events) {
  }

  /** Runs every scenario on both servers; throws (AssertionError) when they differ or miss. */
  static List<String> run() throws Exception {
    List<String> lines = new ArrayList<>();
    Map<String, List<Outcome>> byServer = new LinkedHashMap<>();
    for (boolean bench : new boolean[] {false, true}) {
      try (ApiUnderTest api = bench ? ApiUnderTest.bench(Duration.ofSeconds(2)) : ApiUnderTest.mock()) {
        byServer.put(api.name(), scenarios(api));
        if (bench) {
          // The stock mock cannot take part: JOSDK first asks for a SelfSubjectRulesReview, which
          // only the ITs' own dispatcher answers (LeaderElectionIT).
          lines.add(leaderElection(api));
          lines.add(pagedList(api));
        }
      }
    }
    List<List<Outcome>> results = new ArrayList<>(byServer.values());
    for (int i = 0; i < SCENARIOS.size(); i++) {
      Outcome mock = results.get(0).get(i);
      Outcome bench = results.get(1).get(i);
      assertThat(bench.verdicts()).as("verdicts of %s on the bench server", mock.scenario()).isEqualTo(mock.verdicts());
      assertThat(bench.events()).as("Events of %s on the bench server", mock.scenario()).isEqualTo(mock.events());
      assertThat(mock.verdicts()).as(mock.scenario()).last().asString().startsWith(SCENARIOS.get(i).endsWith());
      lines.add(String.format("%s: verdicts %s, Events %s, the same on both", mock.scenario(), mock.verdicts(), mock.events()));
    }
    lines.forEach(l -> ScaleBench.log("parity: %s", l));
    return lines;
  }

  private static List<Outcome> scenarios(ApiUnderTest api) throws Exception {
    List<Outcome> out = new ArrayList<>();
    Map<String, List<String>> seen = new ConcurrentHashMap<>();
    List<LoopbackServer> origins = new ArrayList<>();
    try (LoopbackServer pod = LoopbackServer.http("127.0.0.41", 0, Behaviour.status(200));
        KubernetesClient operatorClient = api.newClient("operator");
        Watch watch = verdictsInOrder(api.client(), seen);
        UpstreamHealthOperator operator = UpstreamHealthOperator.start(operatorClient,
            OperatorOptions.defaults().but(o -> {
              o.metricsPort = -1;
              o.probeAllowLoopback = true;
            }))) {
      int n = 0;
      for (Scenario scenario : SCENARIOS) {
        SiteFixture f = new SiteFixture("parity" + (++n), "shop", "shop.example.com");
        String key = f.namespace() + "/shop";
        // Each Site its own origin, so one can refuse connections without the others noticing.
        LoopbackServer origin = LoopbackServer.http("127.0.0.40", 0, Behaviour.status(200));
        origins.add(origin);
        for (var o : SiteFixtures.healthyWorld(f, "127.0.0.40", origin.port(), "127.0.0.41", pod.port())) {
          api.client().resource(o).create();
        }
        await().atMost(SETTLE).until(() -> last(seen, key), "None/Healthy"::equals);
        scenario.breakIt().accept(new Step(api.client(), f, pod.port(), "127.0.0.41", origin));
        await().atMost(SETTLE).until(() -> last(seen, key), v -> v != null && v.startsWith(scenario.endsWith()));
        List<String> reasons = await().atMost(SETTLE).until(() -> events(api.client(), f),
            e -> scenario.endsWith().equals("None/Healthy") || e.stream().anyMatch(r -> last(seen, key).endsWith("/" + r)));
        out.add(new Outcome(scenario.name(), List.copyOf(seen.get(key)), reasons));
      }
    } finally {
      origins.forEach(LoopbackServer::close);
    }
    return out;
  }

  private static Watch verdictsInOrder(KubernetesClient client, Map<String, List<String>> seen) {
    return client.resources(Site.class).inAnyNamespace().watch(new Watcher<>() {
      @Override
      public void eventReceived(Action action, Site site) {
        if (site.getStatus() == null || site.getStatus().getFault() == null) {
          return;
        }
        String verdict = site.getStatus().getFault() + "/" + site.getStatus().getReason();
        List<String> list = seen.computeIfAbsent(site.getMetadata().getNamespace() + "/" + site.getMetadata().getName(),
            k -> new java.util.concurrent.CopyOnWriteArrayList<>());
        if (list.isEmpty() || !list.get(list.size() - 1).equals(verdict)) {
          list.add(verdict);
        }
      }

      @Override
      public void onClose(WatcherException cause) {
      }
    });
  }

  private static String last(Map<String, List<String>> seen, String key) {
    List<String> l = seen.get(key);
    return l == null || l.isEmpty() ? null : l.get(l.size() - 1);
  }

  private static List<String> events(KubernetesClient client, SiteFixture f) {
    return client.v1().events().inNamespace(f.namespace()).list().getItems().stream()
        .sorted(java.util.Comparator.comparing((Event e) -> e.getMetadata().getCreationTimestamp())
            .thenComparing(e -> e.getMetadata().getResourceVersion(), java.util.Comparator.comparingLong(Long::parseLong)))
        .map(Event::getReason).toList();
  }

  /** One operator with leader election holds the Lease and writes status. */
  private static String leaderElection(ApiUnderTest api) throws Exception {
    try (LoopbackServer origin = LoopbackServer.http("127.0.0.43", 0, Behaviour.status(200));
        LoopbackServer pod = LoopbackServer.http("127.0.0.44", 0, Behaviour.status(200));
        KubernetesClient operatorClient = api.newClient("operator-leader");
        UpstreamHealthOperator operator = UpstreamHealthOperator.start(operatorClient, OperatorOptions.defaults().but(o -> {
          o.metricsPort = -1;
          o.probeAllowLoopback = true;
          o.leaderElection = true;
          o.leaseNamespace = "default";
          o.leaseTiming = new OperatorOptions.LeaseTiming("replica-a", Duration.ofSeconds(3), Duration.ofSeconds(2),
              Duration.ofMillis(250), false);
        }))) {
      SiteFixture f = new SiteFixture("parity-leader", "shop", "shop.example.com");
      for (var o : SiteFixtures.healthyWorld(f, "127.0.0.43", origin.port(), "127.0.0.44", pod.port())) {
        api.client().resource(o).create();
      }
      await().atMost(SETTLE).until(() -> {
        Lease lease = api.client().leases().inNamespace("default").withName("upstream-health-operator").get();
        return lease == null || lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
      }, "replica-a"::equals);
      await().atMost(SETTLE).until(() -> {
        Site s = api.client().resources(Site.class).inNamespace(f.namespace()).withName("shop").get();
        return s.getStatus() == null ? null : s.getStatus().getReason();
      }, "Healthy"::equals);
      return api.name() + ": leader election took the Lease (replica-a) and the leader wrote Healthy";
    }
  }

  /** A list in pages of 2 (limit and continue) returns what one list does, in the same order. */
  private static String pagedList(ApiUnderTest api) {
    KubernetesClient c = api.client();
    List<String> whole = c.pods().inAnyNamespace().list().getItems().stream().map(ApiServerParity::key).toList();
    List<String> paged = new ArrayList<>();
    String next = null;
    int pages = 0;
    do {
      PodList page = c.pods().inAnyNamespace().list(new io.fabric8.kubernetes.api.model.ListOptionsBuilder()
          .withLimit(2L).withContinue(next).build());
      page.getItems().forEach(p -> paged.add(key(p)));
      next = page.getMetadata().getContinue();
      pages++;
    } while (next != null && !next.isEmpty());
    assertThat(paged).as("pods listed in pages of 2").isEqualTo(whole).hasSizeGreaterThan(4);
    return api.name() + ": " + whole.size() + " pods listed whole and in " + pages + " pages of 2: the same";
  }

  private static String key(Pod p) {
    return p.getMetadata().getNamespace() + "/" + p.getMetadata().getName();
  }

  private ApiServerParity() {
  }
}
