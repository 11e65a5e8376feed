package dev.upstreamhealth.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.upstreamhealth.diagnosis.Cidr;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProbeAddressPolicyTest {
  @Test
  void linkLocalMetadataAndTheApiServerAreNeverProbedByDefault() {
    ProbeAddressPolicy policy = ProbeAddressPolicy.of(List.of(), List.of(), List.of("10.96.0.1"));
    assertThat(policy.allows("169.254.169.254")).isFalse();
    assertThat(policy.allows("fd00:ec2::254")).isFalse();
    assertThat(policy.allows("fe80::1")).isFalse();
    assertThat(policy.allows("10.96.0.1")).isFalse();
    assertThat(policy.allows("203.0.113.7")).isTrue();
    assertThat(policy.allows("10.96.0.2")).isTrue();
    assertThat(policy.allows("origin.example.com")).isTrue();
  }

  @Test
  void anAllowListNarrowsProbingAndCanLiftABuiltInDenial() {
    ProbeAddressPolicy policy = ProbeAddressPolicy.of(
        List.of(Cidr.parse("10.0.0.0/8"), Cidr.parse("169.254.10.0/24")), List.of(), List.of());
    assertThat(policy.allows("10.1.2.3")).isTrue();
    assertThat(policy.allows("203.0.113.7")).isFalse();
    assertThat(policy.allows("169.254.10.5")).isTrue();
    assertThat(policy.allows("169.254.169.254")).isFalse();
    assertThat(policy.allows("origin.example.com")).as("names cannot be checked against an allow list").isFalse();
  }

  @Test
  void theDenyListAlwaysWins() {
    ProbeAddressPolicy policy = ProbeAddressPolicy.of(List.of(Cidr.parse("10.0.0.0/8")),
        List.of(Cidr.parse("10.0.0.0/16")), List.of());
    assertThat(policy.allows("10.0.5.5")).isFalse();
    assertThat(policy.allows("10.1.5.5")).isTrue();
  }
}
