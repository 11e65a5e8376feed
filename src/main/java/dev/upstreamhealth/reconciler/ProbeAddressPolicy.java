package dev.upstreamhealth.reconciler;

import dev.upstreamhealth.diagnosis.Cidr;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the operator may connect. Namespace users steer probe targets (origin.address, Ingress
 * status, EndpointSlices), so link-local and cloud-metadata addresses and the API server's own
 * address are never probed unless an allow list names them. DNS names pass here: only literal
 * addresses can be judged before resolution.
 *
 * @param allow when not empty, the only blocks probed; it can also lift a built-in denial
 * @param deny blocks never probed, whatever the allow list says
 * @param builtIn blocks denied unless the allow list names them
 */
public record ProbeAddressPolicy(List<Cidr> allow, List<Cidr> deny, List<Cidr> builtIn) {
  public static final List<Cidr> LINK_LOCAL_AND_METADATA = List.of(
      Cidr.parse("169.254.0.0/16"), Cidr.parse("fe80::/10"), Cidr.parse("fd00:ec2::254/128"), Cidr.parse("0.0.0.0/8"));

  public static ProbeAddressPolicy defaults() {
    return of(List.of(), List.of(), List.of());
  }

  /** The built-in denials plus the API server's own addresses, under the user's lists. */
  public static ProbeAddressPolicy of(List<Cidr> allow, List<Cidr> deny, List<String> apiServerAddresses) {
    List<Cidr> builtIn = new ArrayList<>(LINK_LOCAL_AND_METADATA);
    for (String address : apiServerAddresses) {
      try {
        builtIn.add(Cidr.parse(address));
      } catch (IllegalArgumentException aName) {
        // A DNS name cannot be compared before resolution; the API server is then not guarded here.
      }
    }
    return new ProbeAddressPolicy(List.copyOf(allow), List.copyOf(deny), List.copyOf(builtIn));
  }

  /** For an address a name resolved to (a zone suffix such as %eth0 is not part of the address). */
  public boolean allows(java.net.InetAddress resolved) {
    String text = resolved.getHostAddress();
    int zone = text.indexOf('%');
    return allows(zone < 0 ? text : text.substring(0, zone));
  }

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
    boolean allowed = allow.stream().anyMatch(a -> a.containsAll(literal));
    if (builtIn.stream().anyMatch(b -> b.containsAll(literal)) && !allowed) {
      return false;
    }
    return allow.isEmpty() || allowed;
  }
}
