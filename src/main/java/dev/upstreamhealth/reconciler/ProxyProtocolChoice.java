package dev.upstreamhealth.reconciler;

import dev.upstreamhealth.diagnosis.IngressNginxConfigMap;

import dev.upstreamhealth.api.OriginSpec;
import dev.upstreamhealth.diagnosis.GatewayState;
import dev.upstreamhealth.diagnosis.NetworkAddress;
import dev.upstreamhealth.diagnosis.OriginAddresses;
import dev.upstreamhealth.diagnosis.OriginEndpoint;
import dev.upstreamhealth.probe.ProxyProtocol;
import io.fabric8.kubernetes.api.model.Service;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Whether the load balancer in front of the gateway speaks PROXY protocol, so the probes that
 * land where its connections land must too: {@code origin.proxyProtocol} when set, else the
 * cloud annotation on the gateway Service, in the version that load balancer sends, else
 * ingress-nginx's {@code use-proxy-protocol}.
 *
 * @param version what the gateway expects in front of each connection
 * @param loadBalancerProxies load-balancer addresses that traffic from inside the cluster really
 *     reaches through the load balancer, which adds the header itself: IPs with {@code ipMode:
 *     Proxy}, and host names (kube-proxy short-cuts IPs only, e.g. not an AWS load balancer's name)
 * @param shortCutOnly where only ingress-nginx's ConfigMap says so, the addresses the origin probe
 *     sends the header to: the gateway Service's load-balancer IPs that kube-proxy short-cuts to its
 *     pods. Any other address (a load balancer outside the cluster whose IP a controller publishes,
 *     bare metal's HAProxy, say) adds the header itself, and a second one breaks the request. Null
 *     where a declaration or a cloud annotation decides.
 */
record ProxyProtocolChoice(ProxyProtocol version, List<String> loadBalancerProxies, List<String> shortCutOnly) {

  /**
   * An annotation with which a cloud's load balancer is told to speak PROXY protocol, and the
   * version a value asks for (NONE: off, or a value this cloud does not take).
   */
  record CloudAnnotation(String key, String cloud, Function<String, ProxyProtocol> version) {}

  /** Clouds' PROXY-protocol annotations on a load-balancer Service, as their controllers read them. */
  static final List<CloudAnnotation> CLOUD_ANNOTATIONS = List.of(
      // "*" or a list of ports. The in-tree classic ELB sends v1; a Network Load Balancer only v2.
      new CloudAnnotation("service.beta.kubernetes.io/aws-load-balancer-proxy-protocol", "AWS",
          v -> v.isEmpty() ? ProxyProtocol.NONE : ProxyProtocol.V1),
      new CloudAnnotation("service.beta.kubernetes.io/do-loadbalancer-enable-proxy-protocol", "DigitalOcean",
          v -> on(v, ProxyProtocol.V1)),
      new CloudAnnotation("load-balancer.hetzner.cloud/uses-proxyprotocol", "Hetzner", v -> on(v, ProxyProtocol.V1)),
      // cloud-provider-openstack (Octavia), also OVHcloud's Public Cloud load balancer: true or v1, v2.
      new CloudAnnotation("loadbalancer.openstack.org/proxy-protocol", "OpenStack",
          v -> "v2".equals(v) ? ProxyProtocol.V2 : on("v1".equals(v) ? "true" : v, ProxyProtocol.V1)),
      new CloudAnnotation("service.beta.kubernetes.io/ovh-loadbalancer-proxy-protocol", "OVHcloud",
          v -> v.startsWith("v2") ? ProxyProtocol.V2 : "v1".equals(v) ? ProxyProtocol.V1 : ProxyProtocol.NONE),
      new CloudAnnotation("service.beta.kubernetes.io/linode-loadbalancer-default-proxy-protocol", "Akamai (Linode)",
          ProxyProtocolChoice::named),
      new CloudAnnotation("service.beta.kubernetes.io/linode-loadbalancer-proxy-protocol", "Akamai (Linode)",
          ProxyProtocolChoice::named),
      // true, "*" or a list of ports; false is off.
      new CloudAnnotation("service.beta.kubernetes.io/scw-loadbalancer-proxy-protocol-v1", "Scaleway",
          v -> v.isEmpty() || "false".equals(v) ? ProxyProtocol.NONE : ProxyProtocol.V1),
      new CloudAnnotation("service.beta.kubernetes.io/scw-loadbalancer-proxy-protocol-v2", "Scaleway",
          v -> v.isEmpty() || "false".equals(v) ? ProxyProtocol.NONE : ProxyProtocol.V2),
      new CloudAnnotation("service.beta.kubernetes.io/vultr-loadbalancer-proxy-protocol", "Vultr",
          v -> "v2".equals(v) ? ProxyProtocol.V2 : on(v, ProxyProtocol.V1)),
      new CloudAnnotation("kubernetes.civo.com/loadbalancer-enable-proxy-protocol", "Civo",
          v -> "send-proxy-v2".equals(v) ? ProxyProtocol.V2 : "send-proxy".equals(v) ? ProxyProtocol.V1 : ProxyProtocol.NONE));

  /**
   * {@code origin.proxyProtocol} when set, else the cloud annotation on the gateway Service; and
   * where neither says, ingress-nginx's own
   * {@code use-proxy-protocol: "true"} in {@code controllerConfig}: nginx then demands the header
   * on every connection, v1 or v2, so the probes send v1.
   */
  static ProxyProtocolChoice of(OriginSpec origin, GatewayState gateway, IngressNginxConfigMap controllerConfig) {
    Service service = gateway == null ? null : gateway.service();
    List<String> proxied = gateway == null ? List.<String>of()
        : gateway.loadBalancerIngress().stream()
            .filter(i -> "Proxy".equals(i.getIpMode()) || i.getIp() == null || i.getIp().isBlank())
            .map(i -> i.getIp() != null && !i.getIp().isBlank() ? i.getIp() : i.getHostname())
            .filter(Objects::nonNull)
            .toList();
    String declared = origin == null || origin.getProxyProtocol() == null ? "" : origin.getProxyProtocol();
    ProxyProtocol version = switch (declared) {
      case "none" -> ProxyProtocol.NONE;
      case "v1" -> ProxyProtocol.V1;
      case "v2" -> ProxyProtocol.V2;
      default -> annotated(service);
    };
    if (declared.isEmpty() && version == ProxyProtocol.NONE && controllerConfig != null && controllerConfig.useProxyProtocol()) {
      List<String> shortCut = gateway == null ? List.of() : gateway.loadBalancerIngress().stream()
          .filter(i -> !"Proxy".equals(i.getIpMode()) && i.getIp() != null && !i.getIp().isBlank())
          .map(i -> i.getIp())
          .toList();
      return new ProxyProtocolChoice(ProxyProtocol.V1, proxied, shortCut);
    }
    return new ProxyProtocolChoice(version, proxied, null);
  }

  /**
   * For the origin probe: none when the address really passes through the load balancer, which
   * adds the header itself: one of {@code loadBalancerProxies}, or a load balancer known only by
   * its name (an Ingress's status without a gateway Service to read them from).
   */
  ProxyProtocol towardsOrigin(OriginEndpoint origin) {
    if (shortCutOnly != null) {
      return OriginAddresses.named(origin.address(), shortCutOnly).isPresent() ? version : ProxyProtocol.NONE;
    }
    return reachesTheLoadBalancer(origin) ? ProxyProtocol.NONE : version;
  }

  /**
   * Whether a connection to the origin's address from inside the cluster passes the load balancer:
   * one of {@code loadBalancerProxies}, or a load balancer known only by its name. Any other
   * address (a load-balancer IP, a name of the user's for it) lands where kube-proxy sends it.
   */
  boolean reachesTheLoadBalancer(OriginEndpoint origin) {
    boolean loadBalancerName = origin.source() == OriginEndpoint.Source.LOAD_BALANCER
        && NetworkAddress.parse(origin.address()).map(NetworkAddress::isName).orElse(false);
    return loadBalancerName || loadBalancerProxies.stream().anyMatch(a -> a.equalsIgnoreCase(origin.address()));
  }

  /** What the first of the cloud annotations on the gateway Service that asks for a header asks for. */
  private static ProxyProtocol annotated(Service service) {
    if (service == null || service.getMetadata() == null || service.getMetadata().getAnnotations() == null) {
      return ProxyProtocol.NONE;
    }
    Map<String, String> annotations = service.getMetadata().getAnnotations();
    for (CloudAnnotation annotation : CLOUD_ANNOTATIONS) {
      String value = annotations.get(annotation.key());
      ProxyProtocol version = value == null ? ProxyProtocol.NONE : annotation.version().apply(value.strip().toLowerCase(Locale.ROOT));
      if (version != ProxyProtocol.NONE) {
        return version == ProxyProtocol.V1 && networkLoadBalancer(service, annotations) ? ProxyProtocol.V2 : version;
      }
    }
    return ProxyProtocol.NONE;
  }

  /**
   * An AWS Network Load Balancer, which speaks PROXY protocol v2 only: the in-tree type {@code nlb}
   * (or {@code nlb-ip}), the AWS Load Balancer Controller's {@code external} or load-balancer class
   * {@code service.k8s.aws/nlb}, EKS Auto Mode's class {@code eks.amazonaws.com/nlb}.
   */
  private static boolean networkLoadBalancer(Service service, Map<String, String> annotations) {
    if (!annotations.containsKey("service.beta.kubernetes.io/aws-load-balancer-proxy-protocol")) {
      return false;
    }
    String type = annotations.getOrDefault("service.beta.kubernetes.io/aws-load-balancer-type", "").toLowerCase(Locale.ROOT);
    String loadBalancerClass = service.getSpec() == null || service.getSpec().getLoadBalancerClass() == null ? ""
        : service.getSpec().getLoadBalancerClass();
    return type.equals("nlb") || type.equals("nlb-ip") || type.equals("external")
        || loadBalancerClass.equals("service.k8s.aws/nlb") || loadBalancerClass.equals("eks.amazonaws.com/nlb");
  }

  private static ProxyProtocol on(String value, ProxyProtocol version) {
    return "true".equals(value) ? version : ProxyProtocol.NONE;
  }

  private static ProxyProtocol named(String value) {
    return switch (value) {
      case "v1" -> ProxyProtocol.V1;
      case "v2" -> ProxyProtocol.V2;
      default -> ProxyProtocol.NONE;
    };
  }
}
