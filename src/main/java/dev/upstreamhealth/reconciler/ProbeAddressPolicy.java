package dev.upstreamhealth.reconciler;

import dev.upstreamhealth.diagnosis.Cidr;
import dev.upstreamhealth.probe.AddressGate;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where the operator may connect, judged by the address a probe is about to connect to (a name
 * is resolved first, so a DNS name is judged by what it resolves to). Namespace users steer probe
 * targets (origin.address, Ingress status, EndpointSlices), so some addresses are refused:
 * <ul>
 *   <li>cloud metadata endpoints, always;</li>
 *   <li>{@code --probe-deny-cidrs}, always;</li>
 *   <li>loopback, unless started with {@code --probe-allow-loopback} (tests and the demo only);</li>
 *   <li>link-local, unspecified, and the API server's Service IP and endpoints, unless
 *       {@code --probe-allow-cidrs} names them;</li>
 *   <li>with {@code --probe-allow-cidrs}, everything outside it.</li>
 * </ul>
 *
 * @param builtIn blocks refused unless the allow list names them
 */
public record ProbeAddressPolicy(List<Cidr> allow, List<Cidr> deny, List<Rule> builtIn, boolean allowLoopback)
    implements AddressGate {

  /** A refused block and the words that explain the refusal. */
  public record Rule(Cidr block, String says) {
    static Rule of(String cidr, String says) {
      return new Rule(Cidr.parse(cidr), says);
    }
  }

  /** AWS (IPv4, IPv6), Alibaba Cloud, Azure's wire server; GCP's and Azure IMDS are 169.254.169.254 too. */
  public static final List<Rule> CLOUD_METADATA = List.of(
      Rule.of("169.254.169.254/32", "a cloud metadata address (169.254.169.254)"),
      Rule.of("fd00:ec2::254/128", "a cloud metadata address (fd00:ec2::254)"),
      Rule.of("100.100.100.200/32", "a cloud metadata address (100.100.100.200)"),
      Rule.of("168.63.129.16/32", "a cloud metadata address (168.63.129.16)"));

  public static final List<Rule> LOOPBACK = List.of(
      Rule.of("127.0.0.0/8", "loopback (127.0.0.0/8); only --probe-allow-loopback probes it"),
      Rule.of("::1/128", "loopback (::1); only --probe-allow-loopback probes it"));

  public static final List<Rule> LINK_LOCAL_AND_UNSPECIFIED = List.of(
      Rule.of("169.254.0.0/16", "link-local (169.254.0.0/16)"),
      Rule.of("fe80::/10", "link-local (fe80::/10)"),
      Rule.of("0.0.0.0/8", "an unspecified address (0.0.0.0/8)"),
      Rule.of("::/128", "an unspecified address (::)"));

  public ProbeAddressPolicy {
    allow = List.copyOf(allow);
    deny = List.copyOf(deny);
    builtIn = List.copyOf(builtIn);
  }

  /**
   * The built-in refusals plus the API server's own addresses (its Service IP and endpoints), under
   * the user's lists.
   */
  public static ProbeAddressPolicy of(List<Cidr> allow, List<Cidr> deny, List<String> apiServerAddresses,
      boolean allowLoopback) {
    List<Rule> builtIn = new ArrayList<>(LINK_LOCAL_AND_UNSPECIFIED);
    for (String address : apiServerAddresses) {
      try {
        builtIn.add(new Rule(Cidr.parse(address), "the Kubernetes API server (" + address + ")"));
      } catch (IllegalArgumentException aName) {
        // names are resolved by the caller; what is left unresolved cannot be compared
      }
    }
    return new ProbeAddressPolicy(allow, deny, builtIn, allowLoopback);
  }

  /** Why an address is refused; a name is judged by what it resolves to, so only addresses come here. */
  @Override
  public Optional<String> refusal(InetAddress resolved) {
    Cidr literal = Cidr.of(resolved);
    Optional<Rule> metadata = matching(CLOUD_METADATA, literal);
    if (metadata.isPresent()) {
      return Optional.of(metadata.get().says());
    }
    Optional<Cidr> denied = deny.stream().filter(d -> d.containsAll(literal)).findFirst();
    if (denied.isPresent()) {
      return Optional.of("in --probe-deny-cidrs (" + denied.get().text() + ")");
    }
    boolean allowed = allow.stream().anyMatch(a -> a.containsAll(literal));
    Optional<Rule> builtInRule = matching(builtIn, literal);
    if (builtInRule.isPresent() && !allowed) {
      return Optional.of(builtInRule.get().says());
    }
    Optional<Rule> loopback = matching(LOOPBACK, literal);
    if (loopback.isPresent()) {
      return allowLoopback ? Optional.empty() : Optional.of(loopback.get().says());
    }
    if (!allow.isEmpty() && !allowed) {
      return Optional.of("outside --probe-allow-cidrs (" + String.join(", ", allow.stream().map(Cidr::text).toList()) + ")");
    }
    return Optional.empty();
  }

  private static Optional<Rule> matching(List<Rule> rules, Cidr address) {
    return rules.stream().filter(r -> r.block().containsAll(address)).findFirst();
  }
}
