package dev.upstreamhealth.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.upstreamhealth.api.Site;
import dev.upstreamhealth.demo.SiteFixture;
import dev.upstreamhealth.diagnosis.Backend;
import dev.upstreamhealth.diagnosis.BackendRef;
import dev.upstreamhealth.diagnosis.GatewayState;
import dev.upstreamhealth.diagnosis.Snapshot;
import dev.upstreamhealth.diagnosis.Workloads;
import dev.upstreamhealth.probe.ProbeFindings;
import dev.upstreamhealth.probe.ProbeLayer;
import dev.upstreamhealth.probe.ProbeTarget;
import dev.upstreamhealth.probe.Scheme;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What gets probed for a Site: the origin as the CDN sees it, the gateway, ready endpoints. */
class ProbePlanningTest {
  final SiteFixture shop = new SiteFixture("web", "shop", "shop.example.com");

  private Snapshot snapshot(Site site, Ingress ingress, EndpointSlice slice, GatewayState gateway) {
    Backend backend = new Backend(new BackendRef("web", "shop-web", 80, null), shop.service(8080), List.of(slice),
        List.of(), Workloads.NONE);
    return new Snapshot("web", "shop", site.getSpec(), ingress, List.of(backend), gateway, ProbeFindings.NONE);
  }

  private ProbePlanning.Planned plan(Snapshot s) {
    return ProbePlanning.plan(s, ProbeAddressPolicy.defaults());
  }

  @Test
  void originGatewayAndReadyEndpointsAreProbedWithTheSitesHost() {
    Site site = shop.site(0, 30, 3);
    SiteFixture.useGateway(site, "ingress-nginx", "ingress-nginx-controller");
    GatewayState gateway = new GatewayState("ingress-nginx", "ingress-nginx-controller",
        SiteFixture.gatewayService("ingress-nginx", "ingress-nginx-controller", "10.96.0.20", 80),
        List.of(), List.of(), List.of());
    Map<String, Boolean> ready = new LinkedHashMap<>();
    ready.put("10.0.0.11", true);
    ready.put("10.0.0.12", false);
    var planned = plan(snapshot(site, shop.ingress("203.0.113.7"), shop.endpointSlice(8080, ready), gateway));

    assertThat(planned.plan().targets()).extracting(ProbeTarget::layer, ProbeTarget::address, ProbeTarget::port)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(ProbeLayer.ORIGIN, "203.0.113.7", 80),
            org.assertj.core.groups.Tuple.tuple(ProbeLayer.GATEWAY, "10.96.0.20", 80),
            org.assertj.core.groups.Tuple.tuple(ProbeLayer.UPSTREAM, "10.0.0.11", 8080));
    assertThat(planned.plan().targets()).allSatisfy(t -> assertThat(t.host()).isEqualTo("shop.example.com"));
    assertThat(planned.plan().failureThreshold()).isEqualTo(3);
  }

  @Test
  void tlsForTheHostMeansHttpsOn443() {
    Ingress tls = new IngressBuilder(shop.ingress("203.0.113.7")).editSpec()
        .addNewTl().withHosts("shop.example.com").withSecretName("shop-tls").endTl().endSpec().build();
    var planned = plan(snapshot(shop.site(0, 30, 3), tls, shop.endpointSlice(8080, Map.of()), null));
    ProbeTarget origin = planned.plan().targets().get(0);
    assertThat(origin.scheme()).isEqualTo(Scheme.HTTPS);
    assertThat(origin.port()).isEqualTo(443);
  }

  @Test
  void aServiceWithThousandsOfEndpointsCostsAtMostFiftyProbes() {
    Map<String, Boolean> many = new LinkedHashMap<>();
    for (int i = 0; i < 3000; i++) {
      many.put("10.1." + (i / 250) + "." + (i % 250), true);
    }
    var planned = plan(snapshot(shop.site(0, 30, 3), shop.ingress("203.0.113.7"), shop.endpointSlice(8080, many), null));
    List<ProbeTarget> upstreams = planned.plan().targets().stream().filter(t -> t.layer() == ProbeLayer.UPSTREAM).toList();
    assertThat(upstreams).hasSize(ProbePlanning.MAX_UPSTREAM_TARGETS_PER_SERVICE);
    var again = plan(snapshot(shop.site(0, 30, 3), shop.ingress("203.0.113.7"), shop.endpointSlice(8080, many), null));
    assertThat(again.plan().targets()).as("the same sample each time, so probe history is kept")
        .isEqualTo(planned.plan().targets());
  }

  @Test
  void backendsThatSpeakTlsOrGrpcAreNotProbedDirectly() {
    var https = new io.fabric8.kubernetes.api.model.ServicePortBuilder().withName("https").withPort(443).build();
    var grpc = new io.fabric8.kubernetes.api.model.ServicePortBuilder().withName("api").withAppProtocol("grpc").withPort(80).build();
    var web = new io.fabric8.kubernetes.api.model.ServicePortBuilder().withName("http").withPort(80).build();
    var unnamed = new io.fabric8.kubernetes.api.model.ServicePortBuilder().withPort(8080).build();
    assertThat(ProbePlanning.speaksPlainHttp(https)).isFalse();
    assertThat(ProbePlanning.speaksPlainHttp(grpc)).isFalse();
    assertThat(ProbePlanning.speaksPlainHttp(web)).isTrue();
    assertThat(ProbePlanning.speaksPlainHttp(unnamed)).isTrue();
  }

  @Test
  void aMetadataOriginIsRefusedNotProbed() {
    var planned = plan(snapshot(shop.site(0, 30, 3), shop.ingress("169.254.169.254"),
        shop.endpointSlice(8080, Map.of()), null));
    assertThat(planned.plan().targets()).noneMatch(t -> t.layer() == ProbeLayer.ORIGIN);
    assertThat(planned.refused()).extracting(ProbeTarget::address).containsExactly("169.254.169.254");
  }
}
