package dev.upstreamhealth.diagnosis;

import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.Service;
import java.util.List;
import java.util.Map;

/**
 * Whether the gateway Service's load balancer is a proxy: it opens a connection of its own to the
 * nodes, so the gateway pods see its address, never the CDN's, whatever externalTrafficPolicy
 * says. Those of Hetzner, DigitalOcean, Akamai (Linode), Scaleway, OVHcloud and OpenStack
 * (Octavia), Vultr and Civo are proxies (hence their PROXY-protocol options, which hand the
 * client's address over in a header the kernel does not read), recognised by their controllers'
 * annotations; any load balancer that reports {@code ipMode: Proxy} is one. An AWS Network Load
 * Balancer keeps the client's address with instance targets, not with IP targets (the AWS Load
 * Balancer Controller's {@code nlb-target-type: ip}, or type {@code nlb-ip}): there client IP
 * preservation is off unless its target group attributes turn it on. A Classic Load Balancer, what
 * AWS's in-tree provider makes of a Service with no type annotation, is a TCP proxy, known by its
 * name: REGION.elb.amazonaws.com, where a Network Load Balancer's is elb.REGION.amazonaws.com.
 */
final class ProxyingLoadBalancer {
  private static final List<String> PROXYING_CLOUDS_ANNOTATION_PREFIXES = List.of(
      "load-balancer.hetzner.cloud/",
      CloudLoadBalancers.DIGITALOCEAN,
      CloudLoadBalancers.AKAMAI,
      "service.beta.kubernetes.io/scw-loadbalancer-",
      "service.beta.kubernetes.io/ovh-loadbalancer-",
      "loadbalancer.openstack.org/",
      "service.beta.kubernetes.io/vultr-loadbalancer-",
      "kubernetes.civo.com/");

  private static final String AWS = CloudLoadBalancers.AWS;

  private ProxyingLoadBalancer() {}

  static boolean hidesClientAddress(Service service, List<LoadBalancerIngress> loadBalancerIngress) {
    if (loadBalancerIngress.stream().anyMatch(i -> "Proxy".equals(i.getIpMode())
        || CloudLoadBalancers.isAwsClassicName(i.getHostname()))) {
      return true;
    }
    Map<String, String> annotations = CloudLoadBalancers.annotations(service);
    return annotations.keySet().stream()
        .anyMatch(key -> PROXYING_CLOUDS_ANNOTATION_PREFIXES.stream().anyMatch(key::startsWith))
        || awsIpTargetsWithoutClientAddress(annotations);
  }

  private static boolean awsIpTargetsWithoutClientAddress(Map<String, String> annotations) {
    boolean ipTargets = "ip".equalsIgnoreCase(annotations.getOrDefault(AWS + "nlb-target-type", "").strip())
        || "nlb-ip".equalsIgnoreCase(annotations.getOrDefault(AWS + "type", "").strip());
    String attributes = annotations.getOrDefault(AWS + "target-group-attributes", "").replace(" ", "");
    return ipTargets && !attributes.contains("preserve_client_ip.enabled=true");
  }
}
