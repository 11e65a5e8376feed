package dev.upstreamhealth.generate;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The hostnames of Gateway API HTTPRoutes, read as generic objects so that no Gateway API model is
 * needed; TLS and the load-balancer address come from the parent Gateways. A cluster without the
 * Gateway API answers 404, which means: nothing to read.
 */
public final class HttpRouteHosts implements RouteSource {
  // Named outright, so that a cluster without the Gateway API answers 404 instead of discovery failing.
  private static final ResourceDefinitionContext HTTP_ROUTES = context("HTTPRoute", "httproutes");
  private static final ResourceDefinitionContext GATEWAYS = context("Gateway", "gateways");

  private static ResourceDefinitionContext context(String kind, String plural) {
    return new ResourceDefinitionContext.Builder().withGroup("gateway.networking.k8s.io").withVersion("v1")
        .withKind(kind).withPlural(plural).withNamespaced(true).build();
  }

  @Override
  public String kind() {
    return "HTTPRoute";
  }

  @Override
  public boolean available(KubernetesClient client) {
    return true;
  }

  @Override
  public Found find(KubernetesClient client, Scope scope) {
    List<GenericKubernetesResource> routes;
    try {
      var all = client.genericKubernetesResources(HTTP_ROUTES);
      var inScope = scope.allNamespaces() ? all.inAnyNamespace() : all.inNamespace(scope.namespace());
      routes = (scope.labelSelector() == null ? inScope : inScope.withLabelSelector(scope.labelSelector()))
          .list().getItems();
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) {
        return new Found(List.of(), List.of());
      }
      throw e;
    }
    List<PublicHost> hosts = new ArrayList<>();
    List<Skipped> skipped = new ArrayList<>();
    for (GenericKubernetesResource route : routes) {
      String namespace = route.getMetadata().getNamespace();
      String name = route.getMetadata().getName();
      String what = "HTTPRoute " + namespace + "/" + name;
      List<String> hostnames = strings(spec(route).get("hostnames"));
      if (hostnames.isEmpty()) {
        skipped.add(new Skipped(what, "it lists no hostnames (it takes every host its Gateway accepts: name one in a Site by hand)"));
      }
      List<GenericKubernetesResource> gateways = parentGateways(client, route);
      Set<String> seen = new LinkedHashSet<>();
      for (String host : hostnames) {
        Optional<String> whyNot = PublicHostNames.whyNot(host);
        if (whyNot.isPresent()) {
          skipped.add(new Skipped("a hostname of " + what, whyNot.get()));
        } else if (seen.add(host)) {
          boolean tls = gateways.stream().anyMatch(g -> GatewayListeners.terminatesTls(g, host));
          List<String> addresses = gateways.stream().flatMap(g -> GatewayListeners.addresses(g).stream()).toList();
          hosts.add(new PublicHost(namespace, host, kind(), name, tls, addresses));
        }
      }
    }
    return new Found(hosts, skipped);
  }

  /** The Gateways the route attaches to that the account may read. */
  private static List<GenericKubernetesResource> parentGateways(KubernetesClient client, GenericKubernetesResource route) {
    List<GenericKubernetesResource> gateways = new ArrayList<>();
    for (Object ref : list(spec(route).get("parentRefs"))) {
      if (!(ref instanceof Map<?, ?> parent)) {
        continue;
      }
      Object kind = parent.get("kind");
      Object parentNamespace = parent.get("namespace");
      if (kind != null && !"Gateway".equals(String.valueOf(kind))) {
        continue;
      }
      String namespace = parentNamespace == null ? route.getMetadata().getNamespace() : String.valueOf(parentNamespace);
      try {
        GenericKubernetesResource gateway = client.genericKubernetesResources(GATEWAYS)
            .inNamespace(namespace).withName(String.valueOf(parent.get("name"))).get();
        if (gateway != null) {
          gateways.add(gateway);
        }
      } catch (KubernetesClientException e) {
        // Unreadable: the Site gets no TLS hint or gateway from it, and port 80 is the safe guess.
      }
    }
    return gateways;
  }

  static Map<String, Object> spec(GenericKubernetesResource object) {
    Object spec = object.getAdditionalProperties().get("spec");
    @SuppressWarnings("unchecked")
    Map<String, Object> map = spec instanceof Map<?, ?> ? (Map<String, Object>) spec : Map.of();
    return map;
  }

  static List<?> list(Object value) {
    return value instanceof List<?> l ? l : List.of();
  }

  static List<String> strings(Object value) {
    return list(value).stream().map(String::valueOf).toList();
  }
}
