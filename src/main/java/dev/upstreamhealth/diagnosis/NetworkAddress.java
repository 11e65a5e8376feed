package dev.upstreamhealth.diagnosis;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * An address as written in a spec or an object's status, compared by value: an IP literal in any
 * notation (IPv6 with or without brackets, any letter case or compression, IPv4-mapped), or a
 * DNS name without regard to case or a trailing dot. Never looks anything up.
 */
public record NetworkAddress(InetAddress ip, String name) {
  private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");
  private static final Pattern LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
  /**
   * Blocks the internet does not route to: RFC 1918 private networks, RFC 6598 shared address
   * space (carrier-grade NAT; some clusters use it for nodes or load balancers), loopback,
   * link-local, and IPv6 unique-local addresses.
   */
  private static final List<Cidr> NOT_PUBLIC = Stream.of("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16",
      "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "::1/128", "fc00::/7", "fe80::/10").map(Cidr::parse).toList();

  /** Empty when the text is neither an IP literal nor a DNS name. */
  public static Optional<NetworkAddress> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    String t = text.strip();
    if (t.startsWith("[") && t.endsWith("]")) {
      t = t.substring(1, t.length() - 1);
      return IPV6.matcher(t).matches() ? literal(t) : Optional.empty();
    }
    if (IPV4.matcher(t).matches() || IPV6.matcher(t).matches()) {
      return literal(t);
    }
    return dnsName(t).map(n -> new NetworkAddress(null, n));
  }

  /**
   * The address as written, an IPv6 literal without the brackets a spec may give it: what a socket
   * connects to, and what a URL then brackets once.
   */
  public static String unbracketed(String text) {
    String t = text.strip();
    return t.startsWith("[") && t.endsWith("]") ? t.substring(1, t.length() - 1) : t;
  }

  /** The name in canonical form (lower case, no trailing dot), if it is a DNS name. */
  public static Optional<String> dnsName(String text) {
    String n = text.strip().toLowerCase(Locale.ROOT);
    if (n.endsWith(".")) {
      n = n.substring(0, n.length() - 1);
    }
    if (n.isEmpty() || n.length() > 253 || IPV4.matcher(n).matches()) {
      return Optional.empty();
    }
    for (String label : n.split("\\.", -1)) {
      if (!LABEL.matcher(label).matches()) {
        return Optional.empty();
      }
    }
    return Optional.of(n);
  }

  /** Only called on text shaped as a literal, so the JDK parses it and asks no resolver. */
  private static Optional<NetworkAddress> literal(String t) {
    try {
      return Optional.of(new NetworkAddress(InetAddress.getByName(t), null));
    } catch (UnknownHostException | SecurityException e) {
      return Optional.empty();
    }
  }

  public boolean isName() {
    return name != null;
  }

  /**
   * Whether this is an IP address the internet does not route to (a private or internal load
   * balancer, a ClusterIP): a CDN cannot connect there. False for a DNS name, which may resolve
   * to anything.
   */
  public boolean isPrivateIp() {
    if (ip == null) {
      return false;
    }
    Cidr address = Cidr.parse(ip.getHostAddress());
    return NOT_PUBLIC.stream().anyMatch(block -> block.containsAll(address));
  }

  /**
   * Whether this is a cluster's own DNS name for a Service ({@code <service>.<namespace>.svc}
   * and the cluster's domain after it): Istio reports a ClusterIP Gateway by that name when it
   * has no external address. Only the cluster resolves it; a CDN cannot connect there.
   */
  public boolean isClusterServiceName() {
    if (!isName()) {
      return false;
    }
    String[] labels = name.split("\\.");
    return labels.length >= 3 && labels[2].equals("svc");
  }

  @Override
  public String toString() {
    return isName() ? name : ip.getHostAddress();
  }
}
