package dev.upstreamhealth.demo;

import dev.upstreamhealth.api.Site;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClass;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClassBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClassStatusBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayStatusBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.RouteParentStatus;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.RouteParentStatusBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1beta1.ReferenceGrant;
import io.fabric8.kubernetes.api.model.gatewayapi.v1beta1.ReferenceGrantBuilder;
import java.util.List;
import java.util.Map;

/**
 * Gateway API objects for one Site whose origin is HTTPRoute {@code name} in its namespace,
 * with statuses written the way Envoy Gateway writes them: a GatewayClass of its own, a Gateway
 * with one HTTP listener on the origin port and a loopback address, the route attached to it, and
 * the data-plane Service Envoy Gateway creates in its own namespace. The backend Service, pods and
 * EndpointSlice come from the {@link SiteFixture} of the same namespace and name.
 */
public final class GatewayApiFixture {
  public static final String CONTROLLER = "gateway.envoyproxy.io/gatewayclass-controller";
  public static final String DATA_PLANE_NAMESPACE = "envoy-gateway-system";

  private final SiteFixture site;

  public GatewayApiFixture(SiteFixture site) {
    this.site = site;
  }

  public String gatewayName() {
    return "eg";
  }

  /** A class per namespace, so one scenario's class can be broken without the others'. */
  public String className() {
    return "eg-" + site.namespace();
  }

  public String dataPlaneName() {
    return "envoy-" + site.namespace() + "-eg-5c8d1f2a";
  }

  /** The Site, probing every {@code intervalSeconds}; its origin port comes from the Gateway's listener. */
  public Site site(int intervalSeconds, int failureThreshold) {
    Site s = site.site(0, intervalSeconds, failureThreshold);
    s.getSpec().getOrigin().setIngressName(null);
    s.getSpec().getOrigin().setHttpRouteName(site.name());
    return s;
  }

  public GatewayClass gatewayClass() {
    return new GatewayClassBuilder()
        .withNewMetadata().withName(className()).withGeneration(1L).endMetadata()
        .withNewSpec().withControllerName(CONTROLLER).endSpec()
        .build();
  }

  public GatewayClass gatewayClassStatus(boolean accepted) {
    GatewayClass c = gatewayClass();
    c.setStatus(new GatewayClassStatusBuilder()
        .withConditions(accepted
            ? condition("Accepted", "True", "Accepted", "Valid GatewayClass")
            : condition("Accepted", "False", "InvalidParameters",
                "Invalid GatewayClass: parametersRef envoy-gateway-system/custom-proxy-config not found"))
        .build());
    return c;
  }

  /** The Gateway: one HTTP listener on {@code port}. */
  public Gateway gateway(int port) {
    return new GatewayBuilder()
        .withNewMetadata().withNamespace(site.namespace()).withName(gatewayName()).withGeneration(1L).endMetadata()
        .withNewSpec().withGatewayClassName(className())
          .addNewListener().withName("http").withProtocol("HTTP").withPort(port)
            .withNewAllowedRoutes().withNewNamespaces().withFrom("Same").endNamespaces().endAllowedRoutes()
          .endListener()
        .endSpec()
        .build();
  }

  /** The Gateway's status: Programmed at {@code address}, or not Programmed with no address. */
  public Gateway gatewayStatus(int port, String address) {
    Gateway g = gateway(port);
    boolean programmed = address != null;
    var status = new GatewayStatusBuilder()
        .withConditions(condition("Accepted", "True", "Accepted", "The Gateway has been scheduled by Envoy Gateway"),
            programmed
                ? condition("Programmed", "True", "Programmed", "Address assigned to the Gateway, 1/1 envoy replicas available")
                : condition("Programmed", "False", "AddressNotAssigned", "No addresses have been assigned to the Gateway"))
        .addNewListener().withName("http").withAttachedRoutes(1)
          .addNewSupportedKind().withGroup("gateway.networking.k8s.io").withKind("HTTPRoute").endSupportedKind()
          .withConditions(condition("Accepted", "True", "Accepted", "Listener is accepted"),
              condition("Programmed", "True", "Programmed", "Sending translated listener configuration to the data plane"),
              condition("ResolvedRefs", "True", "ResolvedRefs", "Listener references have been resolved"))
        .endListener();
    if (programmed) {
      status.addNewAddress().withType("IPAddress").withValue(address).endAddress();
    }
    g.setStatus(status.build());
    return g;
  }

  /** The route for host: to the backend Service on port {@code backendPort}, in {@code backendNamespace}. */
  public HTTPRoute route(String backendNamespace, int backendPort) {
    return new HTTPRouteBuilder()
        .withNewMetadata().withNamespace(site.namespace()).withName(site.name()).withGeneration(1L).endMetadata()
        .withNewSpec().withHostnames(site.host())
          .addNewParentRef().withName(gatewayName()).endParentRef()
          .addNewRule()
            .addNewMatch().withNewPath().withType("PathPrefix").withValue("/").endPath().endMatch()
            .addNewBackendRef().withName(site.serviceName())
              .withNamespace(backendNamespace.equals(site.namespace()) ? null : backendNamespace)
              .withPort(backendPort).endBackendRef()
          .endRule()
        .endSpec()
        .build();
  }

  public HTTPRoute route() {
    return route(site.namespace(), 80);
  }

  /** The route's status from its Gateway's controller: Accepted, with ResolvedRefs as given. */
  public HTTPRoute routeStatus(HTTPRoute route, Condition accepted, Condition resolvedRefs) {
    RouteParentStatus parent = new RouteParentStatusBuilder()
        .withNewParentRef().withGroup("gateway.networking.k8s.io").withKind("Gateway").withName(gatewayName())
        .endParentRef()
        .withControllerName(CONTROLLER)
        .withConditions(accepted, resolvedRefs)
        .build();
    HTTPRoute r = new HTTPRouteBuilder(route).withNewStatus().withParents(parent).endStatus().build();
    r.getMetadata().setResourceVersion(null);
    return r;
  }

  public HTTPRoute acceptedRouteStatus(HTTPRoute route) {
    return routeStatus(route, accepted(), resolved());
  }

  public static Condition accepted() {
    return condition("Accepted", "True", "Accepted", "Route is accepted");
  }

  public static Condition resolved() {
    return condition("ResolvedRefs", "True", "ResolvedRefs", "Resolved all the Object references for the Route");
  }

  public static Condition condition(String type, String status, String reason, String message) {
    return new ConditionBuilder().withType(type).withStatus(status).withReason(reason).withMessage(message)
        .withObservedGeneration(1L).withLastTransitionTime("2026-01-01T00:00:00Z").build();
  }

  /** A ReferenceGrant in {@code namespace} letting this namespace's HTTPRoutes use the backend Service there. */
  public ReferenceGrant referenceGrant(String namespace) {
    return new ReferenceGrantBuilder()
        .withNewMetadata().withNamespace(namespace).withName("from-" + site.namespace()).endMetadata()
        .withNewSpec()
          .addNewFrom().withGroup("gateway.networking.k8s.io").withKind("HTTPRoute").withNamespace(site.namespace())
          .endFrom()
          .addNewTo().withGroup("").withKind("Service").withName(site.serviceName()).endTo()
        .endSpec()
        .build();
  }

  /** The Service Envoy Gateway puts in front of the Gateway's Envoy pods, labelled with its owner. */
  public Service dataPlaneService(String clusterIp, int port) {
    Map<String, String> labels = dataPlaneLabels();
    return new ServiceBuilder()
        .withNewMetadata().withNamespace(DATA_PLANE_NAMESPACE).withName(dataPlaneName()).withLabels(labels).endMetadata()
        .withNewSpec().withType("LoadBalancer").withClusterIP(clusterIp).withSelector(labels)
          .addNewPort().withName("http-" + port).withPort(port).withTargetPort(new IntOrString(port)).endPort()
        .endSpec()
        .build();
  }

  public EndpointSlice dataPlaneSlice(String podIp, int port, boolean ready) {
    return new EndpointSliceBuilder()
        .withNewMetadata().withNamespace(DATA_PLANE_NAMESPACE).withName(dataPlaneName() + "-q7x2m")
          .withLabels(Map.of("kubernetes.io/service-name", dataPlaneName())).endMetadata()
        .withAddressType("IPv4")
        .addNewPort().withName("http-" + port).withPort(port).withProtocol("TCP").endPort()
        .addNewEndpoint().withAddresses(podIp).withNewConditions().withReady(ready).endConditions().endEndpoint()
        .build();
  }

  private Map<String, String> dataPlaneLabels() {
    return Map.of("app.kubernetes.io/name", "envoy", "app.kubernetes.io/component", "proxy",
        "gateway.envoyproxy.io/owning-gateway-name", gatewayName(),
        "gateway.envoyproxy.io/owning-gateway-namespace", site.namespace());
  }

  /** Objects to create first; their statuses follow, written as the controller would. */
  public List<HasMetadata> objects(int listenerPort) {
    return List.of(gatewayClass(), gateway(listenerPort), route());
  }
}
