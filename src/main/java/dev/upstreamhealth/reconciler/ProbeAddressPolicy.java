package dev.upstreamhealth.reconciler;

import dev.upstreamhealth.diagnosis.Cidr;
import dev.upstreamhealth.probe.AddressGate;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Where the operator may connect, judged by the address a probe is about to connect to (a name
 * is resolved first, so a DNS name is judged by what it resolves to). Namespace users steer probe
 * targets (origin.address, Ingress status, EndpointSlices), so some addresses are refused:
 * <ul>
 *   <li>cloud metadata endpoints, always;</li>
 *   <li>{@code --probe-deny-cidrs}, always;</li>
 *   <li>loopback, unless started with {@code --probe-allow-loopback} (tests and the demo only);</li>
 *   <li>link-local, unspecified, and the API server's Service IP, unless {@code --probe-allow-cidrs}
 *       names them; its endpoints likewise on the API server's and the control-plane ports only;</li>
 *   <li>with {@code --probe-allow-cidrs}, everything outside it.</li>
 * </ul>
 *
 * @param builtIn blocks refused unless the allow list names them
 */
public record ProbeAddressPolicy(List<Cidr> allow, List<Cidr> deny, List<Rule> builtIn, boolean allowLoopback)
    implements AddressGate {

  /** A refused block and the words that explain the refusal; on {@code ports} only, unless empty. */
  public record Rule(Cidr block, String says, Set<Integer> ports) {
    public Rule {
      ports = Set.copyOf(ports);
    }

    public Rule(Cidr block, String says) {
      this(block, says, Set.of());
    }

    static Rule of(String cidr, String says) {
      return new Rule(Cidr.parse(cidr), says);
    }

    /** A port below 0 is not known: a rule of some ports refuses it too. */
    boolean refuses(Cidr address, int port) {
      return block.containsAll(address) && (ports.isEmpty() || port < 0 || ports.contains(port));
    }
  }

  /**
   * What a control-plane node serves beside the API server, never an origin: etcd's client and peer
   * ports, the kubelet, kube-proxy's metrics and health, the controller-manager, the scheduler.
   */
  static final Set<Integer> CONTROL_PLANE_PORTS = Set.of(2379, 2380, 10249, 10250, 10256, 10257, 10259);

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
    return of(allow, deny, apiServerAddresses, Map.of(), allowLoopback);
  }

  /**
   * @param apiServerEndpoints the API server's endpoints with the ports they serve it on: a node's
   *     address (k3s, RKE2, minikube, kind) is refused on those and the control-plane ports only,
   *     since a single-node cluster's load balancer (ServiceLB) answers the origin on its other ports
   */
  public static ProbeAddressPolicy of(List<Cidr> allow, List<Cidr> deny, List<String> apiServerAddresses,
      Map<String, Set<Integer>> apiServerEndpoints, boolean allowLoopback) {
    List<Rule> builtIn = new ArrayList<>(LINK_LOCAL_AND_UNSPECIFIED);
    for (String address : apiServerAddresses) {
      parse(address).ifPresent(block -> builtIn.add(new Rule(block, "the Kubernetes API server (" + address + ")")));
    }
    apiServerEndpoints.forEach((address, ports) -> parse(address).ifPresent(block -> {
      if (ports.isEmpty()) { // a slice that names no port: its address on every port
        builtIn.add(new Rule(block, "the Kubernetes API server (" + address + ")"));
        return;
      }
      Set<Integer> refused = new TreeSet<>(CONTROL_PLANE_PORTS);
      refused.addAll(ports);
      builtIn.add(new Rule(block, "a Kubernetes control-plane address (" + address + ", the API server's port "
          + ports.stream().sorted().map(String::valueOf).collect(Collectors.joining(", ")) + ")", refused));
    }));
    return new ProbeAddressPolicy(allow, deny, builtIn, allowLoopback);
  }

  private static Optional<Cidr> parse(String address) {
    try {
      return Optional.of(Cidr.parse(address));
    } catch (IllegalArgumentException aName) {
      return Optional.empty(); // names are resolved by the caller; what is left unresolved cannot be compared
    }
  }

  /** Why an address is refused on a port not known: as on any port. */
  @Override
  public Optional<String> refusal(InetAddress resolved) {
    return refusal(resolved, -1);
  }

  /** Why an address is refused; a name is judged by what it resolves to, so only addresses come here. */
  @Override
  public Optional<String> refusal(InetAddress resolved, int port) {
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
    Optional<Rule> builtInRule = builtIn.stream().filter(r -> r.refuses(literal, port)).findFirst();
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
