package dev.upstreamhealth.reconciler;

import dev.upstreamhealth.api.OriginSpec;
import dev.upstreamhealth.diagnosis.GatewayState;
import dev.upstreamhealth.diagnosis.NetworkAddress;
import dev.upstreamhealth.diagnosis.OriginEndpoint;
import dev.upstreamhealth.probe.ProxyProtocol;
import io.fabric8.kubernetes.api.model.Service;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Whether the load balancer in front of the gateway speaks PROXY protocol, so the probes that
 * land where its connections land must too: {@code origin.proxyProtocol} when set, else the
 * cloud annotation on the gateway Service (v1, as those load balancers send by default).
 *
 * @param version what the gateway expects in front of each connection
 * @param loadBalancerProxies load-balancer addresses that traffic from inside the cluster really
 *     reaches through the load balancer, which adds the header itself: IPs with {@code ipMode:
 *     Proxy}, and host names (kube-proxy short-cuts IPs only, e.g. not an AWS load balancer's name)
 */
record ProxyProtocolChoice(ProxyProtocol version, List<String> loadBalancerProxies) {
  /** The annotations with which clouds' load balancers are told to speak PROXY protocol. */
  static final Map<String, String> CLOUD_ANNOTATIONS = Map.of(
      "service.beta.kubernetes.io/aws-load-balancer-proxy-protocol", "AWS",
      "service.beta.kubernetes.io/do-loadbalancer-enable-proxy-protocol", "DigitalOcean",
      "load-balancer.hetzner.cloud/uses-proxyprotocol", "Hetzner");

  static ProxyProtocolChoice of(OriginSpec origin, GatewayState gateway) {
    Service service = gateway == null ? null : gateway.service();
    List<String> proxied = service == null || service.getStatus() == null || service.getStatus().getLoadBalancer() == null
        || service.getStatus().getLoadBalancer().getIngress() == null ? List.of()
        : service.getStatus().getLoadBalancer().getIngress().stream()
            .filter(i -> "Proxy".equals(i.getIpMode()) || i.getIp() == null || i.getIp().isBlank())
            .map(i -> i.getIp() != null && !i.getIp().isBlank() ? i.getIp() : i.getHostname())
            .filter(Objects::nonNull)
            .toList();
    String declared = origin == null || origin.getProxyProtocol() == null ? "" : origin.getProxyProtocol();
    ProxyProtocol version = switch (declared) {
      case "none" -> ProxyProtocol.NONE;
      case "v1" -> ProxyProtocol.V1;
      case "v2" -> ProxyProtocol.V2;
      default -> annotated(service) ? ProxyProtocol.V1 : ProxyProtocol.NONE;
    };
    return new ProxyProtocolChoice(version, proxied);
  }

  /**
   * For the origin probe: none when the address really passes through the load balancer, which
   * adds the header itself: one of {@code loadBalancerProxies}, or a load balancer known only by
   * its name (an Ingress's status without a gateway Service to read them from).
   */
  ProxyProtocol towardsOrigin(OriginEndpoint origin) {
    boolean loadBalancerName = origin.source() == OriginEndpoint.Source.LOAD_BALANCER
        && NetworkAddress.parse(origin.address()).map(NetworkAddress::isName).orElse(false);
    boolean proxied = loadBalancerName || loadBalancerProxies.stream().anyMatch(a -> a.equalsIgnoreCase(origin.address()));
    return proxied ? ProxyProtocol.NONE : version;
  }

  private static boolean annotated(Service service) {
    if (service == null || service.getMetadata() == null || service.getMetadata().getAnnotations() == null) {
      return false;
    }
    Map<String, String> annotations = service.getMetadata().getAnnotations();
    return CLOUD_ANNOTATIONS.keySet().stream().anyMatch(key -> enabled(key, annotations.get(key)));
  }

  /** AWS takes "*" (all ports) or a port list; DigitalOcean and Hetzner take "true". */
  private static boolean enabled(String key, String value) {
    if (value == null) {
      return false;
    }
    String v = value.strip();
    return key.contains("aws-") ? !v.isEmpty() : "true".equalsIgnoreCase(v);
  }

}
