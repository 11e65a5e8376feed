package dev.upstreamhealth.diagnosis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.upstreamhealth.api.Fault;
import org.junit.jupiter.api.Test;

/**
 * An origin behind a Cloudflare Tunnel: cloudflared pods dial out and connect to the gateway from
 * inside the cluster, and the CDN's DNS record for the host points at the tunnel's name. A Site
 * that names it in {@code spec.origin.address} says where the CDN sends, not where the gateway is.
 */
class CloudflareTunnelTest {
  private static final String TUNNEL = "6ff42ae2-765d-4adf-8112-31c55c1551ef.cfargotunnel.com";

  /** ingress-nginx with a ClusterIP Service publishes that address: it is what is probed. */
  @Test
  void aTunnelsNameIsNoMismatchWithTheGatewaysAddress() {
    // What a tunnel's name resolves to: a private address that leads nowhere from the cluster.
    Verdict v = SiteWorld.healthy().originAddress(TUNNEL).resolves(TUNNEL, "fd10:aec2:5dae::").diagnose();

    assertThat(v.fault()).as(v.message()).isEqualTo(Fault.NONE);
    assertThat(v.reason()).isNotEqualTo("OriginAddressMismatch");
  }

  /** With no gateway address to probe, the tunnel's name is none either: the message says what to set. */
  @Test
  void aTunnelsNameAloneIsNotProbedAndTheMessageSaysWhatToSet() {
    SiteWorld w = SiteWorld.healthy().noLoadBalancerAddress().originAddress(TUNNEL);

    assertThat(w.snapshot().originEndpoint()).as("the tunnel's name leads nowhere from inside").isEmpty();
    Verdict v = w.diagnose();
    assertThat(v.reason()).isEqualTo("NoOriginAddress");
    assertThat(v.message()).contains(TUNNEL + " names a Cloudflare Tunnel",
        "set it to the Service the tunnel's ingress rule sends to");
  }

  /** Any other name is the CDN's target, and compared as before. */
  @Test
  void anotherNameIsStillComparedWithTheGatewaysAddress() {
    Verdict v = SiteWorld.healthy().originAddress("origin.example.net").resolves("origin.example.net", "198.51.100.9")
        .diagnose();

    assertThat(v.reason()).isEqualTo("OriginAddressMismatch");
  }
}
