package dev.upstreamhealth.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.upstreamhealth.api.Site;
import dev.upstreamhealth.demo.EnvoyDataPlane;
import dev.upstreamhealth.demo.GatewayApiFixture;
import dev.upstreamhealth.demo.SiteFixture;
import dev.upstreamhealth.demo.SiteFixtures;
import dev.upstreamhealth.diagnosis.SpecProblems;
import dev.upstreamhealth.loopback.Behaviour;
import dev.upstreamhealth.loopback.LoopbackServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The examples users copy, each applied to a cluster that has what it points at: its Ingress or
 * HTTPRoute routing its host to a Service with a ready pod, its gateway Service where it names one.
 * Each must come out as the example means it: Healthy, or the fault it is about. Only the
 * address the CDN connects to is moved onto this machine (a loopback server and its port), so
 * the probes reach real sockets and no traffic leaves it; every other field is the example's.
 */
class ExamplesIT {
  /** What each example is about; a new example must say what it should show. */
  static final Map<String, String> MEANT = Map.of(
      "site.yaml", "None/Healthy",
      "site-minimal.yaml", "None/Healthy",
      "site-httproute.yaml", "None/Healthy",
      "site-maintenance.yaml", "503/MaintenanceMode");

  final List<LoopbackServer> servers = new ArrayList<>();

  @AfterEach
  void closeServers() {
    servers.forEach(LoopbackServer::close);
  }

  @Test
  void everyExampleShowsWhatItIsAboutAgainstTheObjectsItNames() throws IOException {
    List<Path> files;
    try (Stream<Path> list = Files.list(Path.of("examples"))) {
      files = list.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
    assertThat(files.stream().map(p -> p.getFileName().toString())).as("examples, each with what it means")
        .containsExactlyInAnyOrderElementsOf(MEANT.keySet());
    try (OperatorHarness harness = OperatorHarness.startWithGatewayApi(List.of());
        SiteTimeline timeline = new SiteTimeline(harness.client, "web")) {
      int address = 170;
      List<Site> examples = new ArrayList<>();
      for (Path file : files) {
        Site site = Serialization.unmarshal(Files.readString(file), Site.class);
        assertThat(SpecProblems.of(site.getSpec())).as(file.toString()).isEmpty();
        assertThat(site.getMetadata().getNamespace()).as(file + " namespace").isEqualTo("web");
        LoopbackServer origin = server("127.0.0." + address, Behaviour.status(200));
        LoopbackServer pod = server("127.0.0." + (address + 1), Behaviour.status(200));
        address += 3;
        if (site.getSpec().getOrigin().getHttpRouteName() != null) {
          routeWorld(harness, site, origin, pod);
        } else {
          ingressWorld(harness, site, origin, pod);
        }
        moveOriginOntoThisMachine(site, origin);
        examples.add(site);
        // The example is applied to an application that already runs: a Site like it shows what
        // it is about once the operator's caches hold the whole world, and only then is it applied.
        Site sameWorld = Serialization.clone(site);
        sameWorld.getMetadata().setName(site.getMetadata().getName() + "-world");
        harness.create(sameWorld);
      }
      for (Path file : files) {
        Site site = Serialization.unmarshal(Files.readString(file), Site.class);
        String[] meant = MEANT.get(file.getFileName().toString()).split("/");
        harness.awaitFault("web", site.getMetadata().getName() + "-world", meant[0], meant[1]);
      }
      examples.forEach(harness::create);

      for (Path file : files) {
        Site site = Serialization.unmarshal(Files.readString(file), Site.class);
        String name = site.getMetadata().getName();
        String[] meant = MEANT.get(file.getFileName().toString()).split("/");
        Site seen = harness.awaitFault("web", name, meant[0], meant[1]);
        if (site.getSpec().getMaintenance() != null && Boolean.TRUE.equals(site.getSpec().getMaintenance().getActive())) {
          assertThat(seen.getStatus().getMessage()).as(file.toString()).contains(site.getSpec().getMaintenance().getMessage());
        } else {
          harness.awaitSettledHealthy("web", name);
        }
        timeline.assertWay(name, meant[0] + "/" + meant[1]);
      }
    }
  }

  private LoopbackServer server(String address, Behaviour behaviour) {
    LoopbackServer s = LoopbackServer.http(address, 0, behaviour);
    servers.add(s);
    return s;
  }

  /** The CDN's origin address, if the example sets one, and the port become the loopback origin's. */
  private static void moveOriginOntoThisMachine(Site site, LoopbackServer origin) {
    if (site.getSpec().getOrigin().getAddress() != null && !site.getSpec().getOrigin().getAddress().isBlank()) {
      site.getSpec().getOrigin().setAddress(origin.address());
    }
    if (site.getSpec().getOrigin().getHttpRouteName() == null) {
      site.getSpec().getOrigin().setPort(origin.port());
    }
  }

  /** The Ingress the Site names, exposed at the origin's address, and a ready pod behind its Service. */
  private static void ingressWorld(OperatorHarness harness, Site site, LoopbackServer origin, LoopbackServer pod) {
    String name = site.getSpec().getOrigin().getIngressName();
    SiteFixture world = new SiteFixture("web", name, site.getSpec().getHost());
    harness.create(world.ingress(origin.address()), world.service(pod.port()), world.pod(1, pod.address(), pod.port(), true),
        world.deployment(1));
    new EndpointSliceController(harness.client).sync(world.namespace(), world.serviceName());
    if (site.getSpec().getGateway() != null) {
      // The ingress controller's Service: its cluster IP answers as the load balancer does, one pod ready
      // (a slice written by hand: the controller's pods are not part of this world).
      String namespace = site.getSpec().getGateway().getServiceNamespace();
      String service = site.getSpec().getGateway().getServiceName();
      harness.create(SiteFixtures.gatewayService(namespace, service, origin.address(), origin.port()),
          SiteFixtures.gatewaySlice(namespace, service, origin.address(), true));
    }
  }

  /** The HTTPRoute the Site names, accepted by a Programmed Gateway at the origin's address, a ready pod behind it. */
  private static void routeWorld(OperatorHarness harness, Site site, LoopbackServer origin, LoopbackServer pod) {
    SiteFixture world = new SiteFixture("web", site.getSpec().getOrigin().getHttpRouteName(), site.getSpec().getHost());
    GatewayApiFixture gateway = new GatewayApiFixture(world);
    harness.create(world.service(pod.port()), world.pod(1, pod.address(), pod.port(), true), world.deployment(1));
    new EndpointSliceController(harness.client).sync(world.namespace(), world.serviceName());
    harness.create(gateway.gatewayClass(), gateway.gateway(origin.port()), gateway.route(),
        new EnvoyDataPlane(world, gateway).service(origin.address(), origin.port()),
        new EnvoyDataPlane(world, gateway).slice(origin.address(), origin.port(), true));
    harness.writeStatus(gateway.gatewayClassStatus(true));
    harness.writeStatus(gateway.gatewayStatus(origin.port(), origin.address()));
    harness.writeStatus(gateway.acceptedRouteStatus(gateway.route()));
  }
}
