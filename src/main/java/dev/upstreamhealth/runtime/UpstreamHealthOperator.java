package dev.upstreamhealth.runtime;

import dev.upstreamhealth.metrics.OperatorHttpServer;
import dev.upstreamhealth.metrics.OperatorMetrics;
import dev.upstreamhealth.metrics.SiteMetrics;
import dev.upstreamhealth.probe.ProbeObserver;
import dev.upstreamhealth.probe.ProbeScheduler;
import dev.upstreamhealth.probe.transport.NettyProber;
import dev.upstreamhealth.probe.transport.ProbeTrust;
import dev.upstreamhealth.reconciler.OperatorDecoding;
import dev.upstreamhealth.reconciler.ProbeAddressPolicy;
import dev.upstreamhealth.reconciler.SiteReconciler;
import dev.upstreamhealth.reconciler.VerdictSink;
import dev.upstreamhealth.status.SiteEvents;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Wires the operator together and nothing more: JOSDK, the probe scheduler, status, Events, metrics. */
public final class UpstreamHealthOperator implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(UpstreamHealthOperator.class);

  private final Operator operator;
  private final SiteReconciler reconciler;
  private final ProbeScheduler scheduler;
  private final NettyProber prober;
  private final SiteEvents events;
  private final OperatorMetrics metrics;
  private final OperatorHttpServer http;
  private final LeaseRelease lease;
  private final LeaseLoss leaseLoss;

  private UpstreamHealthOperator(Operator operator, SiteReconciler reconciler, ProbeScheduler scheduler, NettyProber prober, SiteEvents events,
      OperatorMetrics metrics, OperatorHttpServer http, LeaseRelease lease, LeaseLoss leaseLoss) {
    this.operator = operator;
    this.reconciler = reconciler;
    this.scheduler = scheduler;
    this.prober = prober;
    this.events = events;
    this.metrics = metrics;
    this.http = http;
    this.lease = lease;
    this.leaseLoss = leaseLoss;
  }

  /** Starts the operator on the given client and returns once its informers have synced. */
  public static UpstreamHealthOperator start(KubernetesClient client, OperatorOptions options) {
    OperatorMetrics metrics = new OperatorMetrics();
    SiteMetrics sites = metrics.sites();
    VerdictSink verdicts = new MetricsVerdictSink(sites);
    ProbeObserver probeObserver = new ProbeMetricsObserver(sites);
    ProbeAddressPolicy addresses = ProbeAddressPolicy.of(options.probeAllowCidrs(), options.probeDenyCidrs(),
        apiServerAddresses(client), apiServerEndpoints(client), options.probeAllowLoopback());
    List<X509Certificate> trusted = List.of();
    if (options.probeCaFile() != null) {
      trusted = ProbeTrust.bundle(Path.of(options.probeCaFile()));
      log.info("strict origin certificate checks also trust the {} certificates of {}", trusted.size(),
          options.probeCaFile());
    }
    NettyProber prober = new NettyProber(trusted, addresses);
    int shared = ForkJoinPool.getCommonPoolParallelism();
    log.info("probes connect through {} and handshake with {}; API responses are decoded on {}",
        NettyProber.transport(), NettyProber.tlsLibrary(), shared >= CommonPoolSizing.LEAST_SHARED ? shared + " shared threads" : "a new thread each");
    // The scheduler reports to the reconciler, which needs the scheduler: tie the knot once both exist.
    AtomicReference<SiteReconciler> reconcilerRef = new AtomicReference<>();
    ProbeScheduler scheduler = new ProbeScheduler(prober, options.probeMaxConcurrency(), options.probeMaxPerSite(),
        site -> Optional.ofNullable(reconcilerRef.get()).ifPresent(r -> r.probeConclusionChanged(site)),
        probeObserver);
    SiteEvents events = new SiteEvents(client);
    SiteReconciler reconciler = new SiteReconciler(scheduler, events, verdicts, Clock.systemUTC(),
        options.ingressNginxConfigMaps());
    reconcilerRef.set(reconciler);

    Optional<AtomicBoolean> leading = options.leaderElection() ? Optional.of(new AtomicBoolean()) : Optional.empty();
    metrics.leading(leading.<BooleanSupplier>map(l -> l::get).orElse(() -> true));
    LeaseLoss leaseLoss = new LeaseLoss(options.leaseTiming().exitOnLoss(), () -> System.exit(1));
    Operator operator = new Operator(o -> {
      o.withKubernetesClient(client)
          .withCloseClientOnStop(false)
          // Not every API server this runs against serves server-side apply; JSON Patch works everywhere.
          .withUseSSAToPatchPrimaryResource(false)
          // A JSON Patch is a diff against the cached Site, so that copy must never step back: without
          // this, the late watch event of an earlier status write evicts the newer one JOSDK cached,
          // the next diff is taken from an old status, and the API server refuses it (or applies it
          // to the wrong list entries). Resource versions are compared as numbers, as etcd issues them.
          .withParseResourceVersions(true)
          // An informer that cannot list yet (RBAC being applied, API server busy) keeps retrying
          // and shows on /readyz, rather than ending the process.
          .withStopOnInformerErrorDuringStartup(false)
          .withCacheSyncTimeout(options.cacheSyncTimeout())
          .withResourceCloner(OperatorDecoding.sharedSite())
          // On SIGTERM the reconciles in flight finish (and write) before the probes are closed.
          .withReconciliationTerminationTimeout(Duration.ofSeconds(10))
          .withMetrics(metrics.reconciliation());
      if (options.leaderElection()) {
        o.withLeaderElectionConfiguration(leaderElection(options, client, leading.get(), leaseLoss));
      }
    });
    operator.register(reconciler, c -> {
      if (!options.namespaces().isEmpty()) {
        c.settingNamespaces(options.namespaces());
      }
      if (options.siteSelector() != null) {
        c.withLabelSelector(options.siteSelector());
      }
      SiteReconciler.cacheSitesTrimmedAndListedInPages(c, options.namespaces());
    });
    AtomicBoolean started = new AtomicBoolean();
    String leaseNamespace = options.leaderElection() ? leaseNamespace(options, client) : null;
    Readiness readiness = readiness(operator, started, leading);
    metrics.ready(() -> readiness.notReady().isEmpty());
    OperatorHttpServer http = options.metricsPort() < 0 ? null
        : OperatorHttpServer.start(options.metricsPort(), metrics.registry(), readiness::notReady);
    try {
      operator.start();
    } catch (RuntimeException e) {
      // Served from the start so that /readyz says why this replica is not ready; a start that fails closes it.
      if (http != null) {
        http.close();
      }
      throw e;
    }
    started.set(true);
    log.info("watching Sites in {}{}", options.namespaces().isEmpty() ? "all namespaces" : options.namespaces(),
        options.siteSelector() == null ? "" : " labelled " + options.siteSelector());
    LeaseRelease lease = leaseNamespace == null ? null
        : new LeaseRelease(client, leaseNamespace, options.leaseName(), options.leaseTiming().identity());
    return new UpstreamHealthOperator(operator, reconciler, scheduler, prober, events, metrics, http, lease, leaseLoss);
  }

  /** The API server as the client reaches it, and as pods reach it (the kubernetes Service). */
  private static List<String> apiServerAddresses(KubernetesClient client) {
    List<String> addresses = new ArrayList<>();
    addresses.addAll(resolved(client.getMasterUrl().getHost().replace("[", "").replace("]", "")));
    String inCluster = System.getenv("KUBERNETES_SERVICE_HOST");
    if (inCluster != null && !inCluster.isBlank()) {
      addresses.addAll(resolved(inCluster));
    }
    return addresses;
  }

  /**
   * The API server's endpoints and the ports they serve it on, read once at start-up: a probe must
   * not reach the API server around its Service. Each is a control-plane node's address, which on
   * a single-node cluster is the load balancer's too (k3s's ServiceLB): only those ports are kept
   * from probes, with the node's control-plane ports ({@link ProbeAddressPolicy}).
   */
  private static Map<String, Set<Integer>> apiServerEndpoints(KubernetesClient client) {
    Map<String, Set<Integer>> endpoints = new HashMap<>();
    try {
      for (EndpointSlice slice : client.discovery().v1().endpointSlices().inNamespace("default")
          .withLabel("kubernetes.io/service-name", "kubernetes").list().getItems()) {
        Set<Integer> ports = slice.getPorts() == null ? Set.of() : slice.getPorts().stream()
            .map(EndpointPort::getPort).filter(Objects::nonNull).collect(Collectors.toSet());
        Stream.ofNullable(slice.getEndpoints()).flatMap(List::stream)
            .flatMap(endpoint -> Stream.ofNullable(endpoint.getAddresses()).flatMap(List::stream))
            .forEach(address -> endpoints.computeIfAbsent(address, a -> new HashSet<>()).addAll(ports));
      }
    } catch (RuntimeException e) {
      log.warn("cannot read the API server's endpoints (default/kubernetes): probes are kept from its Service"
          + " address only: {}", e.getMessage());
    }
    return endpoints;
  }

  /** The host and what it resolves to, looked up once at start-up (never on the reconcile path). */
  private static List<String> resolved(String host) {
    List<String> out = new ArrayList<>(List.of(host));
    try {
      for (InetAddress a : InetAddress.getAllByName(host)) {
        String text = a.getHostAddress();
        out.add(text.contains("%") ? text.substring(0, text.indexOf('%')) : text);
      }
    } catch (UnknownHostException e) {
      log.warn("cannot resolve the API server's host {}: probes are not kept from it by address", host);
    }
    return out;
  }

  /** JOSDK's own exit on a lost Lease is off: {@link LeaseLoss} decides, knowing whether the operator is stopping. */
  private static LeaderElectionConfiguration leaderElection(OperatorOptions options, KubernetesClient client,
      AtomicBoolean leading, LeaseLoss leaseLoss) {
    OperatorOptions.LeaseTiming timing = options.leaseTiming();
    LeaderCallbacks callbacks = new LeaderCallbacks(() -> {
      leading.set(true);
      log.info("leading: this replica probes and writes status");
    }, () -> {
      leading.set(false);
      leaseLoss.stoppedLeading();
    }, leader -> log.info("leader is {}", leader));
    return new LeaderElectionConfiguration(options.leaseName(), leaseNamespace(options, client), timing.duration(),
        timing.renewDeadline(), timing.retryPeriod(), timing.identity(), callbacks, false);
  }

  /** In a pod JOSDK reads its namespace; elsewhere the kubeconfig's namespace holds the Lease. */
  private static String leaseNamespace(OperatorOptions options, KubernetesClient client) {
    if (options.leaseNamespace() != null) {
      return options.leaseNamespace();
    }
    return client.getNamespace() == null ? "default" : client.getNamespace();
  }

  /** /readyz's answer from JOSDK's runtime information, asked only once the start returned. */
  private static Readiness readiness(Operator operator, AtomicBoolean started, Optional<AtomicBoolean> leading) {
    return new Readiness(started::get, leading.<BooleanSupplier>map(l -> l::get),
        () -> operator.getRuntimeInfo().unhealthyInformerWrappingEventSourceHealthIndicator().values().stream()
            .flatMap(sources -> sources.keySet().stream()).sorted().toList(),
        // Caches kept beside JOSDK's informers (the Gateway API's) say so as event sources.
        () -> operator.getRuntimeInfo().unhealthyEventSources().values().stream()
            .flatMap(sources -> sources.keySet().stream()).sorted().toList());
  }

  /** The port /metrics is served on, or -1 when it is off. */
  public int metricsPort() {
    return http == null ? -1 : http.port();
  }

  /**
   * JOSDK stops first and lets the reconciles in flight finish (and write) while the probes
   * still hold what they concluded; only then are the probes closed, so no reconcile sees their
   * findings cleared and writes "waiting for the first probe" over a confirmed fault. The Events
   * still on their way are sent next, while this replica still holds the Lease: the one that
   * takes over reads the stored status as announced and would never send them. Then the Lease
   * is handed back so another replica takes over at once.
   */
  @Override
  public void close() {
    leaseLoss.stopping();
    operator.stop();
    reconciler.stopped();
    scheduler.close();
    events.close();
    if (lease != null) {
      lease.release();
    }
    prober.close();
    if (http != null) {
      http.close();
    }
    metrics.close();
  }
}
