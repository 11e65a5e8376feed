package dev.upstreamhealth.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.upstreamhealth.api.Site;
import dev.upstreamhealth.demo.SiteFixture;
import dev.upstreamhealth.demo.SiteFixtures;
import dev.upstreamhealth.loopback.Behaviour;
import dev.upstreamhealth.loopback.LoopbackServer;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a hand-edited Site can carry when no schema checks it (the mock API server applies none):
 * a bad value is an answer naming the field, and fields from a newer version stop nothing.
 */
class BadSpecIT {
  OperatorHarness harness;
  LoopbackServer origin;
  LoopbackServer pod;

  @BeforeEach
  void start() {
    harness = OperatorHarness.start();
    origin = LoopbackServer.http("127.0.0.110", 0, Behaviour.status(200));
    pod = LoopbackServer.http("127.0.0.111", 0, Behaviour.status(200));
  }

  @AfterEach
  void stop() {
    harness.close();
    origin.close();
    pod.close();
  }

  @Test
  void aProbePathWithASpaceIsInvalidSpecAtOnceAndIsNeverProbed() {
    SiteFixture shop = new SiteFixture("web", "shop", "shop.example.com");
    for (var o : SiteFixtures.healthyWorld(shop, "127.0.0.110", origin.port(), "127.0.0.111", pod.port())) {
      if (o instanceof Site site) {
        site.getSpec().getProbe().setPath("/health check");
      }
      harness.create(o);
    }
    Site site = harness.awaitFault("web", "shop", "Unknown", "InvalidSpec");
    assertThat(site.getStatus().getMessage()).contains("spec.probe.path \"/health check\"", "a space", "%20");
    // Three probe intervals (2 s) of the spec: still InvalidSpec, and nothing was probed.
    await().during(Duration.ofSeconds(6)).atMost(Duration.ofSeconds(20))
        .until(() -> "InvalidSpec".equals(harness.site("web", "shop").getStatus().getReason()));
    assertThat(origin.requests() + pod.requests()).as("requests sent with a path no gateway accepts").isZero();
    assertThat(harness.events("web", "shop")).extracting(e -> e.getReason()).containsExactly("InvalidSpec");
  }

  @Test
  void aSiteWithFieldsFromANewerVersionIsReconciledAndSoAreTheOthers() {
    SiteFixture shop = new SiteFixture("web", "shop", "shop.example.com");
    SiteFixture blog = new SiteFixture("web", "blog", "blog.example.com");
    LoopbackServer blogOrigin = LoopbackServer.http("127.0.0.112", 0, Behaviour.status(200));
    try {
      for (var o : SiteFixtures.healthyWorld(shop, "127.0.0.110", origin.port(), "127.0.0.111", pod.port())) {
        if (o instanceof Site site) {
          harness.client.resource(newerVersionOf(site)).create();
        } else {
          harness.create(o);
        }
      }
      SiteFixtures.healthyWorld(blog, "127.0.0.112", blogOrigin.port(), "127.0.0.111", pod.port()).forEach(harness::create);

      harness.awaitSettledHealthy("web", "shop");
      harness.awaitSettledHealthy("web", "blog");
      GenericKubernetesResource stored = harness.client.genericKubernetesResources("upstreamhealth.dev/v1alpha1", "Site")
          .inNamespace("web").withName("shop").get();
      assertThat(stored.getAdditionalProperties().get("spec").toString())
          .as("the newer fields are still there: the operator writes only status").contains("retries", "canary");
    } finally {
      blogOrigin.close();
    }
  }

  /**
   * A value of the wrong type (no schema turned it away) in one Site: that Site says which field,
   * and the others, before and after it, are judged as ever. Before, the Site informer could not
   * decode it and stopped, and the operator with it.
   */
  @Test
  void aValueOfTheWrongTypeIsInvalidSpecNamingTheFieldAndStopsNothingElse() {
    SiteFixture shop = new SiteFixture("web", "shop", "shop.example.com");
    SiteFixture blog = new SiteFixture("web", "blog", "blog.example.com");
    SiteFixture news = new SiteFixture("web", "news", "news.example.com");
    LoopbackServer blogOrigin = LoopbackServer.http("127.0.0.112", 0, Behaviour.status(200));
    LoopbackServer newsOrigin = LoopbackServer.http("127.0.0.113", 0, Behaviour.status(200));
    try {
      SiteFixtures.healthyWorld(blog, "127.0.0.112", blogOrigin.port(), "127.0.0.111", pod.port()).forEach(harness::create);
      harness.awaitSettledHealthy("web", "blog");
      for (var o : SiteFixtures.healthyWorld(shop, "127.0.0.110", origin.port(), "127.0.0.111", pod.port())) {
        if (o instanceof Site site) {
          harness.client.resource(withIntervalOf(site, "thirty")).create();
        } else {
          harness.create(o);
        }
      }

      // Read as stored: a client of the model alone cannot decode this Site either.
      await().atMost(Duration.ofSeconds(20)).until(() -> "InvalidSpec".equals(storedStatus("shop").get("reason")));
      assertThat(storedStatus("shop").get("message").toString())
          .contains("spec.probe.intervalSeconds is \"thirty\", not an integer");
      assertThat(harness.events("web", "shop")).extracting(e -> e.getReason()).containsExactly("InvalidSpec");

      SiteFixtures.healthyWorld(news, "127.0.0.113", newsOrigin.port(), "127.0.0.111", pod.port()).forEach(harness::create);
      harness.awaitSettledHealthy("web", "news");
      assertThat(harness.site("web", "blog").getStatus().getReason()).isEqualTo("Healthy");
      assertThat(origin.requests()).as("the unreadable Site's origin is never probed").isZero();
    } finally {
      blogOrigin.close();
      newsOrigin.close();
    }
  }

  private Map<?, ?> storedStatus(String name) {
    Object status = harness.client.genericKubernetesResources("upstreamhealth.dev/v1alpha1", "Site")
        .inNamespace("web").withName(name).get().getAdditionalProperties().get("status");
    return status instanceof Map<?, ?> map ? map : Map.of();
  }

  private static GenericKubernetesResource withIntervalOf(Site site, Object interval) {
    GenericKubernetesResource generic = Serialization.unmarshal(Serialization.asJson(site), GenericKubernetesResource.class);
    @SuppressWarnings("unchecked")
    Map<String, Object> spec = (Map<String, Object>) generic.getAdditionalProperties().get("spec");
    @SuppressWarnings("unchecked")
    Map<String, Object> probe = (Map<String, Object>) spec.get("probe");
    probe.put("intervalSeconds", interval);
    return generic;
  }

  /** The Site as a newer operator version would write it: fields this version does not know, at several depths. */
  private static GenericKubernetesResource newerVersionOf(Site site) {
    GenericKubernetesResource generic = Serialization.unmarshal(Serialization.asJson(site), GenericKubernetesResource.class);
    @SuppressWarnings("unchecked")
    Map<String, Object> spec = (Map<String, Object>) generic.getAdditionalProperties().get("spec");
    spec.put("canary", Map.of("weight", 10, "host", "canary.shop.example.com"));
    @SuppressWarnings("unchecked")
    Map<String, Object> probe = (Map<String, Object>) spec.get("probe");
    probe.put("retries", 2);
    probe.put("method", "HEAD");
    return generic;
  }
}
