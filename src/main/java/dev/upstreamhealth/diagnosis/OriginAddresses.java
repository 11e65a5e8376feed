package dev.upstreamhealth.diagnosis;

import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressLoadBalancerIngress;
import java.math.BigInteger;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Whether the address the CDN is configured with ({@code origin.address}) is one where the
 * route is exposed. Addresses compare by value; a load-balancer entry with both an ip and a
 * hostname matches either; a DNS name matches when it resolved to one of the addresses. The
 * names are resolved off the reconcile thread; their answers come in through the Snapshot.
 */
public final class OriginAddresses {
  private OriginAddresses() {}

  /** The answer; {@code pending} while a name whose answer decides it has not been resolved yet. */
  public record Match(boolean matches, boolean pending, String configuredAs) {}

  /** Every address of the load-balancer entries, each entry's ip and hostname alike. */
  public static List<NetworkAddress> loadBalancer(Ingress ingress) {
    List<NetworkAddress> out = new ArrayList<>();
    if (ingress == null || ingress.getStatus() == null || ingress.getStatus().getLoadBalancer() == null
        || ingress.getStatus().getLoadBalancer().getIngress() == null) {
      return out;
    }
    for (IngressLoadBalancerIngress lb : ingress.getStatus().getLoadBalancer().getIngress()) {
      NetworkAddress.parse(lb.getIp()).ifPresent(out::add);
      NetworkAddress.parse(lb.getHostname()).ifPresent(out::add);
    }
    return out;
  }

  /**
   * The DNS names whose addresses the comparison needs: origin.address when it is a name, and
   * the load balancer's hostnames when it is an IP (an AWS load balancer has only a hostname).
   */
  public static Set<String> namesToResolve(String configured, List<NetworkAddress> loadBalancer) {
    Set<String> names = new LinkedHashSet<>();
    Optional<NetworkAddress> c = NetworkAddress.parse(configured);
    if (c.isEmpty() || loadBalancer.isEmpty() || loadBalancer.contains(c.get())) {
      return names;
    }
    if (c.get().isName()) {
      names.add(c.get().name());
    }
    loadBalancer.stream().filter(NetworkAddress::isName).forEach(a -> names.add(a.name()));
    return names;
  }

  /** Whether the CDN's configured address is among {@code addresses}, given what names resolved to so far. */
  public static boolean among(String configured, List<String> addresses, Map<String, List<String>> resolved) {
    List<NetworkAddress> parsed = addresses.stream().map(NetworkAddress::parse).flatMap(Optional::stream).toList();
    return !parsed.isEmpty() && compare(configured, parsed, resolved).matches();
  }

  /**
   * Whether {@code configured} is the CDN's own front rather than an address of the origin: every
   * address it is, or resolves to, lies in the CDN's ranges. The Site's public host, proxied by
   * the CDN, answers with the CDN's edge addresses and never the origin's; written as
   * origin.address it says nothing of where the CDN connects, and is no mismatch. Addresses of a
   * family the ranges do not list are not judged (a proxied host has AAAA records beside its A
   * records, and a Site may list the CDN's IPv4 ranges only), nor is a range of a whole family
   * (0.0.0.0/0), which says nothing of the CDN.
   */
  public static boolean namesTheCdnsEdge(String configured, Map<String, List<String>> resolved, List<Cidr> cdnRanges) {
    Optional<NetworkAddress> c = NetworkAddress.parse(configured);
    List<Cidr> ranges = cdnRanges.stream().filter(r -> !wholeFamily(r)).toList();
    if (c.isEmpty() || ranges.isEmpty()) {
      return false;
    }
    List<String> addresses = c.get().isName() ? resolved.getOrDefault(c.get().name(), List.of())
        : List.of(c.get().toString());
    List<Cidr> judged = addresses.stream().map(OriginAddresses::single).flatMap(Optional::stream)
        .filter(a -> ranges.stream().anyMatch(r -> r.bits() == a.bits())).toList();
    return !judged.isEmpty() && judged.stream().allMatch(a -> ranges.stream().anyMatch(r -> r.containsAll(a)));
  }

  private static boolean wholeFamily(Cidr range) {
    return range.first().signum() == 0 && range.last().equals(BigInteger.ONE.shiftLeft(range.bits()).subtract(BigInteger.ONE));
  }

  private static Optional<Cidr> single(String address) {
    try {
      return Optional.of(Cidr.parse(address));
    } catch (IllegalArgumentException notAnAddress) {
      return Optional.empty();
    }
  }

  /**
   * The load-balancer address the CDN connects to, of several: {@code configured} itself (by
   * value), else the one it resolves to (or whose name resolves to the same), else the first,
   * IPv4 before IPv6.
   *
   * <p>Why IPv4 first: ingress-nginx sorts the addresses it publishes as text, so a dual-stack
   * load balancer (Hetzner's, among others) lists its IPv6 address first whenever its IPv4
   * address starts with a digit from 3 to 9, and a pod of an IPv4-only cluster has no route to
   * it: the probe would read "network is unreachable", a 521 the CDN never sees. A Site whose
   * CDN connects over IPv6 says so with {@code origin.address}.
   */
  static String connectedTo(String configured, List<String> loadBalancer, Map<String, List<String>> resolved) {
    return named(configured, loadBalancer)
        .or(() -> configured.isEmpty() ? Optional.empty()
            : loadBalancer.stream().filter(a -> among(configured, List.of(a), resolved)).findFirst())
        .or(() -> ipv6First(loadBalancer) ? loadBalancer.stream().filter(OriginAddresses::isIpv4).findFirst() : Optional.empty())
        .orElse(loadBalancer.get(0));
  }

  private static boolean ipv6First(List<String> addresses) {
    return NetworkAddress.parse(addresses.get(0)).filter(a -> !a.isName() && a.ip() instanceof Inet6Address).isPresent();
  }

  private static boolean isIpv4(String address) {
    return NetworkAddress.parse(address).filter(a -> !a.isName() && a.ip() instanceof Inet4Address).isPresent();
  }

  /** The one of {@code addresses} that is {@code configured} itself, compared by value. */
  public static Optional<String> named(String configured, List<String> addresses) {
    Optional<NetworkAddress> c = NetworkAddress.parse(configured);
    return c.isEmpty() ? Optional.empty()
        : addresses.stream().filter(a -> NetworkAddress.parse(a).equals(c)).findFirst();
  }

  /** How {@code configured} relates to the load balancer, given what names resolved to so far. */
  public static Match compare(String configured, List<NetworkAddress> loadBalancer, Map<String, List<String>> resolved) {
    Optional<NetworkAddress> c = NetworkAddress.parse(configured);
    if (c.isEmpty()) {
      return new Match(false, false, configured);
    }
    if (loadBalancer.contains(c.get())) {
      return new Match(true, false, configured);
    }
    boolean pending = false;
    Set<NetworkAddress> configuredIps = new LinkedHashSet<>();
    if (c.get().isName()) {
      List<String> answer = resolved.get(c.get().name());
      if (answer == null) {
        pending = true;
      } else {
        answer.forEach(a -> NetworkAddress.parse(a).ifPresent(configuredIps::add));
      }
    } else {
      configuredIps.add(c.get());
    }
    Set<NetworkAddress> lbIps = new LinkedHashSet<>();
    for (NetworkAddress lb : loadBalancer) {
      if (!lb.isName()) {
        lbIps.add(lb);
      } else if (resolved.containsKey(lb.name())) {
        resolved.get(lb.name()).forEach(a -> NetworkAddress.parse(a).ifPresent(lbIps::add));
      } else {
        pending = true;
      }
    }
    boolean matches = configuredIps.stream().anyMatch(lbIps::contains);
    String shown = c.get().isName() && !pending
        ? configured + (configuredIps.isEmpty() ? " (which does not resolve)" : " (which resolves to "
            + String.join(", ", configuredIps.stream().map(NetworkAddress::toString).toList()) + ")")
        : configured;
    return new Match(matches, !matches && pending, shown);
  }
}
