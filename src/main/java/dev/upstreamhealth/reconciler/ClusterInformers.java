package dev.upstreamhealth.reconciler;

import dev.upstreamhealth.api.GatewaySpec;
import dev.upstreamhealth.api.Site;
import dev.upstreamhealth.diagnosis.LabelSelectors;
import dev.upstreamhealth.diagnosis.BackendRef;
import dev.upstreamhealth.diagnosis.HostTls;
import dev.upstreamhealth.diagnosis.IngressNginx;
import dev.upstreamhealth.diagnosis.IngressNginxConfigMap;
import dev.upstreamhealth.diagnosis.NetworkAddress;
import dev.upstreamhealth.diagnosis.ObjectKey;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBackend;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.javaoperatorsdk.operator.api.config.informer.FieldSelector;
import io.javaoperatorsdk.operator.api.config.informer.InformerConfiguration;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.javaoperatorsdk.operator.processing.event.source.PrimaryToSecondaryMapper;
import io.javaoperatorsdk.operator.processing.event.source.SecondaryToPrimaryMapper;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The informers on everything a Site depends on, with mappers from each object to the Sites that
 * read it: a Pod reconciles only the Sites whose backend or gateway Services select it.
 */
final class ClusterInformers {
  static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";
  private static final String INGRESS_BY_BACKEND = "ingress-by-backend-service";
  private static final String SLICE_BY_SERVICE = "slice-by-service";
  private static final String INGRESS_BY_CLASS = "ingress-by-class";
  private static final String INGRESS_BY_TLS_SERVER = "ingress-by-tls-server";
  private static final String INGRESS_BY_RULE_HOST = "ingress-by-rule-host";
  static final long LIST_PAGE = 500;
  /**
   * The snapshot reads secondaries through this class's own indexes, never through
   * {@code Context.getSecondaryResources}. Without a primary-to-secondary mapper JOSDK keeps an
   * index of its own for each informer, a set of object IDs per Site: about 40 MiB at 10,000
   * Sites, for lookups nothing makes.
   */
  private static final PrimaryToSecondaryMapper<Site> SECONDARIES_NOT_READ_THROUGH_CONTEXT = site -> Set.of();
  private static final String SERVICE_BY_GATEWAY = "service-by-gateway";
  /** LoadBalancer Services under each address of their {@code status.loadBalancer.ingress}, as {@link NetworkAddress} prints it. */
  private static final String SERVICE_BY_LOAD_BALANCER_ADDRESS = "service-by-load-balancer-address";
  private static final String EVENT_BY_WORKLOAD = "event-by-involved-workload";
  /**
   * Pods under each of their labels, as "namespace/key=value": a Service's pods are the
   * candidates under one pair of its selector, not every pod of the namespace (which the
   * reconciles of a namespace's Sites would otherwise each scan).
   */
  private static final String POD_BY_LABEL = "pod-by-label";
  /** Workloads under each label of their pod template, "namespace/key=value", as pods are under theirs. */
  private static final String WORKLOAD_BY_TEMPLATE_LABEL = "workload-by-template-label";
  /** Services under one pair of their selector ({@link LabelPairs}). */
  private static final String SERVICE_BY_SELECTOR_PAIR = "service-by-selector-pair";
  /** The controller-manager's Events when it cannot create a workload's pods (a quota, a webhook). */
  static final String FAILED_CREATE = "FailedCreate";

  private final IndexerResourceCache<Site> sites;
  private final SiteDependencyIndex siteDependencies;
  private final IndexedInformer<Ingress> ingresses;
  private final IndexedInformer<Service> services;
  private final IndexedInformer<EndpointSlice> slices;
  private final IndexedInformer<Pod> pods;
  private final IndexedInformer<Deployment> deployments;
  private final IndexedInformer<ReplicaSet> replicaSets;
  private final IndexedInformer<StatefulSet> statefulSets;
  private final IndexedInformer<DaemonSet> daemonSets;
  private final IndexedInformer<Event> failedCreateEvents;
  private final IndexedInformer<NetworkPolicy> policies;
  private final InformerEventSource<IngressClass, Site> ingressClasses;
  private final SiteDependents dependents;
  private final GatewayApiInformers gatewayApi;
  private final IngressNginxConfigMaps ingressNginxConfigMaps;
  private final Set<String> watched;

  /** @param ingressNginxConfigMaps the ingress-nginx controller ConfigMaps to read, "namespace/name" */
  ClusterInformers(EventSourceContext<Site> context, SiteDependencyIndex siteDependencies,
      List<String> ingressNginxConfigMaps) {
    this.sites = context.getPrimaryCache();
    this.watched = Set.copyOf(context.getControllerConfiguration().getInformerConfig().getNamespaces());
    this.siteDependencies = siteDependencies;
    this.dependents = new SiteDependents(new SiteDependents.Lookups() {
      @Override
      public Collection<ResourceID> sitesByIngress(String ingressKey) {
        return sitesByIndex(SiteIndexes.BY_INGRESS, ingressKey);
      }

      @Override
      public Collection<ResourceID> sitesByGatewayService(String serviceKey) {
        return sitesByIndex(SiteIndexes.BY_GATEWAY_SERVICE, serviceKey);
      }

      @Override
      public Collection<Ingress> ingressesByBackend(String serviceKey) {
        return ingresses.isRunning() ? ingresses.byIndex(INGRESS_BY_BACKEND, serviceKey) : List.of();
      }

      @Override
      public Collection<Service> servicesSelectingAny(String namespace, Map<String, String> labels) {
        if (!services.isRunning()) {
          return List.of();
        }
        List<Service> candidates = new ArrayList<>();
        labels.forEach((key, value) -> candidates.addAll(services.byIndex(SERVICE_BY_SELECTOR_PAIR, LabelPairs.of(namespace, key, value))));
        return candidates;
      }

      @Override
      public Collection<ResourceID> sitesByGatewayApi(String serviceKey) {
        Set<ResourceID> ids = new HashSet<>(gatewayApi.sitesOfBackendService(serviceKey));
        if (services.isRunning()) {
          String[] key = serviceKey.split("/", 2);
          services.get(new ResourceID(key[1], key[0])).ifPresent(service ->
              GatewayDataPlane.gatewaysOf(service).forEach(gateway -> ids.addAll(gatewayApi.sitesOfGateway(gateway))));
        }
        return ids;
      }
    });
    gatewayApi = new GatewayApiInformers(context.getClient(),
        route -> sitesByIndex(SiteIndexes.BY_HTTP_ROUTE, route), this::routeSites);
    // Watched by name whatever namespaces the Sites are watched in: the controller's is seldom one of them.
    this.ingressNginxConfigMaps = new IngressNginxConfigMaps(context.getClient(), ingressNginxConfigMaps,
        namespace -> sitesByIndex(SiteIndexes.BY_GATEWAY_NAMESPACE, namespace));
    ingresses = informer(context, Ingress.class, this::sitesOfIngress,
        Map.of(INGRESS_BY_BACKEND, ClusterInformers::backendServiceKeys, INGRESS_BY_TLS_SERVER, HostTls::serversWithTls,
            INGRESS_BY_RULE_HOST, ClusterInformers::ruleHosts,
            INGRESS_BY_CLASS, ingress -> ingress.getSpec() == null || ingress.getSpec().getIngressClassName() == null
                ? List.of() : List.of(ingress.getSpec().getIngressClassName())));
    services = informer(context, Service.class, service -> dependents.ofService(ObjectKey.of(service)),
        IndexedInformer.withNamespaceIndex(Map.of(SERVICE_BY_GATEWAY, GatewayDataPlane::gatewaysOf,
            SERVICE_BY_LOAD_BALANCER_ADDRESS, GatewayDataPlane::loadBalancerAddresses,
            SERVICE_BY_SELECTOR_PAIR, service -> LabelPairs.leastOf(service.getMetadata().getNamespace(),
                service.getSpec() == null ? null : service.getSpec().getSelector()))));
    slices = informer(context, EndpointSlice.class, slice -> Optional.ofNullable(serviceOf(slice))
        .map(dependents::ofService).orElse(Set.of()),
        Map.of(SLICE_BY_SERVICE, slice -> serviceOf(slice) == null ? List.of() : List.of(serviceOf(slice))));
    pods = informer(context, Pod.class, pod -> dependents.ofLabels(pod.getMetadata().getNamespace(), pod.getMetadata().getLabels()),
        Map.of(POD_BY_LABEL, ClusterInformers::labelPairs));
    deployments = informer(context, Deployment.class, this::sitesOfWorkload, workloadIndexes());
    replicaSets = informer(context, ReplicaSet.class, this::sitesOfWorkload, workloadIndexes());
    statefulSets = informer(context, StatefulSet.class, this::sitesOfWorkload, workloadIndexes());
    daemonSets = informer(context, DaemonSet.class, this::sitesOfWorkload, workloadIndexes());
    // Only FailedCreate Warnings are listed: the API server filters by field, so the cache holds no other Event.
    failedCreateEvents = informer(context, Event.class, this::sitesOfEvent,
        Map.of(EVENT_BY_WORKLOAD, event -> workloadOf(event).map(List::of).orElse(List.of())),
        new FieldSelector(new FieldSelector.Field("reason", FAILED_CREATE), new FieldSelector.Field("type", "Warning")));
    policies = informer(context, NetworkPolicy.class, policy -> {
      Set<ResourceID> ids = new HashSet<>(sitesByIndex(SiteIndexes.BY_GATEWAY_NAMESPACE, policy.getMetadata().getNamespace()));
      ids.addAll(sitesWithDataPlaneIn(policy.getMetadata().getNamespace()));
      return ids;
    }, IndexedInformer.withNamespaceIndex(Map.of()));
    // IngressClasses are cluster-scoped: watched everywhere, whatever namespaces the Sites are in.
    ingressClasses = new ListDeliveringEventSource<>(InformerEventSourceConfiguration.from(IngressClass.class, Site.class)
        .withName(IngressClass.class.getSimpleName())
        .withPrimaryToSecondaryMapper(SECONDARIES_NOT_READ_THROUGH_CONTEXT)
        .withSecondaryToPrimaryMapper(ingressClass -> {
          Set<ResourceID> ids = new HashSet<>();
          if (!ingresses.isRunning()) {
            return ids;
          }
          ingresses.byIndex(INGRESS_BY_CLASS, ingressClass.getMetadata().getName())
              .forEach(ingress -> ids.addAll(sitesByIndex(SiteIndexes.BY_INGRESS, ObjectKey.of(ingress))));
          return ids;
        })
        .withWatchAllNamespaces()
        .build(), context, FirstListDelivery.MOST_WAITED);
  }

  List<EventSource<?, Site>> eventSources() {
    List<EventSource<?, Site>> all = new ArrayList<>();
    indexedKinds().forEach(kind -> all.addAll(kind.sources()));
    all.add(ingressClasses);
    all.add(gatewayApi);
    all.add(ingressNginxConfigMaps);
    return all;
  }

  /**
   * The namespace of each informer watching one namespace only (the controller told to watch
   * several by name), by its event source's name; informers over every namespace are absent.
   */
  Map<String, String> namespaceBySource() {
    Map<String, String> namespaces = new HashMap<>();
    indexedKinds().forEach(kind -> namespaces.putAll(kind.namespaceBySource()));
    return namespaces;
  }

  /** The kinds cached by namespace, each one informer or one per watched namespace. */
  private Stream<IndexedInformer<?>> indexedKinds() {
    return Stream.of(ingresses, services, slices, pods, deployments, replicaSets, statefulSets, daemonSets,
        failedCreateEvents, policies);
  }

  GatewayApiInformers gatewayApi() {
    return gatewayApi;
  }

  /**
   * Whether this operator caches the namespace's objects (all namespaces, or one it is told to
   * watch). An object in a namespace it does not watch is unknown to it, never missing.
   */
  boolean watches(String namespace) {
    return InformerConfiguration.allNamespacesWatched(watched) || watched.contains(namespace);
  }

  /**
   * The Service a Gateway implementation runs the Gateway "namespace/name"'s data plane behind,
   * if one is labelled so; of several, the one serving its {@code listenerPorts} ({@link GatewayDataPlane#dataPlaneFirst}).
   */
  Optional<Service> gatewayDataPlane(String gatewayKey, Set<Integer> listenerPorts) {
    return services.byIndex(SERVICE_BY_GATEWAY, gatewayKey).stream()
        .min(GatewayDataPlane.dataPlaneFirst(listenerPorts));
  }

  /** The LoadBalancer Services whose {@code status.loadBalancer.ingress} holds this address (by value). */
  List<Service> loadBalancersAt(String address) {
    return NetworkAddress.parse(address)
        .map(a -> services.byIndex(SERVICE_BY_LOAD_BALANCER_ADDRESS, a.toString()))
        .orElse(List.of());
  }

  /** What ingress-nginx's controller ConfigMap that applies to this gateway Service sets, when it is known. */
  Optional<IngressNginxConfigMap> ingressNginxConfig(GatewaySpec gateway) {
    return ingressNginxConfigMaps.forGateway(gateway);
  }

  Optional<Ingress> ingress(String namespace, String name) {
    return ingresses.get(new ResourceID(name, namespace));
  }

  /**
   * Another Ingress of the same class whose TLS section covers the server that answers host on
   * this one ("namespace/name", the oldest first, as ingress-nginx takes the first it reads);
   * null when none does.
   */
  String hostTlsIngress(Ingress ingress, String host) {
    Optional<String> server = HostTls.serverOf(ingress, host);
    if (server.isEmpty() || !ingresses.isRunning()) {
      return null;
    }
    return ingresses.byIndex(INGRESS_BY_TLS_SERVER, server.get()).stream()
        .filter(other -> !ObjectKey.of(other).equals(ObjectKey.of(ingress)) && HostTls.sameClass(other, ingress))
        .min(Comparator.comparing((Ingress other) -> String.valueOf(other.getMetadata().getCreationTimestamp()))
            .thenComparing((Ingress other) -> ObjectKey.of(other)))
        .map(ObjectKey::of)
        .orElse(null);
  }

  /**
   * The other Ingresses of the class with a rule for the server that answers host for the Ingress
   * (its rule host, or the wildcard rule covering it): ingress-nginx merges their paths into that
   * one server, and which defaultBackend takes the rest depends on their order.
   */
  List<Ingress> sharingServer(Ingress ingress, String host) {
    Optional<String> server = HostTls.serverOf(ingress, host);
    if (server.isEmpty() || !ingresses.isRunning()) {
      return List.of();
    }
    return ingresses.byIndex(INGRESS_BY_RULE_HOST, server.get()).stream()
        .filter(other -> !ObjectKey.of(other).equals(ObjectKey.of(ingress)) && HostTls.sameClass(other, ingress))
        .toList();
  }

  private static List<String> ruleHosts(Ingress ingress) {
    return ingress.getSpec() == null || ingress.getSpec().getRules() == null ? List.of()
        : ingress.getSpec().getRules().stream()
        .map(IngressRule::getHost)
        .filter(host -> host != null && !host.isEmpty())
        .map(host -> host.toLowerCase(Locale.ROOT))
        .distinct()
        .toList();
  }

  /**
   * The Sites an Ingress's change may concern: those naming it, and those whose host it has a
   * rule for, since a TLS section on it gives that host's server TLS for every Ingress of the host.
   */
  private Set<ResourceID> sitesOfIngress(Ingress ingress) {
    Set<ResourceID> ids = sitesByIndex(SiteIndexes.BY_INGRESS, ObjectKey.of(ingress));
    if (ingress.getSpec() != null && ingress.getSpec().getRules() != null) {
      ingress.getSpec().getRules().stream()
          .map(IngressRule::getHost)
          .filter(host -> host != null && !host.isEmpty())
          .forEach(host -> ids.addAll(sitesByIndex(SiteIndexes.BY_HOST, SiteIndexes.hostKey(host))));
    }
    return ids;
  }

  Set<String> ingressClassNames() {
    Set<String> names = new HashSet<>();
    ingressClasses.list(c -> true).forEach(c -> names.add(c.getMetadata().getName()));
    return names;
  }

  Optional<Service> service(String namespace, String name) {
    return services.get(new ResourceID(name, namespace));
  }

  List<EndpointSlice> slicesOf(String namespace, String serviceName) {
    return slices.byIndex(SLICE_BY_SERVICE, ObjectKey.of(namespace, serviceName));
  }

  List<Pod> podsSelectedBy(String namespace, Map<String, String> selector) {
    return selectedBy(pods, POD_BY_LABEL, namespace, selector, pod -> pod.getMetadata().getLabels());
  }

  List<Deployment> deploymentsSelectedBy(String namespace, Map<String, String> selector) {
    return selectedBy(deployments, WORKLOAD_BY_TEMPLATE_LABEL, namespace, selector, ClusterInformers::templateLabels);
  }

  List<ReplicaSet> replicaSetsSelectedBy(String namespace, Map<String, String> selector) {
    return selectedBy(replicaSets, WORKLOAD_BY_TEMPLATE_LABEL, namespace, selector, ClusterInformers::templateLabels);
  }

  List<StatefulSet> statefulSetsSelectedBy(String namespace, Map<String, String> selector) {
    return selectedBy(statefulSets, WORKLOAD_BY_TEMPLATE_LABEL, namespace, selector, ClusterInformers::templateLabels);
  }

  List<DaemonSet> daemonSetsSelectedBy(String namespace, Map<String, String> selector) {
    return selectedBy(daemonSets, WORKLOAD_BY_TEMPLATE_LABEL, namespace, selector, ClusterInformers::templateLabels);
  }

  /**
   * What a Service's selector selects of one kind: the candidates filed under one pair of the
   * selector, then matched against all of it. Scanning the namespace instead costs every Site's
   * reconcile a pass over all of its neighbours' objects.
   */
  private static <R extends HasMetadata> List<R> selectedBy(IndexedInformer<R> source, String labelIndex,
      String namespace, Map<String, String> selector, Function<R, Map<String, String>> labelsOf) {
    if (selector == null || selector.isEmpty()) {
      return List.of();
    }
    Map.Entry<String, String> anyPair = selector.entrySet().iterator().next();
    return source.byIndex(labelIndex, LabelPairs.of(namespace, anyPair.getKey(), anyPair.getValue())).stream()
        .filter(o -> LabelSelectors.serviceSelects(selector, labelsOf.apply(o))).toList();
  }

  private static List<String> labelPairs(Pod pod) {
    return LabelPairs.all(pod.getMetadata().getNamespace(), pod.getMetadata().getLabels());
  }

  private static List<String> templateLabelPairs(HasMetadata workload) {
    return LabelPairs.all(workload.getMetadata().getNamespace(), templateLabels(workload));
  }

  /**
   * The objects of one namespace, from the informer's namespace index. JOSDK's
   * {@code list(namespace, predicate)} copies the whole cache and filters it on every call: at
   * 80,000 pods, mapping each pod event and assembling each Site's snapshot spent nearly all the
   * start-up's CPU copying lists. For what is looked up by labels, the label indexes above.
   */
  private static <R extends HasMetadata> Stream<R> inNamespace(IndexedInformer<R> source, String namespace) {
    return source.byIndex(IndexedInformer.BY_NAMESPACE, namespace).stream();
  }

  /** FailedCreate Warning Events about these workloads of one kind. */
  List<Event> failedCreateEventsOf(String kind, List<? extends HasMetadata> workloads) {
    List<Event> out = new ArrayList<>();
    for (HasMetadata w : workloads) {
      out.addAll(failedCreateEvents.byIndex(EVENT_BY_WORKLOAD, kind + "/" + ObjectKey.of(w)));
    }
    return out;
  }

  List<NetworkPolicy> networkPolicies(String namespace) {
    return inNamespace(policies, namespace).toList();
  }

  /** The Sites reconciled so far that read this dependency; one not yet reconciled reads it when it is. */
  private Set<ResourceID> sitesByIndex(String index, String key) {
    return new HashSet<>(siteDependencies.sites(index, key));
  }

  /** Sites whose Gateway runs its data plane in this namespace: its NetworkPolicies may keep the CDN out. */
  private Set<ResourceID> sitesWithDataPlaneIn(String namespace) {
    Set<ResourceID> ids = new HashSet<>();
    if (services.isRunning()) {
      inNamespace(services, namespace).flatMap(s -> GatewayDataPlane.gatewaysOf(s).stream())
          .forEach(gateway -> ids.addAll(gatewayApi.sitesOfGateway(gateway)));
    }
    return ids;
  }

  /** Every Site with an HTTPRoute origin: told when the Gateway API appears or its caches sync. */
  private Set<ResourceID> routeSites() {
    if (sites instanceof AbstractEventSource<?, ?> source && !source.isRunning()) {
      return Set.of();
    }
    Set<ResourceID> ids = new HashSet<>();
    sites.list(site -> SiteIndexes.httpRoute(site) != null).forEach(site -> ids.add(ResourceID.fromResource(site)));
    return ids;
  }

  private static <R extends HasMetadata> IndexedInformer<R> informer(EventSourceContext<Site> context, Class<R> type,
      SecondaryToPrimaryMapper<R> mapper, Map<String, Function<R, List<String>>> indexers) {
    return informer(context, type, mapper, indexers, null);
  }

  private static <R extends HasMetadata> IndexedInformer<R> informer(EventSourceContext<Site> context, Class<R> type,
      SecondaryToPrimaryMapper<R> mapper, Map<String, Function<R, List<String>>> indexers, FieldSelector fields) {
    Set<String> watched = context.getControllerConfiguration().getInformerConfig().getNamespaces();
    return new IndexedInformer<>(type.getSimpleName(), watched, indexers, (name, namespace, store) -> {
      var config = InformerEventSourceConfiguration.from(type, Site.class)
          .withName(name)
          .withSecondaryToPrimaryMapper(mapper)
          .withPrimaryToSecondaryMapper(SECONDARIES_NOT_READ_THROUGH_CONTEXT)
          .withItemStore(store)
          // Listed in pages: an unpaged list of 80,000 pods is held whole, untrimmed, while it is read.
          .withInformerListLimit(LIST_PAGE);
      if (namespace == null) {
        config.withNamespacesInheritedFromController();
      } else {
        config.withNamespaces(namespace);
      }
      if (fields != null) {
        config.withFieldSelector(fields);
      }
      return new ListDeliveringEventSource<>(config.build(), context, FirstListDelivery.MOST_WAITED);
    });
  }

  private static <R extends HasMetadata> Map<String, Function<R, List<String>>> workloadIndexes() {
    return Map.of(WORKLOAD_BY_TEMPLATE_LABEL, ClusterInformers::templateLabelPairs);
  }

  /** The Sites whose backend or gateway Services select the workload's pods. */
  private Set<ResourceID> sitesOfWorkload(HasMetadata workload) {
    return dependents.ofLabels(workload.getMetadata().getNamespace(), templateLabels(workload));
  }

  /** The Sites whose backends the Event's workload serves, for a FailedCreate Warning only. */
  private Set<ResourceID> sitesOfEvent(Event event) {
    if (!isFailedCreateWarning(event) || event.getInvolvedObject() == null) {
      return Set.of();
    }
    String namespace = event.getInvolvedObject().getNamespace();
    ResourceID id = new ResourceID(event.getInvolvedObject().getName(), namespace);
    Optional<? extends HasMetadata> workload = switch (String.valueOf(event.getInvolvedObject().getKind())) {
      case "ReplicaSet" -> replicaSets.get(id);
      case "StatefulSet" -> statefulSets.get(id);
      case "DaemonSet" -> daemonSets.get(id);
      default -> Optional.empty();
    };
    return workload.map(this::sitesOfWorkload).orElse(Set.of());
  }

  private static Map<String, String> templateLabels(HasMetadata workload) {
    PodTemplateSpec template = null;
    if (workload instanceof Deployment d && d.getSpec() != null) {
      template = d.getSpec().getTemplate();
    } else if (workload instanceof ReplicaSet rs && rs.getSpec() != null) {
      template = rs.getSpec().getTemplate();
    } else if (workload instanceof StatefulSet ss && ss.getSpec() != null) {
      template = ss.getSpec().getTemplate();
    } else if (workload instanceof DaemonSet ds && ds.getSpec() != null) {
      template = ds.getSpec().getTemplate();
    }
    return template == null || template.getMetadata() == null ? null : template.getMetadata().getLabels();
  }

  /** An API server that cannot filter by field (a test double) still sends other Events: they are ignored here. */
  static boolean isFailedCreateWarning(Event event) {
    return FAILED_CREATE.equals(event.getReason()) && "Warning".equals(event.getType());
  }

  /** "ReplicaSet/web/shop-web-7d9f" for a FailedCreate Warning about a workload. */
  private static Optional<String> workloadOf(Event event) {
    var involved = event.getInvolvedObject();
    if (!isFailedCreateWarning(event) || involved == null || involved.getKind() == null || involved.getName() == null) {
      return Optional.empty();
    }
    return Optional.of(involved.getKind() + "/" + ObjectKey.of(involved.getNamespace(), involved.getName()));
  }

  private static List<String> backendServiceKeys(Ingress ingress) {
    List<String> keys = new ArrayList<>();
    if (ingress.getSpec() == null) {
      return keys;
    }
    String namespace = ingress.getMetadata().getNamespace();
    Stream<IngressBackend> backends = Stream.concat(
        Stream.ofNullable(ingress.getSpec().getDefaultBackend()),
        Stream.ofNullable(ingress.getSpec().getRules()).flatMap(List::stream)
            .map(IngressRule::getHttp).filter(Objects::nonNull)
            .flatMap(http -> Stream.ofNullable(http.getPaths()).flatMap(List::stream))
            .map(HTTPIngressPath::getBackend));
    backends.filter(b -> b != null && b.getService() != null && b.getService().getName() != null)
        .map(b -> ObjectKey.of(namespace, b.getService().getName()))
        .distinct()
        .forEach(keys::add);
    // Its endpoints decide whether visitors get the fallback's page or the gateway's 503.
    IngressNginx.defaultBackend(ingress).map(BackendRef::serviceKey).filter(k -> !keys.contains(k)).ifPresent(keys::add);
    return keys;
  }

  private static String serviceOf(EndpointSlice slice) {
    Map<String, String> labels = slice.getMetadata().getLabels();
    String service = labels == null ? null : labels.get(SERVICE_NAME_LABEL);
    return service == null ? null : ObjectKey.of(slice.getMetadata().getNamespace(), service);
  }
}
