package dev.upstreamhealth.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.upstreamhealth.diagnosis.Cidr;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ProbeAddressPolicyTest {
  @Test
  void metadataLinkLocalLoopbackAndTheApiServerAreRefusedByDefaultAndTheRuleIsNamed() throws Exception {
    ProbeAddressPolicy policy = ProbeAddressPolicy.of(List.of(), List.of(), List.of("10.96.0.1", "172.18.0.2"), false);
    assertThat(policy.refusal(InetAddress.getByName("169.254.169.254"))).contains("a cloud metadata address (169.254.169.254)");
    assertThat(policy.refusal(InetAddress.getByName("fd00:ec2::254"))).contains("a cloud metadata address (fd00:ec2::254)");
    assertThat(policy.refusal(InetAddress.getByName("100.100.100.200"))).contains("a cloud metadata address (100.100.100.200)");
    assertThat(policy.refusal(InetAddress.getByName("168.63.129.16"))).contains("a cloud metadata address (168.63.129.16)");
    assertThat(policy.refusal(InetAddress.getByName("169.254.10.5"))).contains("link-local (169.254.0.0/16)");
    assertThat(policy.refusal(InetAddress.getByName("fe80::1"))).contains("link-local (fe80::/10)");
    assertThat(policy.refusal(InetAddress.getByName("127.0.0.30")).orElseThrow()).startsWith("loopback (127.0.0.0/8)")
        .contains("--probe-allow-loopback");
    assertThat(policy.refusal(InetAddress.getByName("::1")).orElseThrow()).startsWith("loopback (::1)");
    assertThat(policy.refusal(InetAddress.getByName("10.96.0.1"))).contains("the Kubernetes API server (10.96.0.1)");
    assertThat(policy.refusal(InetAddress.getByName("172.18.0.2"))).as("an API server endpoint").contains("the Kubernetes API server (172.18.0.2)");
    assertThat(policy.refusal(InetAddress.getByName("203.0.113.7"))).isEmpty();
    assertThat(policy.refusal(InetAddress.getByName("10.96.0.2"))).isEmpty();
  }

  /**
   * A single-node k3s (or minikube) cluster: the node is the API server's endpoint and its
   * ServiceLB's load-balancer address too. The origin on 443 is probed; the API server's port and
   * the node's etcd and kubelet ports stay out of reach, and the Service IP on every port.
   */
  @Test
  void aControlPlaneNodeIsRefusedOnItsControlPlanePortsOnly() throws Exception {
    ProbeAddressPolicy policy = ProbeAddressPolicy.of(List.of(), List.of(), List.of("10.43.0.1"),
        Map.of("192.168.1.10", Set.of(6443), "192.168.1.11", Set.of()), false);
    InetAddress node = InetAddress.getByName("192.168.1.10");

    assertThat(policy.refusal(node, 443)).as("the origin behind ServiceLB").isEmpty();
    assertThat(policy.refusal(node, 80)).isEmpty();
    assertThat(policy.refusal(node, 6443)).hasValueSatisfying(m -> assertThat(m)
        .contains("a Kubernetes control-plane address (192.168.1.10, the API server's port 6443)"));
    assertThat(policy.refusal(node, 10250)).as("the kubelet").isPresent();
    assertThat(policy.refusal(node, 2379)).as("etcd").isPresent();
    assertThat(policy.refusal(node)).as("a port not known").isPresent();
    assertThat(policy.refusal(InetAddress.getByName("10.43.0.1"), 443)).as("the Service IP, any port")
        .contains("the Kubernetes API server (10.43.0.1)");
    assertThat(policy.refusal(InetAddress.getByName("192.168.1.11"), 443)).as("an endpoint of no known port")
        .contains("the Kubernetes API server (192.168.1.11)");
  }

  @Test
  void namesAreJudgedByWhatTheyResolveTo() throws Exception {
    ProbeAddressPolicy policy = ProbeAddressPolicy.of(List.of(Cidr.parse("10.0.0.0/8")), List.of(), List.of(), false);
    assertThat(policy.refusal(InetAddress.getByName("10.1.2.3"))).isEmpty();
    assertThat(policy.refusal(InetAddress.getByName("203.0.113.7"))).contains("outside --probe-allow-cidrs (10.0.0.0/8)");
    assertThat(policy.refusal(InetAddress.getByName("::ffff:169.254.169.254")))
        .as("an IPv4-mapped metadata address is the metadata address").contains("a cloud metadata address (169.254.169.254)");
    byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, (byte) 169, (byte) 254, (byte) 169, (byte) 254};
    assertThat(policy.refusal(Inet6Address.getByAddress(null, mapped, -1)))
        .as("so is one a resolver answers as 16 bytes").contains("a cloud metadata address (169.254.169.254)");
  }

  @Test
  void anAllowListNarrowsProbingAndCanLiftLinkLocalButNeverMetadata() throws Exception {
    ProbeAddressPolicy policy = ProbeAddressPolicy.of(
        List.of(Cidr.parse("10.0.0.0/8"), Cidr.parse("169.254.0.0/16")), List.of(), List.of(), false);
    assertThat(policy.refusal(InetAddress.getByName("10.1.2.3"))).isEmpty();
    assertThat(policy.refusal(InetAddress.getByName("203.0.113.7"))).isPresent();
    assertThat(policy.refusal(InetAddress.getByName("169.254.10.5"))).isEmpty();
    assertThat(policy.refusal(InetAddress.getByName("169.254.169.254"))).isPresent();
  }

  @Test
  void loopbackOnlyWithTheExplicitFlagAndTheDenyListAlwaysWins() throws Exception {
    ProbeAddressPolicy loopback = ProbeAddressPolicy.of(List.of(), List.of(Cidr.parse("127.0.0.99/32")),
        List.of("127.0.0.1"), true);
    assertThat(loopback.refusal(InetAddress.getByName("127.0.0.30"))).isEmpty();
    assertThat(loopback.refusal(InetAddress.getByName("127.0.0.1"))).as("an API server on loopback stays out of reach")
        .contains("the Kubernetes API server (127.0.0.1)");
    assertThat(loopback.refusal(InetAddress.getByName("127.0.0.99"))).contains("in --probe-deny-cidrs (127.0.0.99/32)");
    ProbeAddressPolicy policy = ProbeAddressPolicy.of(List.of(Cidr.parse("10.0.0.0/8")),
        List.of(Cidr.parse("10.0.0.0/16")), List.of(), false);
    assertThat(policy.refusal(InetAddress.getByName("10.0.5.5"))).isPresent();
    assertThat(policy.refusal(InetAddress.getByName("10.1.5.5"))).isEmpty();
  }
}
