package dev.upstreamhealth.reconciler;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Whether the gateway Service's load balancer ends TLS on a port and hands the gateway pods plain
 * HTTP there: its cloud is told to (Hetzner's {@code protocol: https}, DigitalOcean's TLS ports
 * or certificate, Scaleway's certificates, Akamai's https port, AWS's certificate), and the port
 * sends to the same pod port as the Service's plain http port (ingress-nginx's
 * {@code targetPorts.https: http}). A connection from inside the cluster to the Service's cluster
 * IP, or to a load-balancer IP that kube-proxy short-cuts, lands on that plain port without
 * passing the load balancer: a probe there must speak plain HTTP, and the load balancer's
 * certificate cannot be seen from inside.
 */
final class LoadBalancerTls {
  private static final String DO = "service.beta.kubernetes.io/do-loadbalancer-";
  private static final String LINODE = "service.beta.kubernetes.io/linode-loadbalancer-";

  private LoadBalancerTls() {}

  static boolean endsBeforeThePods(Service service, int port) {
    if (service == null || service.getSpec() == null || service.getSpec().getPorts() == null) {
      return false;
    }
    List<ServicePort> ports = service.getSpec().getPorts();
    Optional<ServicePort> tlsPort = ports.stream().filter(p -> p.getPort() != null && p.getPort() == port).findFirst();
    Optional<ServicePort> plainPort = ports.stream()
        .filter(p -> p.getPort() != null && p.getPort() != port && ("http".equals(p.getName()) || p.getPort() == 80))
        .findFirst();
    return tlsPort.isPresent() && plainPort.isPresent()
        && Objects.equals(target(tlsPort.get()), target(plainPort.get()))
        && cloudEndsTls(annotations(service), port);
  }

  private static IntOrString target(ServicePort port) {
    return port.getTargetPort() != null ? port.getTargetPort() : new IntOrString(port.getPort());
  }

  private static boolean cloudEndsTls(Map<String, String> a, int port) {
    String portText = String.valueOf(port);
    return "https".equals(lower(a.get("load-balancer.hetzner.cloud/protocol")))
        || listed(a.get(DO + "tls-ports"), portText)
        || (a.containsKey(DO + "certificate-id") && "https".equals(lower(a.get(DO + "protocol"))))
        || present(a.get("service.beta.kubernetes.io/scw-loadbalancer-certificate-ids"))
        || "https".equals(lower(a.get(LINODE + "default-protocol")))
        || lower(a.get(LINODE + "port-" + portText)).replace(" ", "").contains("\"protocol\":\"https\"")
        || (present(a.get("service.beta.kubernetes.io/aws-load-balancer-ssl-cert"))
            && (!a.containsKey("service.beta.kubernetes.io/aws-load-balancer-ssl-ports")
                || listed(a.get("service.beta.kubernetes.io/aws-load-balancer-ssl-ports"), portText)
                || "*".equals(a.get("service.beta.kubernetes.io/aws-load-balancer-ssl-ports").strip())));
  }

  private static boolean listed(String list, String port) {
    return list != null && Arrays.stream(list.split(",")).map(String::strip).anyMatch(port::equals);
  }

  private static boolean present(String value) {
    return value != null && !value.isBlank();
  }

  private static String lower(String value) {
    return value == null ? "" : value.strip().toLowerCase(Locale.ROOT);
  }

  private static Map<String, String> annotations(Service service) {
    return service.getMetadata() == null || service.getMetadata().getAnnotations() == null
        ? Map.of() : service.getMetadata().getAnnotations();
  }
}
