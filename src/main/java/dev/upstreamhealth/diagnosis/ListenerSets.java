package dev.upstreamhealth.diagnosis;

import dev.upstreamhealth.gatewayapi.ListenerSet;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.AllowedListeners;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Listener;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ParentReference;
import java.util.List;
import java.util.Optional;

/**
 * What a ListenerSet parent of an HTTPRoute says: the Gateway it adds its listeners to, whether
 * that Gateway took it in, and which of its listeners carry a host. The route is then served by
 * that Gateway, at its addresses, on the ListenerSet's listeners.
 */
public final class ListenerSets {
  private ListenerSets() {}

  /** "namespace/name" of the ListenerSet's Gateway (its own namespace when none is given); null when it names none. */
  public static String gatewayKey(ListenerSet set) {
    ListenerSet.ParentGatewayReference ref = set.getSpec() == null ? null : set.getSpec().getParentRef();
    if (ref == null || ref.getName() == null || ref.getName().isBlank()
        || (ref.getKind() != null && !"Gateway".equals(ref.getKind()))
        || (ref.getGroup() != null && !HttpRoutes.GROUP.equals(ref.getGroup()))) {
      return null;
    }
    String ns = ref.getNamespace() == null || ref.getNamespace().isEmpty()
        ? set.getMetadata().getNamespace() : ref.getNamespace();
    return ObjectKey.of(ns, ref.getName());
  }

  /**
   * Why the Gateway does not serve the ListenerSet's listeners. Its controller's Accepted False is
   * quoted (the set conflicts, or the Gateway leaves it out). While the set is not Accepted (the
   * CRD's default is Unknown, Pending, and a controller that does not implement ListenerSets
   * leaves it there), the Gateway's own {@code allowedListeners} decide: absent or None, the
   * default, or Same for another namespace, the set is not attached. A condition written for an
   * older generation of the set is not its controller's word on this one.
   */
  static Optional<String> refusal(ListenerSet set, String key, Gateway gateway, String gatewayKey) {
    List<Condition> conditions = set.getStatus() == null ? null : set.getStatus().getConditions();
    Optional<Condition> accepted = HttpRoutes.condition(conditions, "Accepted").filter(c -> HttpRoutes.current(c, set));
    if (HttpRoutes.isTrue(accepted)) {
      return Optional.empty();
    }
    if (accepted.filter(c -> "False".equals(c.getStatus())).isPresent()) {
      return Optional.of("Gateway " + gatewayKey + " has not accepted ListenerSet " + key + ": "
          + HttpRoutes.quote(accepted.get()));
    }
    return notAllowed(gateway, set.getMetadata().getNamespace())
        .map(why -> "Gateway " + gatewayKey + " does not allow ListenerSet " + key + " (" + why + ")"
            + accepted.map(c -> "; the set is " + HttpRoutes.quote(c)).orElse(""));
  }

  /** Why the Gateway's allowedListeners leave out sets of the namespace; empty for All or a Selector (not judged here). */
  private static Optional<String> notAllowed(Gateway gateway, String setNamespace) {
    AllowedListeners allowed = gateway.getSpec() == null ? null : gateway.getSpec().getAllowedListeners();
    String from = allowed == null || allowed.getNamespaces() == null || allowed.getNamespaces().getFrom() == null
        ? null : allowed.getNamespaces().getFrom();
    if (from == null) {
      return Optional.of("it sets no spec.allowedListeners, and a Gateway allows no ListenerSets by default");
    }
    if ("None".equals(from)) {
      return Optional.of("spec.allowedListeners.namespaces.from is None");
    }
    String gatewayNamespace = gateway.getMetadata() == null ? null : gateway.getMetadata().getNamespace();
    if ("Same".equals(from) && gatewayNamespace != null && !gatewayNamespace.equals(setNamespace)) {
      return Optional.of("spec.allowedListeners.namespaces.from is Same, and the set is in namespace " + setNamespace);
    }
    return Optional.empty();
  }

  /** The ListenerSet's HTTP and HTTPS listeners the parentRef attaches to that cover host, as for a Gateway's. */
  static List<Listener> listenersFor(ListenerSet set, ParentReference parent, String host, String routeNamespace,
      boolean isolated) {
    return set.getSpec() == null ? List.of()
        : HttpRoutes.listenersFor(set.getSpec().getListeners(), set.getMetadata().getNamespace(), parent, host,
            routeNamespace, isolated);
  }
}
