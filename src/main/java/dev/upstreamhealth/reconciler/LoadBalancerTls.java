package dev.upstreamhealth.reconciler;

import dev.upstreamhealth.diagnosis.CloudLoadBalancers;
import dev.upstreamhealth.diagnosis.GoBool;
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
  private static final String DO = CloudLoadBalancers.DIGITALOCEAN;
  private static final String LINODE = CloudLoadBalancers.AKAMAI;
  private static final String AWS = CloudLoadBalancers.AWS;

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
        && cloudEndsTls(annotations(service), tlsPort.get());
  }

  private static IntOrString target(ServicePort port) {
    return port.getTargetPort() != null ? port.getTargetPort() : new IntOrString(port.getPort());
  }

  /**
   * Whether the Service's cloud annotations tell its load balancer to end TLS on this port with a
   * certificate of its own. Each cloud's own reading: DigitalOcean ends TLS on its tls-ports (443
   * without them) only with a certificate and not in passthrough; Scaleway's certificates may name
   * their port ({@code 443:id}); the AWS controllers' ssl-ports name ports by number or name, and
   * without them (or with {@code *}) every port gets the certificate.
   */
  private static boolean cloudEndsTls(Map<String, String> a, ServicePort port) {
    String number = String.valueOf(port.getPort());
    String name = port.getName() == null ? number : port.getName();
    String doTlsPorts = a.get(DO + "tls-ports");
    String awsSslPorts = a.get(AWS + "ssl-ports");
    return "https".equals(lower(a.get("load-balancer.hetzner.cloud/protocol")))
        || (present(a.get(DO + "certificate-id")) && !GoBool.isTrue(a.get(DO + "tls-passthrough"))
            && (doTlsPorts == null ? port.getPort() == 443 : listed(doTlsPorts, number)))
        || scalewayCertificateOn(a.get("service.beta.kubernetes.io/scw-loadbalancer-certificate-ids"), number)
        || "https".equals(lower(a.get(LINODE + "default-protocol")))
        || lower(a.get(LINODE + "port-" + number)).replace(" ", "").contains("\"protocol\":\"https\"")
        || (present(a.get(AWS + "ssl-cert"))
            && (awsSslPorts == null || "*".equals(awsSslPorts.strip()) || listed(awsSslPorts, number)
                || listed(awsSslPorts, name)));
  }

  /** Certificate ids, each for every port or for one ({@code 443:id}). */
  private static boolean scalewayCertificateOn(String ids, String port) {
    return ids != null && Arrays.stream(ids.split(",")).map(String::strip).filter(id -> !id.isEmpty())
        .anyMatch(id -> !id.contains(":") || id.startsWith(port + ":"));
  }

  private static boolean listed(String list, String port) {
    return Arrays.stream(list.split(",")).map(String::strip).anyMatch(port::equals);
  }

  private static boolean present(String value) {
    return value != null && !value.isBlank();
  }

  private static String lower(String value) {
    return value == null ? "" : value.strip().toLowerCase(Locale.ROOT);
  }

  private static Map<String, String> annotations(Service service) {
    return CloudLoadBalancers.annotations(service);
  }
}
