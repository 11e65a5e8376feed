package dev.upstreamhealth.generate;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a Gateway says about a host: whether a listener terminates TLS for it (a Gateway's, or a
 * ListenerSet's, whose listeners have the same fields), and its addresses.
 */
final class GatewayListeners {
  private GatewayListeners() {}

  /** An HTTPS listener whose hostname is absent, equal to host, or a wildcard that covers it. */
  static boolean terminatesTls(GenericKubernetesResource listenersOwner, String host) {
    for (Object item : HttpRouteHosts.list(HttpRouteHosts.spec(listenersOwner).get("listeners"))) {
      if (item instanceof Map<?, ?> listener && "HTTPS".equals(String.valueOf(listener.get("protocol")))) {
        Object hostname = listener.get("hostname");
        if (hostname == null || covers(String.valueOf(hostname), host)) {
          return true;
        }
      }
    }
    return false;
  }

  static List<String> addresses(GenericKubernetesResource gateway) {
    Object status = gateway.getAdditionalProperties().get("status");
    List<String> addresses = new ArrayList<>();
    if (status instanceof Map<?, ?> map) {
      for (Object a : HttpRouteHosts.list(map.get("addresses"))) {
        if (a instanceof Map<?, ?> address && address.get("value") != null) {
          addresses.add(String.valueOf(address.get("value")));
        }
      }
    }
    return addresses;
  }

  private static boolean covers(String pattern, String host) {
    if (pattern.startsWith("*.")) {
      String suffix = pattern.substring(1);
      return host.endsWith(suffix) && host.length() > suffix.length();
    }
    return pattern.equalsIgnoreCase(host);
  }
}
