package dev.upstreamhealth.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.upstreamhealth.demo.SiteFixture;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;

/** Cached pods share one copy of the texts that repeat from pod to pod, and lose what nothing reads. */
class SharedStringsTest {
  private final TrimmedItemStore<Pod> pods = new TrimmedItemStore<>();

  /** Through JSON, as an informer gets them: each pod with its own String instances. */
  private Pod fromTheWire(Pod pod) {
    return Serialization.unmarshal(Serialization.asJson(pod), Pod.class);
  }

  @Test
  void twoPodsShareTheirRepeatedTextsButKeepTheirOwnValues() {
    SiteFixture shop = new SiteFixture("web", "shop", "shop.example.com");
    Pod a = fromTheWire(new PodBuilder(shop.pod(1, "10.0.0.7", 8080, true)).editStatus().withHostIP("192.168.1.1")
        .withStartTime("2024-05-01T10:00:00Z").endStatus().build());
    Pod b = fromTheWire(shop.crashLoopingPod(2, "10.0.0.8", 8080));
    assertThat(a.getMetadata().getNamespace()).isNotSameAs(b.getMetadata().getNamespace());

    pods.put(pods.getKey(a), a);
    pods.put(pods.getKey(b), b);
    Pod ca = pods.get("web/shop-web-1");
    Pod cb = pods.get("web/shop-web-2");

    assertThat(ca.getMetadata().getNamespace()).isEqualTo("web").isSameAs(cb.getMetadata().getNamespace());
    assertThat(ca.getMetadata().getLabels().get("app")).isSameAs(cb.getMetadata().getLabels().get("app"));
    assertThat(ca.getStatus().getPhase()).isSameAs(cb.getStatus().getPhase());
    assertThat(ca.getStatus().getConditions().get(0).getType()).isSameAs(cb.getStatus().getConditions().get(0).getType());
    assertThat(ca.getSpec().getContainers().get(0).getName()).isSameAs(cb.getSpec().getContainers().get(0).getName());
    // What the diagnosis reads stays, per pod.
    assertThat(ca.getStatus().getPodIP()).isEqualTo("10.0.0.7");
    assertThat(cb.getStatus().getPodIP()).isEqualTo("10.0.0.8");
    assertThat(ca.getStatus().getConditions().get(0).getStatus()).isEqualTo("True");
    assertThat(cb.getStatus().getConditions().get(0).getStatus()).isEqualTo("False");
    assertThat(cb.getStatus().getContainerStatuses().get(0).getState().getWaiting().getReason()).isEqualTo("CrashLoopBackOff");
    assertThat(cb.getStatus().getContainerStatuses().get(0).getLastState().getTerminated().getReason()).isEqualTo("OOMKilled");
    assertThat(cb.getStatus().getContainerStatuses().get(0).getRestartCount()).isEqualTo(7);
    // What nothing reads is gone.
    assertThat(ca.getStatus().getHostIP()).isNull();
    assertThat(ca.getStatus().getStartTime()).isNull();
    assertThat(ca.getStatus().getAdditionalProperties()).isEmpty();
    assertThat(ca.getStatus().getAdditionalProperties()).isSameAs(cb.getMetadata().getAdditionalProperties());
    // Empty lists are one shared list too; the ones with content are untouched.
    assertThat(ca.getSpec().getVolumes()).isEmpty();
    assertThat(ca.getSpec().getVolumes()).isSameAs(cb.getMetadata().getFinalizers());
    assertThat(cb.getStatus().getContainerStatuses()).hasSize(1);
  }

  @Test
  void anEndpointSliceKeepsItsEndpointsButSharesItsEmptyParts() {
    TrimmedItemStore<io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice> slices = new TrimmedItemStore<>();
    var slice = Serialization.unmarshal(Serialization.asJson(new SiteFixture("web", "shop", "shop.example.com")
        .endpointSlice(8080, java.util.Map.of("10.0.0.7", true))), io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice.class);
    slices.put(slices.getKey(slice), slice);
    var cached = slices.get("web/shop-web-abc12");
    assertThat(cached.getEndpoints()).singleElement().satisfies(e -> {
      assertThat(e.getAddresses()).containsExactly("10.0.0.7");
      assertThat(e.getConditions().getReady()).isTrue();
      assertThat(e.getAdditionalProperties()).isSameAs(java.util.Collections.emptyMap());
    });
    assertThat(cached.getMetadata().getLabels()).containsEntry("kubernetes.io/service-name", "shop-web");
  }

  @Test
  void theSharedPoolIsBoundedAndThenLeavesValuesAlone() {
    String unique = new String("value-that-is-not-shared-" + System.nanoTime());
    String shared = SharedStrings.of(unique);
    assertThat(shared).isEqualTo(unique);
    assertThat(SharedStrings.of(new String(unique))).isSameAs(shared);
    assertThat(SharedStrings.of(null)).isNull();
  }
}
