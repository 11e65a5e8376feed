package dev.upstreamhealth.diagnosis;

import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPBackendRef;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteMatch;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRule;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * How an HTTPRoute shares its visitors' requests among its backends, for a backend that cannot
 * serve: whether it fails only a share of them. A canary at weight 10 beside a stable backend that
 * serves fails about a tenth of its rule's requests (the Gateway API has an implementation answer
 * 500 or 503 for that proportion only), and a rule only a header, a query parameter or a method
 * other than GET reaches (an A/B test's) fails only the requests that carry it. While most of the
 * visitors' requests are served, either is a partial failure of the Site, not the Site down; a
 * canary analysis (Flagger, Argo Rollouts) exists to catch it and rolls back on its own.
 */
final class TrafficSplit {
  private TrafficSplit() {}

  /**
   * Why the backend fails only a share of the visitors' requests, for the message: "; HTTPRoute
   * web/shop sends Service web/shop-canary weight 10 of 100 in spec.rules[1], the rest to
   * backends that serve: about 10 % of that rule's requests fail", or "...only the requests with
   * header x-canary (spec.rules[0])". Empty when some rule reached by plain requests sends it
   * traffic and has half its weight or more on backends that cannot serve, this one counted among
   * them: half of that rule's visitors or more get errors, and that is the Site's fault.
   *
   * @param cannotServe the route's other backends that cannot serve now (missing, without the
   *     port, not permitted, no ready endpoint)
   */
  static Optional<String> shareOnly(HTTPRoute route, BackendRef backend, Set<BackendRef> cannotServe) {
    if (route == null || route.getSpec() == null) {
      return Optional.empty();
    }
    String namespace = route.getMetadata().getNamespace();
    List<String> shares = new ArrayList<>();
    List<HTTPRouteRule> rules = IngressRoutes.nullSafe(route.getSpec().getRules());
    for (int i = 0; i < rules.size(); i++) {
      HTTPRouteRule rule = rules.get(i);
      List<HTTPBackendRef> carrying = IngressRoutes.nullSafe(rule.getBackendRefs()).stream()
          .filter(ref -> !HttpRoutes.sendsNothing(ref))
          .toList();
      long own = carrying.stream().filter(ref -> sameBackend(namespace, ref, backend)).mapToLong(TrafficSplit::weight).sum();
      if (own == 0) {
        continue;
      }
      long total = carrying.stream().mapToLong(TrafficSplit::weight).sum();
      // The backend judged fails, whatever the snapshot says of it; so do the others that cannot serve.
      long failing = carrying.stream()
          .filter(ref -> sameBackend(namespace, ref, backend)
              || (HttpRoutes.isService(ref) && cannotServe.contains(HttpRoutes.refOf(namespace, ref))))
          .mapToLong(TrafficSplit::weight).sum();
      Optional<String> condition = onlyWith(rule);
      if (condition.isPresent()) {
        shares.add("only the " + condition.get() + " (spec.rules[" + i + "])");
      } else if (failing * 2 < total) {
        shares.add("weight " + own + " of " + total + " in spec.rules[" + i + "], the rest to backends that serve:"
            + " about " + percent(failing, total) + " of that rule's requests fail");
      } else {
        return Optional.empty();
      }
    }
    return shares.isEmpty() ? Optional.empty()
        : Optional.of("; HTTPRoute " + ObjectKey.of(route) + " sends Service " + backend.serviceKey() + " "
            + String.join("; ", shares));
  }

  /**
   * The backends of an HTTPRoute Site that cannot serve now: their Service missing, or without
   * the ref's port, a ref to another namespace no ReferenceGrant admits, no endpoint ready. An
   * ExternalName Service is left to the probes through the gateway.
   */
  static Set<BackendRef> cannotServe(Snapshot s) {
    HTTPRoute route = s.route().route();
    String routeNamespace = route.getMetadata().getNamespace();
    Set<BackendRef> out = new HashSet<>();
    for (BackendRef ref : HttpRoutes.backendsFor(route)) {
      // A ref no ReferenceGrant admits is no backend the snapshot holds: the gateway cannot use it.
      // One admitted that the snapshot lacks is in a namespace the operator does not watch: unknown
      // here, left to the probes through the gateway, and no share that fails.
      Optional<Backend> backend = s.backends().stream().filter(b -> b.ref().equals(ref)).findFirst();
      boolean fails = !HttpRoutes.permitted(routeNamespace, ref, s.route().grants())
          || backend.map(TrafficSplit::cannotServe).orElse(false);
      if (fails) {
        out.add(ref);
      }
    }
    return out;
  }

  private static boolean cannotServe(Backend backend) {
    return backend.service() == null || (!backend.isExternalName() && (backend.servicePort(false).isEmpty()
        || EndpointCount.of(backend.slices(), backend.pods(), Set.of()).ready() == 0));
  }

  /**
   * What a request needs to match the rule when every match asks for more than a path: "requests
   * with header x-canary". Empty for a rule plain GET requests of some path match.
   */
  private static Optional<String> onlyWith(HTTPRouteRule rule) {
    List<HTTPRouteMatch> matches = IngressRoutes.nullSafe(rule.getMatches());
    if (matches.isEmpty() || matches.stream().anyMatch(TrafficSplit::plain)) {
      return Optional.empty();
    }
    HTTPRouteMatch first = matches.get(0);
    if (!IngressRoutes.nullSafe(first.getHeaders()).isEmpty()) {
      return Optional.of("requests with header " + first.getHeaders().get(0).getName());
    }
    if (!IngressRoutes.nullSafe(first.getQueryParams()).isEmpty()) {
      return Optional.of("requests with query parameter " + first.getQueryParams().get(0).getName());
    }
    return Optional.of(first.getMethod() + " requests");
  }

  /** A match a visitor's plain GET of the path meets: no header, no query parameter, no other method. */
  private static boolean plain(HTTPRouteMatch match) {
    return IngressRoutes.nullSafe(match.getHeaders()).isEmpty() && IngressRoutes.nullSafe(match.getQueryParams()).isEmpty()
        && (match.getMethod() == null || "GET".equals(match.getMethod()));
  }

  private static boolean sameBackend(String routeNamespace, HTTPBackendRef ref, BackendRef backend) {
    return HttpRoutes.isService(ref) && ref.getName() != null && HttpRoutes.refOf(routeNamespace, ref).equals(
        new BackendRef(backend.namespace(), backend.serviceName(), backend.portNumber(), backend.portName()));
  }

  /** A backendRef's weight: 1 when it says none, as the Gateway API defines it. */
  private static long weight(HTTPBackendRef ref) {
    return ref.getWeight() == null ? 1 : Math.max(0, ref.getWeight());
  }

  private static String percent(long part, long whole) {
    long p = Math.round(100.0 * part / whole);
    return (p == 0 ? "under 1" : p == 100 ? "over 99" : String.valueOf(p)) + " %";
  }
}
