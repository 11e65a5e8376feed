package dev.upstreamhealth.probe.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.upstreamhealth.probe.ProbeOutcome;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class AddressesToTryTest {
  private static final long FIVE_SECONDS = TimeUnit.SECONDS.toNanos(5);

  @Test
  void eachAddressLeftGetsItsShareOfTheTimeSoOneThatDropsPacketsLeavesTheOthersTheirs() throws Exception {
    AddressesToTry addresses = new AddressesToTry("lb.example", List.of(ip("10.0.0.1"), ip("10.0.0.2"), ip("10.0.0.3")));

    addresses.next();
    assertThat(addresses.connectTimeoutMillis(FIVE_SECONDS)).isEqualTo(1660);
    addresses.next();
    assertThat(addresses.connectTimeoutMillis(TimeUnit.MILLISECONDS.toNanos(3340))).isEqualTo(1660);
    addresses.next();
    assertThat(addresses.connectTimeoutMillis(TimeUnit.MILLISECONDS.toNanos(1680)))
        .as("the last ends before the probe's deadline").isEqualTo(1660);
    assertThat(addresses.hasNext()).isFalse();
  }

  @Test
  void aSingleAddressGetsAllTheTimeLeft() throws Exception {
    AddressesToTry addresses = new AddressesToTry("10.0.0.1", List.of(ip("10.0.0.1")));

    addresses.next();

    assertThat(addresses.connectTimeoutMillis(FIVE_SECONDS)).isEqualTo(5000);
  }

  @Test
  void onlyFailuresToConnectGoOnToTheNextAddress() {
    assertThat(ProbeOutcome.values()).filteredOn(AddressesToTry::triesAnother)
        .containsExactlyInAnyOrder(ProbeOutcome.CONNECTION_REFUSED, ProbeOutcome.CONNECT_TIMEOUT, ProbeOutcome.UNREACHABLE);
  }

  /**
   * A dual-stack name from a pod of an IPv4-only cluster: its IPv4 address refuses, its IPv6
   * address has no route from here. The refusal is the origin's answer, and the cause.
   */
  @Test
  void aRefusalSpeaksBeforeATimeoutAndATimeoutBeforeNoRoute() throws Exception {
    AddressesToTry addresses = new AddressesToTry("lb.example", List.of(ip("10.0.0.1"), ip("10.0.0.2"), ip("2001:db8::1")));
    addresses.connectFailed(addresses.next(), new ProbeFailure(ProbeOutcome.CONNECT_TIMEOUT, "no TCP connection"));
    addresses.connectFailed(addresses.next(), new ProbeFailure(ProbeOutcome.CONNECTION_REFUSED, "connection refused"));
    addresses.connectFailed(addresses.next(), new ProbeFailure(ProbeOutcome.UNREACHABLE, "no route"));

    assertThat(addresses.exhausted().outcome()).isEqualTo(ProbeOutcome.CONNECTION_REFUSED);

    AddressesToTry noRefusal = new AddressesToTry("lb.example", List.of(ip("10.0.0.1"), ip("2001:db8::1")));
    noRefusal.connectFailed(noRefusal.next(), new ProbeFailure(ProbeOutcome.CONNECT_TIMEOUT, "no TCP connection"));
    noRefusal.connectFailed(noRefusal.next(), new ProbeFailure(ProbeOutcome.UNREACHABLE, "no route"));

    assertThat(noRefusal.exhausted().outcome()).isEqualTo(ProbeOutcome.CONNECT_TIMEOUT);
  }

  /** An address the probe policy keeps probes from says nothing of whether the origin takes connections. */
  @Test
  void whenNoAddressTookTheProbeTheLastFailureToConnectSpeaksNotTheProbePolicy() throws Exception {
    AddressesToTry addresses = new AddressesToTry("lb.example", List.of(ip("10.0.0.1"), ip("169.254.169.254")));
    addresses.connectFailed(addresses.next(),
        new ProbeFailure(ProbeOutcome.CONNECT_TIMEOUT, "no TCP connection to lb.example:443 within 2.5s"));
    addresses.turnedAway(addresses.next(), new ProbeFailure(ProbeOutcome.NOT_PROBED, "not probed: link-local"));

    ProbeFailure failure = addresses.exhausted();

    assertThat(failure.outcome()).isEqualTo(ProbeOutcome.CONNECT_TIMEOUT);
    assertThat(failure.detail()).isEqualTo("no TCP connection to lb.example:443 within 2.5s; no address of lb.example"
        + " took the connection (10.0.0.1 ConnectTimeout, 169.254.169.254 NotProbed)");
  }

  @Test
  void aNameWhoseOnlyAddressesAreKeptFromProbesIsNotProbed() throws Exception {
    AddressesToTry addresses = new AddressesToTry("metadata.example", List.of(ip("169.254.169.254")));
    ProbeFailure notProbed = new ProbeFailure(ProbeOutcome.NOT_PROBED, "not probed: metadata.example (169.254.169.254) is link-local");
    addresses.turnedAway(addresses.next(), notProbed);

    assertThat(addresses.exhausted()).isEqualTo(notProbed);
  }

  private static InetAddress ip(String literal) throws UnknownHostException {
    return InetAddress.getByName(literal);
  }
}
