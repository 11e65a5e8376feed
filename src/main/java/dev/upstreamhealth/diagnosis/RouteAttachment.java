package dev.upstreamhealth.diagnosis;

import dev.upstreamhealth.gatewayapi.ListenerSet;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClass;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Listener;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ParentReference;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.RouteParentStatus;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which Gateway serves host for an HTTPRoute, or why none does. A parent serves host when it
 * exists, a controller has Accepted its GatewayClass, it has not refused the route, and one of
 * the listeners the route attaches to covers host. A ListenerSet parent is served by its
 * Gateway, once that Gateway has not refused the set, on the set's own listeners. Of several,
 * see {@link #of(RouteState, String, String, Map)}.
 *
 * @param gateway null when no parent serves host
 * @param parent the route's parentRef that serves host: the Gateway, or a ListenerSet of it
 * @param listeners the serving parent's listeners that carry host
 * @param problem why host is not routed, naming the objects and quoting their conditions; null when served
 * @param alternatives the keys of the other Gateways serving host that the CDN may as well connect
 *     to, by all that is known (origin.address is empty): this one was picked for coming first
 *     among them
 */
public record RouteAttachment(Gateway gateway, ParentReference parent, List<Listener> listeners, String problem,
    List<String> alternatives) {
  /** The reason a controller gives while it has not reconciled the route yet. */
  private static final String PENDING = "Pending";

  public RouteAttachment {
    listeners = List.copyOf(listeners);
    alternatives = List.copyOf(alternatives);
  }

  public boolean served() {
    return gateway != null;
  }

  public String gatewayKey() {
    return gateway == null ? null : ObjectKey.of(gateway);
  }

  /** Whether the gateway terminates TLS for host: then the CDN speaks https to that listener. */
  public Optional<Listener> httpsListener() {
    return listeners.stream().filter(l -> "HTTPS".equals(l.getProtocol())).findFirst();
  }

  public Optional<Listener> httpListener() {
    return listeners.stream().filter(l -> "HTTP".equals(l.getProtocol())).findFirst();
  }

  /**
   * The parent that serves host. Of several that do (a route on an internal and a public
   * Gateway), the one at {@code originAddress} when the CDN is configured with one of their
   * addresses (by value, or a name that resolved to one); else the first that the CDN can best
   * reach by its addresses (see {@link Reach}: a public IP, else a DNS name, else any address);
   * else the first: the CDN connects to one of them, and judging the Site by another would report
   * its address, its data plane or its absence falsely.
   *
   * @param resolved what names resolved to so far
   */
  public static RouteAttachment of(RouteState state, String host, String originAddress,
      Map<String, List<String>> resolved) {
    List<RouteAttachment> serving = new ArrayList<>();
    RouteAttachment first = collect(state, host, serving);
    if (serving.size() <= 1) {
      return first;
    }
    boolean configured = originAddress != null && !originAddress.isBlank();
    if (configured) {
      Optional<RouteAttachment> named = serving.stream()
          .filter(a -> OriginAddresses.among(originAddress, GatewayOrigin.addresses(a), resolved)).findFirst();
      if (named.isPresent()) {
        return named.get();
      }
    }
    Reach best = serving.stream().map(Reach::of).max(Comparator.naturalOrder()).orElseThrow();
    if (best == Reach.NONE) {
      return first;
    }
    RouteAttachment picked = serving.stream().filter(a -> Reach.of(a) == best).findFirst().orElseThrow();
    if (configured) {
      // Configured with none of their addresses: that mismatch is the finding, not this pick.
      return picked;
    }
    // Those as likely to be the CDN's: a public IP and a name may each be; private ones only among themselves.
    Reach likewise = best == Reach.PRIVATE ? Reach.PRIVATE : Reach.NAME;
    List<String> alternatives = serving.stream().filter(a -> Reach.of(a).compareTo(likewise) >= 0)
        .map(RouteAttachment::gatewayKey).filter(k -> !k.equals(picked.gatewayKey())).distinct().toList();
    return new RouteAttachment(picked.gateway, picked.parent, picked.listeners, null, alternatives);
  }

  /**
   * For messages, when the pick among several Gateways was a guess: which one was judged, and
   * how to have the one the CDN connects to judged instead.
   */
  public Optional<String> guessedAmong() {
    return alternatives.isEmpty() ? Optional.empty()
        : Optional.of("Gateway " + gatewayKey() + " is judged, of several serving the route (also "
            + String.join(", ", alternatives) + "): set spec.origin.address to the address the CDN connects to");
  }

  /**
   * How far from the CDN a serving parent's addresses can be reached, least first. The CDN
   * connects from the internet: to a public IP, not to a private one (an internal load balancer,
   * or a ClusterIP Gateway whose cluster IP Envoy Gateway reports in status.addresses, or whose
   * Service name Istio reports). Any other DNS name, unresolved, may be either.
   */
  private enum Reach {
    /** No address: not Programmed, or none reported. */
    NONE,
    /** Only IPs the internet does not route to (or text that reads as no address at all). */
    PRIVATE,
    /** A DNS name (as an AWS load balancer reports): public or internal, unknown. */
    NAME,
    /** A publicly routable IP. */
    PUBLIC;

    static Reach of(RouteAttachment attachment) {
      List<String> given = GatewayOrigin.addresses(attachment);
      List<NetworkAddress> addresses = given.stream().map(NetworkAddress::parse).flatMap(Optional::stream).toList();
      if (addresses.stream().anyMatch(a -> !a.isName() && !a.isPrivateIp())) {
        return PUBLIC;
      }
      if (addresses.stream().anyMatch(a -> a.isName() && !a.isClusterServiceName())) {
        return NAME;
      }
      return given.isEmpty() ? NONE : PRIVATE;
    }
  }

  /** Every parent that serves host, in spec order: those the CDN may be configured to connect to. */
  public static List<RouteAttachment> serving(RouteState state, String host) {
    List<RouteAttachment> serving = new ArrayList<>();
    collect(state, host, serving);
    return serving;
  }

  /** Every parent serving host goes into {@code serving}, in spec order; returns the first, or why none does. */
  private static RouteAttachment collect(RouteState state, String host, List<RouteAttachment> serving) {
    HTTPRoute route = state.route();
    String routeName = "HTTPRoute " + ObjectKey.of(route);
    if (!HttpRoutes.routeCovers(route, host)) {
      return notRouted(routeName + " lists hostnames " + HttpRoutes.hostnames(route) + ", none of which covers " + host);
    }
    List<ParentReference> parents = HttpRoutes.parents(route);
    if (parents.isEmpty()) {
      return notRouted(routeName + " has no parentRef to a Gateway or ListenerSet: no Gateway serves it");
    }
    String firstProblem = null;
    for (ParentReference parent : parents) {
      Attached attached = attach(state, route, parent, host);
      if (attached.problem() == null) {
        addOrJoin(serving, new RouteAttachment(attached.gateway(), parent, attached.listeners(), null, List.of()));
      } else if (firstProblem == null) {
        firstProblem = attached.problem();
      }
    }
    return serving.isEmpty() ? notRouted(firstProblem) : serving.get(0);
  }

  /**
   * One attachment per Gateway: a route on two listeners of one Gateway (parentRefs naming its
   * "http" and "https" sections, the usual way to serve both) is served by both at the Gateway's
   * address, and the CDN in Full (strict) mode connects to the HTTPS one. Kept apart, the first
   * parentRef alone chose the listener, and the origin was probed over http: a certificate the
   * CDN rejects (526) went unseen.
   */
  private static void addOrJoin(List<RouteAttachment> serving, RouteAttachment attachment) {
    for (int i = 0; i < serving.size(); i++) {
      RouteAttachment earlier = serving.get(i);
      if (earlier.gatewayKey().equals(attachment.gatewayKey())) {
        List<Listener> both = new ArrayList<>(earlier.listeners());
        attachment.listeners().stream().filter(l -> !both.contains(l)).forEach(both::add);
        serving.set(i, new RouteAttachment(earlier.gateway(), earlier.parent(), both, null, List.of()));
        return;
      }
    }
    serving.add(attachment);
  }

  /** One parent: the Gateway and its listeners that carry host, or why it does not serve host. */
  private record Attached(Gateway gateway, List<Listener> listeners, String problem) {
    static Attached refused(String problem) {
      return new Attached(null, List.of(), problem);
    }
  }

  private static Attached attach(RouteState state, HTTPRoute route, ParentReference parent, String host) {
    String routeName = "HTTPRoute " + ObjectKey.of(route);
    String key = HttpRoutes.parentKey(route, parent);
    String routeNamespace = route.getMetadata().getNamespace();
    String problem;
    Gateway gateway;
    List<Listener> listeners;
    List<Listener> declared;
    String listenersOf;
    boolean isolated;
    if (HttpRoutes.namesAListenerSet(parent)) {
      ListenerSet set = state.listenerSets().get(key);
      if (set == null) {
        return Attached.refused(routeName + " names parent ListenerSet " + key + ", which does not exist"
            + (state.listenerSetsServed() ? "" : " (this cluster serves no ListenerSets: its Gateway API is older than v1.5)"));
      }
      String gatewayKey = ListenerSets.gatewayKey(set);
      gateway = gatewayKey == null ? null : state.gateways().get(gatewayKey);
      if (gateway == null) {
        return Attached.refused("ListenerSet " + key + " of " + routeName + " names parent Gateway "
            + (gatewayKey == null ? "(none)" : gatewayKey) + ", which does not exist");
      }
      problem = classProblem(gateway, gatewayKey, state);
      if (problem == null) {
        problem = ListenerSets.refusal(set, key, gateway, gatewayKey).orElse(null);
      }
      isolated = HttpRoutes.isolatesListeners(classOf(gateway, state));
      listeners = ListenerSets.listenersFor(set, parent, host, routeNamespace, isolated);
      declared = set.getSpec() == null ? List.of() : set.getSpec().getListeners();
      listenersOf = "ListenerSet " + key;
      key = gatewayKey;
    } else {
      gateway = state.gateways().get(key);
      if (gateway == null) {
        return Attached.refused(routeName + " names parent Gateway " + key + ", which does not exist");
      }
      problem = classProblem(gateway, key, state);
      isolated = HttpRoutes.isolatesListeners(classOf(gateway, state));
      listeners = HttpRoutes.listenersFor(gateway, parent, host, routeNamespace, isolated);
      declared = gateway.getSpec() == null ? List.of() : gateway.getSpec().getListeners();
      listenersOf = "Gateway " + key;
    }
    if (problem == null) {
      problem = refusal(route, parent, key, routeName, HttpRoutes.controllerOf(gateway, state));
    }
    if (problem == null && listeners.isEmpty() && isolated) {
      problem = HttpRoutes.takenByAnother(declared, parent, host)
          .map(why -> routeName + " is not served by " + listenersOf + ": " + why).orElse(null);
    }
    if (problem == null && listeners.isEmpty()) {
      problem = "no HTTP or HTTPS listener of " + listenersOf
          + (parent.getSectionName() == null ? "" : " named " + parent.getSectionName())
          + " that " + routeName + " attaches to covers " + host;
    }
    return problem == null ? new Attached(gateway, listeners, null) : Attached.refused(problem);
  }

  private static GatewayClass classOf(Gateway gateway, RouteState state) {
    String className = gateway.getSpec() == null ? null : gateway.getSpec().getGatewayClassName();
    return className == null ? null : state.classes().get(className);
  }

  /** A GatewayClass that does not exist or that no controller has Accepted: nothing serves the Gateway. */
  private static String classProblem(Gateway gateway, String key, RouteState state) {
    String className = gateway.getSpec() == null ? null : gateway.getSpec().getGatewayClassName();
    GatewayClass gatewayClass = className == null ? null : state.classes().get(className);
    if (gatewayClass == null) {
      return "Gateway " + key + " names GatewayClass \"" + className + "\", which does not exist: no controller serves it";
    }
    String controller = gatewayClass.getSpec() == null || gatewayClass.getSpec().getControllerName() == null
        ? "(none named)" : gatewayClass.getSpec().getControllerName();
    Optional<Condition> accepted = HttpRoutes.condition(
        gatewayClass.getStatus() == null ? null : gatewayClass.getStatus().getConditions(), "Accepted");
    if (HttpRoutes.isTrue(accepted)) {
      return null;
    }
    return "GatewayClass \"" + className + "\" of Gateway " + key + " is not Accepted by its controller " + controller
        + accepted.map(c -> ": " + HttpRoutes.quote(c)).orElse(": no controller has reported on it");
  }

  /**
   * The route's own status for this parent, when its controller has refused the route. No status
   * yet is not a refusal (a controller writes it shortly after the route appears), and neither is
   * one written for an older generation of the route, nor "not reconciled yet": Accepted Unknown,
   * or reason Pending, which some controllers write while they work (the Gateway API's
   * RouteReasonPending).
   */
  private static String refusal(HTTPRoute route, ParentReference parent, String key, String routeName,
      String controller) {
    Optional<RouteParentStatus> status = HttpRoutes.parentStatus(route, parent, controller);
    Optional<Condition> accepted = status.flatMap(s -> HttpRoutes.condition(s.getConditions(), "Accepted"))
        .filter(c -> HttpRoutes.current(c, route));
    if (accepted.isEmpty() || HttpRoutes.isTrue(accepted) || !"False".equals(accepted.get().getStatus())
        || PENDING.equals(accepted.get().getReason())) {
      return null;
    }
    String writer = status.get().getControllerName();
    return "Gateway " + key + " has not accepted " + routeName
        + (writer == null ? "" : " (controller " + writer + ")") + ": " + HttpRoutes.quote(accepted.get());
  }

  private static RouteAttachment notRouted(String problem) {
    return new RouteAttachment(null, null, List.of(), problem, List.of());
  }
}
