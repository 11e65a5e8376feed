package dev.upstreamhealth.diagnosis;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EndpointCountTest {
  private static EndpointSlice slice(String family, String... podAndAddress) {
    EndpointSliceBuilder b = new EndpointSliceBuilder().withNewMetadata().withName("shop-web-" + family).endMetadata()
        .withAddressType(family);
    for (int i = 0; i < podAndAddress.length; i += 2) {
      b.addToEndpoints(new EndpointBuilder().withAddresses(podAndAddress[i + 1])
          .withNewTargetRef().withKind("Pod").withNamespace("web").withName(podAndAddress[i]).endTargetRef()
          .withNewConditions().withReady(true).endConditions().build());
    }
    return b.build();
  }

  @Test
  void aDualStackServiceCountsEachPodOnce() {
    EndpointCount count = EndpointCount.of(List.of(
        slice("IPv4", "shop-web-1", "10.0.0.11", "shop-web-2", "10.0.0.12"),
        slice("IPv6", "shop-web-1", "fd00::11", "shop-web-2", "fd00::12")), List.of());
    assertThat(count).isEqualTo(new EndpointCount(2, 2));
  }

  /**
   * A rollout that renames the container port the Service's named targetPort points at: the old
   * pods lack the new name, and the EndpointSlice controller puts them in a slice without ports,
   * which gateways skip. Until a new pod is ready nothing can be sent to.
   */
  @Test
  void endpointsInASliceWithoutPortsBesideOneWithThemAreNotCounted() {
    EndpointSlice oldPods = slice("IPv4", "shop-web-old-1", "10.0.0.11", "shop-web-old-2", "10.0.0.12");
    EndpointSlice newPod = new EndpointSliceBuilder().withNewMetadata().withName("shop-web-new").endMetadata()
        .withAddressType("IPv4").addNewPort().withName("http").withPort(8080).endPort()
        .addToEndpoints(new EndpointBuilder().withAddresses("10.0.0.13")
            .withNewTargetRef().withKind("Pod").withNamespace("web").withName("shop-web-new-1").endTargetRef()
            .withNewConditions().withReady(false).endConditions().build())
        .build();

    assertThat(EndpointCount.of(List.of(oldPods, newPod), List.of())).isEqualTo(new EndpointCount(0, 1));
  }

  /** A Service with a metrics port beside the one renamed: the old pods keep a slice with metrics alone. */
  @Test
  void endpointsInASliceWithoutTheServicesPortAreNotCountedThoughItHasOthers() {
    EndpointSlice oldPods = new EndpointSliceBuilder(slice("IPv4", "shop-web-old-1", "10.0.0.11"))
        .addNewPort().withName("metrics").withPort(9090).endPort().build();
    EndpointSlice newPod = new EndpointSliceBuilder(slice("IPv4", "shop-web-new-1", "10.0.0.13"))
        .editMetadata().withName("shop-web-new").endMetadata()
        .addNewPort().withName("http").withPort(8080).endPort().addNewPort().withName("metrics").withPort(9090).endPort()
        .build();

    assertThat(EndpointCount.of(List.of(oldPods, newPod), List.of(), Set.of(), "http"))
        .isEqualTo(new EndpointCount(1, 1));
    assertThat(EndpointCount.of(List.of(oldPods, newPod), List.of(), Set.of(), "metrics"))
        .as("the metrics port's own count").isEqualTo(new EndpointCount(2, 2));
  }

  @Test
  void whereNoSliceHasPortsEveryEndpointStillCounts() {
    assertThat(EndpointCount.of(List.of(slice("IPv4", "shop-web-1", "10.0.0.11")), List.of()))
        .isEqualTo(new EndpointCount(1, 1));
  }

  @Test
  void terminatingEndpointsAreLeftOut() {
    EndpointSlice slice = new EndpointSliceBuilder(slice("IPv4", "shop-web-1", "10.0.0.11"))
        .addToEndpoints(new EndpointBuilder().withAddresses("10.0.0.13")
            .withNewConditions().withReady(false).withTerminating(true).endConditions().build())
        .build();
    assertThat(EndpointCount.of(List.of(slice), List.of())).isEqualTo(new EndpointCount(1, 1));
  }

  /**
   * publishNotReadyAddresses keeps a terminating pod's endpoint ready, and ingress-nginx, which
   * reads ready alone, keeps sending to it through its grace period: a one-replica drain is no
   * outage until the pod is gone.
   */
  @Test
  void aTerminatingEndpointStillMarkedReadyIsStillReady() {
    EndpointSlice slice = new EndpointSliceBuilder().withNewMetadata().withName("shop-web-IPv4").endMetadata()
        .withAddressType("IPv4")
        .addToEndpoints(new EndpointBuilder().withAddresses("10.0.0.11")
            .withNewConditions().withReady(true).withServing(true).withTerminating(true).endConditions().build())
        .build();
    assertThat(EndpointCount.of(List.of(slice), List.of())).isEqualTo(new EndpointCount(1, 1));
  }
}
