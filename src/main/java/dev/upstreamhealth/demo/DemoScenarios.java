package dev.upstreamhealth.demo;

import dev.upstreamhealth.api.Site;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The situations users meet, one Site per namespace, with stand-in servers on loopback for the
 * load balancer (the origin the CDN connects to) and the pods; and the timeline that breaks and
 * fixes them. Every stand-in has its own 127.0.0.x address, like distinct hosts.
 */
public final class DemoScenarios implements AutoCloseable {
  /** Probes every 2 s, 1 s timeout, one failure counts: the demo moves at a watchable pace. */
  private static final int INTERVAL_SECONDS = 2;
  private static final int FAILURE_THRESHOLD = 1;

  private final KubernetesClient client;
  private final List<StandInServer> servers = new CopyOnWriteArrayList<>();
  private final List<Scenario> scenarios = new ArrayList<>();
  private final List<Timeline.Step> steps = new ArrayList<>();
  private final Map<String, Timeline.Step> stepsByName = new LinkedHashMap<>();

  private DemoScenarios(KubernetesClient client) {
    this.client = client;
  }

  /** Creates every scenario's objects on the API server and starts its stand-in servers. */
  public static DemoScenarios create(KubernetesClient client) {
    DemoScenarios demo = new DemoScenarios(client);
    try {
      demo.healthy();
      demo.originRefusing();
      demo.crashLooping();
      demo.scaledToZero();
      demo.maintenance();
      demo.partialFailure();
      demo.gatewayApiHealthy();
      demo.gatewayApiNotPermitted();
      demo.orderSteps();
      return demo;
    } catch (RuntimeException e) {
      demo.close();
      throw e;
    }
  }

  public List<Scenario> scenarios() {
    return List.copyOf(scenarios);
  }

  public Timeline timeline() {
    return new Timeline(steps);
  }

  private void orderSteps() {
    for (String name : List.of("break shop", "roll back api", "scale up docs", "end maintenance", "fix search",
        "fix blog", "grant reports", "fix shop")) {
      steps.add(stepsByName.get(name));
    }
  }

  private Scenario scenario(SiteFixture f, String story, Expectation expected) {
    Scenario s = new Scenario(f.namespace(), f.name(), story, expected);
    scenarios.add(s);
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(f.namespace()).endMetadata()
        .build()).create();
    return s;
  }

  private StandInServer serve(String address, int port, int status) {
    StandInServer s = StandInServer.answering(address, port, status);
    servers.add(s);
    return s;
  }

  private void create(HasMetadata... objects) {
    for (HasMetadata o : objects) {
      client.resource(o).create();
    }
  }

  private Site site(SiteFixture f, int originPort) {
    return f.site(originPort, INTERVAL_SECONDS, FAILURE_THRESHOLD);
  }

  private void healthy() {
    SiteFixture f = new SiteFixture("demo-healthy", "shop", "shop.example.com");
    Scenario s = scenario(f, "everything answers", Expectation.healthy());
    StandInServer origin = serve("127.0.0.121", 0, 200);
    StandInServer pod = serve("127.0.0.122", 0, 200);
    create(f.ingress(origin.address()), f.service(pod.port()), f.pod(1, pod.address(), pod.port(), true),
        f.endpointSlice(pod.port(), Map.of(pod.address(), true)), f.deployment(1), site(f, origin.port()));
    stepsByName.put("break shop", new Timeline.Step(
        "shop.example.com: the load balancer stops accepting connections", s,
        Expectation.of("521", "ConnectionRefused"), () -> stop(origin)));
    stepsByName.put("fix shop", new Timeline.Step(
        "shop.example.com: the load balancer is back", s, Expectation.healthy(),
        () -> serve(origin.address(), origin.port(), 200)));
  }

  private void originRefusing() {
    SiteFixture f = new SiteFixture("demo-origin-refused", "blog", "blog.example.com");
    Scenario s = scenario(f, "nothing listens on the origin port", Expectation.of("521", "ConnectionRefused"));
    String lb = "127.0.0.123";
    int originPort = StandInServer.unusedPort(lb);
    StandInServer pod = serve("127.0.0.124", 0, 200);
    create(f.ingress(lb), f.service(pod.port()), f.pod(1, pod.address(), pod.port(), true),
        f.endpointSlice(pod.port(), Map.of(pod.address(), true)), f.deployment(1), site(f, originPort));
    stepsByName.put("fix blog", new Timeline.Step(
        "blog.example.com: the load balancer starts listening on the origin port", s, Expectation.healthy(),
        () -> serve(lb, originPort, 200)));
  }

  private void crashLooping() {
    SiteFixture f = new SiteFixture("demo-crashloop", "api", "api.example.com");
    Scenario s = scenario(f, "the only pod is OOM-killed over and over",
        Expectation.of("502", "UpstreamCrashLooping"));
    // The gateway answers 502 because nothing behind it listens: the crashing pod serves no port.
    StandInServer origin = serve("127.0.0.125", 0, 502);
    String podIp = "127.0.0.126";
    int podPort = StandInServer.unusedPort(podIp);
    create(f.ingress(origin.address()), f.service(podPort), f.crashLoopingPod(1, podIp, podPort),
        f.endpointSlice(podPort, Map.of(podIp, false)), f.deployment(1), site(f, origin.port()));
    stepsByName.put("roll back api", new Timeline.Step(
        "api.example.com: roll back to the previous image; the pod starts and passes readiness", s,
        Expectation.healthy(), () -> {
          origin.answer(200);
          awaitFreshOriginProbe();
          serve(podIp, podPort, 200);
          client.pods().inNamespace(f.namespace()).resource(f.pod(1, podIp, podPort, true)).updateStatus();
          client.resource(f.endpointSlice(podPort, Map.of(podIp, true))).update();
        }));
  }

  private void scaledToZero() {
    SiteFixture f = new SiteFixture("demo-scaled-to-zero", "docs", "docs.example.com");
    Scenario s = scenario(f, "its Deployment is scaled to 0 replicas", Expectation.of("503", "ScaledToZero"));
    // An ingress controller answers 503 when a Service has no endpoints.
    StandInServer origin = serve("127.0.0.127", 0, 503);
    String podIp = "127.0.0.128";
    int podPort = StandInServer.unusedPort(podIp);
    create(f.ingress(origin.address()), f.service(podPort), f.endpointSlice(podPort, Map.of()), f.deployment(0),
        site(f, origin.port()));
    stepsByName.put("scale up docs", new Timeline.Step(
        "docs.example.com: scale the Deployment to 1 replica", s, Expectation.healthy(), () -> {
          origin.answer(200);
          awaitFreshOriginProbe();
          serve(podIp, podPort, 200);
          client.resource(f.deployment(1)).update();
          create(f.pod(1, podIp, podPort, true));
          client.resource(f.endpointSlice(podPort, Map.of(podIp, true))).update();
        }));
  }

  private void maintenance() {
    // Not named "status": the mock would read .../sites/status as the status subresource.
    SiteFixture f = new SiteFixture("demo-maintenance", "statuspage", "status.example.com");
    Scenario s = scenario(f, "maintenance is declared in its spec", Expectation.of("503", "MaintenanceMode"));
    StandInServer origin = serve("127.0.0.129", 0, 503);
    origin.answer(503, "600");
    StandInServer pod = serve("127.0.0.130", 0, 200);
    Site site = site(f, origin.port());
    site.getSpec().getMaintenance().setActive(true);
    site.getSpec().getMaintenance().setMessage("planned database upgrade until 14:00 UTC");
    create(f.ingress(origin.address()), f.service(pod.port()), f.pod(1, pod.address(), pod.port(), true),
        f.endpointSlice(pod.port(), Map.of(pod.address(), true)), f.deployment(1), site);
    stepsByName.put("end maintenance", new Timeline.Step(
        "status.example.com: maintenance is over (spec.maintenance.active: false)", s, Expectation.healthy(),
        () -> {
          origin.answer(200);
          // An update (PUT), as kubectl apply would: the mock bumps metadata.generation on PUT, not on PATCH.
          Site current = client.resources(Site.class).inNamespace(f.namespace()).withName(f.name()).get();
          current.getSpec().getMaintenance().setActive(false);
          current.getSpec().getMaintenance().setMessage("");
          client.resource(current).update();
        }));
  }

  private void partialFailure() {
    SiteFixture f = new SiteFixture("demo-partial", "search", "search.example.com");
    Scenario s = scenario(f, "one of its two pods refuses connections",
        Expectation.degraded("PartialUpstreamFailure"));
    StandInServer origin = serve("127.0.0.131", 0, 200);
    StandInServer good = serve("127.0.0.132", 0, 200);
    String badIp = "127.0.0.133";
    int port = good.port();
    Map<String, Boolean> ready = new LinkedHashMap<>();
    ready.put(good.address(), true);
    ready.put(badIp, true);
    create(f.ingress(origin.address()), f.service(port), f.pod(1, good.address(), port, true),
        f.pod(2, badIp, port, true), f.endpointSlice(port, ready), f.deployment(2), site(f, origin.port()));
    stepsByName.put("fix search", new Timeline.Step(
        "search.example.com: the second pod starts listening", s, Expectation.healthy(),
        () -> serve(badIp, port, 200)));
  }

  /** A Gateway API origin: HTTPRoute, Gateway and GatewayClass with statuses as Envoy Gateway writes them. */
  private GatewayApiFixture routedByGateway(SiteFixture f, StandInServer gatewayAddress, String backendNamespace,
      int backendPort) {
    GatewayApiFixture g = new GatewayApiFixture(f);
    create(g.gatewayClass(), g.gateway(gatewayAddress.port()), g.route(backendNamespace, backendPort));
    client.resource(g.gatewayClassStatus(true)).updateStatus();
    client.resource(g.gatewayStatus(gatewayAddress.port(), gatewayAddress.address())).updateStatus();
    client.resource(g.acceptedRouteStatus(g.route(backendNamespace, backendPort))).updateStatus();
    return g;
  }

  private void gatewayApiHealthy() {
    SiteFixture f = new SiteFixture("demo-gateway-api", "www", "www.example.com");
    scenario(f, "an HTTPRoute on a Gateway; everything answers", Expectation.healthy());
    StandInServer gateway = serve("127.0.0.134", 0, 200);
    StandInServer pod = serve("127.0.0.135", 0, 200);
    create(f.service(pod.port()), f.pod(1, pod.address(), pod.port(), true),
        f.endpointSlice(pod.port(), Map.of(pod.address(), true)), f.deployment(1));
    GatewayApiFixture g = routedByGateway(f, gateway, f.namespace(), 80);
    create(g.site(INTERVAL_SECONDS, FAILURE_THRESHOLD));
  }

  private void gatewayApiNotPermitted() {
    SiteFixture f = new SiteFixture("demo-gateway-api-grant", "reports", "reports.example.com");
    Scenario s = scenario(f, "its HTTPRoute sends traffic to another namespace without a ReferenceGrant",
        Expectation.of("502", "BackendNotPermitted"));
    // The backend lives in a shared namespace; the Gateway answers 500 for a backend it may not use.
    SiteFixture shared = new SiteFixture("demo-shared-services", "reports", "reports.example.com");
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(shared.namespace()).endMetadata()
        .build()).create();
    StandInServer gateway = serve("127.0.0.136", 0, 500);
    StandInServer pod = serve("127.0.0.137", 0, 200);
    create(shared.service(pod.port()), shared.pod(1, pod.address(), pod.port(), true),
        shared.endpointSlice(pod.port(), Map.of(pod.address(), true)), shared.deployment(1));
    GatewayApiFixture g = routedByGateway(f, gateway, shared.namespace(), 80);
    create(g.site(INTERVAL_SECONDS, FAILURE_THRESHOLD));
    stepsByName.put("grant reports", new Timeline.Step(
        "reports.example.com: a ReferenceGrant in demo-shared-services admits the route", s, Expectation.healthy(),
        () -> {
          gateway.answer(200);
          awaitFreshOriginProbe();
          create(g.referenceGrant(shared.namespace()));
        }));
  }

  /**
   * Waits one probe interval plus timeout after the gateway changed its answer. Until the next
   * origin probe, the operator still holds the old answer (502 or 503); fixing the pods before
   * that would show a short GatewayReturned502 or Overloaded that is the demo's timing, not news.
   */
  private static void awaitFreshOriginProbe() {
    try {
      Thread.sleep((INTERVAL_SECONDS + 1) * 1000L);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void stop(StandInServer server) {
    servers.remove(server);
    server.close();
  }

  /** Stops every stand-in server. */
  @Override
  public void close() {
    servers.forEach(StandInServer::close);
    servers.clear();
  }
}
