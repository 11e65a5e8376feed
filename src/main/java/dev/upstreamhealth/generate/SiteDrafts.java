package dev.upstreamhealth.generate;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * From the public hosts the routes serve to one Site per host: no I/O, so every rule here is
 * tested on plain values. What it leaves out, and what it could not fill in, it says in notes.
 */
public final class SiteDrafts {
  private SiteDrafts() {}

  public record Result(List<SiteDraft> sites, List<String> notes) {
    public String yaml() {
      StringBuilder out = new StringBuilder();
      for (SiteDraft site : sites) {
        out.append("---\n").append(site.yaml());
      }
      return out.toString();
    }
  }

  public static Result draft(List<PublicHost> hosts, List<Skipped> skipped, List<ExistingSite> existing,
      List<GatewayService> gateways) {
    List<String> notes = new ArrayList<>();
    skipped.forEach(s -> notes.add(s.toString()));
    Map<String, ExistingSite> coveredHosts = new HashMap<>();
    Map<String, Set<String>> takenNames = new HashMap<>();
    for (ExistingSite existingSite : existing) {
      coveredHosts.putIfAbsent(existingSite.host(), existingSite);
      takenNames.computeIfAbsent(existingSite.site().namespace(), n -> new HashSet<>()).add(existingSite.site().name());
    }
    // Deterministic output, so that a second run diffs cleanly against what was committed.
    List<PublicHost> ordered = hosts.stream().sorted(Comparator.comparing(PublicHost::namespace)
        .thenComparing(PublicHost::routeKind).thenComparing(PublicHost::routeName).thenComparing(PublicHost::host))
        .toList();
    Map<String, PublicHost> chosen = chosenRoutes(ordered);
    Map<String, SiteDraft> byHost = new LinkedHashMap<>();
    List<PublicHost> notChosen = new ArrayList<>();
    for (PublicHost host : ordered) {
      ExistingSite covering = coveredHosts.get(host.host());
      if (covering != null) {
        notes.add(new Skipped(host.host() + " of " + host.route(),
            "Site " + covering.site() + " already watches it").toString());
        continue;
      }
      if (chosen.get(host.host()) != host) {
        notChosen.add(host);
        continue;
      }
      Set<String> taken = takenNames.computeIfAbsent(host.namespace(), n -> new HashSet<>());
      String name = SiteNames.unique(SiteNames.fromHost(host.host()), taken);
      taken.add(name);
      GatewayService gateway = gateway(host, gateways, notes).orElse(null);
      byHost.put(host.host(), new SiteDraft(host.namespace(), name, host, gateway));
    }
    for (PublicHost host : notChosen) {
      SiteDraft site = byHost.get(host.host());
      notes.add(new Skipped(host.host() + " of " + host.route(), "one Site per host: " + site.namespace() + "/"
          + site.name() + " watches it through " + site.from().route()
          + (site.from().servesRoot() && !host.servesRoot()
              ? ", which sends / to a backend (this one redirects it, or routes other paths only)" : ""))
          .toString());
    }
    return new Result(List.copyOf(byHost.values()), notes);
  }

  /**
   * The route each host's Site names, where several route it: one that sends {@code /}, the page
   * visitors land on, to a backend, before one that only redirects (the Gateway API's
   * http-to-https route beside the https one) or routes other paths only (an {@code /api} Ingress
   * beside the site's own); among equals, the first in {@code ordered}.
   */
  private static Map<String, PublicHost> chosenRoutes(List<PublicHost> ordered) {
    Map<String, PublicHost> chosen = new HashMap<>();
    for (PublicHost host : ordered) {
      chosen.merge(host.host(), host, (first, next) -> !first.servesRoot() && next.servesRoot() ? next : first);
    }
    return chosen;
  }

  /** The LoadBalancer Service that publishes the route's address: the ingress controller or Gateway in front of it. */
  private static Optional<GatewayService> gateway(PublicHost host, List<GatewayService> gateways, List<String> notes) {
    if (host.loadBalancerAddresses().isEmpty()) {
      notes.add("no gateway for " + host.host() + ": " + host.route()
          + " has no load-balancer address yet; set spec.gateway by hand or generate again later");
      return Optional.empty();
    }
    List<GatewayService> matching = gateways.stream()
        .filter(g -> g.addresses().stream().anyMatch(host.loadBalancerAddresses()::contains)).toList();
    if (matching.size() == 1) {
      return Optional.of(matching.get(0));
    }
    notes.add("no gateway for " + host.host() + ": " + (matching.isEmpty()
        ? "no readable LoadBalancer Service has the address " + String.join(", ", host.loadBalancerAddresses())
        : matching.size() + " LoadBalancer Services have the address " + String.join(", ", host.loadBalancerAddresses()))
        + "; set spec.gateway by hand");
    return Optional.empty();
  }
}
