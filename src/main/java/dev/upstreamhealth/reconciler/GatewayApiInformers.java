package dev.upstreamhealth.reconciler;

import dev.upstreamhealth.api.Site;
import dev.upstreamhealth.diagnosis.BackendRef;
import dev.upstreamhealth.diagnosis.HttpRoutes;
import dev.upstreamhealth.diagnosis.ListenerSets;
import dev.upstreamhealth.diagnosis.ObjectKey;
import dev.upstreamhealth.diagnosis.RouteState;
import dev.upstreamhealth.gatewayapi.ListenerSet;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClass;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ParentReference;
import io.fabric8.kubernetes.api.model.gatewayapi.v1beta1.ReferenceGrant;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.javaoperatorsdk.operator.health.Status;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Gateway API caches (GatewayClass, Gateway, HTTPRoute v1, ReferenceGrant v1beta1) and the
 * mappers from their objects to the Sites that read them. A cluster may not serve the Gateway
 * API, or may gain it while the operator runs: its CustomResourceDefinitions are watched, each by
 * its name (a cluster may hold hundreds of MB of other CRDs, and the role grants only these), and
 * the informers start (off the reconcile threads) once all four are there, stop if one goes.
 * Meanwhile Ingress Sites run as usual and HTTPRoute Sites say why they wait. ListenerSets
 * (standard since v1.5) are cached on their own, while their CRD is there: a cluster on an
 * older Gateway API runs without them.
 */
final class GatewayApiInformers extends SimpleInboundEventSource<Site> {
  private static final Logger log = LoggerFactory.getLogger(GatewayApiInformers.class);
  /** CRD name → the version read here, which the CRD must serve. */
  static final Map<String, String> REQUIRED_CRDS = requiredCrds();
  private static final String ROUTE_BY_PARENT = "route-by-parent-gateway";
  private static final String ROUTE_BY_BACKEND = "route-by-backend-service";
  private static final String ROUTE_BY_BACKEND_NAMESPACE = "route-by-backend-namespace";
  private static final String GATEWAY_BY_CLASS = "gateway-by-class";
  private static final String LISTENER_SET_BY_GATEWAY = "listener-set-by-gateway";
  /** ListenerSets, which only clusters on Gateway API v1.5 and later serve. */
  static final String LISTENER_SETS_CRD = "listenersets." + HttpRoutes.GROUP;
  private static final String LISTENER_SETS_VERSION = "v1";
  private static final Duration SYNC_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration RETRY = Duration.ofSeconds(15);

  private final KubernetesClient client;
  private final Function<String, Set<ResourceID>> sitesByRoute;
  private final Supplier<Set<ResourceID>> routeSites;
  private final ScheduledExecutorService starter = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "gateway-api-informers");
    t.setDaemon(true);
    return t;
  });

  /** The ADDs of the four caches' first lists, awaited before their start returns (as ClusterInformers' are). */
  private final FirstListDelivery delivery = new FirstListDelivery();
  /** CRD name → an informer of that CRD alone (a metadata.name field selector), or none before start. */
  private volatile Map<String, SharedIndexInformer<CustomResourceDefinition>> crds = Map.of();
  private volatile Informers informers;
  private volatile RouteState.Availability availability = RouteState.Availability.NOT_INSTALLED;
  private volatile String detail = "its CustomResourceDefinitions have not been read yet";
  private volatile boolean initialised;
  /** The ListenerSet cache while its CRD is there; synced once listenerSetsReady. */
  private volatile Cached<ListenerSet> listenerSets;
  private volatile boolean listenerSetsReady;
  /** Why the Gateway API caches, whose CRDs are served, could not be filled at the last try; null when they could. */
  private volatile String cachesUnfilled;
  /** The same for the ListenerSet cache. */
  private volatile String listenerSetsUnfilled;

  /** The four caches, started and stopped together. */
  private record Informers(Cached<GatewayClass> classes, Cached<Gateway> gateways,
      Cached<HTTPRoute> routes, Cached<ReferenceGrant> grants) {
    List<SharedIndexInformer<?>> all() {
      return List.of(classes.informer(), gateways.informer(), routes.informer(), grants.informer());
    }

    long stored() {
      return (long) classes.store().size() + gateways.store().size() + routes.store().size() + grants.store().size();
    }
  }

  /** An informer and its store, where its objects are read and its {@link StableIndexes} kept. */
  private record Cached<R extends HasMetadata>(SharedIndexInformer<R> informer, TrimmedItemStore<R> store) {}

  /**
   * @param sitesByRoute the Sites whose spec.origin.httpRouteName is this "namespace/name"
   * @param routeSites every Site with an HTTPRoute origin
   */
  GatewayApiInformers(KubernetesClient client, Function<String, Set<ResourceID>> sitesByRoute,
      Supplier<Set<ResourceID>> routeSites) {
    super("GatewayApi");
    this.client = client;
    this.sitesByRoute = sitesByRoute;
    this.routeSites = routeSites;
  }

  @Override
  public void start() {
    super.start();
    List<String> names = new ArrayList<>(REQUIRED_CRDS.keySet());
    names.add(LISTENER_SETS_CRD);
    Map<String, SharedIndexInformer<CustomResourceDefinition>> byName = new LinkedHashMap<>();
    for (String name : names) {
      SharedIndexInformer<CustomResourceDefinition> crd =
          client.apiextensions().v1().customResourceDefinitions().withName(name).runnableInformer(0);
      crd.itemStore(new TrimmedItemStore<>());
      crd.addEventHandler(handler(changed -> onCrdsChanged(), new FirstListDelivery())); // not awaited
      byName.put(name, crd);
    }
    crds = Collections.unmodifiableMap(byName);
    try {
      CompletableFuture.allOf(crds.values().stream().map(i -> i.start().toCompletableFuture())
          .toArray(CompletableFuture[]::new)).get(SYNC_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      // The informer keeps retrying; HTTPRoute Sites say so until it can read the CRDs.
      detail = "CustomResourceDefinitions cannot be read (" + rootMessage(e) + ")";
      log.warn("Gateway API: {}; HTTPRoute Sites wait, Ingress Sites are not affected", detail);
      initialised = true;
      return;
    }
    if (servesListenerSets()) {
      startListenerSets();
    }
    // Read after the ListenerSets' wait, which CRD events during it do not interrupt.
    Optional<String> missing = missing();
    synchronized (this) {
      initialised = true;
      if (missing.isPresent()) {
        detail = missing.get();
        log.info("Gateway API is not installed ({}): HTTPRoute Sites wait for it, Ingress Sites are not affected",
            detail);
        return;
      }
      availability = RouteState.Availability.STARTING;
      detail = "the Gateway API caches are starting";
    }
    // Installed already: filled before the first reconcile, like every other cache.
    startInformers();
  }

  /**
   * Whether HTTPRoute Sites can be judged from these caches: synced, or the Gateway API not there
   * at all, which only a completed list of the CRDs can say (a slow first list is no absence).
   */
  boolean synced() {
    return initialised && crdsListed() && availability != RouteState.Availability.STARTING;
  }

  /**
   * Unhealthy while a cache whose CRD the cluster serves could not be filled at its last try (a
   * role without the Gateway API rules, say): HTTPRoute Sites then keep their stored status,
   * which /readyz must not pass off as current. Healthy when the Gateway API is absent: an
   * Ingress-only cluster has nothing to fill.
   */
  @Override
  public Status getStatus() {
    return cachesUnfilled != null || listenerSetsUnfilled != null ? Status.UNHEALTHY : Status.HEALTHY;
  }

  private boolean crdsListed() {
    return !crds.isEmpty() && crds.values().stream().allMatch(SharedIndexInformer::hasSynced);
  }

  @Override
  public void stop() {
    starter.shutdownNow();
    Informers current = informers;
    if (current != null) {
      current.all().forEach(SharedIndexInformer::stop);
    }
    stopListenerSets();
    crds.values().forEach(SharedIndexInformer::stop);
    super.stop();
  }

  /** The Gateway API objects one HTTPRoute Site reads, from the caches only. */
  RouteState state(String namespace, String routeName) {
    Informers current = informers;
    if (!crdsListed()) {
      return RouteState.starting("the CustomResourceDefinitions have not been listed yet");
    }
    if (availability == RouteState.Availability.NOT_INSTALLED) {
      // Read again: a first list that came late left the detail of its failure behind.
      return RouteState.notInstalled(missing().orElse(detail));
    }
    if (availability == RouteState.Availability.STARTING || current == null) {
      return RouteState.starting(detail);
    }
    HTTPRoute route = current.routes().store().get(ObjectKey.of(namespace, routeName));
    if (route == null) {
      return RouteState.of(null, Map.of(), Map.of(), List.of());
    }
    // Served is the CRD's word: a cache that cannot be filled (a role without ListenerSets)
    // leaves such routes waiting, never reading their parent as missing.
    boolean setsServed = servesListenerSets();
    Cached<ListenerSet> sets = listenerSetsReady ? listenerSets : null;
    if (setsServed && sets == null && HttpRoutes.parents(route).stream().anyMatch(HttpRoutes::namesAListenerSet)) {
      return RouteState.starting("the ListenerSet cache is not filled yet (is list and watch of listenersets "
          + "granted?)");
    }
    Map<String, Gateway> gateways = new HashMap<>();
    Map<String, GatewayClass> classes = new HashMap<>();
    Map<String, ListenerSet> parentSets = new HashMap<>();
    for (ParentReference parent : HttpRoutes.parents(route)) {
      String key = HttpRoutes.parentKey(route, parent);
      if (HttpRoutes.namesAListenerSet(parent)) {
        ListenerSet set = sets == null ? null : sets.store().get(key);
        if (set == null) {
          continue;
        }
        parentSets.put(key, set);
        key = ListenerSets.gatewayKey(set);
        if (key == null) {
          continue;
        }
      }
      Gateway gateway = current.gateways().store().get(key);
      if (gateway == null) {
        continue;
      }
      gateways.put(key, gateway);
      String className = gateway.getSpec() == null ? null : gateway.getSpec().getGatewayClassName();
      GatewayClass gatewayClass = className == null ? null : current.classes().store().get(className);
      if (gatewayClass != null) {
        classes.put(className, gatewayClass);
      }
    }
    List<ReferenceGrant> grants = new ArrayList<>();
    for (String ns : HttpRoutes.foreignBackendNamespaces(route)) {
      grants.addAll(current.grants().store().byIndex(IndexedInformer.BY_NAMESPACE, ns));
    }
    return setsServed ? RouteState.of(route, gateways, classes, grants, parentSets)
        : RouteState.of(route, gateways, classes, grants);
  }

  /** Sites whose HTTPRoute sends traffic to this Service "namespace/name". */
  Set<ResourceID> sitesOfBackendService(String serviceKey) {
    Informers current = informers;
    return current == null ? Set.of() : sitesOf(current.routes().store().byIndex(ROUTE_BY_BACKEND, serviceKey));
  }

  /** Sites whose HTTPRoute has this Gateway "namespace/name" as a parent, or a ListenerSet of it. */
  Set<ResourceID> sitesOfGateway(String gatewayKey) {
    Informers current = informers;
    if (current == null) {
      return Set.of();
    }
    Set<ResourceID> ids = sitesOf(current.routes().store().byIndex(ROUTE_BY_PARENT, gatewayKey));
    Cached<ListenerSet> sets = listenerSets;
    if (sets != null) {
      sets.store().byIndex(LISTENER_SET_BY_GATEWAY, gatewayKey)
          .forEach(set -> ids.addAll(sitesOfListenerSet(ObjectKey.of(set))));
    }
    return ids;
  }

  /** Sites whose HTTPRoute has this ListenerSet "namespace/name" as a parent. */
  private Set<ResourceID> sitesOfListenerSet(String setKey) {
    Informers current = informers;
    return current == null ? Set.of()
        : sitesOf(current.routes().store().byIndex(ROUTE_BY_PARENT, listenerSetParentKey(setKey)));
  }

  private Set<ResourceID> sitesOf(List<HTTPRoute> routes) {
    Set<ResourceID> ids = new HashSet<>();
    routes.forEach(r -> ids.addAll(sitesByRoute.apply(ObjectKey.of(r))));
    return ids;
  }

  /** Called on the CRD informer's thread: starts or stops the caches, never waits for them here. */
  private Set<ResourceID> onCrdsChanged() {
    Optional<String> missing = missing();
    synchronized (this) {
      if (!initialised) {
        return Set.of(); // start() looks at the CRDs once they are all listed
      }
      boolean setsServed = servesListenerSets();
      if (setsServed && listenerSets == null) {
        starter.execute(this::startListenerSets);
      } else if (!setsServed && listenerSets != null) {
        log.warn("Gateway API: the ListenerSet CRD was removed; routes attached through ListenerSets are not routed");
        stopListenerSets();
        if (missing.isEmpty()) {
          return routeSites.get();
        }
      }
      if (missing.isEmpty() && availability == RouteState.Availability.NOT_INSTALLED) {
        availability = RouteState.Availability.STARTING;
        detail = "the Gateway API caches are starting";
        starter.execute(this::startInformers);
      } else if (missing.isPresent() && availability != RouteState.Availability.NOT_INSTALLED) {
        log.warn("Gateway API CRDs removed ({}): HTTPRoute Sites wait for them again", missing.get());
        stopInformers();
        availability = RouteState.Availability.NOT_INSTALLED;
        detail = missing.get();
        cachesUnfilled = null;
        return routeSites.get();
      } else if (missing.isPresent()) {
        detail = missing.get();
        return routeSites.get();
      }
    }
    return Set.of();
  }

  private void startInformers() {
    delivery.restart();
    Informers started = new Informers(
        informer(client.resources(GatewayClass.class).runnableInformer(0), Map.of(),
            gatewayClass -> sitesOfClass(gatewayClass.getMetadata().getName()), delivery),
        informer(client.resources(Gateway.class).inAnyNamespace().runnableInformer(0),
            Map.of(GATEWAY_BY_CLASS, g -> g.getSpec() == null || g.getSpec().getGatewayClassName() == null
                ? List.of() : List.of(g.getSpec().getGatewayClassName())),
            gateway -> sitesOfGateway(ObjectKey.of(gateway)), delivery),
        informer(client.resources(HTTPRoute.class).inAnyNamespace().runnableInformer(0),
            Map.of(ROUTE_BY_PARENT, GatewayApiInformers::parentKeys,
                ROUTE_BY_BACKEND, route -> HttpRoutes.backendsFor(route).stream().map(BackendRef::serviceKey).toList(),
                ROUTE_BY_BACKEND_NAMESPACE, route -> List.copyOf(HttpRoutes.foreignBackendNamespaces(route))),
            route -> sitesByRoute.apply(ObjectKey.of(route)), delivery),
        informer(client.resources(ReferenceGrant.class).inAnyNamespace().runnableInformer(0),
            IndexedInformer.withNamespaceIndex(Map.of()),
            grant -> sitesOfGrantNamespace(grant.getMetadata().getNamespace()), delivery));
    synchronized (this) {
      if (availability != RouteState.Availability.STARTING) {
        return;
      }
      informers = started;
    }
    try {
      CompletableFuture.allOf(started.all().stream().map(i -> i.start().toCompletableFuture())
          .toArray(CompletableFuture[]::new)).get(SYNC_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      synchronized (this) {
        stopInformers();
        if (availability == RouteState.Availability.STARTING) {
          detail = "the Gateway API caches cannot be filled (" + rootMessage(e) + "); retrying every "
              + RETRY.toSeconds() + "s";
          cachesUnfilled = detail;
          log.warn("Gateway API: {}", detail);
          starter.schedule(this::startInformers, RETRY.toMillis(), TimeUnit.MILLISECONDS);
        }
      }
      routeSites.get().forEach(this::propagateEvent);
      return;
    }
    long stored = started.stored();
    if (!delivery.await(stored, FirstListDelivery.MOST_WAITED)) {
      log.warn("Gateway API: {} of {} listed objects handed out after {}; starting without the rest,"
          + " which costs some HTTPRoute Sites one more reconcile", delivery.count(), stored, FirstListDelivery.MOST_WAITED);
    }
    synchronized (this) {
      if (availability != RouteState.Availability.STARTING) {
        return;
      }
      availability = RouteState.Availability.READY;
      detail = "";
      cachesUnfilled = null;
    }
    log.info("Gateway API found: watching GatewayClasses, Gateways, HTTPRoutes and ReferenceGrants");
    routeSites.get().forEach(this::propagateEvent);
  }

  /**
   * Fills the ListenerSet cache, on the starter thread or in start(); retried while its CRD is
   * there and the cache cannot be filled (the role may not grant ListenerSets yet). Until it is
   * filled, Sites whose route has a ListenerSet parent wait, rather than read a parent as missing.
   */
  private void startListenerSets() {
    Cached<ListenerSet> started;
    synchronized (this) {
      if (listenerSets != null || !servesListenerSets()) {
        return;
      }
      started = informer(client.resources(ListenerSet.class).inAnyNamespace().runnableInformer(0),
          Map.of(LISTENER_SET_BY_GATEWAY, set -> Optional.ofNullable(ListenerSets.gatewayKey(set)).stream().toList()),
          set -> sitesOfListenerSet(ObjectKey.of(set)), new FirstListDelivery()); // not awaited
      listenerSets = started;
      listenerSetsReady = false;
    }
    try {
      started.informer().start().toCompletableFuture().get(SYNC_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      synchronized (this) {
        started.informer().stop();
        if (listenerSets == started) {
          listenerSets = null;
          listenerSetsUnfilled = "the ListenerSet cache cannot be filled (" + rootMessage(e) + ")";
          log.warn("Gateway API: {}; retrying every {}s", listenerSetsUnfilled, RETRY.toSeconds());
          starter.schedule(this::startListenerSets, RETRY.toMillis(), TimeUnit.MILLISECONDS);
        }
      }
      return;
    }
    synchronized (this) {
      if (listenerSets != started) {
        return;
      }
      listenerSetsReady = true;
      listenerSetsUnfilled = null;
    }
    log.info("Gateway API serves ListenerSets: watching them");
    routeSites.get().forEach(this::propagateEvent);
  }

  private synchronized void stopListenerSets() {
    Cached<ListenerSet> current = listenerSets;
    listenerSets = null;
    listenerSetsReady = false;
    listenerSetsUnfilled = null;
    if (current != null) {
      current.informer().stop();
    }
  }

  private boolean servesListenerSets() {
    return serves(LISTENER_SETS_CRD, LISTENER_SETS_VERSION);
  }

  private void stopInformers() {
    Informers current = informers;
    informers = null;
    if (current != null) {
      current.all().forEach(SharedIndexInformer::stop);
    }
  }

  private Set<ResourceID> sitesOfClass(String className) {
    Informers current = informers;
    Set<ResourceID> ids = new HashSet<>();
    if (current != null) {
      current.gateways().store().byIndex(GATEWAY_BY_CLASS, className)
          .forEach(g -> ids.addAll(sitesOfGateway(ObjectKey.of(g))));
    }
    return ids;
  }

  private Set<ResourceID> sitesOfGrantNamespace(String namespace) {
    Informers current = informers;
    return current == null ? Set.of()
        : sitesOf(current.routes().store().byIndex(ROUTE_BY_BACKEND_NAMESPACE, namespace));
  }

  /** @param delivery counts the ADDs this informer hands out, for a start that awaits them */
  private <R extends HasMetadata> Cached<R> informer(SharedIndexInformer<R> informer,
      Map<String, Function<R, List<String>>> indexers, Function<R, Set<ResourceID>> mapper,
      FirstListDelivery delivery) {
    TrimmedItemStore<R> store = new TrimmedItemStore<>(indexers);
    informer.itemStore(store);
    informer.addEventHandler(handler(mapper, delivery));
    return new Cached<>(informer, store);
  }

  /** An object's old and new versions may concern different Sites (a route renamed its parent): both are told. */
  private <R extends HasMetadata> ResourceEventHandler<R> handler(Function<R, Set<ResourceID>> mapper,
      FirstListDelivery delivery) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(R obj) {
        try {
          mapper.apply(obj).forEach(GatewayApiInformers.this::propagateEvent);
        } finally {
          delivery.handedOut();
        }
      }

      @Override
      public void onUpdate(R oldObj, R newObj) {
        Set<ResourceID> ids = new HashSet<>(mapper.apply(oldObj));
        ids.addAll(mapper.apply(newObj));
        ids.forEach(GatewayApiInformers.this::propagateEvent);
      }

      @Override
      public void onDelete(R obj, boolean deletedFinalStateUnknown) {
        mapper.apply(obj).forEach(GatewayApiInformers.this::propagateEvent);
      }
    };
  }

  @Override
  public void propagateEvent(ResourceID id) {
    if (isRunning()) {
      super.propagateEvent(id);
    }
  }

  /** Which required CRDs are absent or do not serve the version read here; empty when none. */
  private Optional<String> missing() {
    List<String> missing = new ArrayList<>();
    REQUIRED_CRDS.forEach((name, version) -> {
      if (!serves(name, version)) {
        missing.add(name + " " + version);
      }
    });
    return missing.isEmpty() ? Optional.empty()
        : Optional.of("no CustomResourceDefinition serves " + String.join(", ", missing));
  }

  /** Whether the cluster has the CRD and it serves the version read here. */
  private boolean serves(String name, String version) {
    SharedIndexInformer<CustomResourceDefinition> informer = crds.get(name);
    CustomResourceDefinition crd = informer == null ? null : informer.getStore().getByKey(name);
    return crd != null && crd.getSpec() != null && crd.getSpec().getVersions() != null
        && crd.getSpec().getVersions().stream().anyMatch(v -> version.equals(v.getName()) && Boolean.TRUE.equals(v.getServed()));
  }

  /** A route's parents in the parent index: a Gateway by its key, a ListenerSet apart from Gateways of its name. */
  private static List<String> parentKeys(HTTPRoute route) {
    return HttpRoutes.parents(route).stream()
        .map(p -> HttpRoutes.namesAListenerSet(p) ? listenerSetParentKey(HttpRoutes.parentKey(route, p))
            : HttpRoutes.parentKey(route, p))
        .distinct().toList();
  }

  private static String listenerSetParentKey(String setKey) {
    return "ListenerSet " + setKey;
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }

  private static Map<String, String> requiredCrds() {
    Map<String, String> crds = new LinkedHashMap<>();
    crds.put("gatewayclasses." + HttpRoutes.GROUP, "v1");
    crds.put("gateways." + HttpRoutes.GROUP, "v1");
    crds.put("httproutes." + HttpRoutes.GROUP, "v1");
    crds.put("referencegrants." + HttpRoutes.GROUP, "v1beta1");
    return Collections.unmodifiableMap(crds);
  }
}
