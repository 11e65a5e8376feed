package dev.upstreamhealth.diagnosis;

import dev.upstreamhealth.gatewayapi.ListenerSet;
import io.fabric8.kubernetes.api.model.Condition;
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
   * Why the Gateway does not serve the ListenerSet's listeners, quoting its Accepted condition
   * when False (the Gateway's allowedListeners leave the set out, or it conflicts). Not yet
   * reported on, or reported on for an older generation, is no refusal.
   */
  static Optional<String> refusal(ListenerSet set, String key, String gatewayKey) {
    List<Condition> conditions = set.getStatus() == null ? null : set.getStatus().getConditions();
    Long generation = set.getMetadata().getGeneration();
    return HttpRoutes.condition(conditions, "Accepted")
        .filter(c -> "False".equals(c.getStatus()))
        .filter(c -> c.getObservedGeneration() == null || generation == null || c.getObservedGeneration() >= generation)
        .map(c -> "Gateway " + gatewayKey + " has not accepted ListenerSet " + key + ": " + HttpRoutes.quote(c));
  }

  /** The ListenerSet's HTTP and HTTPS listeners the parentRef attaches to that cover host, as for a Gateway's. */
  static List<Listener> listenersFor(ListenerSet set, ParentReference parent, String host, String routeNamespace) {
    return set.getSpec() == null ? List.of()
        : HttpRoutes.listenersFor(set.getSpec().getListeners(), set.getMetadata().getNamespace(), parent, host,
            routeNamespace);
  }
}
