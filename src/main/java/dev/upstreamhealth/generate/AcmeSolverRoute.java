package dev.upstreamhealth.generate;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.util.Map;
import java.util.Optional;

/**
 * cert-manager's HTTP-01 solver routes (an Ingress, or an HTTPRoute for a Gateway): created for a
 * certificate's issuance and deleted after it, so a Site naming one would read IngressNotFound or
 * RouteNotFound from then on. cert-manager labels every one of them.
 */
final class AcmeSolverRoute {
  static final String LABEL = "acme.cert-manager.io/http01-solver";

  private AcmeSolverRoute() {}

  /** Why the route is no route a Site should name, when it is a solver's. */
  static Optional<String> whyNot(ObjectMeta metadata) {
    Map<String, String> labels = metadata == null || metadata.getLabels() == null ? Map.of() : metadata.getLabels();
    return "true".equals(labels.get(LABEL))
        ? Optional.of("it is cert-manager's temporary HTTP-01 solver (label " + LABEL + "), deleted once the"
            + " certificate is issued")
        : Optional.empty();
  }
}
