package dev.upstreamhealth.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.upstreamhealth.api.Site;
import dev.upstreamhealth.demo.EmbeddedApiServer;
import dev.upstreamhealth.demo.EmbeddedApiServers;
import dev.upstreamhealth.demo.EnvoyDataPlane;
import dev.upstreamhealth.demo.GatewayApiFixture;
import dev.upstreamhealth.demo.ListenerSetFixture;
import dev.upstreamhealth.demo.SiteFixture;
import dev.upstreamhealth.gatewayapi.ListenerSet;
import dev.upstreamhealth.loopback.Behaviour;
import dev.upstreamhealth.loopback.LoopbackServer;
import dev.upstreamhealth.runtime.OperatorOptions;
import dev.upstreamhealth.runtime.UpstreamHealthOperator;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A restart of the operator while its ListenerSet cache cannot be filled (the role not granting
 * listenersets yet): an HTTPRoute Site attached through a ListenerSet keeps the fault its status
 * stored, rather than showing "caches not synced" over it, which would clear its alert.
 */
class ListenerSetRestartIT {
  static final String LB = "127.0.0.160";
  static final String POD = "127.0.0.161";
  static final Duration FORBIDDEN_FOR = Duration.ofSeconds(12);
  /** Several probe intervals (2 s) once the cache fills: every probe of the new process concludes. */
  static final Duration AFTER_THE_CACHE_FILLS = Duration.ofSeconds(8);

  @Test
  void aStoredFaultStandsWhileTheListenerSetCacheCannotBeFilled() throws Exception {
    FaultInjectingDispatcher dispatcher = new FaultInjectingDispatcher();
    try (EmbeddedApiServer api = EmbeddedApiServers.over(dispatcher);
        LoopbackServer gatewayListener = LoopbackServer.http(LB, 0, Behaviour.status(200));
        LoopbackServer pod = LoopbackServer.http(POD, 0, Behaviour.status(200))) {
      api.installGatewayApi();
      KubernetesClient client = api.client();
      SiteFixture shop = new SiteFixture("lset", "shop", "shop.example.com");
      GatewayApiFixture gateway = new GatewayApiFixture(shop);
      EnvoyDataPlane dataPlane = new EnvoyDataPlane(shop, gateway);
      ListenerSetFixture sets = new ListenerSetFixture(shop, gateway);
      int setPort;
      try (LoopbackServer setListener = LoopbackServer.http(LB, 0, Behaviour.status(200))) {
        setPort = setListener.port();
        for (var o : new io.fabric8.kubernetes.api.model.HasMetadata[] {shop.service(pod.port()),
            shop.pod(1, POD, pod.port(), true), shop.deployment(1), gateway.gatewayClass(),
            gateway.gateway(gatewayListener.port()), dataPlane.service(LB, gatewayListener.port()),
            dataPlane.slice(LB, gatewayListener.port(), true), sets.listenerSet(setPort)}) {
          client.resource(o).create();
        }
        new EndpointSliceController(client).sync(shop.namespace(), shop.serviceName());
        client.resource(gateway.gatewayClassStatus(true)).updateStatus();
        client.resource(gateway.gatewayStatus(gatewayListener.port(), LB)).updateStatus();
        client.resource(ListenerSetFixture.withAccepted(client.resources(ListenerSet.class)
            .inNamespace(shop.namespace()).withName(ListenerSetFixture.NAME).get(), "True", "Accepted", "attached"))
            .updateStatus();
        HTTPRoute route = sets.route();
        client.resource(route).create();
        client.resource(sets.acceptedRouteStatus(route)).updateStatus();
        client.resource(gateway.site(2, 1)).create();

        UpstreamHealthOperator first = UpstreamHealthOperator.start(client, options());
        try {
          await().atMost(Duration.ofSeconds(30)).until(() -> reason(client), "Healthy"::equals);
          assertThat(port(client)).as("probed on the set's listener").isEqualTo(setPort);
        } catch (RuntimeException | AssertionError e) {
          first.close();
          throw e;
        }
        // The data plane stops answering on the team's port: the origin and the gateway's Service
        // there refuse, a 521 the probes find and store.
        setListener.close();
        try {
          await().atMost(Duration.ofSeconds(30)).until(() -> reason(client), "GatewayDown"::equals);
        } finally {
          first.close();
        }
      }

      try (SiteTimeline timeline = new SiteTimeline(client, shop.namespace())) {
        long warningsBefore = timeline.warnings().size();
        // The new process may not list ListenerSets for a while, as while its role is being applied.
        dispatcher.failFor(FaultInjectingDispatcher.listOrWatchOf("listenersets"), 403, FORBIDDEN_FOR);
        UpstreamHealthOperator second = UpstreamHealthOperator.start(client, options());
        try {
          // While the cache cannot be filled, and after: the new process's origin probe concludes
          // before its gateway probe, and on its own says ConnectionRefused, the symptom of the
          // stored cause. The cause stands until the gateway probe concludes too.
          await().during(FORBIDDEN_FOR.plus(AFTER_THE_CACHE_FILLS)).atMost(FORBIDDEN_FOR.plus(AFTER_THE_CACHE_FILLS).plusSeconds(4))
              .untilAsserted(() -> assertThat(reason(client)).as(message(client)).isEqualTo("GatewayDown"));
          assertThat(timeline.verdictsSeen()).as("what the Site showed all the while")
              .containsOnly("521/GatewayDown");
          assertThat(timeline.warnings()).as("no Warning again for the fault announced before").hasSize((int) warningsBefore);
          assertThat(dispatcher.injected()).as("the API server did refuse").isPositive();
        } finally {
          second.close();
        }
      }
    }
  }

  private static OperatorOptions options() {
    return OperatorOptions.defaults().but(b -> {
      b.metricsPort = -1;
      b.probeAllowLoopback = true;
    });
  }

  private static String reason(KubernetesClient client) {
    Site site = client.resources(Site.class).inNamespace("lset").withName("shop").get();
    return site == null || site.getStatus() == null ? null : site.getStatus().getReason();
  }

  private static String message(KubernetesClient client) {
    Site site = client.resources(Site.class).inNamespace("lset").withName("shop").get();
    return site == null || site.getStatus() == null ? "(no status)" : site.getStatus().getMessage();
  }

  private static Integer port(KubernetesClient client) {
    Site site = client.resources(Site.class).inNamespace("lset").withName("shop").get();
    return site.getStatus().getOrigin() == null ? null : site.getStatus().getOrigin().getPort();
  }
}
