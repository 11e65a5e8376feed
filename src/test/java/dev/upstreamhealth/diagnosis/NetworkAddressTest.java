package dev.upstreamhealth.diagnosis;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which addresses a CDN on the internet cannot connect to. */
class NetworkAddressTest {

  @ParameterizedTest(name = "{0} private: {1}")
  @CsvSource({
      "10.20.0.5, true",
      "172.16.0.1, true",
      "172.31.255.255, true",
      "172.32.0.1, false",
      "192.168.1.5, true",
      "100.64.0.1, true",
      "100.127.255.255, true",
      "100.128.0.1, false",
      "127.0.0.10, true",
      "169.254.1.1, true",
      "::1, true",
      "fd00:10::5, true",
      "[fc00::1], true",
      "fe80::1, true",
      "::ffff:10.0.0.1, true",
      "198.51.100.7, false",
      "8.8.8.8, false",
      "2001:db8::7, false",
      "lb-1.elb.amazonaws.com, false"})
  void privateAddressesAreThoseTheInternetDoesNotRouteTo(String address, boolean isPrivate) {
    assertThat(NetworkAddress.parse(address).orElseThrow().isPrivateIp()).isEqualTo(isPrivate);
  }

  /** Istio reports a ClusterIP Gateway by its Service's name in the cluster's DNS. */
  @Test
  void aServiceNameOfTheClustersDnsIsKnownByItsShape() {
    assertThat(NetworkAddress.parse("gw-istio.gateways.svc.cluster.local")).get()
        .returns(true, NetworkAddress::isClusterServiceName);
    assertThat(NetworkAddress.parse("gw-istio.gateways.svc")).get().returns(true, NetworkAddress::isClusterServiceName);
    assertThat(NetworkAddress.parse("GW-Istio.Gateways.SVC.k8s.example.net.")).get()
        .returns(true, NetworkAddress::isClusterServiceName);
    assertThat(NetworkAddress.parse("origin.svc.example.com")).get().as("a public name with a svc label")
        .returns(false, NetworkAddress::isClusterServiceName);
    assertThat(NetworkAddress.parse("lb-1.eu-west-1.elb.amazonaws.com")).get()
        .returns(false, NetworkAddress::isClusterServiceName);
    assertThat(NetworkAddress.parse("10.0.0.1")).get().returns(false, NetworkAddress::isClusterServiceName);
  }
}
