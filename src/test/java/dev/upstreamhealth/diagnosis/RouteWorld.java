package dev.upstreamhealth.diagnosis;

import static dev.upstreamhealth.diagnosis.SiteWorld.HOST;
import static dev.upstreamhealth.diagnosis.SiteWorld.LB_IP;
import static dev.upstreamhealth.diagnosis.SiteWorld.NS;
import static dev.upstreamhealth.diagnosis.SiteWorld.SERVICE;

import dev.upstreamhealth.gatewayapi.ListenerSet;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClass;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClassBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClassStatusBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayStatusAddressBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayStatusBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPBackendRefBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ListenerBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ParentReferenceBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.RouteParentStatusBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1beta1.ReferenceGrant;
import io.fabric8.kubernetes.api.model.gatewayapi.v1beta1.ReferenceGrantBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The HTTPRoute side of a {@link SiteWorld}, as Envoy Gateway leaves it when all is well:
 * HTTPRoute web/shop (hostname shop.example.com) attached to Gateway gateways/eg (class eg,
 * Accepted, Programmed, HTTP listener on 80, address 127.0.0.10), backendRef Service
 * web/shop-web:80, the route Accepted with ResolvedRefs True; the data plane behind Service
 * envoy-gateway-system/envoy-gateways-eg with one ready endpoint. Mutators break one thing and
 * return the world.
 */
final class RouteWorld {
  static final String GATEWAY_NS = "gateways";
  static final String GATEWAY = "eg";
  static final String GATEWAY_KEY = GATEWAY_NS + "/" + GATEWAY;
  static final String CONTROLLER = "gateway.envoyproxy.io/gatewayclass-controller";
  static final String DATA_PLANE_NS = "envoy-gateway-system";
  static final String DATA_PLANE = "envoy-gateways-eg-5c8d1f2a";

  private final SiteWorld world;
  HTTPRoute route;
  Gateway gateway;
  GatewayClass gatewayClass;
  final List<ReferenceGrant> grants = new ArrayList<>();
  /** Namespaces the operator does not watch (its watchNamespaces leave them out): their backends are unknown. */
  final java.util.Set<String> unwatched = new java.util.HashSet<>();
  RouteState.Availability availability = RouteState.Availability.READY;
  GatewayState dataPlane;
  /** Further Gateways by "namespace/name", for routes with several parents. */
  final Map<String, Gateway> otherGateways = new HashMap<>();
  /** LoadBalancer Services at the Gateways' addresses, as SnapshotAssembler finds them by address. */
  final List<GatewayState> loadBalancers = new ArrayList<>();
  /** The data planes of {@link #otherGateways}, by Gateway key. */
  final Map<String, GatewayState> otherDataPlanes = new HashMap<>();
  /** The route's ListenerSet parent, once {@link #throughListenerSet()}; null when it does not exist. */
  ListenerSet listenerSet;
  /** Whether the cluster serves ListenerSets (Gateway API v1.5 and later). */
  boolean listenerSetsServed = true;

  RouteWorld(SiteWorld world) {
    this.world = world;
    route = new HTTPRouteBuilder()
        .withNewMetadata().withNamespace(NS).withName("shop").withGeneration(1L).endMetadata()
        .withNewSpec().withHostnames(HOST)
        .addNewParentRef().withName(GATEWAY).withNamespace(GATEWAY_NS).endParentRef()
        .addNewRule().addNewBackendRef().withName(SERVICE).withPort(80).endBackendRef().endRule()
        .endSpec()
        .withNewStatus().addNewParent().withNewParentRef().withName(GATEWAY).withNamespace(GATEWAY_NS).endParentRef()
        .withControllerName(CONTROLLER)
        .withConditions(condition("Accepted", "True", "Accepted", "Route is accepted"),
            condition("ResolvedRefs", "True", "ResolvedRefs", "Resolved all the Object references for the Route"))
        .endParent().endStatus()
        .build();
    gateway = new GatewayBuilder()
        .withNewMetadata().withNamespace(GATEWAY_NS).withName(GATEWAY).withGeneration(1L).endMetadata()
        .withNewSpec().withGatewayClassName("eg")
        .addToListeners(new ListenerBuilder().withName("http").withProtocol("HTTP").withPort(80).build())
        .endSpec()
        .withNewStatus().addNewAddress().withType("IPAddress").withValue(LB_IP).endAddress()
        .withConditions(condition("Accepted", "True", "Accepted", "The Gateway has been scheduled by Envoy Gateway"),
            condition("Programmed", "True", "Programmed", "Address assigned to the Gateway, 1/1 envoy replicas available"))
        .endStatus()
        .build();
    gatewayClass = new GatewayClassBuilder()
        .withNewMetadata().withName("eg").endMetadata()
        .withNewSpec().withControllerName(CONTROLLER).endSpec()
        .withNewStatus().withConditions(condition("Accepted", "True", "Accepted", "Valid GatewayClass")).endStatus()
        .build();
    dataPlane = dataPlane(true);
  }

  static Condition condition(String type, String status, String reason, String message) {
    return new ConditionBuilder().withType(type).withStatus(status).withReason(reason).withMessage(message)
        .withObservedGeneration(1L).withLastTransitionTime("2025-01-01T00:00:00Z").build();
  }

  static GatewayState dataPlane(boolean ready) {
    return dataPlane(GATEWAY, DATA_PLANE, ready);
  }

  /** The data plane Envoy Gateway runs for Gateway {@code gateway}, its Service {@code name}. */
  static GatewayState dataPlane(String gateway, String name, boolean ready) {
    Map<String, String> labels = Map.of("gateway.envoyproxy.io/owning-gateway-name", gateway,
        "gateway.envoyproxy.io/owning-gateway-namespace", GATEWAY_NS);
    Service svc = new ServiceBuilder()
        .withNewMetadata().withNamespace(DATA_PLANE_NS).withName(name).withLabels(labels).endMetadata()
        .withNewSpec().withType("LoadBalancer").withClusterIP("10.96.0.30").withSelector(labels)
        .addNewPort().withName("http-80").withPort(80).withTargetPort(new IntOrString(10080)).endPort()
        .endSpec().build();
    Pod pod = new PodBuilder()
        .withNewMetadata().withNamespace(DATA_PLANE_NS).withName(name + "-7f9c-x2").withLabels(labels).endMetadata()
        .withNewSpec().addNewContainer().withName("envoy").addNewPort().withName("http-10080").withContainerPort(10080)
        .endPort().endContainer().endSpec()
        .withNewStatus().withPhase("Running").addNewCondition().withType("Ready").withStatus(ready ? "True" : "False")
        .endCondition().endStatus().build();
    return new GatewayState(DATA_PLANE_NS, name, svc, List.of(SiteWorld.slice(DATA_PLANE_NS, name, ready)),
        List.of(pod), List.of());
  }

  // ---------------------------------------------------------------- mutators

  SiteWorld notInstalled() {
    availability = RouteState.Availability.NOT_INSTALLED;
    return world;
  }

  SiteWorld cachesStarting() {
    availability = RouteState.Availability.STARTING;
    return world;
  }

  SiteWorld missing() {
    route = null;
    return world;
  }

  SiteWorld hostnames(String... hostnames) {
    route.getSpec().setHostnames(new ArrayList<>(List.of(hostnames)));
    return world;
  }

  /** The Gateway refuses the route, as its controller writes it into status.parents[]. */
  SiteWorld notAccepted(String reason, String message) {
    return accepted("False", reason, message);
  }

  /** The route's Accepted condition for its first parent, as its controller writes it. */
  SiteWorld accepted(String status, String reason, String message) {
    route.getStatus().getParents().get(0).setConditions(new ArrayList<>(List.of(
        condition("Accepted", status, reason, message),
        condition("ResolvedRefs", "True", "ResolvedRefs", "Resolved all the Object references for the Route"))));
    return world;
  }

  /**
   * The route's first parent is another Gateway of the same class, gateways/internal, serving
   * host too: at {@code address} once Programmed, or not Programmed yet (address null).
   */
  SiteWorld internalGatewayFirst(String address) {
    Gateway internal = new GatewayBuilder(gateway).editMetadata().withName("internal").endMetadata().build();
    internal.getStatus().setAddresses(new ArrayList<>());
    if (address == null) {
      internal.getStatus().setConditions(new ArrayList<>(List.of(
          condition("Programmed", "False", "AddressNotAssigned", "No addresses have been assigned to the Gateway"))));
    } else {
      internal.getStatus().getAddresses().add(new GatewayStatusAddressBuilder()
          .withType("IPAddress").withValue(address).build());
    }
    otherGateways.put(GATEWAY_NS + "/internal", internal);
    otherDataPlanes.put(GATEWAY_NS + "/internal", dataPlane("internal", "envoy-gateways-internal-0a1b2c3d", true));
    route.getSpec().getParentRefs().add(0, new ParentReferenceBuilder()
        .withName("internal").withNamespace(GATEWAY_NS).build());
    return world;
  }

  /**
   * Two Gateways known by their load balancers' names, as on EKS: gateways/internal first, at
   * {@code internalName}, and the public one at {@code publicName}.
   */
  SiteWorld gatewaysKnownByName(String internalName, String publicName) {
    internalGatewayFirst("10.20.0.5");
    otherGateways.get(GATEWAY_NS + "/internal").getStatus().setAddresses(new ArrayList<>(List.of(
        new GatewayStatusAddressBuilder().withType("Hostname").withValue(internalName).build())));
    gateway.getStatus().setAddresses(new ArrayList<>(List.of(
        new GatewayStatusAddressBuilder().withType("Hostname").withValue(publicName).build())));
    return world;
  }

  /** The internal Gateway's data plane has no ready endpoint. */
  SiteWorld internalDataPlaneNotReady() {
    otherDataPlanes.put(GATEWAY_NS + "/internal", dataPlane("internal", "envoy-gateways-internal-0a1b2c3d", false));
    return world;
  }

  /**
   * Ahead of the serving controller's own entry, route status entries it did not write for this
   * Gateway: one a controller the Gateway was moved away from left behind (refusing, backend
   * missing), and a mesh controller's for a Service of the Gateway's name.
   */
  SiteWorld foreignStatusEntriesFirst() {
    var stale = new RouteParentStatusBuilder()
        .withNewParentRef().withName(GATEWAY).withNamespace(GATEWAY_NS).endParentRef()
        .withControllerName("example.net/retired-gateway-controller")
        .withConditions(condition("Accepted", "False", "NotAllowedByListeners", "no listener admits the route"),
            condition("ResolvedRefs", "False", "BackendNotFound", "service web/shop-web not found"))
        .build();
    var mesh = new RouteParentStatusBuilder()
        .withNewParentRef().withGroup("").withKind("Service").withName(GATEWAY).withNamespace(GATEWAY_NS).endParentRef()
        .withControllerName("istio.io/gateway-controller")
        .withConditions(condition("Accepted", "False", "BackendNotFound", "no such Service"))
        .build();
    route.getStatus().getParents().add(0, mesh);
    route.getStatus().getParents().add(0, stale);
    return world;
  }

  /**
   * Team listeners on the shared Gateway, the Gateway API v1.5 way: ListenerSet web/shop-listeners
   * (parent gateways/eg, which allows sets from All namespaces; Accepted) adds an HTTPS listener
   * for host on 8443, while the Gateway's
   * own listener serves another host only; the route's one parent is the ListenerSet, and its
   * controller has accepted it there.
   */
  SiteWorld throughListenerSet() {
    gateway.getSpec().getListeners().get(0).setHostname("intranet.example.org");
    allowListenerSets("All");
    listenerSet = new ListenerSet();
    listenerSet.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
        .withNamespace(NS).withName("shop-listeners").withGeneration(1L).build());
    ListenerSet.Spec spec = new ListenerSet.Spec();
    ListenerSet.ParentGatewayReference parent = new ListenerSet.ParentGatewayReference();
    parent.setName(GATEWAY);
    parent.setNamespace(GATEWAY_NS);
    spec.setParentRef(parent);
    spec.setListeners(new ArrayList<>(List.of(new ListenerBuilder().withName("shop-https").withProtocol("HTTPS")
        .withPort(8443).withHostname(HOST).build())));
    listenerSet.setSpec(spec);
    ListenerSet.Status status = new ListenerSet.Status();
    status.setConditions(new ArrayList<>(List.of(condition("Accepted", "True", "Accepted", "ListenerSet accepted"),
        condition("Programmed", "True", "Programmed", "ListenerSet programmed"))));
    listenerSet.setStatus(status);
    route.getSpec().setParentRefs(new ArrayList<>(List.of(new ParentReferenceBuilder()
        .withGroup(HttpRoutes.GROUP).withKind("ListenerSet").withName("shop-listeners").build())));
    route.getStatus().getParents().get(0).setParentRef(new ParentReferenceBuilder()
        .withGroup(HttpRoutes.GROUP).withKind("ListenerSet").withName("shop-listeners").withNamespace(NS).build());
    return world;
  }

  /** The Gateway has not taken the ListenerSet in, as its controller writes it. */
  SiteWorld listenerSetNotAccepted(String reason, String message) {
    listenerSet.getStatus().setConditions(new ArrayList<>(List.of(condition("Accepted", "False", reason, message))));
    return world;
  }

  /** No controller has reported on the ListenerSet: the CRD's default status, Accepted Unknown (Pending). */
  SiteWorld listenerSetPending(String allowedFrom) {
    listenerSet.getStatus().setConditions(new ArrayList<>(List.of(
        condition("Accepted", "Unknown", "Pending", "Waiting for controller"))));
    allowListenerSets(allowedFrom);
    return world;
  }

  /** The Gateway's spec.allowedListeners.namespaces.from; null leaves the field out (which allows none). */
  private void allowListenerSets(String from) {
    gateway.getSpec().setAllowedListeners(from == null ? null
        : new io.fabric8.kubernetes.api.model.gatewayapi.v1.AllowedListenersBuilder()
            .withNewNamespaces().withFrom(from).endNamespaces().build());
  }

  SiteWorld listenerSetMissing() {
    listenerSet = null;
    return world;
  }

  /** A cluster on a Gateway API older than v1.5: no ListenerSet CRD, so none is read. */
  SiteWorld listenerSetsNotServed() {
    listenerSet = null;
    listenerSetsServed = false;
    return world;
  }

  SiteWorld classNotAccepted(String reason, String message) {
    gatewayClass.getStatus().setConditions(new ArrayList<>(List.of(condition("Accepted", "False", reason, message))));
    return world;
  }

  SiteWorld gatewayMissing() {
    gateway = null;
    return world;
  }

  SiteWorld gatewayNotProgrammed(String reason, String message) {
    gateway.getStatus().setConditions(new ArrayList<>(List.of(
        condition("Accepted", "True", "Accepted", "The Gateway has been scheduled by Envoy Gateway"),
        condition("Programmed", "False", reason, message))));
    return world;
  }

  /**
   * The Gateway was applied {@code age} before the snapshot and carries these conditions only:
   * none, or the CRD's default ones, while no controller has looked at it.
   */
  SiteWorld gatewayCreated(Duration age, Condition... conditions) {
    gateway.getMetadata().setCreationTimestamp(SiteWorld.NOW.minus(age).toString());
    gateway.setStatus(conditions.length == 0 ? null
        : new GatewayStatusBuilder().withConditions(conditions).build());
    return world;
  }

  /** The GatewayClass was applied {@code age} before the snapshot and carries these conditions only. */
  SiteWorld gatewayClassCreated(Duration age, Condition... conditions) {
    gatewayClass.getMetadata().setCreationTimestamp(SiteWorld.NOW.minus(age).toString());
    gatewayClass.setStatus(conditions.length == 0 ? null
        : new GatewayClassStatusBuilder().withConditions(conditions).build());
    return world;
  }

  SiteWorld gatewayWithoutAddresses() {
    gateway.getStatus().setAddresses(new ArrayList<>());
    return world;
  }

  /** Gateway gateways/eg is at {@code address} (an IP) instead of {@link SiteWorld#LB_IP}. */
  SiteWorld gatewayAt(String address) {
    gateway.getStatus().setAddresses(new ArrayList<>(List.of(
        new GatewayStatusAddressBuilder().withType("IPAddress").withValue(address).build())));
    return world;
  }

  SiteWorld listener(String name, String protocol, int port, String hostname) {
    gateway.getSpec().setListeners(new ArrayList<>(List.of(new ListenerBuilder().withName(name).withProtocol(protocol)
        .withPort(port).withHostname(hostname).build())));
    return world;
  }

  /**
   * The shared-Gateway pattern: the HTTP listener admits routes from every namespace, the HTTPS
   * one only from the Gateway's own (its default), so the route in web is attached over HTTP only.
   */
  SiteWorld httpsListenerForItsOwnNamespaceOnly() {
    gateway.getSpec().setListeners(new ArrayList<>(List.of(
        new ListenerBuilder().withName("http").withProtocol("HTTP").withPort(80)
            .withNewAllowedRoutes().withNewNamespaces().withFrom("All").endNamespaces().endAllowedRoutes().build(),
        new ListenerBuilder().withName("https").withProtocol("HTTPS").withPort(443).build())));
    return world;
  }

  /** One more listener beside those the Gateway has. */
  SiteWorld addListener(String name, String protocol, int port, String hostname) {
    gateway.getSpec().getListeners().add(new ListenerBuilder().withName(name).withProtocol(protocol)
        .withPort(port).withHostname(hostname).build());
    return world;
  }

  /**
   * Traefik's Helm chart: its default Gateway's listener "web" is the entrypoint's container port
   * 8000, and Traefik copies its LoadBalancer Service's address (80 and 443, targetPorts named
   * web and websecure) into the Gateway's status. The Service carries no Gateway label.
   */
  SiteWorld traefik() {
    gateway.getSpec().setGatewayClassName("traefik");
    gatewayClass.getMetadata().setName("traefik");
    gatewayClass.getSpec().setControllerName("traefik.io/gateway-controller");
    route.getStatus().getParents().get(0).setControllerName("traefik.io/gateway-controller");
    gateway.getSpec().setListeners(new ArrayList<>(List.of(
        new ListenerBuilder().withName("web").withProtocol("HTTP").withPort(8000).build())));
    dataPlane = null;
    Map<String, String> labels = Map.of("app.kubernetes.io/name", "traefik", "app.kubernetes.io/instance", "traefik-traefik");
    Service svc = new ServiceBuilder()
        .withNewMetadata().withNamespace("traefik").withName("traefik").withLabels(labels).endMetadata()
        .withNewSpec().withType("LoadBalancer").withClusterIP("10.96.0.40").withSelector(labels)
        .addNewPort().withName("web").withPort(80).withTargetPort(new IntOrString("web")).withProtocol("TCP").endPort()
        .addNewPort().withName("websecure").withPort(443).withTargetPort(new IntOrString("websecure")).withProtocol("TCP")
        .endPort()
        .endSpec()
        .withNewStatus().withNewLoadBalancer().addNewIngress().withIp(LB_IP).endIngress().endLoadBalancer().endStatus()
        .build();
    Pod pod = new PodBuilder()
        .withNewMetadata().withNamespace("traefik").withName("traefik-5d4f9-abcde").withLabels(labels).endMetadata()
        .withNewSpec().addNewContainer().withName("traefik")
        .addNewPort().withName("web").withContainerPort(8000).endPort()
        .addNewPort().withName("websecure").withContainerPort(8443).endPort()
        .endContainer().endSpec()
        .withNewStatus().withPhase("Running").addNewCondition().withType("Ready").withStatus("True")
        .endCondition().endStatus().build();
    io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice slice =
        new io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder()
            .withNewMetadata().withNamespace("traefik").withName("traefik-x7k2p")
            .withLabels(Map.of("kubernetes.io/service-name", "traefik")).endMetadata()
            .withAddressType("IPv4")
            .addNewEndpoint().withAddresses("10.0.0.40").withNewConditions().withReady(true).endConditions().endEndpoint()
            .addNewPort().withName("web").withPort(8000).withProtocol("TCP").endPort()
            .addNewPort().withName("websecure").withPort(8443).withProtocol("TCP").endPort()
            .build();
    loadBalancers.add(new GatewayState("traefik", "traefik", svc, List.of(slice), List.of(pod), List.of()));
    return world;
  }

  /** Envoy Gateway's data plane Service (80, targetPort 10080) holds the Gateway's address: its load balancer. */
  SiteWorld dataPlaneIsTheLoadBalancer() {
    Service svc = new ServiceBuilder(dataPlane.service()).withNewStatus().withNewLoadBalancer().addNewIngress()
        .withIp(LB_IP).endIngress().endLoadBalancer().endStatus().build();
    dataPlane = new GatewayState(dataPlane.namespace(), dataPlane.name(), svc, dataPlane.slices(), dataPlane.pods(),
        dataPlane.policies());
    loadBalancers.add(dataPlane);
    return world;
  }

  SiteWorld dataPlaneNotReady() {
    dataPlane = dataPlane(false);
    return world;
  }

  SiteWorld backendPort(int port) {
    route.getSpec().getRules().get(0).getBackendRefs().get(0).setPort(port);
    return world;
  }

  SiteWorld backendWeight(int weight) {
    route.getSpec().getRules().get(0).getBackendRefs().get(0).setWeight(weight);
    return world;
  }

  /** A second backendRef, of weight 0, to a Service that does not exist: a canary switched off. */
  SiteWorld canaryOfWeightZero(String service) {
    route.getSpec().getRules().get(0).getBackendRefs().add(new HTTPBackendRefBuilder()
        .withName(service).withPort(80).withWeight(0).build());
    return world;
  }

  /**
   * The rule's first backendRef at {@code stableWeight}, and a second at {@code weight} to Envoy
   * Gateway's Backend {@code name} (group gateway.envoyproxy.io), an object this operator does not read.
   */
  SiteWorld envoyBackend(String name, int stableWeight, int weight) {
    backendWeight(stableWeight);
    route.getSpec().getRules().get(0).getBackendRefs().add(new HTTPBackendRefBuilder()
        .withGroup("gateway.envoyproxy.io").withKind("Backend").withName(name).withWeight(weight).build());
    return world;
  }

  /** The rule's first backendRef at {@code stableWeight}, and a second to {@code service}:80 at {@code weight}: a canary step. */
  SiteWorld canary(String service, int stableWeight, int weight) {
    backendWeight(stableWeight);
    route.getSpec().getRules().get(0).getBackendRefs().add(new HTTPBackendRefBuilder()
        .withName(service).withPort(80).withWeight(weight).build());
    return world;
  }

  /**
   * A rule before the others that only requests with header {@code header} match, sending them
   * all to {@code service}:80: an A/B test's.
   */
  SiteWorld headerRuleTo(String header, String service) {
    route.getSpec().getRules().add(0, new io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRuleBuilder()
        .addNewMatch().addNewHeader().withName(header).withValue("insider").endHeader().endMatch()
        .addNewBackendRef().withName(service).withPort(80).endBackendRef()
        .build());
    return world;
  }

  /** The rule also mirrors its requests to {@code service} (a shadow deployment). */
  SiteWorld mirroredTo(String service) {
    route.getSpec().getRules().get(0).getFilters().add(new io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteFilterBuilder()
        .withType("RequestMirror").withNewRequestMirror().withNewBackendRef().withName(service).withPort(80)
        .endBackendRef().endRequestMirror().build());
    return world;
  }

  /** The backendRef points into another namespace (where the Service also lives). */
  SiteWorld backendIn(String namespace) {
    route.getSpec().getRules().get(0).getBackendRefs().get(0).setNamespace(namespace);
    return world;
  }

  /** The rule's last backendRef points into another namespace. */
  SiteWorld lastBackendIn(String namespace) {
    var refs = route.getSpec().getRules().get(0).getBackendRefs();
    refs.get(refs.size() - 1).setNamespace(namespace);
    return world;
  }

  /** The rule's first backendRef points into {@code namespace}, admitted by a ReferenceGrant, which the operator does not watch. */
  SiteWorld firstBackendInUnwatched(String namespace) {
    backendIn(namespace);
    unwatched.add(namespace);
    return grant(namespace, NS, SERVICE);
  }

  SiteWorld grant(String namespace, String fromNamespace, String serviceName) {
    grants.add(new ReferenceGrantBuilder()
        .withNewMetadata().withNamespace(namespace).withName("allow-" + fromNamespace).endMetadata()
        .withNewSpec().addNewFrom().withGroup("gateway.networking.k8s.io").withKind("HTTPRoute")
        .withNamespace(fromNamespace).endFrom()
        .addNewTo().withGroup("").withKind("Service").withName(serviceName).endTo().endSpec()
        .build());
    return world;
  }

  /** The route's ResolvedRefs condition as the controller wrote it for the current generation. */
  SiteWorld resolvedRefs(String reason, String message) {
    route.getStatus().getParents().get(0).setConditions(new ArrayList<>(List.of(
        condition("Accepted", "True", "Accepted", "Route is accepted"),
        condition("ResolvedRefs", "False", reason, message))));
    return world;
  }

  /** A rule for PathPrefix {@code path} to the same backend, whose requests may take {@code request}. */
  SiteWorld ruleWithTimeout(String path, String request) {
    route.getSpec().getRules().add(new io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRuleBuilder()
        .addNewMatch().withNewPath().withType("PathPrefix").withValue(path).endPath().endMatch()
        .addNewBackendRef().withName(SERVICE).withPort(80).endBackendRef()
        .withNewTimeouts().withRequest(request).endTimeouts()
        .build());
    return world;
  }

  SiteWorld timeouts(String request, String backendRequest) {
    route.getSpec().getRules().get(0).setTimeouts(new io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteTimeoutsBuilder()
        .withRequest(request).withBackendRequest(backendRequest).build());
    return world;
  }

  // ---------------------------------------------------------------- result

  RouteState state() {
    return switch (availability) {
      case NOT_INSTALLED -> RouteState.notInstalled("no CustomResourceDefinition serves httproutes.gateway.networking.k8s.io v1");
      case STARTING -> RouteState.starting("the Gateway API caches are starting");
      case READY -> {
        Map<String, Gateway> gateways = new HashMap<>();
        gateways.putAll(otherGateways);
        if (gateway != null) {
          gateways.put(GATEWAY_KEY, gateway);
        }
        Map<String, GatewayClass> classes = new HashMap<>();
        if (gatewayClass != null) {
          classes.put(gatewayClass.getMetadata().getName(), gatewayClass);
        }
        if (!listenerSetsServed) {
          yield RouteState.of(route, gateways, classes, grants);
        }
        yield RouteState.of(route, gateways, classes, grants,
            listenerSet == null ? Map.of() : Map.of(NS + "/" + listenerSet.getMetadata().getName(), listenerSet));
      }
    };
  }

  /** What SnapshotAssembler gathers: the backendRefs the route may use, and the serving Gateway's data plane. */
  Snapshot snapshot(SiteWorld w) {
    RouteState state = state();
    List<Backend> backends = new ArrayList<>();
    GatewayState gatewayState = w.gateway;
    Map<String, GatewayState> dataPlanes = new HashMap<>();
    RouteAttachment attachment = state.ready() && state.route() != null
        ? RouteAttachment.of(state, HOST, w.spec.getOrigin().getAddress(), Map.of()) : null;
    if (attachment != null && attachment.served()) {
      for (BackendRef ref : HttpRoutes.backendsFor(route)) {
        if (HttpRoutes.permitted(NS, ref, grants) && !unwatched.contains(ref.namespace())) {
          Service other = w.otherServices.get(ref.serviceName());
          backends.add(SERVICE.equals(ref.serviceName())
              ? w.service == null ? Backend.missing(ref) : new Backend(ref, w.service, w.slices, w.pods,
                  new Workloads(w.deployments, w.replicaSets, w.statefulSets, w.daemonSets, w.events))
              : other == null ? Backend.missing(ref)
              : new Backend(ref, other, w.otherSlices.getOrDefault(ref.serviceName(), List.of()), List.of(), Workloads.NONE));
        }
      }
      if (gatewayState == null) {
        for (RouteAttachment serving : RouteAttachment.serving(state, HOST)) {
          GatewayState plane = GATEWAY_KEY.equals(serving.gatewayKey()) ? dataPlane : otherDataPlanes.get(serving.gatewayKey());
          if (plane != null) {
            dataPlanes.put(serving.gatewayKey(), plane);
          }
        }
        gatewayState = dataPlanes.get(attachment.gatewayKey());
      }
    }
    return SnapshotBuilder.snapshot(NS, "shop", w.spec).backends(backends).gateway(gatewayState).routeDataPlanes(dataPlanes)
        .loadBalancers(loadBalancers)
        .probes(new dev.upstreamhealth.probe.ProbeFindings(w.probes, w.upstreamLatencies)).now(SiteWorld.NOW).route(state).build();
  }
}
