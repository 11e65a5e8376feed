package dev.upstreamhealth.diagnosis;

import java.util.Locale;

/**
 * An origin address that names a Cloudflare Tunnel ({@code <uuid>.cfargotunnel.com}, the target of
 * the DNS record Cloudflare makes for a tunnel's public hostname). The CDN reaches such an origin
 * through the cloudflared pods, which dial out from the cluster and connect to the gateway from
 * inside: the name is no address of the gateway's, nor one to probe (it resolves to a private
 * address that leads nowhere from here).
 */
final class CloudflareTunnel {
  private static final String SUFFIX = ".cfargotunnel.com";

  private CloudflareTunnel() {}

  static boolean isNamedBy(String address) {
    if (address == null) {
      return false;
    }
    String name = address.strip().toLowerCase(Locale.ROOT);
    return name.endsWith(SUFFIX) || name.endsWith(SUFFIX + ".");
  }

  /** What a Site with no gateway address of its own says where its origin address is a tunnel's. */
  static String noAddressNote(String address) {
    return "; spec.origin.address " + address + " names a Cloudflare Tunnel, which reaches the gateway from inside"
        + " the cluster: set it to the Service the tunnel's ingress rule sends to"
        + " (e.g. ingress-nginx-controller.ingress-nginx.svc.cluster.local) to have that probed";
  }
}
