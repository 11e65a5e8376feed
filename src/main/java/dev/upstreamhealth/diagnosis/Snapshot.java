package dev.upstreamhealth.diagnosis;

import dev.upstreamhealth.api.SiteSpec;
import dev.upstreamhealth.probe.ProbeFindings;
import dev.upstreamhealth.probe.Scheme;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Everything one diagnosis reads, gathered once from the informer caches and the probe
 * scheduler: an immutable value, so the diagnosis is a pure function of it.
 *
 * @param ingress null when the Ingress does not exist (and for an HTTPRoute origin)
 * @param backends the upstreams of host, empty when the route does not route host
 * @param gateway null when {@code spec.gateway} is not set and no Gateway data plane was found
 * @param ingressClasses names of the cluster's IngressClasses; null when not known
 * @param now when the cluster state was read, for the age of pods; null when not known (then no
 *     pod counts as still starting)
 * @param unsyncedCaches the caches this was read from that have not synced yet: while any has
 *     not, what is missing from them may only be missing from the cache
 * @param resolvedNames DNS names looked up for the Site (its {@code origin.address}), with the
 *     addresses each resolved to (empty: it does not resolve); a name not yet looked up is absent
 * @param route the Gateway API objects of an {@code origin.httpRouteName} Site; null for an Ingress origin
 * @param routeDataPlanes for an HTTPRoute Site without {@code spec.gateway}: the data plane of each
 *     Gateway that serves host, by Gateway key; {@code gateway} is the one the attachment picks, and
 *     is picked again when names resolve (a configured name may pick another Gateway)
 * @param fallback the Service ingress-nginx's default-backend annotation on the Ingress names, and
 *     what stands behind it: visitors get its page while the backends have no endpoint; null when
 *     the Ingress names none
 * @param hostTlsIngress another Ingress of the same class ("namespace/name") whose TLS section
 *     covers the server that answers host: ingress-nginx then serves host over TLS, whatever the
 *     Site's Ingress declares; null when none does
 * @param controllerConfig what ingress-nginx's controller ConfigMap sets for every Ingress, when
 *     the operator reads the one that applies to the Site's gateway ({@code spec.gateway}); null
 *     when none applies, or it is not known (missing, or not readable)
 * @param loadBalancers for an HTTPRoute Site: the LoadBalancer Services whose
 *     {@code status.loadBalancer.ingress} holds an address of a Gateway serving host, with their
 *     EndpointSlices and pods: the ports the CDN reaches there ({@link LoadBalancerPorts}); empty
 *     when none is known
 */
public record Snapshot(
    String namespace,
    String name,
    SiteSpec spec,
    Ingress ingress,
    List<Backend> backends,
    GatewayState gateway,
    ProbeFindings probes,
    Set<String> ingressClasses,
    Instant now,
    Set<String> unsyncedCaches,
    Map<String, List<String>> resolvedNames,
    RouteState route,
    Map<String, GatewayState> routeDataPlanes,
    Backend fallback,
    String hostTlsIngress,
    IngressNginxConfigMap controllerConfig,
    List<GatewayState> loadBalancers) {

  public Snapshot {
    backends = List.copyOf(backends);
    probes = probes == null ? ProbeFindings.NONE : probes;
    ingressClasses = ingressClasses == null ? null : Set.copyOf(ingressClasses);
    unsyncedCaches = Collections.unmodifiableSortedSet(new TreeSet<>(unsyncedCaches == null ? Set.of() : unsyncedCaches));
    resolvedNames = resolvedNames == null ? Map.of() : Map.copyOf(resolvedNames);
    routeDataPlanes = routeDataPlanes == null ? Map.of() : Collections.unmodifiableMap(new HashMap<>(routeDataPlanes));
    loadBalancers = loadBalancers == null ? List.of() : List.copyOf(loadBalancers);
  }

  /** The route the Site names, as messages refer to it: "Ingress web/shop" or "HTTPRoute web/shop". */
  public String routeDescription() {
    if (spec == null || spec.getOrigin() == null) {
      return "Ingress " + namespace + "/null";
    }
    return viaHttpRoute()
        ? "HTTPRoute " + namespace + "/" + spec.getOrigin().getHttpRouteName()
        : "Ingress " + namespace + "/" + spec.getOrigin().getIngressName();
  }

  /**
   * The namespaces whose objects this Site's verdict is read from: its own, its gateway Service's,
   * its backends' (an HTTPRoute's backendRef may cross namespaces) and its Gateways' and their data
   * planes'. A cache of another namespace that has not synced says nothing of this Site. Empty for
   * an HTTPRoute Site without {@code spec.gateway}: its Gateways' data-plane Services are found by
   * their labels in whatever namespace they are (Envoy Gateway's own), so a cache of any namespace
   * may hold one.
   */
  public Optional<Set<String>> namespacesRead() {
    if (viaHttpRoute() && (spec == null || spec.getGateway() == null)) {
      return Optional.empty();
    }
    Set<String> read = new HashSet<>();
    read.add(namespace);
    if (spec != null && spec.getGateway() != null && spec.getGateway().getServiceNamespace() != null) {
      read.add(spec.getGateway().getServiceNamespace());
    }
    if (gateway != null) {
      read.add(gateway.namespace());
    }
    backends.forEach(b -> read.add(b.ref().namespace()));
    if (route != null) {
      route.gateways().values().forEach(g -> read.add(g.getMetadata().getNamespace()));
    }
    routeDataPlanes.values().forEach(plane -> read.add(plane.namespace()));
    read.remove(null);
    return Optional.of(read);
  }

  /** The same cluster state with what the probes have concluded. */
  public Snapshot withProbes(ProbeFindings findings) {
    return new Snapshot(namespace, name, spec, ingress, backends, gateway, findings, ingressClasses, now,
        unsyncedCaches, resolvedNames, route, routeDataPlanes, fallback, hostTlsIngress, controllerConfig,
        loadBalancers);
  }

  /** The same objects, read from caches of which these have not synced yet. */
  public Snapshot withUnsyncedCaches(Set<String> caches) {
    return new Snapshot(namespace, name, spec, ingress, backends, gateway, probes, ingressClasses, now,
        caches, resolvedNames, route, routeDataPlanes, fallback, hostTlsIngress, controllerConfig,
        loadBalancers);
  }

  /**
   * The same objects, with what the Site's DNS names resolved to so far. For an HTTPRoute on
   * several Gateways a configured name may now pick another one: the gateway becomes that one's
   * data plane, so that the diagnosis and the probes judge the Gateway the CDN connects to.
   */
  public Snapshot withResolvedNames(Map<String, List<String>> names) {
    Snapshot resolved = new Snapshot(namespace, name, spec, ingress, backends, gateway, probes, ingressClasses, now,
        unsyncedCaches, names, route, routeDataPlanes, fallback, hostTlsIngress, controllerConfig,
        loadBalancers);
    if (routeDataPlanes.isEmpty()) {
      return resolved;
    }
    Optional<RouteAttachment> serving = resolved.attachment().filter(RouteAttachment::served);
    // While the configured name has not resolved, which of several Gateways the CDN connects to
    // is not known: none is judged (no GatewayDown from a data plane the CDN may never reach).
    GatewayState picked = serving.isEmpty() ? gateway
        : routeDataPlanes.size() > 1 && resolved.configuredNamePending() ? null
        : routeDataPlanes.get(serving.get().gatewayKey());
    return new Snapshot(namespace, name, spec, ingress, backends, picked, probes, ingressClasses, now,
        unsyncedCaches, names, route, routeDataPlanes, fallback, hostTlsIngress, controllerConfig,
        loadBalancers);
  }

  /** Whether {@code origin.address} is a DNS name not looked up yet. */
  private boolean configuredNamePending() {
    String configured = spec == null || spec.getOrigin() == null ? null : spec.getOrigin().getAddress();
    return configured != null && NetworkAddress.parse(configured)
        .filter(NetworkAddress::isName).map(n -> !resolvedNames.containsKey(n.name())).orElse(false);
  }

  /** Whether the Site's origin is an HTTPRoute rather than an Ingress. */
  public boolean viaHttpRoute() {
    return route != null;
  }

  /** Which Gateway serves host for the HTTPRoute; empty for an Ingress, or while the route is unknown. */
  public Optional<RouteAttachment> attachment() {
    if (route == null || !route.ready() || route.route() == null || spec == null || spec.getHost() == null) {
      return Optional.empty();
    }
    String configured = spec.getOrigin() == null ? null : spec.getOrigin().getAddress();
    return Optional.of(RouteAttachment.of(route, spec.getHost(), configured, resolvedNames));
  }

  /** Whether there is a route object to read: an existing Ingress, or an existing HTTPRoute. */
  public boolean hasRoute() {
    return viaHttpRoute() ? route.ready() && route.route() != null : ingress != null;
  }

  /** The load-balancer addresses the CDN may be configured with: the Ingress's, or the serving Gateway's. */
  public List<String> originAddresses() {
    if (viaHttpRoute()) {
      return attachment().filter(RouteAttachment::served).map(GatewayOrigin::addresses).orElse(List.of());
    }
    return ingress == null ? List.of() : IngressRoutes.loadBalancerAddresses(ingress);
  }

  /** Where the CDN connects, or empty when neither the cluster nor the spec gives an address. */
  public Optional<OriginEndpoint> originEndpoint() {
    if (viaHttpRoute()) {
      return attachment().filter(RouteAttachment::served)
          .flatMap(a -> GatewayOrigin.resolve(spec.getOrigin(), a, resolvedNames, loadBalancers));
    }
    return ingress == null ? Optional.empty()
        : OriginEndpoint.resolve(spec.getOrigin(), ingress, hasTlsForHost(), resolvedNames);
  }

  /**
   * Where the origin's TLS comes from when another Ingress declares it, for the messages about
   * the origin's https: "; TLS for shop.example.com is declared on Ingress web/shop-tls, ...".
   * Empty when the Site's own Ingress declares it, or the Site says the scheme (by name, or by
   * port 80 or 443).
   */
  public String tlsElsewhereNote() {
    boolean schemeGiven = (spec.getOrigin().getScheme() != null && !spec.getOrigin().getScheme().isEmpty())
        || (spec.getOrigin().getPort() != null && Scheme.ofDefaultPort(spec.getOrigin().getPort()).isPresent());
    if (hostTlsIngress == null || ingress == null || schemeGiven || IngressRoutes.hasTlsFor(ingress, spec.getHost())) {
      return "";
    }
    return "; TLS for " + spec.getHost() + " is declared on Ingress " + hostTlsIngress
        + ", which ingress-nginx applies to every Ingress of the host: the CDN fetches it over https";
  }

  /**
   * For a certificate the CDN would refuse, where the Site's Ingress has TLS but no entry names
   * the host (nor the rule host it is an alias or www twin of): ingress-nginx then serves it with a
   * certificate of the section's Secrets only if that names the host, else with its default one.
   */
  public String tlsHostNotListedNote() {
    return !tlsForUnlistedHost() ? ""
        : "; the TLS section of Ingress " + ObjectKey.of(ingress) + " does not name " + spec.getHost()
            + ": ingress-nginx serves it over TLS with a certificate of the section's Secrets only where that"
            + " names the host, else with its default certificate (add the host to the TLS section)";
  }

  /**
   * Whether the gateway serves host over TLS: its Ingress declares it, or another of the same class
   * does, or ingress-nginx gives it TLS and its redirect unasked ({@link #tlsForUnlistedHost}).
   */
  public boolean hasTlsForHost() {
    return ingress != null && (hostTlsIngress != null || IngressRoutes.hasTlsFor(ingress, spec.getHost())
        || tlsForUnlistedHost());
  }

  /**
   * The Site's Ingress has TLS for other hosts, and ingress-nginx (its ConfigMap read, the redirect
   * to https left on there) serves this one over TLS as well and redirects plain http there. Where
   * the controller is not known to be ingress-nginx, or turns the redirect off for every Ingress
   * (the usual set-up behind a CDN fetching over http), the host is left to plain http.
   */
  private boolean tlsForUnlistedHost() {
    return ingress != null && hostTlsIngress == null && controllerConfig != null && !controllerConfig.sslRedirectOff()
        && IngressRoutes.givesTlsToUnlistedRuleHost(ingress, spec.getHost());
  }

  /** Why the cluster gives the CDN no address: the Ingress has no load balancer, or the Gateway none. */
  public String noOriginAddressReason() {
    if (viaHttpRoute()) {
      return attachment().filter(RouteAttachment::served).map(GatewayOrigin::noAddress)
          .orElse(routeDescription() + " is served by no Gateway");
    }
    return routeDescription() + " has no load-balancer address" + (IngressRoutes.namesNoClass(ingress)
        ? " (it names no IngressClass: only a controller that also serves Ingresses without a class"
            + " picks it up; set spec.ingressClassName)"
        : "");
  }

  /**
   * The path the gateway sends upstream for {@code probePath} after the HTTPRoute's URLRewrite
   * filter; empty for an Ingress, and for a route that does not rewrite it.
   */
  public Optional<String> routeUpstreamPath(String probePath) {
    return viaHttpRoute() && route.route() != null ? HttpRoutes.upstreamPath(route.route(), probePath) : Optional.empty();
  }

  /**
   * How long the gateway waits for the upstreams' answer to the probe's path on this route, as the
   * route declares it (HTTPRoute {@code timeouts.backendRequest} / {@code request} of the rule that
   * path reaches). Empty for an Ingress and for a route that sets none: the gateway's own default
   * applies.
   */
  public Optional<Duration> routeReadTimeout() {
    return viaHttpRoute() && route.route() != null
        ? HttpRoutes.readTimeout(route.route(), ProbedPath.of(this).path()) : Optional.empty();
  }

  /** Whether the HTTPRoute's rule for the probe's path declares its timeouts ("0s" included). */
  public boolean routeDeclaresTimeout() {
    return viaHttpRoute() && route.route() != null
        && HttpRoutes.declaresTimeout(route.route(), ProbedPath.of(this).path());
  }

  /** The controller of the GatewayClass of the Gateway serving the HTTPRoute; empty for an Ingress. */
  public Optional<String> routeController() {
    return viaHttpRoute() ? attachment().filter(RouteAttachment::served)
        .map(a -> HttpRoutes.controllerOf(a.gateway(), route)) : Optional.empty();
  }

  /** The longest any rule of the HTTPRoute lets the gateway wait; empty for an Ingress, or none set. */
  public Optional<Duration> routeLongestReadTimeout() {
    return viaHttpRoute() && route.route() != null ? HttpRoutes.longestReadTimeout(route.route()) : Optional.empty();
  }

  /**
   * The DNS names whose answers the origin address check needs, for a spec that can be used:
   * {@code origin.address} and the load balancers' names. For an HTTPRoute on several Gateways,
   * those of each Gateway that serves host: the configured name picks the one it resolves to, so
   * every one's name must be known before one is picked.
   */
  public Set<String> namesToResolve() {
    if (spec == null || !SpecProblems.of(spec).isEmpty() || spec.getOrigin().getAddress() == null) {
      return Set.of();
    }
    return OriginAddresses.namesToResolve(spec.getOrigin().getAddress(), originLoadBalancerCandidates());
  }

  private List<NetworkAddress> originLoadBalancerCandidates() {
    if (!viaHttpRoute() || !route.ready() || route.route() == null || spec.getHost() == null) {
      return originLoadBalancer();
    }
    return RouteAttachment.serving(route, spec.getHost()).stream()
        .flatMap(a -> GatewayOrigin.addresses(a).stream())
        .map(NetworkAddress::parse).flatMap(Optional::stream).distinct().toList();
  }

  /**
   * The addresses external-dns publishes for the route's Ingress, or the Gateway that serves its
   * HTTPRoute, in place of the load balancer's ({@link ExternalDnsTarget}).
   */
  public List<NetworkAddress> publishedAddresses() {
    if (viaHttpRoute()) {
      return attachment().filter(RouteAttachment::served).map(a -> ExternalDnsTarget.of(a.gateway())).orElse(List.of());
    }
    return ExternalDnsTarget.of(ingress);
  }

  /** The load-balancer addresses as network addresses, for comparison by value with origin.address. */
  public List<NetworkAddress> originLoadBalancer() {
    if (viaHttpRoute()) {
      return originAddresses().stream().map(NetworkAddress::parse).flatMap(Optional::stream).toList();
    }
    return OriginAddresses.loadBalancer(ingress);
  }
}
