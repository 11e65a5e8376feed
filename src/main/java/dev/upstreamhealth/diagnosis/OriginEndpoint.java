package dev.upstreamhealth.diagnosis;

import dev.upstreamhealth.api.OriginSpec;
import dev.upstreamhealth.probe.Scheme;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where the CDN connects: the Ingress's first load-balancer address, or {@code origin.address}
 * when the Ingress has none; the port and scheme as given, else derived from the host's TLS.
 */
public record OriginEndpoint(String address, int port, Scheme scheme, Source source) {

  public enum Source {
    LOAD_BALANCER("LoadBalancer"),
    SPEC("Spec");

    private final String label;

    Source(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  /**
   * Empty when neither the Ingress nor the spec gives an address.
   *
   * @param tlsForHost whether the gateway serves the Site's host over TLS (its Ingress, or another
   *     of its class, declares it)
   * @param resolved what names resolved to so far
   */
  public static Optional<OriginEndpoint> resolve(OriginSpec origin, Ingress ingress, boolean tlsForHost,
      Map<String, List<String>> resolved) {
    List<String> lb = IngressRoutes.loadBalancerAddresses(ingress);
    String configured = origin.getAddress() == null ? "" : origin.getAddress().strip();
    String address;
    Source source;
    if (!lb.isEmpty()) {
      // The load-balancer address the CDN is configured with, when it names one of several.
      address = OriginAddresses.connectedTo(configured, lb, resolved);
      source = Source.LOAD_BALANCER;
    } else if (!configured.isEmpty() && !CloudflareTunnel.isNamedBy(configured)) {
      address = NetworkAddress.unbracketed(configured);
      source = Source.SPEC;
    } else {
      return Optional.empty();
    }
    // What is given decides what is not: https alone means 443 (Cloudflare's Full mode on an
    // Ingress without a TLS section), 80 alone means http (Flexible beside a TLS section). Only
    // when neither is given does the host's TLS decide both.
    Integer givenPort = origin.getPort() != null && origin.getPort() > 0 ? origin.getPort() : null;
    Scheme scheme = switch (origin.getScheme() == null ? "" : origin.getScheme()) {
      case "http" -> Scheme.HTTP;
      case "https" -> Scheme.HTTPS;
      default -> Scheme.ofDefaultPort(givenPort)
          .orElse(tlsForHost ? Scheme.HTTPS : Scheme.HTTP);
    };
    int port = givenPort != null ? givenPort : scheme.defaultPort();
    return Optional.of(new OriginEndpoint(address, port, scheme, source));
  }

  /**
   * Whether the Site says the CDN fetches the origin over plain http (Cloudflare's Flexible mode):
   * {@code origin.scheme} http, with no port. Otherwise an http origin is derived from the route,
   * which may not know where TLS ends, or names an endpoint: Sites written by {@code generate}
   * before it left a route's scheme to be derived say {@code scheme: http} and {@code port: 80} for
   * every host without TLS, also where the CDN fetches over https from a load balancer ending TLS.
   */
  public static boolean httpDeclared(OriginSpec origin) {
    return origin != null && "http".equals(origin.getScheme()) && (origin.getPort() == null || origin.getPort() == 0);
  }

  @Override
  public String toString() {
    return scheme.label() + "://" + (address.contains(":") ? "[" + address + "]" : address) + ":" + port;
  }
}
