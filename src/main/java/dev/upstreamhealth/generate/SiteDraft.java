package dev.upstreamhealth.generate;

/** A Site the generator proposes, written as YAML ready to commit. */
public record SiteDraft(String namespace, String name, PublicHost from, GatewayService gateway) {

  public String scheme() {
    return from.tls() ? "https" : "http";
  }

  public int port() {
    return from.tls() ? 443 : 80;
  }

  /** One YAML document; every value is a DNS name or a number, so none needs quoting. */
  public String yaml() {
    StringBuilder out = new StringBuilder()
        .append("# From ").append(from.route())
        .append(from.tls() ? " (TLS for this host: https on 443)" : " (no TLS for this host: http on 80)").append('\n')
        .append("apiVersion: upstreamhealth.dev/v1alpha1\n")
        .append("kind: Site\n")
        .append("metadata:\n")
        .append("  name: ").append(name).append('\n')
        .append("  namespace: ").append(namespace).append('\n')
        .append("spec:\n")
        .append("  host: ").append(from.host()).append('\n')
        .append("  origin:\n")
        .append("    ").append(from.routeKind().equals("HTTPRoute") ? "httpRouteName" : "ingressName").append(": ")
        .append(from.routeName()).append('\n')
        .append("    scheme: ").append(scheme()).append('\n')
        .append("    port: ").append(port()).append('\n');
    if (gateway != null) {
      out.append("  gateway:\n")
          .append("    serviceNamespace: ").append(gateway.namespace()).append('\n')
          .append("    serviceName: ").append(gateway.name()).append('\n');
    }
    return out.toString();
  }
}
