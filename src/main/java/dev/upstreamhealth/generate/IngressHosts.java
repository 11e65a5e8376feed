package dev.upstreamhealth.generate;

import dev.upstreamhealth.diagnosis.IngressRoutes;
import dev.upstreamhealth.diagnosis.ObjectKey;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The hosts of Ingress rules; TLS and the load-balancer address read as the operator reads them. */
public final class IngressHosts implements RouteSource {

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
              IngressRoutes.loadBalancerAddresses(ingress)));
        }
      }
    }
    return new Found(hosts, skipped);
  }
}
