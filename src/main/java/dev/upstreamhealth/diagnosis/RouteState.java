package dev.upstreamhealth.diagnosis;

import dev.upstreamhealth.gatewayapi.ListenerSet;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClass;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1beta1.ReferenceGrant;
import java.util.List;
import java.util.Map;

/**
 * What the Gateway API says about a Site whose origin is an HTTPRoute: the route (null when it
 * does not exist), the ListenerSets and Gateways its parentRefs name (a ListenerSet's Gateway
 * too) and their GatewayClasses (each only when it exists), and the ReferenceGrants of the
 * namespaces its backendRefs point into.
 *
 * @param availability whether the cluster serves the Gateway API and its caches have synced
 * @param detail why it is not available, for the message
 * @param gateways by "namespace/name"
 * @param classes by name
 * @param listenerSets by "namespace/name"
 * @param listenerSetsServed whether the cluster serves ListenerSets at all (Gateway API v1.5 and later)
 */
public record RouteState(
    Availability availability,
    String detail,
    HTTPRoute route,
    Map<String, Gateway> gateways,
    Map<String, GatewayClass> classes,
    List<ReferenceGrant> grants,
    Map<String, ListenerSet> listenerSets,
    boolean listenerSetsServed) {

  public enum Availability {
    /** The cluster has no Gateway API CRDs (or not the versions read here). */
    NOT_INSTALLED,
    /** The CRDs are there; the informers have not synced yet. */
    STARTING,
    READY
  }

  public RouteState {
    gateways = Map.copyOf(gateways);
    classes = Map.copyOf(classes);
    grants = List.copyOf(grants);
    listenerSets = Map.copyOf(listenerSets);
  }

  public static RouteState notInstalled(String detail) {
    return new RouteState(Availability.NOT_INSTALLED, detail, null, Map.of(), Map.of(), List.of(), Map.of(), false);
  }

  public static RouteState starting(String detail) {
    return new RouteState(Availability.STARTING, detail, null, Map.of(), Map.of(), List.of(), Map.of(), false);
  }

  /** A route none of whose parents is a ListenerSet, or a cluster without them. */
  public static RouteState of(HTTPRoute route, Map<String, Gateway> gateways, Map<String, GatewayClass> classes,
      List<ReferenceGrant> grants) {
    return new RouteState(Availability.READY, "", route, gateways, classes, grants, Map.of(), false);
  }

  public static RouteState of(HTTPRoute route, Map<String, Gateway> gateways, Map<String, GatewayClass> classes,
      List<ReferenceGrant> grants, Map<String, ListenerSet> listenerSets) {
    return new RouteState(Availability.READY, "", route, gateways, classes, grants, listenerSets, true);
  }

  public boolean ready() {
    return availability == Availability.READY;
  }
}
