package dev.upstreamhealth.diagnosis;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** "Admits none of the CDN's ranges" is the fault: a range let in in part is not one. */
class NetworkPolicyAdmissionTest {
  static final Pod GATEWAY = new PodBuilder().withNewMetadata().withName("controller-1")
      .withLabels(Map.of("app", "ingress")).endMetadata().build();
  static final List<Cidr> CDN = List.of(Cidr.parse("173.245.48.0/20"));
  static final NetworkPolicyAdmission.PodPort HTTPS = new NetworkPolicyAdmission.PodPort(443, null);

  private static NetworkPolicy allowing(String cidr, String... except) {
    return new NetworkPolicyBuilder().withNewMetadata().withNamespace("ingress-nginx").withName("cdn-only").endMetadata()
        .withNewSpec().withNewPodSelector().withMatchLabels(Map.of("app", "ingress")).endPodSelector()
          .addNewIngress().withFrom(new NetworkPolicyPeerBuilder().withNewIpBlock().withCidr(cidr).withExcept(except)
              .endIpBlock().build()).endIngress()
        .endSpec().build();
  }

  @Test
  void aRangeSplitOverTwoBlocksIsAdmitted() {
    assertThat(NetworkPolicyAdmission.blocked(List.of(allowing("173.245.48.0/21"), allowing("173.245.56.0/21")),
        List.of(GATEWAY), CDN, HTTPS)).isEmpty();
  }

  @Test
  void aRangeWithOneAddressCarvedOutIsAdmitted() {
    assertThat(NetworkPolicyAdmission.blocked(List.of(allowing("173.245.48.0/20", "173.245.48.7/32")),
        List.of(GATEWAY), CDN, HTTPS)).isEmpty();
  }

  @Test
  void aRangeWhollyCarvedOutOrElsewhereIsBlocked() {
    assertThat(NetworkPolicyAdmission.blocked(List.of(allowing("173.245.0.0/16", "173.245.48.0/20")),
        List.of(GATEWAY), CDN, HTTPS)).hasValueSatisfying(m -> assertThat(m).contains("ingress-nginx/cdn-only"));
    assertThat(NetworkPolicyAdmission.blocked(List.of(allowing("10.0.0.0/8")), List.of(GATEWAY), CDN, HTTPS))
        .isPresent();
  }

  /** A gateway pod on the node's network takes the CDN's connections whatever the policies say. */
  @Test
  void aPodOnTheNodesNetworkIsNotIsolatedAndKeepsTheCdnIn() {
    Pod onNodes = new PodBuilder(GATEWAY).withNewSpec().withHostNetwork(true).endSpec().build();

    assertThat(NetworkPolicyAdmission.isolating(List.of(allowing("10.0.0.0/8")), List.of(onNodes))).isEmpty();
    assertThat(NetworkPolicyAdmission.blocked(List.of(allowing("10.0.0.0/8")), List.of(GATEWAY, onNodes), CDN, HTTPS))
        .as("one pod the CDN reaches is no block").isEmpty();
    assertThat(NetworkPolicyAdmission.isolating(List.of(allowing("10.0.0.0/8")), List.of(GATEWAY, onNodes)))
        .as("the policy still isolates the pod of its own network").hasSize(1);
  }

  @Test
  void aNamedContainerPortWithoutANumberNamesNothingAndDoesNotHideANumberedOne() {
    Pod unnumbered = new PodBuilder().withNewSpec().addNewContainer().withName("app")
        .addNewPort().withName("https").endPort().endContainer().endSpec().build();
    Pod numbered = new PodBuilder().withNewSpec().addNewContainer().withName("app")
        .addNewPort().withName("https").withContainerPort(8443).endPort().endContainer().endSpec().build();

    assertThat(NetworkPolicyAdmission.containerPortNumber(List.of(unnumbered), "https")).isNull();
    assertThat(NetworkPolicyAdmission.containerPortNumber(List.of(unnumbered, numbered), "https")).isEqualTo(8443);
  }
}
