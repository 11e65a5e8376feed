package dev.upstreamhealth.diagnosis;

import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBackend;
import io.fabric8.kubernetes.api.model.networking.v1.IngressLoadBalancerIngress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.IngressServiceBackend;
import io.fabric8.kubernetes.api.model.networking.v1.IngressTLS;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/** Reads what an Ingress says about one host: its backends, its TLS, its load-balancer addresses. */
public final class IngressRoutes {
  private IngressRoutes() {}

  /**
   * The Service backends that serve {@code host}, with the precedence ingress controllers use:
   * the rules whose host equals it; else the wildcard rules that cover it; else the rules
   * without a host; else the default backend. A server-alias of the Ingress is served as the rule
   * host that owns it, and a www twin that ingress-nginx redirects has none. Each distinct Service
   * and port once, in Ingress order, named with the rule and paths that send host to it.
   */
  public static List<BackendRef> backendsFor(Ingress ingress, String host) {
    if (ingress.getSpec() == null || host == null || IngressNginx.wwwTwinOf(ingress, host).isPresent()) {
      return List.of();
    }
    String route = "Ingress " + ObjectKey.of(ingress);
    String name = servingName(ingress, host);
    // Messages name the alias with the rule it is served by: the user wrote the one, not the other.
    String via = name.equals(host) ? "" : "server-alias " + host + ("_".equals(name) ? ", " : " of rule " + name + ", ");
    for (Tier tier : Tier.values()) {
      List<BackendRef> refs = tierBackends(ingress, name, tier, route, via);
      if (!refs.isEmpty()) {
        return refs;
      }
      if (claims(ingress, name, tier)) {
        break;
      }
    }
    IngressBackend fallback = ingress.getSpec().getDefaultBackend();
    Map<BackendRef, Set<String>> byService = new LinkedHashMap<>();
    add(byService, ingress.getMetadata().getNamespace(), fallback, null);
    return named(byService, route + " (" + via + "defaultBackend)", null);
  }

  /**
   * The Services whose answers visitors of host get on {@code path} (spec.probe.path, as probed):
   * {@link #backendsFor}'s, and the Ingress's defaultBackend too where the rules that serve host
   * route other paths only (/api): ingress-nginx sends the rest of that host to it ("defines both
   * a backend and rules. Using its backend as default upstream for all its rules"), so a 503 there
   * is the defaultBackend's, not an overload of the rules' Services. Not for the rules without a
   * host: their catch-all server keeps the controller's own default backend. Nor where other
   * Ingresses share the server ({@code sharingTheServer}): their paths may route it, and which
   * defaultBackend takes the rest depends on the order ingress-nginx reads them in.
   */
  public static List<BackendRef> upstreamsFor(Ingress ingress, String host, String path, List<Ingress> sharingTheServer) {
    List<BackendRef> refs = backendsFor(ingress, host);
    IngressBackend fallback = ingress.getSpec() == null ? null : ingress.getSpec().getDefaultBackend();
    if (refs.isEmpty() || fallback == null || path == null || !sharingTheServer.isEmpty()
        || !servedByAHostRule(ingress, host)) {
      return refs;
    }
    int query = path.indexOf('?');
    String bare = query < 0 ? path : path.substring(0, query);
    if (pathsRoute(pathsFor(ingress, host), bare)) {
      return refs;
    }
    String name = servingName(ingress, host);
    Map<BackendRef, Set<String>> byService = new LinkedHashMap<>();
    add(byService, ingress.getMetadata().getNamespace(), fallback, null);
    List<BackendRef> out = new ArrayList<>(refs);
    named(byService, "Ingress " + ObjectKey.of(ingress) + " (defaultBackend, which takes " + bare
        + ": no path of the rule for " + name + " routes it)", null).stream()
        .filter(extra -> refs.stream().noneMatch(ref -> sameServicePort(ref, extra)))
        .forEach(out::add);
    return out;
  }

  private static boolean sameServicePort(BackendRef a, BackendRef b) {
    return a.serviceKey().equals(b.serviceKey()) && Objects.equals(a.portNumber(), b.portNumber())
        && Objects.equals(a.portName(), b.portName());
  }

  /** Whether the backends of host come from a rule naming it (exactly or by a wildcard). */
  private static boolean servedByAHostRule(Ingress ingress, String host) {
    String name = servingName(ingress, host);
    for (Tier tier : Tier.values()) {
      if (!tierBackends(ingress, name, tier, "", "").isEmpty()) {
        return tier != Tier.HOSTLESS;
      }
      if (claims(ingress, name, tier)) {
        return false;
      }
    }
    return false;
  }

  /**
   * A path cert-manager adds to the Site's own rule for an HTTP-01 challenge (its
   * {@code http01-edit-in-place} mode), pointing at a solver pod of its own for the minute the
   * challenge lasts: only the ACME server asks for it, so visitors are not served by it, and a
   * solver pod still starting (or one that cannot be scheduled) is no 503 of the Site. A challenge
   * that keeps failing shows as the certificate nearing its expiry.
   */
  private static boolean isAcmeChallenge(HTTPIngressPath path) {
    return path.getPath() != null && path.getPath().startsWith(ACME_CHALLENGE);
  }

  private static final String ACME_CHALLENGE = "/.well-known/acme-challenge/";

  /** The kinds of rule, in the order a controller tries them for a host. */
  private enum Tier { EXACT, WILDCARD, HOSTLESS }

  private static List<BackendRef> tierBackends(Ingress ingress, String host, Tier tier, String route, String via) {
    Map<BackendRef, Set<String>> byService = new LinkedHashMap<>();
    String ruleHost = null;
    for (IngressRule rule : nullSafe(ingress.getSpec().getRules())) {
      if (tierOf(rule.getHost(), host) != tier || rule.getHttp() == null) {
        continue;
      }
      for (HTTPIngressPath path : nullSafe(rule.getHttp().getPaths())) {
        if (isAcmeChallenge(path)) {
          continue;
        }
        if (add(byService, ingress.getMetadata().getNamespace(), path.getBackend(),
            path.getPath() == null || path.getPath().isEmpty() ? "/" : path.getPath())) {
          ruleHost = ruleHost == null ? rule.getHost() : ruleHost;
        }
      }
    }
    String rule = via + switch (tier) {
      case EXACT -> "";
      case WILDCARD -> "rule " + ruleHost + ", ";
      case HOSTLESS -> "rule without host, ";
    };
    return named(byService, route, rule);
  }

  private static List<BackendRef> named(Map<BackendRef, Set<String>> byService, String route, String rule) {
    List<BackendRef> out = new ArrayList<>();
    byService.forEach((ref, paths) -> out.add(new BackendRef(ref.namespace(), ref.serviceName(), ref.portNumber(),
        ref.portName(), rule == null ? route
            : route + " (" + rule + (paths.size() == 1 ? "path " : "paths ") + String.join(", ", paths) + ")")));
    return out;
  }

  private static Tier tierOf(String ruleHost, String host) {
    if (ruleHost == null || ruleHost.isEmpty()) {
      return Tier.HOSTLESS;
    }
    if (ruleHost.equalsIgnoreCase(host)) {
      return Tier.EXACT;
    }
    return ruleHost.startsWith("*.") && hostMatches(ruleHost, host) ? Tier.WILDCARD : null;
  }

  private static boolean add(Map<BackendRef, Set<String>> refs, String namespace, IngressBackend backend, String path) {
    if (backend == null || backend.getService() == null) {
      return false;
    }
    IngressServiceBackend service = backend.getService();
    if (service.getName() == null || service.getName().isBlank()) {
      return false;
    }
    Integer number = service.getPort() == null ? null : service.getPort().getNumber();
    String name = service.getPort() == null ? null : service.getPort().getName();
    Set<String> paths = refs.computeIfAbsent(new BackendRef(namespace, service.getName(), number, number == null ? name : null),
        k -> new LinkedHashSet<>());
    if (path != null) {
      paths.add(path);
    }
    return true;
  }

  /**
   * The paths the Ingress routes {@code host} on, from the rules a controller uses for it (the
   * same precedence as {@link #backendsFor}); empty when the default backend takes every path.
   */
  static List<HTTPIngressPath> pathsFor(Ingress ingress, String host) {
    if (ingress.getSpec() == null || host == null || IngressNginx.wwwTwinOf(ingress, host).isPresent()) {
      return List.of();
    }
    host = servingName(ingress, host);
    for (Tier tier : Tier.values()) {
      List<HTTPIngressPath> paths = new ArrayList<>();
      for (IngressRule rule : nullSafe(ingress.getSpec().getRules())) {
        if (tierOf(rule.getHost(), host) == tier && rule.getHttp() != null) {
          paths.addAll(nullSafe(rule.getHttp().getPaths()));
        }
      }
      if (!paths.isEmpty() || claims(ingress, host, tier)) {
        return paths;
      }
    }
    return List.of();
  }

  /**
   * Whether a rule of this tier names host (exactly, or by a wildcard) though it routes no path
   * to a Service: the controller still makes a server for that name, whose every path goes to the
   * Ingress's defaultBackend (or its own 404). Rules of a lower tier never serve host then, which
   * ingress-nginx keeps for other names (the catch-all server for rules without a host).
   */
  private static boolean claims(Ingress ingress, String host, Tier tier) {
    return tier != Tier.HOSTLESS && nullSafe(ingress.getSpec().getRules()).stream()
        .anyMatch(rule -> tierOf(rule.getHost(), host) == tier);
  }

  /**
   * Whether a request for {@code path} to host reaches a backend of the Ingress: a rule's path
   * matches it (Exact; Prefix by whole path elements; ImplementationSpecific as ingress-nginx
   * reads it, a prefix, or a regular expression that may match anything), or the default
   * backend takes what no rule does.
   */
  static boolean routesPath(Ingress ingress, String host, String path) {
    List<HTTPIngressPath> paths = pathsFor(ingress, host);
    return paths.isEmpty() || ingress.getSpec().getDefaultBackend() != null || pathsRoute(paths, path);
  }

  /** Whether one of the rule paths matches {@code path}, as {@link #routesPath} reads them. */
  private static boolean pathsRoute(List<HTTPIngressPath> paths, String path) {
    for (HTTPIngressPath p : paths) {
      String value = p.getPath() == null || p.getPath().isEmpty() ? "/" : p.getPath();
      boolean matches = switch (p.getPathType() == null ? "ImplementationSpecific" : p.getPathType()) {
        case "Exact" -> value.equals(path);
        case "Prefix" -> HttpRoutes.prefixMatches(value, path);
        default -> path.startsWith(value) || value.chars().anyMatch(c -> "^$*+?()[]{}|\\".indexOf(c) >= 0);
      };
      if (matches) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether a request for {@code /} of host reaches a backend Service of the Ingress: not an
   * Ingress that only redirects (permanent-redirect, temporal-redirect), nor one whose rules for
   * host route only other paths ({@code /api}).
   */
  public static boolean routesRootToABackend(Ingress ingress, String host) {
    return IngressNginx.redirect(ingress).isEmpty() && !backendsFor(ingress, host).isEmpty()
        && routesPath(ingress, host, "/");
  }

  /**
   * The name whose rules of the Ingress serve host: host itself, unless no rule names it and it is
   * one of the Ingress's ingress-nginx server-alias names; then the rule host that owns the alias
   * ("_" for the rules without a host), whose server answers it as it answers its own host.
   */
  public static String servingName(Ingress ingress, String host) {
    return IngressNginx.aliasOwner(ingress, host).orElse(host);
  }

  /** Whether a rule of the Ingress (exact, wildcard or without a host) makes the server that answers host. */
  static boolean hasRuleServing(Ingress ingress, String host) {
    String name = servingName(ingress, host);
    return ingress != null && ingress.getSpec() != null && nullSafe(ingress.getSpec().getRules()).stream()
        .anyMatch(rule -> tierOf(rule.getHost(), name) != null);
  }

  /** Whether a rule of the Ingress names host itself (no wildcard): no alias or twin can take it. */
  static boolean namesExactly(Ingress ingress, String host) {
    return ingress != null && ingress.getSpec() != null && nullSafe(ingress.getSpec().getRules()).stream()
        .anyMatch(rule -> rule.getHost() != null && rule.getHost().equalsIgnoreCase(host));
  }

  /** Whether a rule applies to host (an empty rule host applies to every host). */
  public static boolean servesHost(IngressRule rule, String host) {
    return hostMatches(rule.getHost(), host);
  }

  /** An empty or absent rule host matches every host; "*.example.com" matches exactly one label. */
  static boolean hostMatches(String ruleHost, String host) {
    if (ruleHost == null || ruleHost.isEmpty()) {
      return true;
    }
    String rule = ruleHost.toLowerCase(Locale.ROOT);
    String h = host.toLowerCase(Locale.ROOT);
    if (rule.equals(h)) {
      return true;
    }
    if (rule.startsWith("*.")) {
      int dot = h.indexOf('.');
      return dot > 0 && h.substring(dot).equals(rule.substring(1));
    }
    return false;
  }

  /**
   * Whether the Ingress's TLS section names host: an entry listing it (or a wildcard covering it),
   * or one without hosts, which covers every host ("defaults to the wildcard host setting for the
   * loadbalancer controller", the Ingress API says; ingress-nginx serves them all with it).
   * ingress-nginx answers a server-alias or a www twin on the TLS server of the rule host it belongs
   * to, with that rule's certificate when it names the alias (else its default one).
   */
  public static boolean hasTlsFor(Ingress ingress, String host) {
    if (ingress.getSpec() == null || host == null) {
      return false;
    }
    Optional<String> server = IngressNginx.wwwTwinOf(ingress, host).or(() -> IngressNginx.aliasOwner(ingress, host));
    return tlsNames(ingress, host) || server.filter(name -> tlsNames(ingress, name)).isPresent();
  }

  /**
   * Whether ingress-nginx serves host over TLS and redirects plain http there though the Ingress's
   * TLS section does not name it: an Ingress with any TLS entry gets a TLS server for every host
   * of its rules with a host (exact or wildcard, or their aliases and www twins), with the
   * certificate of a Secret of the section that names the host, else its default one; a host
   * reached only by a rule without a host or the defaultBackend gets none. Not where the Ingress
   * turns the redirect off ({@code ssl-redirect: "false"}): plain http is served too, as a CDN
   * fetching over http wants.
   */
  static boolean givesTlsToUnlistedRuleHost(Ingress ingress, String host) {
    if (ingress.getSpec() == null || host == null || nullSafe(ingress.getSpec().getTls()).stream().noneMatch(Objects::nonNull)
        || hasTlsFor(ingress, host) || HostTls.serverOf(ingress, host).isEmpty()) {
      return false;
    }
    var annotations = ingress.getMetadata() == null ? null : ingress.getMetadata().getAnnotations();
    return annotations == null || !GoBool.isFalse(annotations.get(SSL_REDIRECT));
  }

  static final String SSL_REDIRECT = "nginx.ingress.kubernetes.io/ssl-redirect";

  private static boolean tlsNames(Ingress ingress, String host) {
    for (IngressTLS tls : nullSafe(ingress.getSpec().getTls())) {
      if (tls != null && nullSafe(tls.getHosts()).stream().allMatch(h -> h == null || h.isEmpty())) {
        return true;
      }
      for (String tlsHost : nullSafe(tls == null ? null : tls.getHosts())) {
        if (tlsHost != null && !tlsHost.isEmpty() && hostMatches(tlsHost, host)) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Whether the Ingress names no class, by field or by the older annotation. The admission plugin
   * writes the default class into ingressClassName on creation, so a classless Ingress was created
   * when no class was the default; most controllers leave such an Ingress alone.
   */
  static boolean namesNoClass(Ingress ingress) {
    if (ingress == null) {
      return false;
    }
    boolean field = ingress.getSpec() != null && ingress.getSpec().getIngressClassName() != null
        && !ingress.getSpec().getIngressClassName().isBlank();
    var annotations = ingress.getMetadata() == null ? null : ingress.getMetadata().getAnnotations();
    return !field && (annotations == null || annotations.getOrDefault("kubernetes.io/ingress.class", "").isBlank());
  }

  /** The Ingress's load-balancer addresses, ip else hostname, in status order. */
  public static List<String> loadBalancerAddresses(Ingress ingress) {
    List<String> out = new ArrayList<>();
    if (ingress.getStatus() == null || ingress.getStatus().getLoadBalancer() == null) {
      return out;
    }
    for (IngressLoadBalancerIngress lb : nullSafe(ingress.getStatus().getLoadBalancer().getIngress())) {
      if (lb.getIp() != null && !lb.getIp().isBlank()) {
        out.add(lb.getIp());
      } else if (lb.getHostname() != null && !lb.getHostname().isBlank()) {
        out.add(lb.getHostname());
      }
    }
    return out;
  }

  static <T> List<T> nullSafe(List<T> list) {
    return list == null ? List.of() : list;
  }
}
