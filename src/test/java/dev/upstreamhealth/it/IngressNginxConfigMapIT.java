package dev.upstreamhealth.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.upstreamhealth.api.Site;
import dev.upstreamhealth.demo.EmbeddedApiServer;
import dev.upstreamhealth.demo.EmbeddedApiServers;
import dev.upstreamhealth.demo.SiteFixture;
import dev.upstreamhealth.demo.SiteFixtures;
import dev.upstreamhealth.gateway.IngressNginx;
import dev.upstreamhealth.gateway.IngressNginxGateway;
import dev.upstreamhealth.loopback.Behaviour;
import dev.upstreamhealth.loopback.LoopbackServer;
import dev.upstreamhealth.runtime.OperatorOptions;
import dev.upstreamhealth.runtime.UpstreamHealthOperator;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * An origin locked to its CDN by ingress-nginx's global allowlist: the controller ConfigMap's
 * whitelist-source-range, and no list on the Ingress. Through the real operator and a real nginx
 * configured as ingress-nginx configures it from the same ConfigMap: a CDN edge stands at
 * 127.0.0.250, and the operator's probes, from elsewhere, get nginx's own 403.
 */
class IngressNginxConfigMapIT {
  static final String NGINX_IP = "127.0.0.14";
  static final String POD_IP = "127.0.0.15";
  static final String CDN_EDGE = "127.0.0.250";
  static final String OTHER_CDN_EDGE = "127.0.0.251";
  /** Where ingress-nginx's chart and manifests put the controller, its Service and its ConfigMap. */
  static final String CONTROLLER_NS = "ingress-nginx";
  static final String CONTROLLER = "ingress-nginx-controller";
  static final String GLOBAL_LIST = "ConfigMap " + CONTROLLER_NS + "/" + CONTROLLER + " whitelist-source-range";

  private final SiteFixture fixture = new SiteFixture("locked", "shop", "shop.example.com");

  /**
   * The operator reads the ConfigMap by default: the probe's 403 is the list refusing it, and the
   * Site is Healthy from its first verdict, with no Warning Event. Once the list leaves the CDN's
   * edge out, that edge's visitors get the 403: the fault, naming the ConfigMap.
   */
  @Test
  void anOriginLockedToItsCdnByTheControllersConfigMapIsHealthyUntilTheListLeavesTheCdnOut() {
    try (OperatorHarness harness = OperatorHarness.start();
        IngressNginxGateway nginx = IngressNginxGateway.start(NGINX_IP);
        LoopbackServer pod = LoopbackServer.http(POD_IP, 0, Behaviour.status(200));
        SiteTimeline timeline = new SiteTimeline(harness.client, fixture.namespace())) {
      world(harness.client, nginx, pod, CDN_EDGE + "/32").forEach(harness::create);
      new EndpointSliceController(harness.client).sync(fixture.namespace(), fixture.serviceName());
      syncGateway(harness.client, nginx);
      assertThat(nginx.getFrom(CDN_EDGE, fixture.host(), "/").status()).as("what the CDN gets").isEqualTo(200);
      assertThat(nginx.get(fixture.host(), "/").status()).as("what any other client gets").isEqualTo(403);
      harness.create(site(nginx.port()));

      Site healthy = harness.awaitSettledHealthy(fixture.namespace(), "shop");
      assertThat(healthy.getStatus().getMessage())
          .contains("answers the probe with 403: " + GLOBAL_LIST + " admits only " + CDN_EDGE + "/32");
      await().during(Duration.ofSeconds(6)).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
          .until(() -> "Healthy".equals(harness.site(fixture.namespace(), "shop").getStatus().getReason()));
      timeline.assertWay("shop", "None/Healthy");

      harness.replace(configMap(OTHER_CDN_EDGE + "/32"));
      syncGateway(harness.client, nginx);
      assertThat(nginx.getFrom(CDN_EDGE, fixture.host(), "/").status()).as("what the CDN gets now").isEqualTo(403);
      Site refused = harness.awaitFault(fixture.namespace(), "shop", "Other", "UnexpectedStatus");
      assertThat(refused.getStatus().getMessage()).contains("answers HTTP 403 (the gateway's own error page)",
          GLOBAL_LIST + " admits only " + OTHER_CDN_EDGE + "/32",
          "leaving out " + CDN_EDGE + "/32 of spec.cdn.sourceRanges");
      timeline.assertWay("shop", "None/Healthy", "Other/UnexpectedStatus");
    }
  }

  /**
   * A ConfigMap the operator may not read (its Role not granted yet) holds up neither start-up nor
   * a verdict: the Site is judged as it was before the operator read ConfigMaps, nginx's 403 taken
   * for what visitors get. Once the read is allowed, the ConfigMap is read and the Site recovers.
   */
  @Test
  void aControllerConfigMapTheOperatorMayNotReadLeavesTheVerdictAsItWasUntilItCanBeRead() {
    AtomicBoolean forbidden = new AtomicBoolean(true);
    FaultInjectingDispatcher dispatcher = new FaultInjectingDispatcher();
    dispatcher.failFor(r -> forbidden.get() && FaultInjectingDispatcher.listOrWatchOf("configmaps").test(r), 403,
        Duration.ofMinutes(10));
    try (EmbeddedApiServer api = EmbeddedApiServers.over(dispatcher);
        IngressNginxGateway nginx = IngressNginxGateway.start(NGINX_IP);
        LoopbackServer pod = LoopbackServer.http(POD_IP, 0, Behaviour.status(200));
        SiteTimeline timeline = new SiteTimeline(api.client(), fixture.namespace())) {
      KubernetesClient client = api.client();
      world(client, nginx, pod, CDN_EDGE + "/32").forEach(o -> client.resource(o).create());
      new EndpointSliceController(client).sync(fixture.namespace(), fixture.serviceName());
      syncGateway(client, nginx);
      client.resource(site(nginx.port())).create();

      Instant starting = Instant.now();
      try (UpstreamHealthOperator operator = UpstreamHealthOperator.start(api.operatorClient(),
          OperatorOptions.defaults().but(b -> {
            b.metricsPort = -1;
            b.probeAllowLoopback = true;
          }))) {
        assertThat(Duration.between(starting, Instant.now())).as("start-up, not waiting for the ConfigMap")
            .isLessThan(Duration.ofSeconds(15));
        Site withoutIt = awaitReason(client, "UnexpectedStatus", OperatorHarness.SETTLE);
        assertThat(withoutIt.getStatus().getMessage()).contains("answers HTTP 403").doesNotContain("ConfigMap");

        forbidden.set(false);
        Site readAtLast = awaitReason(client, "Healthy", Duration.ofSeconds(60));
        assertThat(readAtLast.getStatus().getMessage()).contains("answers the probe with 403: " + GLOBAL_LIST);
        timeline.assertWay("shop", "Other/UnexpectedStatus", "None/Healthy");
      }
    }
  }

  /**
   * A release whose pages carry a larger cookie: the app's response head outgrows the 8k
   * proxy-buffer-size the controller's ConfigMap gives every Ingress, so nginx answers every visitor
   * its own 502 while the app answers each direct probe. The Site shows GatewayReturned502 naming
   * the buffer, the ConfigMap that sets it and the annotation to raise, and nothing else on the way
   * (no upstream fault, one Warning); given 16k by the Ingress's annotation, it is Healthy again.
   */
  @Test
  void aResponseHeadOverTheControllersProxyBufferIsA502NamingTheBuffer() {
    try (OperatorHarness harness = OperatorHarness.start();
        IngressNginxGateway nginx = IngressNginxGateway.start(NGINX_IP);
        LoopbackServer pod = LoopbackServer.http(POD_IP, 0, Behaviour.headOf(6000));
        SiteTimeline timeline = new SiteTimeline(harness.client, fixture.namespace())) {
      world(nginx, pod, configMap(Map.of("proxy-buffer-size", "8k"))).forEach(harness::create);
      new EndpointSliceController(harness.client).sync(fixture.namespace(), fixture.serviceName());
      syncGateway(harness.client, nginx);
      assertThat(nginx.get(fixture.host(), "/").status()).as("a head of 6,000 bytes in 8k").isEqualTo(200);
      harness.create(site(nginx.port()));
      harness.awaitSettledHealthy(fixture.namespace(), "shop");

      pod.behave(Behaviour.headOf(9000));
      assertThat(nginx.get(fixture.host(), "/").status()).as("what visitors get now").isEqualTo(502);
      harness.awaitFault(fixture.namespace(), "shop", "502", "GatewayReturned502");
      // The origin's 502 may count before the endpoint's next probe reads its grown head: the note
      // comes at the latest one probe interval later, with no other verdict between.
      Site site = await().atMost(OperatorHarness.SETTLE).pollInterval(Duration.ofMillis(50))
          .until(() -> harness.site(fixture.namespace(), "shop"), s -> s.getStatus().getMessage().contains("KiB"));
      assertThat(site.getStatus().getReason()).isEqualTo("GatewayReturned502");
      assertThat(site.getStatus().getMessage()).contains("answers HTTP 502 (the gateway's own error page)",
          "upstream endpoints of Service " + fixture.namespace() + "/" + fixture.serviceName()
              + " answer with a response head of up to 12 KiB, over the 8k (8,192 bytes) proxy-buffer-size nginx"
              + " reads it into (ConfigMap " + CONTROLLER_NS + "/" + CONTROLLER + " proxy-buffer-size)",
          "\"upstream sent too big header\"",
          "raise nginx.ingress.kubernetes.io/proxy-buffer-size on Ingress " + fixture.namespace() + "/shop");

      Ingress ingress = harness.client.network().v1().ingresses().inNamespace(fixture.namespace()).withName("shop").get();
      harness.replace(new IngressBuilder(ingress).editMetadata()
          .addToAnnotations("nginx.ingress.kubernetes.io/proxy-buffer-size", "16k").endMetadata().build());
      syncGateway(harness.client, nginx);
      assertThat(nginx.get(fixture.host(), "/").status()).as("what visitors get with 16k").isEqualTo(200);
      harness.awaitFault(fixture.namespace(), "shop", "None", "Healthy");
      timeline.assertWay("shop", "None/Healthy", "502/GatewayReturned502", "None/Healthy");
    }
  }

  /** The controller's ConfigMap, its Service and endpoint, and the shop behind an Ingress with no list of its own. */
  private List<HasMetadata> world(KubernetesClient client, IngressNginxGateway nginx, LoopbackServer pod,
      String allowlist) {
    return world(nginx, pod, configMap(allowlist));
  }

  private List<HasMetadata> world(IngressNginxGateway nginx, LoopbackServer pod, ConfigMap controllerConfigMap) {
    Ingress ingress = fixture.ingress(NGINX_IP);
    assertThat(ingress.getMetadata().getAnnotations()).as("the Ingress's own annotations").isNullOrEmpty();
    return List.of(controllerConfigMap,
        SiteFixtures.gatewayService(CONTROLLER_NS, CONTROLLER, NGINX_IP, nginx.port()),
        SiteFixtures.gatewaySlice(CONTROLLER_NS, CONTROLLER, NGINX_IP, true),
        ingress, fixture.service(pod.port()), fixture.pod(1, POD_IP, pod.port(), true), fixture.deployment(1));
  }

  /** ingress-nginx's ConfigMap as its Helm chart leaves it, with the global allowlist set. */
  private static ConfigMap configMap(String allowlist) {
    return configMap(Map.of("whitelist-source-range", allowlist));
  }

  /** ingress-nginx's ConfigMap as its Helm chart leaves it, with these settings. */
  private static ConfigMap configMap(Map<String, String> settings) {
    return new ConfigMapBuilder()
        .withNewMetadata().withNamespace(CONTROLLER_NS).withName(CONTROLLER)
          .addToLabels("app.kubernetes.io/name", "ingress-nginx").endMetadata()
        .addToData("allow-snippet-annotations", "false")
        .addToData(settings)
        .build();
  }

  /** The Site with its gateway named and the CDN's edge as its source range; probes every 2 s, 3 failures count. */
  private Site site(int port) {
    Site site = fixture.site(port, 2, 3);
    SiteFixtures.useGateway(site, CONTROLLER_NS, CONTROLLER);
    site.getSpec().getCdn().setSourceRanges(List.of(CDN_EDGE + "/32"));
    return site;
  }

  /** Reconfigures nginx as ingress-nginx does from the Ingresses and its ConfigMap. */
  private void syncGateway(KubernetesClient client, IngressNginxGateway nginx) {
    List<Ingress> ingresses = client.network().v1().ingresses().inNamespace(fixture.namespace()).list().getItems();
    nginx.serve(IngressNginx.servers(client, ingresses, CONTROLLER_NS + "/" + CONTROLLER));
  }

  private Site awaitReason(KubernetesClient client, String reason, Duration atMost) {
    return await().atMost(atMost).pollInterval(Duration.ofMillis(50))
        .until(() -> client.resources(Site.class).inNamespace(fixture.namespace()).withName("shop").get(),
            s -> s != null && s.getStatus() != null && reason.equals(s.getStatus().getReason()));
  }
}
