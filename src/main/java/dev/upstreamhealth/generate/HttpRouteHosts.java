package dev.upstreamhealth.generate;

import dev.upstreamhealth.diagnosis.HttpRoutes;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
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
 * needed; TLS comes from the listeners the route attaches to (its parent Gateways', or a parent
 * ListenerSet's own) and the load-balancer address from the Gateways. A cluster without the
 * Gateway API answers 404, which means: nothing to read.
 */
public final class HttpRouteHosts implements RouteSource {
  // Named outright, so that a cluster without the Gateway API answers 404 instead of discovery failing.
  private static final ResourceDefinitionContext HTTP_ROUTES = context("HTTPRoute", "httproutes");
  private static final ResourceDefinitionContext GATEWAYS = context("Gateway", "gateways");
  private static final ResourceDefinitionContext LISTENER_SETS = context("ListenerSet", "listenersets");

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
      Optional<String> solver = AcmeSolverRoute.whyNot(route.getMetadata());
      if (solver.isPresent()) {
        skipped.add(new Skipped(what, solver.get()));
        continue;
      }
      List<String> hostnames = strings(spec(route).get("hostnames"));
      if (hostnames.isEmpty()) {
        skipped.add(new Skipped(what, "it lists no hostnames (it takes every host its Gateway accepts: name one in a Site by hand)"));
      }
      List<Parent> parents = parents(client, route);
      boolean servesRoot = servesRoot(client, route);
      Set<String> seen = new LinkedHashSet<>();
      for (String host : hostnames) {
        Optional<String> whyNot = PublicHostNames.whyNot(host);
        if (whyNot.isPresent()) {
          skipped.add(new Skipped("a hostname of " + what, whyNot.get()));
        } else if (seen.add(host)) {
          boolean tls = parents.stream().anyMatch(p -> GatewayListeners.terminatesTls(p.listeners(), host));
          List<String> addresses = parents.stream().filter(p -> p.gateway() != null)
              .flatMap(p -> GatewayListeners.addresses(p.gateway()).stream()).toList();
          hosts.add(new PublicHost(namespace, host, kind(), name, tls, addresses, servesRoot));
        }
      }
    }
    return new Found(hosts, skipped);
  }

  /**
   * Whether the route sends / to a backend, read through the Gateway API model; a route the model
   * cannot read is taken to, so that it is not passed over for that alone.
   */
  private static boolean servesRoot(KubernetesClient client, GenericKubernetesResource route) {
    try {
      return HttpRoutes.routesRootToABackend(client.getKubernetesSerialization().convertValue(route, HTTPRoute.class));
    } catch (IllegalArgumentException unreadable) {
      return true;
    }
  }

  /**
   * A parent the route attaches to: the object whose listeners carry it (a Gateway, or a
   * ListenerSet), and the Gateway whose addresses the CDN connects to (null when unreadable).
   */
  private record Parent(GenericKubernetesResource listeners, GenericKubernetesResource gateway) {}

  /** The route's parents the account may read: Gateways, and ListenerSets with their Gateways. */
  private static List<Parent> parents(KubernetesClient client, GenericKubernetesResource route) {
    List<Parent> parents = new ArrayList<>();
    for (Object ref : list(spec(route).get("parentRefs"))) {
      if (!(ref instanceof Map<?, ?> parent)) {
        continue;
      }
      Object kind = parent.get("kind");
      String namespace = parent.get("namespace") == null ? route.getMetadata().getNamespace()
          : String.valueOf(parent.get("namespace"));
      String name = String.valueOf(parent.get("name"));
      if (kind == null || "Gateway".equals(String.valueOf(kind))) {
        read(client, GATEWAYS, namespace, name).ifPresent(g -> parents.add(new Parent(g, g)));
      } else if ("ListenerSet".equals(String.valueOf(kind))) {
        read(client, LISTENER_SETS, namespace, name).ifPresent(set -> parents.add(new Parent(set, gatewayOf(client, set))));
      }
    }
    return parents;
  }

  /** The Gateway a ListenerSet adds its listeners to; its namespace is the set's unless named. */
  private static GenericKubernetesResource gatewayOf(KubernetesClient client, GenericKubernetesResource set) {
    if (!(spec(set).get("parentRef") instanceof Map<?, ?> ref) || ref.get("name") == null) {
      return null;
    }
    String namespace = ref.get("namespace") == null ? set.getMetadata().getNamespace() : String.valueOf(ref.get("namespace"));
    return read(client, GATEWAYS, namespace, String.valueOf(ref.get("name"))).orElse(null);
  }

  private static Optional<GenericKubernetesResource> read(KubernetesClient client, ResourceDefinitionContext kind,
      String namespace, String name) {
    try {
      return Optional.ofNullable(client.genericKubernetesResources(kind).inNamespace(namespace).withName(name).get());
    } catch (KubernetesClientException e) {
      // Unreadable (or a cluster without ListenerSets): the Site gets no TLS hint or gateway from
      // it, and port 80 is the safe guess.
      return Optional.empty();
    }
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
