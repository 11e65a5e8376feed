package dev.upstreamhealth.diagnosis;

import static dev.upstreamhealth.diagnosis.IngressRoutes.nullSafe;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.AllowedRoutes;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClass;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayStatusAddress;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPBackendRef;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPPathModifier;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRequestRedirectFilter;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteFilter;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteMatch;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRule;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteTimeouts;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Listener;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ParentReference;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.RouteGroupKind;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.RouteParentStatus;
import io.fabric8.kubernetes.api.model.gatewayapi.v1beta1.ReferenceGrant;
import io.fabric8.kubernetes.api.model.gatewayapi.v1beta1.ReferenceGrantFrom;
import io.fabric8.kubernetes.api.model.gatewayapi.v1beta1.ReferenceGrantTo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.Comparator;

/**
 * Reads what Gateway API objects say about one host, with the Gateway API's own rules: hostname
 * wildcards, parentRefs and their status, listeners, backendRefs, ReferenceGrants, timeouts.
 */
public final class HttpRoutes {
  public static final String GROUP = "gateway.networking.k8s.io";
  private static final Pattern DURATION_PART = Pattern.compile("([0-9]{1,5})(ms|h|m|s)");

  private HttpRoutes() {}

  /**
   * Whether a route or listener hostname covers host. "*.example.com" is a suffix match of one or
   * more labels (it covers a.b.example.com, not example.com); an absent hostname covers all.
   */
  public static boolean hostnameCovers(String pattern, String host) {
    if (pattern == null || pattern.isEmpty()) {
      return true;
    }
    String p = pattern.toLowerCase(Locale.ROOT);
    String h = host.toLowerCase(Locale.ROOT);
    if (p.equals(h)) {
      return true;
    }
    if (!p.startsWith("*.")) {
      return false;
    }
    String suffix = p.substring(1);
    // A wildcard host ("*.shop.example.com") is covered only by a wildcard of a wider suffix.
    String subject = h.startsWith("*.") ? h.substring(1) : h;
    return subject.endsWith(suffix) && subject.length() > suffix.length();
  }

  /** A route without hostnames takes its listeners'; otherwise one of them must cover host. */
  public static boolean routeCovers(HTTPRoute route, String host) {
    List<String> hostnames = route.getSpec() == null ? List.of() : nullSafe(route.getSpec().getHostnames());
    return hostnames.isEmpty() || hostnames.stream().anyMatch(h -> hostnameCovers(h, host));
  }

  public static List<String> hostnames(HTTPRoute route) {
    return route.getSpec() == null ? List.of() : nullSafe(route.getSpec().getHostnames());
  }

  /** The route's parentRefs that name a Gateway (the default kind) or a ListenerSet, in spec order. */
  public static List<ParentReference> parents(HTTPRoute route) {
    if (route.getSpec() == null) {
      return List.of();
    }
    return nullSafe(route.getSpec().getParentRefs()).stream()
        .filter(p -> p.getName() != null && (namesAGateway(p) || namesAListenerSet(p)))
        .toList();
  }

  /** Whether a parentRef names a ListenerSet: listeners added to a Gateway, which serve the route. */
  public static boolean namesAListenerSet(ParentReference ref) {
    return "ListenerSet".equals(ref.getKind()) && (ref.getGroup() == null || GROUP.equals(ref.getGroup()));
  }

  /** "namespace/name" of the Gateway or ListenerSet a parentRef names; the route's namespace when it names none. */
  public static String parentKey(HTTPRoute route, ParentReference parent) {
    String ns = parent.getNamespace() == null || parent.getNamespace().isEmpty()
        ? route.getMetadata().getNamespace() : parent.getNamespace();
    return ObjectKey.of(ns, parent.getName());
  }

  /**
   * The route's status entry for one parent, as the parent's controller wrote it: the entry for a
   * parent of that kind and name (not a mesh Service of the same name), of the same sectionName
   * and port where both give one (two parentRefs to one Gateway's port 80 and 443 get an entry
   * each, and one may be refused while the other is accepted), and, where the Gateway's
   * controller is known, the one it wrote. An entry another controller left behind (one the
   * Gateway was moved away from, which nothing updates any more) is not the Gateway's word.
   *
   * @param controller the controllerName of the Gateway's class; null when unknown
   */
  public static Optional<RouteParentStatus> parentStatus(HTTPRoute route, ParentReference parent, String controller) {
    if (route.getStatus() == null) {
      return Optional.empty();
    }
    String key = parentKey(route, parent);
    return nullSafe(route.getStatus().getParents()).stream()
        .filter(s -> s.getParentRef() != null && s.getParentRef().getName() != null
            && namesAListenerSet(s.getParentRef()) == namesAListenerSet(parent)
            && (namesAGateway(s.getParentRef()) || namesAListenerSet(s.getParentRef()))
            && key.equals(parentKey(route, s.getParentRef()))
            && (parent.getSectionName() == null || s.getParentRef().getSectionName() == null
                || parent.getSectionName().equals(s.getParentRef().getSectionName()))
            && (parent.getPort() == null || s.getParentRef().getPort() == null
                || parent.getPort().equals(s.getParentRef().getPort())))
        .filter(s -> controller == null || s.getControllerName() == null || controller.equals(s.getControllerName()))
        .findFirst();
  }

  /** The controllerName of the Gateway's class, when the class is known. */
  public static String controllerOf(Gateway gateway, RouteState state) {
    String className = gateway == null || gateway.getSpec() == null ? null : gateway.getSpec().getGatewayClassName();
    GatewayClass gatewayClass = className == null ? null : state.classes().get(className);
    return gatewayClass == null || gatewayClass.getSpec() == null ? null : gatewayClass.getSpec().getControllerName();
  }

  private static boolean namesAGateway(ParentReference ref) {
    return (ref.getKind() == null || "Gateway".equals(ref.getKind()))
        && (ref.getGroup() == null || GROUP.equals(ref.getGroup()));
  }

  public static Optional<Condition> condition(List<Condition> conditions, String type) {
    return nullSafe(conditions).stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  public static boolean isTrue(Optional<Condition> condition) {
    return condition.map(c -> "True".equals(c.getStatus())).orElse(false);
  }

  /** Whether a condition was written for the object (a route, a ListenerSet) as it is now, not an older generation. */
  static boolean current(Condition c, HasMetadata object) {
    Long generation = object.getMetadata().getGeneration();
    return c.getObservedGeneration() == null || generation == null || c.getObservedGeneration() >= generation;
  }

  /** "Accepted False, NotAllowedByListeners: \"...\"": a condition quoted in the cluster's own words. */
  public static String quote(Condition c) {
    return c.getType() + " " + c.getStatus() + (c.getReason() == null ? "" : ", " + c.getReason())
        + (c.getMessage() == null || c.getMessage().isBlank() ? "" : ": \"" + c.getMessage() + "\"");
  }

  /**
   * The Gateway's HTTP and HTTPS listeners that the parentRef attaches to (its sectionName or port,
   * when given) and whose hostname covers host. Listeners whose allowedRoutes plainly exclude the
   * route (another namespace under {@code Same}, kinds without HTTPRoute) are left out where
   * another one remains: the route is not attached to them, and the CDN does not reach it there.
   * Where none would remain the route's own status says whether it is attached.
   */
  public static List<Listener> listenersFor(Gateway gateway, ParentReference parent, String host, String routeNamespace,
      boolean isolated) {
    if (gateway.getSpec() == null) {
      return List.of();
    }
    String gatewayNamespace = gateway.getMetadata() == null ? null : gateway.getMetadata().getNamespace();
    return listenersFor(gateway.getSpec().getListeners(), gatewayNamespace, parent, host, routeNamespace, isolated);
  }

  /**
   * The same, of any listeners: a Gateway's, or a ListenerSet's, whose {@code Same} means the
   * ListenerSet's namespace.
   *
   * @param ownerNamespace the namespace of the object that declares the listeners
   */
  static List<Listener> listenersFor(List<Listener> listeners, String ownerNamespace, ParentReference parent,
      String host, String routeNamespace, boolean isolated) {
    List<Listener> covering = attachedCovering(listeners, parent, host);
    List<Listener> admitting = covering.stream()
        .filter(l -> !excludes(l.getAllowedRoutes(), ownerNamespace, routeNamespace))
        .toList();
    return (admitting.isEmpty() ? covering : admitting).stream()
        .filter(l -> !isolated || takenBy(listeners, l, host).isEmpty())
        .toList();
  }

  /**
   * Whether the Gateway's class keeps the listeners of a port apart (the Extended feature
   * GatewayHTTPListenerIsolation, in its status's supportedFeatures): only then do a more specific
   * listener's routes alone serve the hosts it covers. Implementations without it (Traefik, say)
   * serve a route of a wildcard listener for a host another listener names, and no page may say
   * otherwise.
   */
  static boolean isolatesListeners(GatewayClass gatewayClass) {
    return gatewayClass != null && gatewayClass.getStatus() != null
        && nullSafe(gatewayClass.getStatus().getSupportedFeatures()).stream()
            .anyMatch(f -> f != null && LISTENER_ISOLATION.equals(f.getName()));
  }

  private static final String LISTENER_ISOLATION = "GatewayHTTPListenerIsolation";

  /** The HTTP and HTTPS listeners the parentRef attaches to (its sectionName or port, when given) whose hostname covers host. */
  private static List<Listener> attachedCovering(List<Listener> listeners, ParentReference parent, String host) {
    return httpListeners(listeners)
        .filter(l -> parent.getSectionName() == null || parent.getSectionName().equals(l.getName()))
        .filter(l -> parent.getPort() == null || parent.getPort().equals(l.getPort()))
        .filter(l -> hostnameCovers(l.getHostname(), host))
        .toList();
  }

  private static Stream<Listener> httpListeners(List<Listener> listeners) {
    return nullSafe(listeners).stream().filter(l -> "HTTP".equals(l.getProtocol()) || "HTTPS".equals(l.getProtocol()));
  }

  /**
   * The listener on the same port that takes host's requests before {@code listener}: the Gateway
   * API matches a request's host against the listeners of a port from the most specific hostname
   * to the least (an exact name, then wildcards by the dots after the {@code *}, then none), and
   * only that listener's routes serve it. Empty when {@code listener} is the one that takes host.
   */
  static Optional<Listener> takenBy(List<Listener> listeners, Listener listener, String host) {
    int own = specificity(listener.getHostname());
    return httpListeners(listeners)
        .filter(other -> other != listener && Objects.equals(other.getPort(), listener.getPort()))
        .filter(other -> hostnameCovers(other.getHostname(), host) && specificity(other.getHostname()) > own)
        .max(Comparator.comparingInt(other -> specificity(other.getHostname())));
  }

  /**
   * Why the listeners the parentRef attaches to that cover host do not serve it: a more specific
   * listener on their port takes host. Empty when none covers host, or one takes it.
   */
  static Optional<String> takenByAnother(List<Listener> listeners, ParentReference parent, String host) {
    List<Listener> covering = attachedCovering(listeners, parent, host);
    if (covering.isEmpty() || covering.stream().anyMatch(l -> takenBy(listeners, l, host).isEmpty())) {
      return Optional.empty();
    }
    Listener attached = covering.get(0);
    Listener taker = takenBy(listeners, attached, host).orElseThrow();
    return Optional.of("listener \"" + taker.getName() + "\" (hostname " + taker.getHostname() + ") takes " + host
        + " on port " + taker.getPort() + " before listener \"" + attached.getName() + "\" ("
        + (attached.getHostname() == null || attached.getHostname().isEmpty() ? "no hostname" : "hostname "
            + attached.getHostname()) + "), the one the route attaches to: of the listeners of a port, the most specific hostname"
        + " takes a request, and only its routes serve it");
  }

  /** An exact hostname before any wildcard, a wildcard by its dots after the {@code *}, none last. */
  private static int specificity(String hostname) {
    if (hostname == null || hostname.isEmpty()) {
      return 0;
    }
    if (!hostname.startsWith("*.")) {
      return Integer.MAX_VALUE;
    }
    return 1 + (int) hostname.chars().filter(c -> c == '.').count();
  }

  /**
   * Whether a listener's allowedRoutes plainly exclude an HTTPRoute of the namespace: {@code Same}
   * (the default) for another namespace, or kinds that leave HTTPRoute out. A {@code Selector}
   * is judged by namespace labels this operator does not read: not plainly excluded.
   */
  private static boolean excludes(AllowedRoutes allowed, String ownerNamespace, String routeNamespace) {
    String from = allowed == null || allowed.getNamespaces() == null || allowed.getNamespaces().getFrom() == null
        ? "Same" : allowed.getNamespaces().getFrom();
    if ("Same".equals(from) && ownerNamespace != null && !ownerNamespace.equals(routeNamespace)) {
      return true;
    }
    List<RouteGroupKind> kinds = allowed == null ? List.of() : nullSafe(allowed.getKinds());
    return !kinds.isEmpty() && kinds.stream().noneMatch(k -> "HTTPRoute".equals(k.getKind())
        && (k.getGroup() == null || GROUP.equals(k.getGroup())));
  }

  /** The Gateway's addresses in status order. */
  public static List<String> addresses(Gateway gateway) {
    if (gateway.getStatus() == null) {
      return List.of();
    }
    return nullSafe(gateway.getStatus().getAddresses()).stream()
        .map(GatewayStatusAddress::getValue)
        .filter(v -> v != null && !v.isBlank())
        .toList();
  }

  /**
   * The Service backendRefs of the route's rules, each distinct Service and port once, in route
   * order. A weight of 0 sends no traffic, so such a backend does not count.
   */
  public static List<BackendRef> backendsFor(HTTPRoute route) {
    Set<BackendRef> refs = new LinkedHashSet<>();
    String namespace = route.getMetadata().getNamespace();
    if (route.getSpec() == null) {
      return List.of();
    }
    for (HTTPRouteRule rule : nullSafe(route.getSpec().getRules())) {
      for (HTTPBackendRef ref : nullSafe(rule.getBackendRefs())) {
        if (!isService(ref) || ref.getName() == null || ref.getName().isBlank()
            || sendsNothing(ref)) {
          continue;
        }
        refs.add(refOf(namespace, ref));
      }
    }
    return List.copyOf(refs);
  }

  /** Whether a rule of the route sends traffic to a backendRef of another kind than Service. */
  static boolean sendsToOtherKinds(HTTPRoute route) {
    return route.getSpec() != null && nullSafe(route.getSpec().getRules()).stream()
        .flatMap(rule -> nullSafe(rule.getBackendRefs()).stream())
        .anyMatch(ref -> !isService(ref) && !sendsNothing(ref));
  }

  /** A backendRef as the backends are keyed: its namespace defaults to the route's. */
  static BackendRef refOf(String routeNamespace, HTTPBackendRef ref) {
    String ns = ref.getNamespace() == null || ref.getNamespace().isEmpty() ? routeNamespace : ref.getNamespace();
    return new BackendRef(ns, ref.getName(), ref.getPort(), null);
  }

  /** Whether any rule of the route has a backendRef of weight 0, which gets no traffic. */
  static boolean hasRefsOfWeightZero(HTTPRoute route) {
    return route.getSpec() != null && nullSafe(route.getSpec().getRules()).stream()
        .flatMap(rule -> nullSafe(rule.getBackendRefs()).stream())
        .anyMatch(HttpRoutes::sendsNothing);
  }

  /**
   * Whether a rule, or one of its backendRefs, mirrors requests to another backend. A mirror's
   * answers are thrown away, and the Gateway API has an implementation that cannot resolve a
   * mirror's backendRef report ResolvedRefs False and drop only the mirror.
   */
  static boolean mirrors(HTTPRoute route) {
    return route.getSpec() != null && nullSafe(route.getSpec().getRules()).stream()
        .flatMap(rule -> Stream.concat(nullSafe(rule.getFilters()).stream(),
            nullSafe(rule.getBackendRefs()).stream().flatMap(ref -> nullSafe(ref.getFilters()).stream())))
        .anyMatch(filter -> filter.getRequestMirror() != null);
  }

  /** A weight of 0: the gateway sends the ref no traffic. */
  static boolean sendsNothing(HTTPBackendRef ref) {
    return ref.getWeight() != null && ref.getWeight() == 0;
  }

  static boolean isService(HTTPBackendRef ref) {
    return (ref.getKind() == null || "Service".equals(ref.getKind()))
        && (ref.getGroup() == null || ref.getGroup().isEmpty() || "core".equals(ref.getGroup()));
  }

  /**
   * Whether a ReferenceGrant in the backend's namespace lets HTTPRoutes of the route's namespace
   * refer to the Service. A backend in the route's own namespace needs none.
   */
  public static boolean permitted(String routeNamespace, BackendRef backend, List<ReferenceGrant> grants) {
    if (routeNamespace.equals(backend.namespace())) {
      return true;
    }
    for (ReferenceGrant grant : grants) {
      if (!backend.namespace().equals(grant.getMetadata().getNamespace()) || grant.getSpec() == null) {
        continue;
      }
      boolean from = nullSafe(grant.getSpec().getFrom()).stream().anyMatch(f -> admitsFrom(f, routeNamespace));
      boolean to = nullSafe(grant.getSpec().getTo()).stream().anyMatch(t -> admitsTo(t, backend.serviceName()));
      if (from && to) {
        return true;
      }
    }
    return false;
  }

  private static boolean admitsFrom(ReferenceGrantFrom from, String namespace) {
    return GROUP.equals(from.getGroup()) && "HTTPRoute".equals(from.getKind()) && namespace.equals(from.getNamespace());
  }

  private static boolean admitsTo(ReferenceGrantTo to, String service) {
    return (to.getGroup() == null || to.getGroup().isEmpty()) && "Service".equals(to.getKind())
        && (to.getName() == null || to.getName().isEmpty() || service.equals(to.getName()));
  }

  /**
   * How long the gateway waits for an upstream's answer to the probe's GET of {@code probePath}:
   * the {@code timeouts.backendRequest} or {@code timeouts.request} (the shorter) of the rule that
   * path reaches, as {@link #upstreamPath} picks it; timeouts are per rule, and another path's says
   * nothing of this one. Where no rule's path match fits (a RegularExpression is not evaluated),
   * the shortest of any rule. Empty when that sets none (the implementation's default applies) or
   * "0s" (no timeout).
   */
  public static Optional<Duration> readTimeout(HTTPRoute route, String probePath) {
    if (route.getSpec() == null) {
      return Optional.empty();
    }
    Optional<HTTPRouteRule> rule = ruleFor(route, probePath).map(RuleMatch::rule);
    List<HTTPRouteRule> rules = rule.map(List::of).orElse(nullSafe(route.getSpec().getRules()));
    return rules.stream().flatMap(r -> timeoutsOf(r).stream()).min(Duration::compareTo);
  }

  /**
   * Whether the rule the probe's path reaches (any rule, where none fits) declares its timeouts,
   * "0s" (none) included: then the implementation's default does not apply.
   */
  public static boolean declaresTimeout(HTTPRoute route, String probePath) {
    if (route.getSpec() == null) {
      return false;
    }
    Optional<HTTPRouteRule> rule = ruleFor(route, probePath).map(RuleMatch::rule);
    return rule.map(List::of).orElse(nullSafe(route.getSpec().getRules())).stream()
        .map(HTTPRouteRule::getTimeouts)
        .anyMatch(t -> t != null && (t.getRequest() != null || t.getBackendRequest() != null));
  }

  /**
   * The longest a gateway waits for an upstream on any rule of the route: a path that waits longer
   * than the CDN has visitors get the CDN's 524. Empty when no rule sets a timeout.
   */
  public static Optional<Duration> longestReadTimeout(HTTPRoute route) {
    return route.getSpec() == null ? Optional.empty() : nullSafe(route.getSpec().getRules()).stream()
        .flatMap(r -> timeoutsOf(r).stream().min(Duration::compareTo).stream())
        .max(Duration::compareTo);
  }

  /** A rule's timeouts other than "0s" (none): backendRequest and request. */
  private static List<Duration> timeoutsOf(HTTPRouteRule rule) {
    HTTPRouteTimeouts t = rule.getTimeouts();
    if (t == null) {
      return List.of();
    }
    return Stream.of(t.getBackendRequest(), t.getRequest())
        .map(HttpRoutes::parseDuration).flatMap(Optional::stream)
        .filter(d -> !d.isZero())
        .toList();
  }

  /** A Gateway API duration (GEP-2257): "10s", "500ms", "1h30m". Empty when absent or malformed. */
  public static Optional<Duration> parseDuration(String value) {
    if (value == null || value.isBlank() || !value.matches("([0-9]{1,5}(h|m|s|ms)){1,4}")) {
      return Optional.empty();
    }
    Duration total = Duration.ZERO;
    Matcher m = DURATION_PART.matcher(value);
    while (m.find()) {
      long n = Long.parseLong(m.group(1));
      total = total.plus(switch (m.group(2)) {
        case "h" -> Duration.ofHours(n);
        case "m" -> Duration.ofMinutes(n);
        case "s" -> Duration.ofSeconds(n);
        default -> Duration.ofMillis(n);
      });
    }
    return Optional.of(total);
  }

  /** The rule a GET of a path reaches, and the value of the path match that picked it. */
  record RuleMatch(HTTPRouteRule rule, String pathValue) {}

  /**
   * The rule the probe's GET of {@code probePath} reaches: the one whose path match fits best (an
   * Exact match, else the longest PathPrefix, as the Gateway API ranks them). A match that also
   * asks for a header, a query parameter or another method is not the probe's: the probe sends
   * none of them. Empty when no rule's path matches.
   */
  static Optional<RuleMatch> ruleFor(HTTPRoute route, String probePath) {
    if (route.getSpec() == null) {
      return Optional.empty();
    }
    int q = probePath.indexOf('?');
    String path = q < 0 ? probePath : probePath.substring(0, q);
    HTTPRouteRule best = null;
    String bestPrefix = null;
    int bestRank = -1;
    for (HTTPRouteRule rule : nullSafe(route.getSpec().getRules())) {
      List<HTTPRouteMatch> matches = nullSafe(rule.getMatches());
      for (HTTPRouteMatch match : matches.isEmpty() ? List.of(new HTTPRouteMatch()) : matches) {
        if (!nullSafe(match.getHeaders()).isEmpty() || !nullSafe(match.getQueryParams()).isEmpty()
            || (match.getMethod() != null && !"GET".equals(match.getMethod()))) {
          continue;
        }
        String type = match.getPath() == null || match.getPath().getType() == null ? "PathPrefix" : match.getPath().getType();
        String value = match.getPath() == null || match.getPath().getValue() == null ? "/" : match.getPath().getValue();
        int rank;
        if ("Exact".equals(type) && value.equals(path)) {
          rank = Integer.MAX_VALUE;
        } else if ("PathPrefix".equals(type) && prefixMatches(value, path)) {
          rank = value.length();
        } else {
          continue;
        }
        if (rank > bestRank) {
          best = rule;
          bestPrefix = value;
          bestRank = rank;
        }
      }
    }
    return best == null ? Optional.empty() : Optional.of(new RuleMatch(best, bestPrefix));
  }

  /**
   * The path the gateway sends upstream for the probe's GET of {@code probePath}: that of the rule
   * whose path match fits best (an Exact match, else the longest PathPrefix, as the Gateway API
   * ranks them) after its URLRewrite filter, the query kept as it is. A match that also asks for a
   * header, a query parameter or another method is not the probe's: the probe sends none of them.
   * Empty when no rule's path matches or none rewrites.
   */
  public static Optional<String> upstreamPath(HTTPRoute route, String probePath) {
    return pathAfterFilter(route, probePath, filter -> "URLRewrite".equals(filter.getType())
        && filter.getUrlRewrite() != null ? filter.getUrlRewrite().getPath() : null);
  }

  /**
   * Where the rule a GET of {@code probePath} reaches redirects it on the same host, scheme and
   * port: a RequestRedirect filter that sets only a path (the Gateway API's form of ingress-nginx's
   * app-root, e.g. {@code /} to {@code /app}). The gateway answers it itself; a browser asks that
   * path next. Empty when the rule proxies, or redirects elsewhere.
   */
  public static Optional<String> redirectPath(HTTPRoute route, String host, String probePath) {
    return pathAfterFilter(route, probePath, filter -> {
      HTTPRequestRedirectFilter redirect = filter.getRequestRedirect();
      boolean sameOrigin = "RequestRedirect".equals(filter.getType()) && redirect != null
          && redirect.getScheme() == null && redirect.getPort() == null
          && (redirect.getHostname() == null || redirect.getHostname().equalsIgnoreCase(host));
      return sameOrigin ? redirect.getPath() : null;
    });
  }

  /**
   * The path the first filter of the rule a GET of {@code probePath} reaches turns it into, by the
   * path modifier {@code modifierOf} finds in a filter (null for none), the query kept as it is.
   */
  private static Optional<String> pathAfterFilter(HTTPRoute route, String probePath,
      Function<HTTPRouteFilter, HTTPPathModifier> modifierOf) {
    Optional<RuleMatch> picked = ruleFor(route, probePath);
    if (picked.isEmpty()) {
      return Optional.empty();
    }
    int q = probePath.indexOf('?');
    String path = q < 0 ? probePath : probePath.substring(0, q);
    String query = q < 0 ? "" : probePath.substring(q);
    for (HTTPRouteFilter filter : nullSafe(picked.get().rule().getFilters())) {
      HTTPPathModifier modifier = modifierOf.apply(filter);
      Optional<String> modifiedPath = modifier == null ? Optional.empty()
          : modified(modifier, picked.get().pathValue(), path, query);
      if (modifiedPath.isPresent()) {
        return modifiedPath;
      }
    }
    return Optional.empty();
  }

  /** A path after a URLRewrite's or RequestRedirect's path modifier, for the match value that picked the rule. */
  private static Optional<String> modified(HTTPPathModifier modifier, String matchValue, String path, String query) {
    if ("ReplaceFullPath".equals(modifier.getType()) && modifier.getReplaceFullPath() != null) {
      return Optional.of(modifier.getReplaceFullPath() + query);
    }
    if ("ReplacePrefixMatch".equals(modifier.getType()) && modifier.getReplacePrefixMatch() != null) {
      String rest = path.substring(Math.min(path.length(), trimSlash(matchValue).length()));
      String replacement = trimSlash(modifier.getReplacePrefixMatch());
      String rewritten = replacement + rest;
      return Optional.of((rewritten.isEmpty() ? "/" : rewritten.startsWith("/") ? rewritten : "/" + rewritten) + query);
    }
    return Optional.empty();
  }

  /**
   * Whether the rule a GET of {@code /} reaches proxies it to a backend: not a rule that only
   * redirects (the Gateway API's http-to-https route beside the https one), and some rule matches
   * {@code /} (not a route for {@code /api} alone).
   */
  public static boolean routesRootToABackend(HTTPRoute route) {
    return ruleFor(route, "/").map(RuleMatch::rule)
        .filter(rule -> nullSafe(rule.getFilters()).stream().noneMatch(f -> f.getRequestRedirect() != null))
        .filter(rule -> nullSafe(rule.getBackendRefs()).stream().anyMatch(ref -> !sendsNothing(ref)))
        .isPresent();
  }

  /**
   * Whether some rule of the route matches a GET for {@code path} by its path: Exact, PathPrefix,
   * or a RegularExpression (which may match anything; it is not evaluated here). A rule without
   * matches matches every path.
   */
  static boolean routesPath(HTTPRoute route, String path) {
    if (route.getSpec() == null) {
      return true;
    }
    for (HTTPRouteRule rule : nullSafe(route.getSpec().getRules())) {
      List<HTTPRouteMatch> matches = nullSafe(rule.getMatches());
      for (HTTPRouteMatch match : matches.isEmpty() ? List.of(new HTTPRouteMatch()) : matches) {
        String type = match.getPath() == null || match.getPath().getType() == null ? "PathPrefix" : match.getPath().getType();
        String value = match.getPath() == null || match.getPath().getValue() == null ? "/" : match.getPath().getValue();
        if ("Exact".equals(type) ? value.equals(path) : !"PathPrefix".equals(type) || prefixMatches(value, path)) {
          return true;
        }
      }
    }
    return false;
  }

  /** The path matches of the route's rules, as "PathPrefix /api", for messages. */
  static List<String> pathMatches(HTTPRoute route) {
    List<String> out = new ArrayList<>();
    if (route.getSpec() != null) {
      for (HTTPRouteRule rule : nullSafe(route.getSpec().getRules())) {
        for (HTTPRouteMatch match : nullSafe(rule.getMatches())) {
          if (match.getPath() != null && match.getPath().getValue() != null) {
            out.add((match.getPath().getType() == null ? "PathPrefix" : match.getPath().getType()) + " "
                + match.getPath().getValue());
          }
        }
      }
    }
    return out;
  }

  /** A PathPrefix matches whole path elements: "/api" matches "/api" and "/api/x", not "/apix". */
  static boolean prefixMatches(String prefix, String path) {
    String p = trimSlash(prefix);
    return p.isEmpty() || path.equals(p) || path.startsWith(p + "/");
  }

  private static String trimSlash(String s) {
    return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }

  /** ReferenceGrants of the namespaces the route's backendRefs point into, other than its own. */
  public static Set<String> foreignBackendNamespaces(HTTPRoute route) {
    Set<String> namespaces = new LinkedHashSet<>();
    for (BackendRef ref : backendsFor(route)) {
      if (!Objects.equals(ref.namespace(), route.getMetadata().getNamespace())) {
        namespaces.add(ref.namespace());
      }
    }
    return namespaces;
  }

  static String key(HTTPRoute route) {
    return route.getMetadata().getNamespace() + "/" + route.getMetadata().getName();
  }
}
