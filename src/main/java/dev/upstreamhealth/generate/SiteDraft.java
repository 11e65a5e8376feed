package dev.upstreamhealth.generate;

/** A Site the generator proposes, written as YAML ready to commit. */
public record SiteDraft(String namespace, String name, PublicHost from, GatewayService gateway) {

  /** One YAML document; every value is a DNS name or a number, so none needs quoting. */
  public String yaml() {
    StringBuilder out = new StringBuilder()
        .append("# From ").append(from.route())
        .append(from.tls() ? " (TLS for this host: https on 443)"
            : " (no TLS for this host: probed over http; if the CDN fetches over http, say so with origin.scheme: http)")
        .append('\n')
        .append("apiVersion: upstreamhealth.dev/v1alpha1\n")
        .append("kind: Site\n")
        .append("metadata:\n")
        .append("  name: ").append(name).append('\n')
        .append("  namespace: ").append(namespace).append('\n')
        .append("spec:\n")
        .append("  host: ").append(from.host()).append('\n')
        .append("  origin:\n")
        .append("    ").append(from.routeKind().equals("HTTPRoute") ? "httpRouteName" : "ingressName").append(": ")
        .append(from.routeName()).append('\n');
    // Without TLS the scheme is left to the operator to derive: a Site that says http says the CDN
    // fetches over http (Cloudflare's Flexible mode), where a redirect to https is a loop, and the
    // route alone cannot tell that (TLS may be declared on another Ingress, or end at the load balancer).
    if (from.tls()) {
      out.append("    scheme: https\n    port: 443\n");
    }
    if (gateway != null) {
      out.append("  gateway:\n")
          .append("    serviceNamespace: ").append(gateway.namespace()).append('\n')
          .append("    serviceName: ").append(gateway.name()).append('\n');
    }
    return out.toString();
  }
}
