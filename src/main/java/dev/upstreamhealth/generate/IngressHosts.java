package dev.upstreamhealth.generate;

import dev.upstreamhealth.diagnosis.IngressRoutes;
import dev.upstreamhealth.diagnosis.ObjectKey;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The hosts of Ingress rules; TLS and the load-balancer address read as the operator reads them. */
public final class IngressHosts implements RouteSource {
  private static final String CANARY = "nginx.ingress.kubernetes.io/canary";


  @Override
  public String kind() {
    return "Ingress";
  }

  @Override
  public boolean available(KubernetesClient client) {
    return true;
  }

  @Override
  public Found find(KubernetesClient client, Scope scope) {
    var ingresses = scope.allNamespaces() ? client.network().v1().ingresses().inAnyNamespace()
        : client.network().v1().ingresses().inNamespace(scope.namespace());
    List<Ingress> items = (scope.labelSelector() == null ? ingresses : ingresses.withLabelSelector(scope.labelSelector()))
        .list().getItems();
    List<PublicHost> hosts = new ArrayList<>();
    List<Skipped> skipped = new ArrayList<>();
    for (Ingress ingress : items) {
      String route = "Ingress " + ObjectKey.of(ingress);
      Optional<String> notTheRoute = notTheHostsRoute(ingress);
      if (notTheRoute.isPresent()) {
        skipped.add(new Skipped(route, notTheRoute.get()));
        continue;
      }
      List<IngressRule> rules = ingress.getSpec() == null || ingress.getSpec().getRules() == null
          ? List.of() : ingress.getSpec().getRules();
      if (rules.isEmpty()) {
        skipped.add(new Skipped(route, "it has no rules, only a default backend (no host to name)"));
      }
      Set<String> seen = new LinkedHashSet<>();
      for (IngressRule rule : rules) {
        Optional<String> whyNot = PublicHostNames.whyNot(rule.getHost());
        if (whyNot.isPresent()) {
          skipped.add(new Skipped("a rule of " + route, whyNot.get()));
        } else if (seen.add(rule.getHost())) {
          hosts.add(new PublicHost(ingress.getMetadata().getNamespace(), rule.getHost(), kind(),
              ingress.getMetadata().getName(), IngressRoutes.hasTlsFor(ingress, rule.getHost()),
              IngressRoutes.loadBalancerAddresses(ingress), IngressRoutes.routesRootToABackend(ingress, rule.getHost())));
        }
      }
    }
    return new Found(hosts, skipped);
  }

  /**
   * Why an Ingress is no route a Site should name, though it has rules for a host: cert-manager's
   * HTTP-01 solver, created for a certificate's issuance and deleted after it (a Site naming it
   * would read IngressNotFound from then on), and an ingress-nginx canary, whose host is served
   * through its main Ingress, the one a Site names.
   */
  private static Optional<String> notTheHostsRoute(Ingress ingress) {
    Optional<String> solver = AcmeSolverRoute.whyNot(ingress.getMetadata());
    if (solver.isPresent()) {
      return solver;
    }
    Map<String, String> annotations = ingress.getMetadata().getAnnotations() == null ? Map.of()
        : ingress.getMetadata().getAnnotations();
    if ("true".equals(annotations.get(CANARY))) {
      return Optional.of("it is an ingress-nginx canary (annotation " + CANARY + "): a Site names the host's main Ingress");
    }
    return Optional.empty();
  }
}
