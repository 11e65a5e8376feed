package dev.upstreamhealth.reconciler;

import dev.upstreamhealth.api.GatewaySpec;
import dev.upstreamhealth.api.Site;
import dev.upstreamhealth.diagnosis.IngressNginxConfigMap;
import dev.upstreamhealth.diagnosis.ObjectKey;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingress-nginx controller ConfigMaps the operator is told to read
 * ({@code --ingress-nginx-configmaps}): one informer on each, by namespace and name, which a
 * ClusterRole rule restricted to those names allows, its cache trimmed to the keys the diagnosis
 * reads ({@link IngressNginxConfigMap#KEYS_READ}). What one sets applies to every Ingress its
 * controller serves: to the Sites whose gateway Service ({@code spec.gateway}) it is named as.
 *
 * <p>None of the caches a Site waits for: a ConfigMap that does not exist, or that the operator
 * may not read, leaves the Sites judged as without it (no global allowlist or auth known), never
 * held at CachesNotSynced, and start-up waits at most one list for it. One that cannot be listed
 * is tried again, soon at first, then every minute, and its Sites are reconciled once it is read.
 */
final class IngressNginxConfigMaps extends SimpleInboundEventSource<Site> {
  private static final Logger log = LoggerFactory.getLogger(IngressNginxConfigMaps.class);
  /** The longest start-up waits for a ConfigMap's first list; the Sites are reconciled when it comes. */
  private static final Duration FIRST_LIST_WAIT = Duration.ofSeconds(10);
  private static final Duration FIRST_RETRY = Duration.ofSeconds(2);
  /** One list a minute is nothing to an API server, and a Role applied late is read soon after. */
  private static final Duration LAST_RETRY = Duration.ofMinutes(1);
  private static final String INTERNAL = "-internal";

  /** One listed ConfigMap: its informer once it could list, and why it could not, if so. */
  private static final class Watched {
    final String namespace;
    final String name;
    final TrimmedItemStore<ConfigMap> store = new TrimmedItemStore<>();
    volatile SharedIndexInformer<ConfigMap> informer;
    Duration nextRetry = FIRST_RETRY;
    String problem;

    Watched(String key) {
      String[] parts = key.split("/", 2);
      this.namespace = parts[0];
      this.name = parts[1];
    }

    String key() {
      return ObjectKey.of(namespace, name);
    }
  }

  private final KubernetesClient client;
  private final List<String> listed;
  private final Function<String, Set<ResourceID>> sitesWithGatewayIn;
  private final Map<String, Watched> watched = new LinkedHashMap<>();
  private final ScheduledExecutorService attempts = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "ingress-nginx-configmaps");
    t.setDaemon(true);
    return t;
  });

  /**
   * @param listed the ConfigMaps, "namespace/name"; none turns this off
   * @param sitesWithGatewayIn the Sites whose spec.gateway is in this namespace: a ConfigMap's change
   *     reconciles them all, those it applies to among them
   */
  IngressNginxConfigMaps(KubernetesClient client, List<String> listed,
      Function<String, Set<ResourceID>> sitesWithGatewayIn) {
    super("IngressNginxConfigMaps");
    this.client = client;
    this.listed = List.copyOf(listed);
    this.sitesWithGatewayIn = sitesWithGatewayIn;
    this.listed.forEach(key -> watched.put(key, new Watched(key)));
  }

  /**
   * Of the listed ConfigMaps, the one that applies to a gateway Service: the one of its namespace
   * named as the Service (or as the controller whose internal Service it is), as ingress-nginx's
   * chart and manifests name both after the release. Not
   * merely the only one listed there: a second controller in the namespace (an internal one beside
   * the public one) would take on the first's allowlist and auth, and have its own 401 or 403
   * excused.
   */
  static Optional<String> applying(List<String> listed, String gatewayNamespace, String gatewayService) {
    // The chart's internal Service of the same controller: <fullname>-controller-internal.
    String service = gatewayService.endsWith(INTERNAL) ? gatewayService.substring(0, gatewayService.length() - INTERNAL.length())
        : gatewayService;
    String named = ObjectKey.of(gatewayNamespace, service);
    return listed.stream().filter(named::equals).findFirst();
  }

  /** What the ConfigMap that applies to this gateway sets; empty when none applies or it is not known. */
  Optional<IngressNginxConfigMap> forGateway(GatewaySpec gateway) {
    if (gateway == null || gateway.getServiceNamespace() == null || gateway.getServiceName() == null) {
      return Optional.empty();
    }
    return applying(listed, gateway.getServiceNamespace(), gateway.getServiceName())
        .map(watched::get)
        .filter(w -> w.informer != null)
        .map(w -> w.store.get(w.key()))
        .map(IngressNginxConfigMap::of);
  }

  @Override
  public void start() {
    super.start();
    if (watched.isEmpty()) {
      return;
    }
    List<CompletableFuture<Void>> first = watched.values().stream()
        .map(w -> CompletableFuture.runAsync(() -> attempt(w), attempts)).toList();
    try {
      CompletableFuture.allOf(first.toArray(CompletableFuture[]::new))
          .get(FIRST_LIST_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception slow) {
      log.warn("ingress-nginx ConfigMaps {} not listed within {}s: Sites are judged without them until they are",
          listed, FIRST_LIST_WAIT.toSeconds());
    }
  }

  @Override
  public void stop() {
    attempts.shutdownNow();
    watched.values().forEach(w -> {
      SharedIndexInformer<ConfigMap> informer = w.informer;
      if (informer != null) {
        informer.stop();
      }
    });
    super.stop();
  }

  /**
   * Lists the ConfigMap once, as its informer would, and starts the informer only if that works: an
   * informer whose first list fails logs the failure with its stack at every try, for as long as the
   * Role is missing. On the attempts thread.
   */
  private void attempt(Watched w) {
    if (!isRunning()) {
      return;
    }
    SharedIndexInformer<ConfigMap> informer = null;
    try {
      client.configMaps().inNamespace(w.namespace).withField("metadata.name", w.name)
          .list(new ListOptionsBuilder().withLimit(1L).build());
      informer = client.configMaps().inNamespace(w.namespace).withName(w.name).runnableInformer(0);
      informer.itemStore(w.store);
      // Once listed, a watch that fails (an API server restart) is resumed, as every other informer's is.
      informer.exceptionHandler((started, error) -> started);
      informer.addEventHandler(handler(w));
      informer.start().toCompletableFuture().get(FIRST_LIST_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      if (informer != null) {
        informer.stop();
      }
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
        return;
      }
      retry(w, describe(e));
      return;
    }
    w.informer = informer;
    log.info("reading ingress-nginx's global allowlist and auth from ConfigMap {}{}", w.key(),
        w.store.get(w.key()) == null ? " (not there yet: Sites whose gateway Service it is named as are judged"
            + " without it until it is created)" : "");
    w.problem = null;
    sitesWithGatewayIn.apply(w.namespace).forEach(this::propagateEvent);
  }

  private void retry(Watched w, String problem) {
    if (!problem.equals(w.problem)) {
      log.warn("cannot read ingress-nginx's ConfigMap {} ({}): Sites whose gateway Service it is named as are judged"
          + " without its global allowlist and auth; trying again, next in {}s", w.key(), problem,
          w.nextRetry.toSeconds());
    } else {
      log.debug("still cannot read ConfigMap {} ({}); next try in {}s", w.key(), problem, w.nextRetry.toSeconds());
    }
    w.problem = problem;
    Duration delay = w.nextRetry;
    w.nextRetry = delay.multipliedBy(2).compareTo(LAST_RETRY) > 0 ? LAST_RETRY : delay.multipliedBy(2);
    if (isRunning() && !attempts.isShutdown()) {
      attempts.schedule(() -> attempt(w), delay.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /** Only what the diagnosis reads counts as a change: the trimmed data. */
  private ResourceEventHandler<ConfigMap> handler(Watched w) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(ConfigMap configMap) {
        changed();
      }

      @Override
      public void onUpdate(ConfigMap before, ConfigMap after) {
        if (!Objects.equals(before.getData(), after.getData())) {
          changed();
        }
      }

      @Override
      public void onDelete(ConfigMap configMap, boolean deletedFinalStateUnknown) {
        changed();
      }

      private void changed() {
        sitesWithGatewayIn.apply(w.namespace).forEach(IngressNginxConfigMaps.this::propagateEvent);
      }
    };
  }

  @Override
  public void propagateEvent(ResourceID id) {
    if (isRunning()) {
      super.propagateEvent(id);
    }
  }

  private static String describe(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t && !(t instanceof KubernetesClientException)) {
      t = t.getCause();
    }
    if (t instanceof KubernetesClientException k && k.getCode() > 0) {
      String reason = k.getStatus() == null || k.getStatus().getReason() == null ? "" : " " + k.getStatus().getReason();
      return "HTTP " + k.getCode() + reason + (k.getCode() == 403 ? ": list and watch of it are not granted" : "");
    }
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }
}
