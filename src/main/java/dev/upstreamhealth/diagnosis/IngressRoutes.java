package dev.upstreamhealth.diagnosis;

import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBackend;
import io.fabric8.kubernetes.api.model.networking.v1.IngressLoadBalancerIngress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.IngressServiceBackend;
import io.fabric8.kubernetes.api.model.networking.v1.IngressTLS;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Reads what an Ingress says about one host: its backends, its TLS, its load-balancer addresses. */
public final class IngressRoutes {
  private IngressRoutes() {}

  /**
   * The Service backends of the rules whose host matches {@code host}, then the default
   * backend; each distinct Service and port once, in Ingress order.
   */
  public static List<BackendRef> backendsFor(Ingress ingress, String host) {
    String namespace = ingress.getMetadata().getNamespace();
    Set<BackendRef> refs = new LinkedHashSet<>();
    if (ingress.getSpec() == null) {
      return List.of();
    }
    for (IngressRule rule : nullSafe(ingress.getSpec().getRules())) {
      if (!hostMatches(rule.getHost(), host) || rule.getHttp() == null) {
        continue;
      }
      for (HTTPIngressPath path : nullSafe(rule.getHttp().getPaths())) {
        add(refs, namespace, path.getBackend());
      }
    }
    add(refs, namespace, ingress.getSpec().getDefaultBackend());
    return List.copyOf(refs);
  }

  private static void add(Set<BackendRef> refs, String namespace, IngressBackend backend) {
    if (backend == null || backend.getService() == null) {
      return;
    }
    IngressServiceBackend service = backend.getService();
    if (service.getName() == null || service.getName().isBlank()) {
      return;
    }
    Integer number = service.getPort() == null ? null : service.getPort().getNumber();
    String name = service.getPort() == null ? null : service.getPort().getName();
    refs.add(new BackendRef(namespace, service.getName(), number, number == null ? name : null));
  }

  /** Whether a rule applies to host (an empty rule host applies to every host). */
  public static boolean servesHost(IngressRule rule, String host) {
    return hostMatches(rule.getHost(), host);
  }

  /** An empty or absent rule host matches every host; "*.example.com" matches exactly one label. */
  static boolean hostMatches(String ruleHost, String host) {
    if (ruleHost == null || ruleHost.isEmpty()) {
      return true;
    }
    String rule = ruleHost.toLowerCase(Locale.ROOT);
    String h = host.toLowerCase(Locale.ROOT);
    if (rule.equals(h)) {
      return true;
    }
    if (rule.startsWith("*.")) {
      int dot = h.indexOf('.');
      return dot > 0 && h.substring(dot).equals(rule.substring(1));
    }
    return false;
  }

  /** Whether the Ingress terminates TLS for host: then the CDN speaks https to port 443. */
  public static boolean hasTlsFor(Ingress ingress, String host) {
    if (ingress.getSpec() == null) {
      return false;
    }
    for (IngressTLS tls : nullSafe(ingress.getSpec().getTls())) {
      for (String tlsHost : nullSafe(tls.getHosts())) {
        if (tlsHost != null && !tlsHost.isEmpty() && hostMatches(tlsHost, host)) {
          return true;
        }
      }
    }
    return false;
  }

  /** The Ingress's load-balancer addresses, ip else hostname, in status order. */
  public static List<String> loadBalancerAddresses(Ingress ingress) {
    List<String> out = new ArrayList<>();
    if (ingress.getStatus() == null || ingress.getStatus().getLoadBalancer() == null) {
      return out;
    }
    for (IngressLoadBalancerIngress lb : nullSafe(ingress.getStatus().getLoadBalancer().getIngress())) {
      if (lb.getIp() != null && !lb.getIp().isBlank()) {
        out.add(lb.getIp());
      } else if (lb.getHostname() != null && !lb.getHostname().isBlank()) {
        out.add(lb.getHostname());
      }
    }
    return out;
  }

  static <T> List<T> nullSafe(List<T> list) {
    return list == null ? List.of() : list;
  }
}
