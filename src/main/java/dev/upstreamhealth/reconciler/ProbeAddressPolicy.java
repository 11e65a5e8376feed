package dev.upstreamhealth.reconciler;

import dev.upstreamhealth.diagnosis.Cidr;
import java.util.List;

/**
 * Where the operator may connect. Namespace users steer probe targets (origin.address, Ingress
 * status, endpoints), so link-local and cloud metadata addresses are never probed unless allowed.
 * DNS names pass here; only literal addresses can be judged before resolution.
 */
public record ProbeAddressPolicy(List<Cidr> allow, List<Cidr> deny) {
  public static final List<Cidr> ALWAYS_DENIED = List.of(
      Cidr.parse("169.254.0.0/16"), Cidr.parse("fe80::/10"), Cidr.parse("fd00:ec2::254/128"), Cidr.parse("0.0.0.0/8"));

  public static ProbeAddressPolicy defaults() {
    return new ProbeAddressPolicy(List.of(), ALWAYS_DENIED);
  }

  /** An allow list, when given, is the only space probed; the deny list always wins. */
  public boolean allows(String address) {
    Cidr literal;
    try {
      literal = Cidr.parse(address);
    } catch (IllegalArgumentException notALiteral) {
      return allow.isEmpty();
    }
    if (deny.stream().anyMatch(d -> d.containsAll(literal))) {
      return false;
    }
    return allow.isEmpty() || allow.stream().anyMatch(a -> a.containsAll(literal));
  }
}
