package dev.upstreamhealth.demo;

import dev.upstreamhealth.gatewayapi.ListenerSet;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ListenerBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ParentReferenceBuilder;
import java.util.List;

/**
 * A team's ListenerSet "team" on the fixture's Gateway, the Gateway API v1.5 way: one HTTP
 * listener for the Site's host on a port of its own, and the Site's route attached to the set
 * instead of the Gateway, with statuses as the Gateway's controller writes them.
 */
public final class ListenerSetFixture {
  public static final String NAME = "team";

  private final SiteFixture site;
  private final GatewayApiFixture gateway;

  public ListenerSetFixture(SiteFixture site, GatewayApiFixture gateway) {
    this.site = site;
    this.gateway = gateway;
  }

  /** The set: one HTTP listener for host on {@code port}, its parent the fixture's Gateway. */
  public ListenerSet listenerSet(int port) {
    ListenerSet set = new ListenerSet();
    set.setMetadata(new ObjectMetaBuilder().withNamespace(site.namespace()).withName(NAME).build());
    ListenerSet.ParentGatewayReference parent = new ListenerSet.ParentGatewayReference();
    parent.setName(gateway.gatewayName());
    ListenerSet.Spec spec = new ListenerSet.Spec();
    spec.setParentRef(parent);
    spec.setListeners(List.of(new ListenerBuilder().withName("shop").withProtocol("HTTP").withPort(port)
        .withHostname(site.host()).build()));
    set.setSpec(spec);
    return set;
  }

  /** {@code current} (as read back, with its generation) with an Accepted condition as given. */
  public static ListenerSet withAccepted(ListenerSet current, String status, String reason, String message) {
    ListenerSet.Status written = new ListenerSet.Status();
    Condition condition = GatewayApiFixture.condition("Accepted", status, reason, message);
    condition.setObservedGeneration(current.getMetadata().getGeneration());
    written.setConditions(List.of(condition));
    current.setStatus(written);
    return current;
  }

  /** The fixture's route with the set as its one parent. */
  public HTTPRoute route() {
    return new HTTPRouteBuilder(gateway.route()).editSpec().withParentRefs(new ParentReferenceBuilder()
        .withGroup("gateway.networking.k8s.io").withKind("ListenerSet").withName(NAME).build()).endSpec().build();
  }

  /** The route's status: accepted on the set, as the Gateway's controller writes it. */
  public HTTPRoute acceptedRouteStatus(HTTPRoute route) {
    HTTPRoute accepted = gateway.acceptedRouteStatus(route);
    accepted.getStatus().getParents().get(0).setParentRef(new ParentReferenceBuilder()
        .withGroup("gateway.networking.k8s.io").withKind("ListenerSet").withName(NAME).build());
    return accepted;
  }
}
