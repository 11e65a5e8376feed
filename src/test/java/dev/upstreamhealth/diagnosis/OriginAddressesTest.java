package dev.upstreamhealth.diagnosis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.upstreamhealth.api.ConditionStatus;
import dev.upstreamhealth.api.ConditionType;
import dev.upstreamhealth.api.OriginSpec;
import dev.upstreamhealth.api.Reason;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressLoadBalancerIngressBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** origin.address against the load balancer: by value, never by spelling. */
class OriginAddressesTest {
  private static Ingress exposedAt(String ip, String hostname) {
    return new IngressBuilder().withNewMetadata().withName("shop").withNamespace("web").endMetadata()
        .withNewStatus().withNewLoadBalancer().addNewIngress().withIp(ip).withHostname(hostname).endIngress()
        .endLoadBalancer().endStatus().build();
  }

  @ParameterizedTest(name = "{0} is {1}")
  @CsvSource({
      "2001:db8::1, 2001:0DB8:0000:0000:0000:0000:0000:0001",
      "[2001:db8::1], 2001:db8::1",
      "2001:DB8::1, [2001:db8:0:0::1]",
      "::ffff:203.0.113.7, 203.0.113.7",
      "203.0.113.7, 203.0.113.7",
      "LB.Example.COM., lb.example.com"})
  void sameAddressInAnotherNotationMatches(String configured, String loadBalancer) {
    Ingress ingress = NetworkAddress.parse(loadBalancer).orElseThrow().isName()
        ? exposedAt(null, loadBalancer) : exposedAt(loadBalancer.replace("[", "").replace("]", ""), null);
    OriginAddresses.Match match = OriginAddresses.compare(configured, OriginAddresses.loadBalancer(ingress), Map.of());
    assertThat(match.matches()).isTrue();
    assertThat(OriginAddresses.namesToResolve(configured, OriginAddresses.loadBalancer(ingress))).isEmpty();
  }

  @Test
  void aLoadBalancerEntryWithIpAndHostnameMatchesEither() {
    List<NetworkAddress> lb = OriginAddresses.loadBalancer(exposedAt("203.0.113.7", "lb-1.elb.example.com"));
    assertThat(OriginAddresses.compare("203.0.113.7", lb, Map.of()).matches()).isTrue();
    assertThat(OriginAddresses.compare("LB-1.elb.example.com", lb, Map.of()).matches()).isTrue();
  }

  @Test
  void aNameThatResolvesToTheLoadBalancerMatches() {
    List<NetworkAddress> lb = OriginAddresses.loadBalancer(exposedAt("2001:db8::7", null));
    assertThat(OriginAddresses.namesToResolve("origin.shop.example", lb)).containsExactly("origin.shop.example");
    assertThat(OriginAddresses.compare("origin.shop.example", lb,
        Map.of("origin.shop.example", List.of("192.0.2.1", "2001:db8:0:0:0:0:0:7"))).matches()).isTrue();
  }

  @Test
  void anIpMatchesAHostnameLoadBalancerThroughWhatTheHostnameResolvesTo() {
    List<NetworkAddress> lb = OriginAddresses.loadBalancer(exposedAt(null, "lb-1.elb.example.com"));
    assertThat(OriginAddresses.namesToResolve("198.51.100.4", lb)).containsExactly("lb-1.elb.example.com");
    assertThat(OriginAddresses.compare("198.51.100.4", lb, Map.of()).pending()).isTrue();
    assertThat(OriginAddresses.compare("198.51.100.4", lb,
        Map.of("lb-1.elb.example.com", List.of("198.51.100.4"))).matches()).isTrue();
    assertThat(OriginAddresses.compare("198.51.100.5", lb,
        Map.of("lb-1.elb.example.com", List.of("198.51.100.4"))).matches()).isFalse();
  }

  /**
   * Several load-balancer addresses (ServiceLB lists every node): the CDN connects to the one its
   * configured name resolves to, so that is the one probed, not the first.
   */
  /** ingress-nginx publishes a dual-stack load balancer's addresses sorted as text: the IPv6 one first. */
  @Test
  void ofADualStackLoadBalancerTheIpv4AddressIsProbedUnlessTheCdnIsConfiguredWithTheIpv6One() {
    List<String> lb = List.of("2a01:4f8:1c1e:9a11::1", "5.75.140.21");

    assertThat(OriginAddresses.connectedTo("", lb, Map.of())).isEqualTo("5.75.140.21");
    assertThat(OriginAddresses.connectedTo("2a01:4f8:1c1e:9a11::1", lb, Map.of())).isEqualTo("2a01:4f8:1c1e:9a11::1");
    assertThat(OriginAddresses.connectedTo("", List.of("2a01:4f8:1c1e:9a11::1"), Map.of()))
        .as("an IPv6-only load balancer").isEqualTo("2a01:4f8:1c1e:9a11::1");
    assertThat(OriginAddresses.connectedTo("", List.of("2a01:4f8:1c1e:9a11::1", "lb.example.net"), Map.of()))
        .as("a name may resolve to either family: the first stays").isEqualTo("2a01:4f8:1c1e:9a11::1");
  }

  /** A router forwards the public address the CDN has to the MetalLB address in status. */
  @Test
  void aCdnAddressForwardedToAPrivateLoadBalancerIsNoMismatchOnceExternalDnsPublishesIt() {
    SiteWorld world = SiteWorld.healthy().originAddress("203.0.113.7");
    Verdict unannounced = world.diagnose();
    world.ingress.getMetadata().setAnnotations(Map.of("external-dns.alpha.kubernetes.io/target", "203.0.113.7"));
    Verdict published = world.diagnose();

    assertThat(unannounced.reason()).isEqualTo(Reason.ORIGIN_ADDRESS_MISMATCH.reasonName());
    assertThat(unannounced.message()).contains("the CDN is configured with 203.0.113.7 but Ingress web/shop is exposed at "
        + SiteWorld.LB_IP + ", a private address no CDN connects to; where 203.0.113.7 is forwarded there, annotate"
        + " Ingress web/shop with external-dns.alpha.kubernetes.io/target: 203.0.113.7");
    assertThat(published.reason()).as(published.message()).isEqualTo(Reason.HEALTHY);
  }

  @Test
  void aCdnAddressThatIsNoneOfAPublicLoadBalancersNorPublishedIsAMismatchWithoutTheForwardingHint() {
    SiteWorld world = SiteWorld.healthy().originAddress("203.0.113.7");
    world.ingress.getStatus().getLoadBalancer().setIngress(List.of(
        new IngressLoadBalancerIngressBuilder().withIp("198.51.100.20").build()));
    world.ingress.getMetadata().setAnnotations(Map.of("external-dns.alpha.kubernetes.io/target", "198.51.100.20"));

    Verdict v = world.diagnose();

    assertThat(v.reason()).isEqualTo(Reason.ORIGIN_ADDRESS_MISMATCH.reasonName());
    assertThat(v.message()).contains("exposed at 198.51.100.20").doesNotContain("forwarded");
  }

  @Test
  void aGatewayPublishedByExternalDnsAtTheCdnsAddressIsNoMismatch() {
    SiteWorld world = SiteWorld.healthy().viaHttpRoute().originAddress("203.0.113.7");
    assertThat(world.diagnose().reason()).isEqualTo(Reason.ORIGIN_ADDRESS_MISMATCH.reasonName());

    world.route.gateway.getMetadata().setAnnotations(Map.of("external-dns.alpha.kubernetes.io/target", "cdn.example.net,203.0.113.7"));

    assertThat(world.diagnose().reason()).isEqualTo(Reason.HEALTHY);
  }

  @Test
  void anIngressOnADualStackLoadBalancerIsProbedAtItsIpv4Address() {
    SiteWorld world = SiteWorld.healthy();
    world.ingress.getStatus().getLoadBalancer().setIngress(List.of(
        new IngressLoadBalancerIngressBuilder().withIp("2a01:4f8:1c1e:8a2b::1").build(),
        new IngressLoadBalancerIngressBuilder().withIp("5.75.140.21").build()));

    assertThat(world.snapshot().originEndpoint()).get().extracting(OriginEndpoint::address).isEqualTo("5.75.140.21");
  }

  @Test
  void theAddressProbedIsTheOneTheConfiguredNameResolvesTo() {
    List<String> lb = List.of("10.0.0.1", "10.0.0.2");
    assertThat(OriginAddresses.connectedTo("origin.shop.example", lb,
        Map.of("origin.shop.example", List.of("10.0.0.2")))).isEqualTo("10.0.0.2");
    assertThat(OriginAddresses.connectedTo("origin.shop.example", lb, Map.of()))
        .as("not resolved yet: the first").isEqualTo("10.0.0.1");
    assertThat(OriginAddresses.connectedTo("10.0.0.2", lb, Map.of())).isEqualTo("10.0.0.2");
    assertThat(OriginAddresses.connectedTo("", lb, Map.of())).isEqualTo("10.0.0.1");

    Ingress twoNodes = new IngressBuilder(exposedAt("10.0.0.1", null))
        .editStatus().editLoadBalancer().addNewIngress().withIp("10.0.0.2").endIngress().endLoadBalancer().endStatus()
        .build();
    OriginSpec origin = new OriginSpec();
    origin.setAddress("origin.shop.example");
    assertThat(OriginEndpoint.resolve(origin, twoNodes, false,
        Map.of("origin.shop.example", List.of("10.0.0.2"))).orElseThrow().address()).isEqualTo("10.0.0.2");
  }

  @Test
  void aNameNotResolvedYetIsNoEvidenceEitherWay() {
    List<NetworkAddress> lb = OriginAddresses.loadBalancer(exposedAt("203.0.113.7", null));
    OriginAddresses.Match match = OriginAddresses.compare("origin.shop.example", lb, Map.of());
    assertThat(match.matches()).isFalse();
    assertThat(match.pending()).isTrue();
  }

  @Test
  void aNameThatDoesNotResolveIsAMismatchThatSaysSo() {
    List<NetworkAddress> lb = OriginAddresses.loadBalancer(exposedAt("203.0.113.7", null));
    OriginAddresses.Match match = OriginAddresses.compare("origin.shop.example", lb, Map.of("origin.shop.example", List.of()));
    assertThat(match.matches()).isFalse();
    assertThat(match.pending()).isFalse();
    assertThat(match.configuredAs()).isEqualTo("origin.shop.example (which does not resolve)");
  }

  @Test
  void aDifferentAddressIsAMismatchInTheDiagnosis() {
    Verdict v = SiteWorld.healthy().originAddress("[2001:db8::1]").diagnose();
    assertThat(v.reason()).isEqualTo(Reason.ORIGIN_ADDRESS_MISMATCH.reasonName());
    Verdict same = SiteWorld.healthy().originAddress("origin.shop.example")
        .resolves("origin.shop.example", SiteWorld.LB_IP).diagnose();
    assertThat(same.reason()).isEqualTo(Reason.HEALTHY);
    Verdict pending = SiteWorld.healthy().originAddress("origin.shop.example").diagnose();
    assertThat(pending.condition(ConditionType.ORIGIN_DOWN).status()).isEqualTo(ConditionStatus.FALSE);
  }

  /** An IPv6 origin.address given in brackets, with no load-balancer address: probed and shown bracketed once. */
  @Test
  void aBracketedIpv6OriginAddressIsUsedWithoutItsBrackets() {
    var origin = SiteWorld.healthy().noLoadBalancerAddress().originAddress("[2001:db8::1]").snapshot().originEndpoint();
    assertThat(origin).hasValueSatisfying(o -> {
      assertThat(o.address()).isEqualTo("2001:db8::1");
      assertThat(o.toString()).isEqualTo("http://[2001:db8::1]:80");
    });
  }

  /** Two load-balancer addresses (dual-stack, or one per zone): the probe goes to the CDN's. */
  @Test
  void theOriginProbedIsTheLoadBalancerAddressTheCdnIsConfiguredWith() {
    SiteWorld w = SiteWorld.healthy().originAddress("127.0.0.11");
    w.ingress = new IngressBuilder(w.ingress).editStatus().editLoadBalancer().addNewIngress().withIp("127.0.0.11")
        .endIngress().endLoadBalancer().endStatus().build();

    assertThat(w.snapshot().originEndpoint()).hasValueSatisfying(o -> assertThat(o.address()).isEqualTo("127.0.0.11"));
    w.spec.getOrigin().setAddress("");
    assertThat(w.snapshot().originEndpoint()).hasValueSatisfying(o -> assertThat(o.address()).isEqualTo(SiteWorld.LB_IP));
  }
}
