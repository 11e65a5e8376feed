package dev.upstreamhealth.gateway;

import dev.upstreamhealth.gateway.IngressNginxGateway.Location;
import dev.upstreamhealth.gateway.IngressNginxGateway.Server;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBackend;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The servers ingress-nginx would configure for Ingresses, read from an API server: one server
 * per rule host (wildcards included), named also by the Ingress's server-alias names, host-less
 * rules and the default backend on the default server, each path proxied to the ready endpoints of its backend Service on the port the
 * EndpointSlice gives for the Service port; a missing Service or one without ready endpoints
 * answers 503. With the controller's ConfigMap, its {@code whitelist-source-range} admits the
 * clients of every Ingress that sets no list of its own, and its {@code proxy-buffer-size} is the
 * buffer of every location whose Ingress has no annotation for it (4k without either).
 */
public final class IngressNginx {
  private IngressNginx() {}

  public static List<Server> servers(KubernetesClient client, List<Ingress> ingresses) {
    return servers(client, ingresses, List.of(), Location.DEFAULT_BUFFER);
  }

  /** The same for a controller started with {@code --configmap=<configMap>} ("namespace/name"), read now. */
  public static List<Server> servers(KubernetesClient client, List<Ingress> ingresses, String configMap) {
    String[] key = configMap.split("/", 2);
    ConfigMap settings = client.configMaps().inNamespace(key[0]).withName(key[1]).get();
    Map<String, String> data = settings == null || settings.getData() == null ? Map.of() : settings.getData();
    return servers(client, ingresses, ranges(data.getOrDefault("whitelist-source-range", "")),
        data.getOrDefault("proxy-buffer-size", Location.DEFAULT_BUFFER));
  }

  private static List<Server> servers(KubernetesClient client, List<Ingress> ingresses, List<String> globalAllowlist,
      String globalBufferSize) {
    Map<String, List<Location>> byHost = new LinkedHashMap<>();
    Map<String, List<String>> aliases = new LinkedHashMap<>();
    // controller.go createServers: a rule host's server is made by the first Ingress naming it, its
    // root location sent to that Ingress's defaultBackend ("defines both a backend and rules. Using
    // its backend as default upstream for all its rules"), or to the controller's own 404; a rule
    // path "/" of any Ingress takes the root location over.
    Map<String, Optional<Location>> rootOf = new LinkedHashMap<>();
    for (Ingress ingress : ingresses) {
      String ns = ingress.getMetadata().getNamespace();
      for (IngressRule rule : nullSafe(ingress.getSpec().getRules())) {
        String host = rule.getHost() == null || rule.getHost().isEmpty() ? "_" : rule.getHost();
        // controller.go createServers: each rule host's server takes the first Ingress's aliases.
        aliases.computeIfAbsent(host, h -> serverAliases(ingress));
        if (!"_".equals(host)) {
          rootOf.computeIfAbsent(host, h -> Optional.ofNullable(ingress.getSpec().getDefaultBackend())
              .map(fallback -> new Location("/", endpoints(client, ns, fallback), allowed(ingress, globalAllowlist),
                  proxyBufferSize(ingress, globalBufferSize))));
        }
        if (rule.getHttp() == null) {
          continue;
        }
        for (HTTPIngressPath path : nullSafe(rule.getHttp().getPaths())) {
          byHost.computeIfAbsent(host, h -> new ArrayList<>()).add(new Location(
              path.getPath() == null ? "/" : path.getPath(), endpoints(client, ns, path.getBackend()),
              allowed(ingress, globalAllowlist), proxyBufferSize(ingress, globalBufferSize)));
        }
      }
      IngressBackend fallback = ingress.getSpec().getDefaultBackend();
      if (fallback != null) {
        List<Location> locations = byHost.computeIfAbsent("_", h -> new ArrayList<>());
        if (locations.stream().noneMatch(l -> l.path().equals("/"))) {
          locations.add(new Location("/", endpoints(client, ns, fallback), allowed(ingress, globalAllowlist),
              proxyBufferSize(ingress, globalBufferSize)));
        }
      }
    }
    rootOf.forEach((host, root) -> root.ifPresent(location -> {
      List<Location> locations = byHost.computeIfAbsent(host, h -> new ArrayList<>());
      if (locations.stream().noneMatch(l -> l.path().equals("/"))) {
        locations.add(location);
      }
    }));
    // Listed sorted by host, as ingress-nginx writes them: nginx keeps a shared alias for the first.
    List<Server> servers = new ArrayList<>();
    new TreeMap<>(byHost).forEach((host, locations) -> servers.add(new Server(host, locations,
        aliases.getOrDefault(host, List.of()).stream().filter(a -> !byHost.containsKey(a)).toList())));
    return servers;
  }

  /** The names of the server-alias annotation, once each; an alias that is a server's own host is dropped. */
  private static List<String> serverAliases(Ingress ingress) {
    Map<String, String> annotations = ingress.getMetadata().getAnnotations() == null ? Map.of()
        : ingress.getMetadata().getAnnotations();
    return Arrays.stream(annotations.getOrDefault("nginx.ingress.kubernetes.io/server-alias", "").split(","))
        .map(String::strip).filter(a -> !a.isEmpty()).distinct().sorted().toList();
  }

  private static List<String> endpoints(KubernetesClient client, String ns, IngressBackend backend) {
    if (backend == null || backend.getService() == null) {
      return List.of();
    }
    Service service = client.services().inNamespace(ns).withName(backend.getService().getName()).get();
    if (service == null || service.getSpec() == null) {
      return List.of();
    }
    var wanted = backend.getService().getPort();
    ServicePort port = nullSafe(service.getSpec().getPorts()).stream()
        .filter(p -> wanted == null || (wanted.getNumber() != null && wanted.getNumber() != 0
            ? wanted.getNumber().equals(p.getPort()) : Objects.equals(wanted.getName(), p.getName())))
        .findFirst().orElse(null);
    if (port == null) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (EndpointSlice slice : client.discovery().v1().endpointSlices().inNamespace(ns)
        .withLabel("kubernetes.io/service-name", service.getMetadata().getName()).list().getItems()) {
      Integer slicePort = nullSafe(slice.getPorts()).stream()
          .filter(p -> Objects.equals(Objects.toString(p.getName(), ""), Objects.toString(port.getName(), "")))
          .map(EndpointPort::getPort).findFirst().orElse(null);
      if (slicePort == null) {
        continue;
      }
      for (Endpoint e : nullSafe(slice.getEndpoints())) {
        boolean ready = e.getConditions() == null || !Boolean.FALSE.equals(e.getConditions().getReady());
        if (ready && e.getAddresses() != null && !e.getAddresses().isEmpty()) {
          out.add(e.getAddresses().get(0) + ":" + slicePort);
        }
      }
    }
    return out;
  }

  /**
   * The client ranges of allowlist-source-range (or its older name, whitelist-source-range), else
   * the controller's global list; none: everyone.
   */
  private static List<String> allowed(Ingress ingress, List<String> globalAllowlist) {
    Map<String, String> annotations = ingress.getMetadata().getAnnotations() == null ? Map.of()
        : ingress.getMetadata().getAnnotations();
    String list = annotations.getOrDefault("nginx.ingress.kubernetes.io/allowlist-source-range",
        annotations.get("nginx.ingress.kubernetes.io/whitelist-source-range"));
    return list == null ? globalAllowlist : ranges(list);
  }

  /** The Ingress's proxy-buffer-size annotation, else the controller's (its ConfigMap's, else 4k). */
  private static String proxyBufferSize(Ingress ingress, String global) {
    Map<String, String> annotations = ingress.getMetadata().getAnnotations() == null ? Map.of()
        : ingress.getMetadata().getAnnotations();
    return annotations.getOrDefault("nginx.ingress.kubernetes.io/proxy-buffer-size", global);
  }

  private static List<String> ranges(String list) {
    return Arrays.stream(list.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
  }

  private static <T> List<T> nullSafe(List<T> list) {
    return list == null ? List.of() : list;
  }
}
