package dev.upstreamhealth.generate;

import java.util.List;

/**
 * A host that a route in the cluster serves to the outside: what one generated Site watches.
 *
 * @param routeKind "Ingress" or "HTTPRoute", the kind that {@code origin.ingressName} or
 *     {@code origin.httpRouteName} names
 * @param tls whether the route terminates TLS for this host (then the CDN reaches it on 443)
 * @param loadBalancerAddresses the route's published addresses, to find the gateway Service by
 * @param servesRoot whether the route sends a request for {@code /} of the host to a backend: not
 *     only a redirect (to https, to another host), not only other paths ({@code /api})
 */
public record PublicHost(String namespace, String host, String routeKind, String routeName, boolean tls,
    List<String> loadBalancerAddresses, boolean servesRoot) {

  public String route() {
    return routeKind + " " + namespace + "/" + routeName;
  }
}
