package dev.upstreamhealth.diagnosis;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClass;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ParentReference;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A GatewayClass, Gateway or Ingress applied a moment ago that its controller has not finished
 * setting up (for an Ingress: has not written its load-balancer address yet).
 * It carries no condition, or the one the Gateway API's CRDs default (Unknown, reason Pending,
 * "Waiting for controller"), until the controller has looked at it (about a second on a healthy
 * cluster); then a new Gateway stays not Programmed while its data plane starts and its
 * LoadBalancer gets an address (NoResources, AddressNotAssigned: a cloud load balancer takes a
 * minute or two). Read as it stands it would make the Site HostNotRouted ("not Accepted") or
 * NoOriginAddress ("not Programmed"), with a Warning, for a Gateway that nobody could reach yet;
 * so for {@link #GRACE} after its creation the Site waits instead. What a controller reports as
 * wrong (Invalid, AddressNotUsable, InvalidParameters ...) is heard at once, and a class or
 * Gateway still not set up when the grace ends is the fault.
 */
public final class ControllerPending {
  /** As long as a new pod may take to start: a new LoadBalancer's address takes as long. */
  static final Duration GRACE = Duration.ofMinutes(2);
  /**
   * How recent every ready gateway pod must be for an ingress-nginx controller to count as
   * replaced rather than scaled: a rollout renews them all within minutes (one pod's start per
   * replica).
   */
  static final Duration RENEWAL = Duration.ofMinutes(15);
  /** The reason the Gateway API gives, and its CRDs default, while no controller has reconciled an object. */
  private static final String PENDING = "Pending";
  /** Programmed False reasons of a Gateway that is still being set up, in the Gateway API's words. */
  private static final Set<String> SETTING_UP = Set.of(PENDING, "NoResources", "AddressNotAssigned");

  private ControllerPending() {}

  /**
   * An unreported, young GatewayClass of the route's parents: why a HostNotRouted may only be
   * early. A Gateway's own missing status refuses no route, so only its class is looked at here.
   */
  static Optional<String> classOfAParent(Snapshot s) {
    return pendingObjects(s).stream().filter(p -> p.object() instanceof GatewayClass).findFirst()
        .map(p -> p.describe(s.now()));
  }

  /**
   * A young route naming a parent Gateway or ListenerSet the caches do not hold yet, or a young
   * route or Gateway whose GatewayClass they do not: why a HostNotRouted may only be early. Applied
   * together (a GitOps sync), the objects arrive in any order, each through a watch of its own, a
   * moment apart; read as it stands, the Site would be HostNotRouted with a Warning, then Recovered.
   */
  static Optional<String> referentNotSeenYet(Snapshot s) {
    return missingReferent(s).map(m -> m.name() + " was created " + Math.max(0, Duration.between(m.created(), s.now())
        .toSeconds()) + " s ago and names " + m.missing() + ", which has not been seen yet (objects applied together"
        + " arrive in any order); waiting for it, up to " + GRACE.toSeconds() + " s from its creation");
  }

  private record Missing(String name, Instant created, String missing) {}

  private static Optional<Missing> missingReferent(Snapshot s) {
    if (s.now() == null || s.route() == null || !s.route().ready() || s.route().route() == null) {
      return Optional.empty();
    }
    RouteState state = s.route();
    HTTPRoute route = state.route();
    String routeName = "HTTPRoute " + ObjectKey.of(route);
    for (ParentReference parent : HttpRoutes.parents(route)) {
      String key = HttpRoutes.parentKey(route, parent);
      if (HttpRoutes.namesAListenerSet(parent)) {
        var set = state.listenerSets().get(key);
        if (set == null) {
          return young(route, routeName, "parent ListenerSet " + key, s.now());
        }
        key = ListenerSets.gatewayKey(set);
      }
      Gateway gateway = key == null ? null : state.gateways().get(key);
      if (gateway == null) {
        return key == null ? Optional.empty() : young(route, routeName, "parent Gateway " + key, s.now());
      }
      String className = gateway.getSpec() == null ? null : gateway.getSpec().getGatewayClassName();
      if (className != null && !state.classes().containsKey(className)) {
        String gatewayName = "Gateway " + key;
        return young(route, routeName, "GatewayClass \"" + className + "\" (through " + gatewayName + ")", s.now())
            .or(() -> young(gateway, gatewayName, "GatewayClass \"" + className + "\"", s.now()));
      }
    }
    return Optional.empty();
  }

  private static Optional<Missing> young(HasMetadata object, String name, String missing, Instant now) {
    return createdWithinGrace(object, now).map(created -> new Missing(name, created, missing));
  }

  /** When the object was created, where that is less than {@link #GRACE} before {@code now}. */
  private static Optional<Instant> createdWithinGrace(HasMetadata object, Instant now) {
    Instant created = object == null || now == null || object.getMetadata() == null ? null
        : KubernetesTimestamps.parse(object.getMetadata().getCreationTimestamp());
    return created == null || !now.isBefore(created.plus(GRACE)) ? Optional.empty() : Optional.of(created);
  }

  /**
   * The Gateway the CDN would connect to, young and not set up yet, or not Programmed for want of
   * a data plane that is back: why a NoOriginAddress may only be early.
   */
  static Optional<String> servingGateway(Snapshot s) {
    return s.attachment().filter(RouteAttachment::served)
        .flatMap(a -> pending(a.gateway(), "Gateway " + a.gatewayKey(), programmed(a.gateway()), s.now())
            .map(p -> p.describe(s.now()))
            .or(() -> dataPlaneBack(s).map(newest -> "Gateway " + a.gatewayKey() + " is not Programmed ("
                + programmed(a.gateway()).map(HttpRoutes::quote).orElse("") + ") while its data plane Service "
                + s.gateway().key() + " has ready endpoints again, the newest ready pod created "
                + Math.max(0, Duration.between(newest, s.now()).toSeconds()) + " s ago: its controller has yet to"
                + " see them; waiting for it, " + Math.max(0, Duration.between(s.now(), newest.plus(GRACE)).toSeconds())
                + " s more at most")));
  }

  /**
   * The serving Gateway not Programmed for want of replicas (NoResources: Envoy Gateway's
   * "Deployment replicas unavailable", said while none is available) while its data plane has
   * ready endpoints again and its newest ready pod is young: the controller has not seen them yet
   * (it reads the Deployment's status, a step behind the pod's). Visitors are served from the load
   * balancer that never changed; read as it stands, the Site would go from GatewayDown to
   * NoOriginAddress, with a Warning, a moment before Recovered. The creation of the newest ready
   * pod, when that is so.
   */
  private static Optional<Instant> dataPlaneBack(Snapshot s) {
    GatewayState plane = s.gateway();
    Optional<RouteAttachment> serving = s.attachment().filter(RouteAttachment::served);
    if (s.now() == null || serving.isEmpty() || plane == null || plane.service() == null
        || programmed(serving.get().gateway()).filter(c -> "False".equals(c.getStatus())
            && "NoResources".equals(c.getReason())).isEmpty()
        || EndpointCount.of(plane.slices(), plane.pods()).noneReady()) {
      return Optional.empty();
    }
    return newestReady(plane).filter(newest -> s.now().isBefore(newest.plus(GRACE)));
  }

  /**
   * The Site's Ingress, young and without a load-balancer address yet: why a NoOriginAddress may
   * only be early. The controller writes the address on its own schedule, a while after it serves
   * the Ingress's rules on the load balancer it already has: the Site, applied in the same sync as
   * its Ingress, would read 521 with a Warning, then Recovered, for a host visitors were getting.
   */
  static Optional<String> ingressWithoutAddress(Snapshot s) {
    return newIngressWithoutAddress(s).or(() -> replacedController(s).map(replaced -> "Ingress " + ObjectKey.of(s.ingress())
        + " has no load-balancer address while the pods of gateway Service " + s.gateway().key() + " are being"
        + " replaced (" + replaced.how() + "): ingress-nginx clears its Ingresses' addresses as its leader stops"
        + " with no pod of its own version left, and writes them back once a new pod leads; waiting for it, "
        + Math.max(0, Duration.between(s.now(), replaced.since().plus(GRACE)).toSeconds()) + " s more at most"));
  }

  /** The Site's Ingress, young and without a load-balancer address yet (not a restarted controller's). */
  static Optional<String> newIngressWithoutAddress(Snapshot s) {
    return pendingIngress(s).map(p -> p.name() + " was created "
        + Math.max(0, Duration.between(p.created(), s.now()).toSeconds()) + " s ago and its ingress controller"
        + " has not written its load-balancer address yet; waiting for it, up to " + GRACE.toSeconds()
        + " s from its creation");
  }

  /**
   * Why the gateway's pods look replaced a moment ago, and what the grace counts from ({@code since}).
   */
  private record Replaced(Instant since, String how) {}

  /**
   * The Ingress without an address behind a gateway whose pods are being replaced: every ready pod
   * of it is new ({@link #RENEWAL}), and one is stopping, or one ready was created a moment ago.
   * The controller's leader cleared the address on its way out ({@code --update-status-on-shutdown},
   * on by default) because it saw no other pod of its kind: its one pod was drained or upgraded,
   * or a version upgrade changed the labels it finds its peers by (kubernetes/ingress-nginx#10475,
   * #11087), and the address stays empty until a new pod wins the leader lease. Visitors are served meanwhile, from the load balancer
   * that never changed. A stopping pod counts until {@link #GRACE} after its deletionTimestamp,
   * which is when it is killed at the latest (it leaves the cache once stopped, and the newest
   * ready pod's grace is then what is left); a new ready pod until {@link #GRACE} after its
   * creation. Only a gateway known as ingress-nginx (its controller ConfigMap read): other
   * controllers, and one that never publishes an address, would have a standing NoOriginAddress,
   * and every other finding, hidden after each rollout of theirs.
   */
  private static Optional<Replaced> replacedController(Snapshot s) {
    GatewayState gateway = s.gateway();
    if (s.viaHttpRoute() || s.ingress() == null || s.now() == null || gateway == null || gateway.service() == null
        || s.controllerConfig() == null
        || !IngressRoutes.loadBalancerAddresses(s.ingress()).isEmpty()) {
      return Optional.empty();
    }
    // Replaced, not scaled: a rollout renews every ready pod within minutes, while a pod an
    // autoscaler adds or removes stands beside pods long up (and the stopping leader of a scaled
    // controller sees its peers and clears nothing), so a standing missing address stays shown.
    List<Instant> ready = readyCreations(gateway);
    if (EndpointCount.of(gateway.slices(), gateway.pods()).noneReady() || ready.isEmpty() || ready.contains(null)
        || ready.stream().anyMatch(created -> !s.now().isBefore(created.plus(RENEWAL)))) {
      return Optional.empty();
    }
    Optional<Replaced> started = ready.stream().max(Instant::compareTo).map(newest -> new Replaced(newest,
        "the newest ready pod was created " + Math.max(0, Duration.between(newest, s.now()).toSeconds()) + " s ago"));
    Optional<Replaced> stopping = gateway.pods().stream().filter(PodHealth::isTerminating)
        .filter(p -> KubernetesTimestamps.parse(p.getMetadata().getDeletionTimestamp()) != null)
        .max(Comparator.comparing(p -> KubernetesTimestamps.parse(p.getMetadata().getDeletionTimestamp())))
        .map(p -> new Replaced(KubernetesTimestamps.parse(p.getMetadata().getDeletionTimestamp()), "pod "
            + p.getMetadata().getName() + " is stopping"));
    return Stream.of(started, stopping).flatMap(Optional::stream)
        .filter(r -> s.now().isBefore(r.since().plus(GRACE)))
        .max(Comparator.comparing(Replaced::since));
  }

  /**
   * When each of the gateway's ready pods was created (null where that is not known). Not when it
   * became ready: the cache keeps no such time (it would unshare every ready pod's conditions), so
   * a pod slow to be ready (a node added for it, a cold image pull) has spent some of its grace by
   * then.
   */
  private static List<Instant> readyCreations(GatewayState gateway) {
    return gateway.pods().stream().filter(p -> !PodHealth.isGone(p) && PodHealth.isReady(p))
        .map(p -> p.getMetadata() == null ? null : KubernetesTimestamps.parse(p.getMetadata().getCreationTimestamp()))
        .toList();
  }

  /** When the newest of the gateway's ready pods was created; empty when none is, or a creation is not known. */
  private static Optional<Instant> newestReady(GatewayState gateway) {
    List<Instant> ready = readyCreations(gateway);
    return ready.isEmpty() || ready.contains(null) ? Optional.empty() : ready.stream().max(Instant::compareTo);
  }

  private static Optional<Pending> pendingIngress(Snapshot s) {
    if (s.viaHttpRoute() || s.ingress() == null || s.now() == null
        || !IngressRoutes.loadBalancerAddresses(s.ingress()).isEmpty()) {
      return Optional.empty();
    }
    return createdWithinGrace(s.ingress(), s.now())
        .map(created -> new Pending(s.ingress(), "Ingress " + ObjectKey.of(s.ingress()), created, Optional.empty()));
  }

  /** How long until the first of them is no longer young; empty when none is waited for. */
  public static Optional<Duration> untilGraceEnds(Snapshot s) {
    return Stream.of(pendingObjects(s).stream().map(Pending::created), pendingIngress(s).stream().map(Pending::created),
            replacedController(s).map(Replaced::since).stream(), dataPlaneBack(s).stream(),
            missingReferent(s).stream().map(Missing::created))
        .flatMap(created -> created)
        .map(created -> Duration.between(s.now(), created.plus(GRACE)))
        .min(Duration::compareTo);
  }

  private record Pending(HasMetadata object, String name, Instant created, Optional<Condition> condition) {
    String describe(Instant now) {
      long age = Math.max(0, Duration.between(created, now).toSeconds());
      String state = condition.filter(c -> !unreported(c))
          .map(c -> "its controller is still setting it up (" + HttpRoutes.quote(c) + ")")
          .orElseGet(() -> "no controller has reported on it yet (" + condition.map(HttpRoutes::quote)
              .orElse("no " + (object instanceof GatewayClass ? "Accepted" : "Programmed") + " condition") + ")");
      return name + " was created " + age + " s ago and " + state + "; waiting for it, up to "
          + GRACE.toSeconds() + " s from its creation";
    }
  }

  private static List<Pending> pendingObjects(Snapshot s) {
    List<Pending> pending = new ArrayList<>();
    if (s.now() == null || s.route() == null || !s.route().ready() || s.route().route() == null) {
      return pending;
    }
    RouteState state = s.route();
    HTTPRoute route = state.route();
    for (ParentReference parent : HttpRoutes.parents(route)) {
      String key = HttpRoutes.parentKey(route, parent);
      if (HttpRoutes.namesAListenerSet(parent)) {
        var set = state.listenerSets().get(key);
        key = set == null ? null : ListenerSets.gatewayKey(set);
      }
      Gateway gateway = key == null ? null : state.gateways().get(key);
      if (gateway == null) {
        continue;
      }
      String className = gateway.getSpec() == null ? null : gateway.getSpec().getGatewayClassName();
      GatewayClass gatewayClass = className == null ? null : state.classes().get(className);
      if (gatewayClass != null) {
        pending(gatewayClass, "GatewayClass \"" + className + "\"", accepted(gatewayClass), s.now())
            .ifPresent(pending::add);
      }
      pending(gateway, "Gateway " + key, programmed(gateway), s.now()).ifPresent(pending::add);
    }
    return pending;
  }

  /** The object, when it is young and its condition says it is not set up yet. */
  private static Optional<Pending> pending(HasMetadata object, String name, Optional<Condition> condition,
      Instant now) {
    boolean waiting = condition.map(c -> unreported(c)
        || object instanceof Gateway && "False".equals(c.getStatus()) && SETTING_UP.contains(c.getReason())).orElse(true);
    return waiting ? createdWithinGrace(object, now).map(created -> new Pending(object, name, created, condition))
        : Optional.empty();
  }

  /** Whether no controller has said anything of its own: Unknown, or reason Pending (the CRDs' default). */
  private static boolean unreported(Condition c) {
    return !("True".equals(c.getStatus()) || "False".equals(c.getStatus())) || PENDING.equals(c.getReason());
  }

  private static Optional<Condition> accepted(GatewayClass c) {
    return HttpRoutes.condition(c.getStatus() == null ? null : c.getStatus().getConditions(), "Accepted");
  }

  private static Optional<Condition> programmed(Gateway g) {
    return HttpRoutes.condition(g.getStatus() == null ? null : g.getStatus().getConditions(), "Programmed");
  }
}
