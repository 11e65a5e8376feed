package dev.upstreamhealth.diagnosis;

import dev.upstreamhealth.probe.ForbiddenReading;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The client addresses ingress-nginx admits to an Ingress ({@code allowlist-source-range}, or its
 * older name {@code whitelist-source-range}), or, where the Ingress sets neither, to every Ingress
 * of the controller (its ConfigMap's {@code whitelist-source-range}); every other client gets
 * nginx's own 403. An origin locked to its CDN this way lists the CDN's ranges, and the operator,
 * probing from its own pod inside the cluster, is not among them: its 403 says the probe was
 * refused, not the visitors.
 *
 * @param setBy what sets the list, as messages name it: "Ingress web/shop", or "ConfigMap
 *     ingress-nginx/ingress-nginx-controller whitelist-source-range"
 * @param how how it is set, in brackets after the list: "annotation ...", or that the controller
 *     applies it to every Ingress without a list of its own
 * @param ranges the admitted blocks, in the order written
 */
public record SourceAllowlist(String setBy, String how, List<Cidr> ranges) {
  static final String ALLOWLIST = "nginx.ingress.kubernetes.io/allowlist-source-range";
  static final String WHITELIST = "nginx.ingress.kubernetes.io/whitelist-source-range";
  /**
   * Where a pod's address, or a node's that stands in for it, lies in nearly every cluster:
   * private (RFC 1918), shared (RFC 6598, some CNIs), loopback and link-local, IPv6 unique-local
   * and link-local.
   */
  private static final List<Cidr> CLUSTER_INTERNAL = Stream.of("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16",
      "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "fc00::/7", "fe80::/10", "::1/128").map(Cidr::parse).toList();

  public SourceAllowlist {
    ranges = List.copyOf(ranges);
  }

  /**
   * The list ingress-nginx applies to the Site's Ingress: the Ingress's own, which replaces the
   * controller's; else the controller ConfigMap's. Empty for an HTTPRoute, without a list, and for
   * a list with an entry that is no address or CIDR: ingress-nginx then denies the location (an
   * Ingress's list) or cannot load its configuration (the ConfigMap's) rather than applying part
   * of it, so no 403 of its is explained by a list.
   */
  public static Optional<SourceAllowlist> of(Snapshot s) {
    Ingress ingress = s.ingress();
    if (s.viaHttpRoute() || ingress == null) {
      return Optional.empty();
    }
    Map<String, String> annotations = IngressNginx.annotations(ingress);
    Optional<String> annotation = ingressList(annotations);
    if (annotation.isPresent()) {
      return parse(annotations.get(annotation.get())).map(ranges -> new SourceAllowlist(
          "Ingress " + ObjectKey.of(ingress), "annotation " + annotation.get(), ranges));
    }
    IngressNginxConfigMap global = s.controllerConfig();
    return global == null ? Optional.empty() : parse(global.whitelistSourceRange())
        .map(ranges -> new SourceAllowlist("ConfigMap " + global.configMap() + " "
            + IngressNginxConfigMap.WHITELIST_SOURCE_RANGE, "ingress-nginx's list for every Ingress without its own",
            ranges));
  }

  /**
   * Which annotation carries the Ingress's own list, as ingress-nginx picks it (its parser's
   * checkAnnotation): allowlist-source-range, unless that is empty and whitelist-source-range, its
   * older name, has a value. Empty when neither is set, or only whitelist-source-range and empty
   * (a chart's unset value): then no list of the Ingress's own, and the controller's applies. An
   * empty allowlist-source-range with no value beside it is a list that cannot be read.
   */
  static Optional<String> ingressList(Map<String, String> annotations) {
    String allowlist = annotations.get(ALLOWLIST);
    String whitelist = annotations.get(WHITELIST);
    if (allowlist != null && !allowlist.isEmpty()) {
      return Optional.of(ALLOWLIST);
    }
    if (whitelist != null && !whitelist.isEmpty()) {
      return Optional.of(WHITELIST);
    }
    return allowlist != null ? Optional.of(ALLOWLIST) : Optional.empty();
  }

  /** The blocks of a comma-separated list; empty when it names none, or an entry is no address or CIDR. */
  private static Optional<List<Cidr>> parse(String value) {
    String list = value == null ? "" : value.strip();
    if (list.isEmpty()) {
      return Optional.empty();
    }
    List<Cidr> ranges = new ArrayList<>();
    for (String entry : list.split(",")) {
      try {
        ranges.add(Cidr.parse(entry.strip()));
      } catch (IllegalArgumentException notARange) {
        return Optional.empty();
      }
    }
    return Optional.of(ranges);
  }

  /**
   * Whether a 403 the Site's gateway writes itself is its allowlist refusing the probe's address,
   * with visitors let through: the Ingress has a list (its own or the controller's), and it admits
   * every range in {@code spec.cdn.sourceRanges} (a Site that names none is taken to have listed its
   * CDN's). A list that leaves some of them out refuses visitors too, and its 403 stays a fault.
   */
  public static boolean refusesOnlyTheProbe(Snapshot s) {
    return of(s).map(list -> list.leavesOut(OriginLayer.cdnRanges(s.spec())).isEmpty()).orElse(false);
  }

  /**
   * How the Site's probes read a 403 from its gateway. Where the list refuses only the probe, and
   * names no cluster-internal address (a list of the CDN's public ranges), the probe, which comes
   * from a pod, never passes it: every 403 is the refusal, also one a custom-http-errors backend
   * writes. A list that names internal ranges may admit the probe, and only nginx's own 403 page
   * is known to be the list's.
   */
  public static ForbiddenReading forbiddenReading(Snapshot s) {
    if (!refusesOnlyTheProbe(s)) {
      return ForbiddenReading.VISITORS_TOO;
    }
    boolean namesInternal = of(s).map(list -> namesClusterInternal(list.ranges())).orElse(true);
    return namesInternal ? ForbiddenReading.PROBE_IF_GATEWAYS_OWN_PAGE : ForbiddenReading.PROBE_ALWAYS;
  }

  /**
   * What a Healthy message says of an origin whose gateway refused the probe: why, and that what
   * it serves is judged from the probes behind it.
   */
  static String refusalNote(Snapshot s) {
    String list = of(s).map(SourceAllowlist::describe).orElse("its allowlist");
    boolean named = !OriginLayer.cdnRanges(s.spec()).isEmpty();
    return " answers the probe with 403: " + list + ", not the probe's address"
        + (named ? "; every range of spec.cdn.sourceRanges is admitted"
            : "; taken to list the CDN's ranges (set spec.cdn.sourceRanges to have them checked)")
        + ": what it serves is judged from the probes behind it (admit this operator's pods to see the page)";
  }

  /**
   * What an UnexpectedStatus message adds to the gateway's own 403 when the list is
   * why: the CDN's ranges it leaves out, whose visitors get the same 403.
   */
  static String cdnLeftOutNote(Snapshot s) {
    return of(s).map(list -> {
      List<String> leftOut = list.leavesOut(OriginLayer.cdnRanges(s.spec()));
      return leftOut.isEmpty() ? "" : "; " + list.describe() + ", leaving out " + String.join(", ", leftOut)
          + " of spec.cdn.sourceRanges: visitors the CDN sends from there get this 403 too";
    }).orElse("");
  }

  /**
   * The blocks of {@code cdnRanges} the list does not wholly admit: visitors coming through those
   * get the 403 the probe got. A block is admitted when the list's entries cover it together; one
   * of an address family the list names nothing of is not judged.
   */
  public List<String> leavesOut(List<Cidr> cdnRanges) {
    return leftOut(ranges, cdnRanges);
  }

  /** Whether any of {@code ranges} may hold a pod's address (see {@code CLUSTER_INTERNAL}). */
  static boolean namesClusterInternal(List<Cidr> ranges) {
    return ranges.stream().anyMatch(r -> CLUSTER_INTERNAL.stream().anyMatch(r::overlaps));
  }

  /** The blocks of {@code cdnRanges} that {@code admitted} does not wholly admit, as {@link #leavesOut} judges them. */
  static List<String> leftOut(List<Cidr> admitted, List<Cidr> cdnRanges) {
    // A list of one family only (IPv4, say) is an origin reached over that family: the CDN connects
    // to it from its ranges of that family, and its others (Cloudflare's IPv6) never come.
    return cdnRanges.stream().filter(range -> admitted.stream().anyMatch(r -> r.bits() == range.bits()))
        .filter(range -> !covers(admitted, range)).map(Cidr::text).toList();
  }

  /** "Ingress web/shop admits only 173.245.48.0/20, 103.21.244.0/22 (annotation ...)". */
  public String describe() {
    return setBy + " admits only " + String.join(", ", ranges.stream().map(Cidr::text).toList()) + " (" + how + ")";
  }

  private static boolean covers(List<Cidr> ranges, Cidr range) {
    List<Cidr> sameFamily = ranges.stream().filter(r -> r.bits() == range.bits())
        .sorted(Comparator.comparing(Cidr::first)).toList();
    BigInteger next = range.first();
    for (Cidr r : sameFamily) {
      if (r.first().compareTo(next) > 0) {
        break;
      }
      if (r.last().compareTo(next) >= 0) {
        next = r.last().add(BigInteger.ONE);
        if (next.compareTo(range.last()) > 0) {
          return true;
        }
      }
    }
    return false;
  }
}
