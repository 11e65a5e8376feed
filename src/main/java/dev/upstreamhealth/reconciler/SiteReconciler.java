package dev.upstreamhealth.reconciler;

import dev.upstreamhealth.api.Site;
import dev.upstreamhealth.api.SiteRef;
import dev.upstreamhealth.api.SiteStatus;
import dev.upstreamhealth.diagnosis.ControllerPending;
import dev.upstreamhealth.diagnosis.Diagnosis;
import dev.upstreamhealth.diagnosis.ProbeSettings;
import dev.upstreamhealth.diagnosis.Snapshot;
import dev.upstreamhealth.diagnosis.RouteState;
import dev.upstreamhealth.diagnosis.SpecProblems;
import dev.upstreamhealth.diagnosis.StartingPods;
import dev.upstreamhealth.diagnosis.Verdict;
import dev.upstreamhealth.probe.ProbeFindings;
import dev.upstreamhealth.probe.ProbePlan;
import dev.upstreamhealth.probe.ProbeScheduler;
import dev.upstreamhealth.status.SiteEvents;
import dev.upstreamhealth.status.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.config.ControllerConfigurationOverrider;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.retry.GradualRetry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reconciles a Site: snapshot from the informer caches, probe plan handed to the scheduler
 * (which probes on its own threads), pure diagnosis, then status, Events and metrics. Nothing
 * here waits on the network except the status write itself.
 */
@ControllerConfiguration(name = SiteReconciler.NAME)
// A failed reconcile is retried for as long as it fails: JOSDK's default gives up after five
// tries (about 26 s) and then waits for the next change or the 10-hour resync, leaving the Site in
// EvaluationFailed. Backoff from 2 s, half as long again each time, at most every 5 minutes.
@GradualRetry(maxAttempts = SiteReconciler.RETRY_FOR_EVER, maxInterval = SiteReconciler.RETRY_AT_LEAST_EVERY_MILLIS)
public class SiteReconciler implements Reconciler<Site> {
  public static final String NAME = "site";
  /** JOSDK's word for no limit on retries. */
  static final int RETRY_FOR_EVER = -1;
  static final long RETRY_AT_LEAST_EVERY_MILLIS = 5 * 60 * 1000;
  /** How long a DNS answer for an origin.address is used before it is looked up again. */
  static final Duration NAME_TTL = Duration.ofSeconds(60);
  /**
   * How soon a Site that waits for a cache looks again: a cache that syncs empty (no NetworkPolicy
   * anywhere) delivers no object whose event would reconcile the Site.
   */
  static final Duration CACHE_SYNC_RECHECK = Duration.ofSeconds(2);
  private static final Logger log = LoggerFactory.getLogger(SiteReconciler.class);

  private final ProbeScheduler probes;
  private final SiteEvents events;
  private final VerdictSink verdicts;
  private final Clock clock;
  private final RestartGrace grace;
  private final StateRepairRecheck repairs;
  private final NameResolutions names;
  private final SiteDeletion deletion;
  private final ProbeConclusions conclusions;
  private final SiteDependencyIndex dependencies = new SiteDependencyIndex();
  private final List<String> ingressNginxConfigMaps;
  private volatile SnapshotAssembler assembler;
  private volatile CacheSync caches;
  /** Set once reconciles no longer run: whatever a straggler found is not written. */
  private volatile boolean stopped;

  /** @param ingressNginxConfigMaps the ingress-nginx controller ConfigMaps to read, "namespace/name" */
  public SiteReconciler(ProbeScheduler probes, SiteEvents events, VerdictSink verdicts, Clock clock,
      List<String> ingressNginxConfigMaps) {
    this.probes = probes;
    this.ingressNginxConfigMaps = List.copyOf(ingressNginxConfigMaps);
    this.events = events;
    this.verdicts = verdicts;
    this.clock = clock;
    this.grace = new RestartGrace(clock);
    this.repairs = new StateRepairRecheck(clock, probes::recheckFailures);
    this.names = new NameResolutions(NameResolutions.Resolver.SYSTEM, clock, NAME_TTL);
    this.deletion = new SiteDeletion(List.of(
        probes::remove,
        verdicts::forget,
        events::forget,
        grace::forget,
        repairs::forget,
        site -> names.forget(new ResourceID(site.name(), site.namespace())),
        site -> dependencies.forget(new ResourceID(site.name(), site.namespace()))));
    this.conclusions = new ProbeConclusions(deletion);
  }

  /** Where the probe scheduler reports that a Site's probes concluded something new. */
  public void probeConclusionChanged(SiteRef site) {
    conclusions.conclusionChanged(site);
  }

  /** Called once JOSDK has stopped reconciling, before the probe scheduler is closed. */
  public void stopped() {
    stopped = true;
    names.close();
  }

  @Override
  public List<EventSource<?, Site>> prepareEventSources(EventSourceContext<Site> context) {
    ClusterInformers cluster = new ClusterInformers(context, dependencies, ingressNginxConfigMaps);
    assembler = new SnapshotAssembler(cluster);
    List<EventSource<?, Site>> informers = cluster.eventSources();
    caches = new CacheSync(informers, cluster.namespaceBySource());
    List<EventSource<?, Site>> sources = new ArrayList<>(informers);
    sources.add(conclusions);
    sources.add(names);
    return sources;
  }

  /**
   * How the Sites' own informer keeps them: trimmed as the other caches are (see
   * {@link CachedObjectTrim}), and listed in pages, since 10,000 Sites with their statuses are
   * tens of MiB of JSON that an unpaged list holds whole while it is read.
   */
  public static void cacheSitesTrimmedAndListedInPages(ControllerConfigurationOverrider<Site> c, Set<String> namespaces) {
    c.withItemStore(TrimmedItemStore.forNamespaces(namespaces));
    c.withInformerListLimit(ClusterInformers.LIST_PAGE);
  }

  @Override
  public UpdateControl<Site> reconcile(Site site, Context<Site> context) {
    SiteRef key = SiteRef.of(site);
    long generation = site.getMetadata().getGeneration() == null ? 0 : site.getMetadata().getGeneration();
    SiteStatus previous = site.getStatus();
    // Before anything is read: a change from here on is mapped to this Site (SiteDependencyIndex).
    if (!deletion.unlessDeleted(site, () -> dependencies.enter(site))) {
      return UpdateControl.noUpdate();
    }
    Snapshot read = assembler.assemble(site);
    Set<String> unsynced = caches.notSynced(site, read.namespacesRead());
    Snapshot state = read.withUnsyncedCaches(unsynced);
    // A Gateway API cache that fills later than the rest (the ListenerSets', a role granting
    // them applied late) stands for an unsynced one too.
    boolean routeStarting = state.route() != null && state.route().availability() == RouteState.Availability.STARTING;
    if ((!unsynced.isEmpty() || routeStarting) && previous != null) {
      // What the stored status shows stands until the caches can say otherwise; nothing is planned
      // from a partial view, and the probes keep what they concluded.
      log.debug("Site {}: caches not synced yet {}: stored status kept", key,
          routeStarting ? state.route().detail() : unsynced);
      deletion.unlessDeleted(site, () -> verdicts.shown(site, previous));
      return UpdateControl.<Site>noUpdate().rescheduleAfter(CACHE_SYNC_RECHECK);
    }
    Map<String, List<String>> resolved = new HashMap<>();
    Set<String> toResolve = state.namesToResolve();
    // A deleted Site must not register as an asker again: its names would be refreshed for ever.
    deletion.unlessDeleted(site, () -> resolved.putAll(names.known(ResourceID.fromResource(site), toResolve)));
    state = state.withResolvedNames(resolved);
    ProbeFindings findings = ProbeFindings.NONE;
    if (unsynced.isEmpty()) {
      ProbePlan plan = ProbePlanning.plan(state);
      if (!deletion.unlessDeleted(site, () -> probes.apply(key, plan))) {
        return UpdateControl.noUpdate();
      }
      findings = probes.findings(key);
    }
    Snapshot evidence = state.withProbes(findings);
    Verdict fresh = Diagnosis.diagnose(evidence);
    Optional<Duration> settling = NewSites.settling(site, previous, clock.instant());
    boolean specValid = SpecProblems.of(site.getSpec()).isEmpty();
    Verdict verdict = specValid
        ? grace.apply(key, ProbeSettings.of(site.getSpec().getProbe()), fresh, findings, previous, generation)
        : fresh;
    if (settling.isPresent()) {
      verdict = NewSites.shown(verdict);
    }
    // Over an edit of the spec too (a GitOps sync that applies the repair and a change of the Site
    // in one commit): its observedGeneration then waits with the rest, seconds, and a GitOps tool
    // reads the Site as progressing meanwhile, which it is; a write at once would show the symptom.
    Optional<Duration> recheck = specValid && previous != null && !stopped
        ? waitForRecheck(site, previous, verdict, findings) : Optional.empty();
    if (recheck.isPresent()) {
      log.debug("Site {}: {} is repaired; the failures probes saw meanwhile are checked again before {} is shown",
          key, previous.getReason(), verdict.reason());
      deletion.unlessDeleted(site, () -> verdicts.shown(site, previous));
      return UpdateControl.<Site>noUpdate().rescheduleAfter(recheck.get().plusMillis(50));
    }
    SiteStatus next = StatusBuilder.build(verdict, findings, generation, previous, clock.instant());
    next.setProbes(grace.probesShown(key, fresh, findings, previous, next.getProbes()));
    if (stopped) {
      return UpdateControl.noUpdate(); // the probe scheduler is closing: its findings are not evidence
    }
    deletion.unlessDeleted(site, () -> verdicts.shown(site, next));
    write(site, previous, next, context);
    // Looked at again when the caches may have synced, when it may show a fault, or when a pod's or
    // a new Gateway's grace ends: whichever comes first.
    Optional<Duration> lookAgain = Stream.of(
            unsynced.isEmpty() ? Optional.<Duration>empty() : Optional.of(CACHE_SYNC_RECHECK),
            settling.map(d -> d.plusMillis(50)),
            StartingPods.untilFirstGraceEnds(evidence).map(d -> d.plusMillis(50)),
            ControllerPending.untilGraceEnds(evidence).map(d -> d.plusMillis(50)))
        .flatMap(Optional::stream)
        .min(Duration::compareTo);
    UpdateControl<Site> control = UpdateControl.noUpdate();
    return lookAgain.map(control::rescheduleAfter).orElse(control);
  }

  /**
   * How long the stored status stands while failures seen under a repaired state fault are probed
   * again ({@link StateRepairRecheck}); empty to show {@code fresh}.
   */
  private Optional<Duration> waitForRecheck(Site site, SiteStatus previous, Verdict fresh, ProbeFindings findings) {
    AtomicReference<Optional<Duration>> wait = new AtomicReference<>(Optional.empty());
    // Only for a Site not deleted meanwhile: its forget may already have run, and the wait would stay.
    deletion.unlessDeleted(site, () -> wait.set(repairs.hold(SiteRef.of(site), previous, fresh, findings,
        ProbeSettings.of(site.getSpec().getProbe()))));
    return wait.get();
  }

  /**
   * JOSDK hands over what the reconcile threw. A status that could not be written (an API error;
   * everything else the reconcile reads comes from caches) is retried as it is; anything else is a
   * failed evaluation, said so in the status, with one Warning Event once a retry fails too, and
   * the error counted.
   */
  @Override
  public ErrorStatusUpdateControl<Site> updateErrorStatus(Site site, Context<Site> context, Exception e) {
    if (isApiError(e) || stopped) {
      return ErrorStatusUpdateControl.defaultErrorProcessing();
    }
    SiteRef key = SiteRef.of(site);
    log.warn("Site {}: evaluation failed: {}", key, describe(e));
    deletion.unlessDeleted(site, () -> verdicts.evaluationFailed(key));
    long generation = site.getMetadata().getGeneration() == null ? 0 : site.getMetadata().getGeneration();
    SiteStatus previous = site.getStatus();
    SiteStatus next = StatusBuilder.evaluationFailed(describe(e), generation, previous, clock.instant());
    deletion.unlessDeleted(site, () -> verdicts.shown(site, next));
    // The first attempt's failure is shown, not announced: the retry 2 s later may well succeed,
    // and a Warning for a passing failure pages someone for nothing. A retry's failure is.
    // JOSDK hands the error handler of a first attempt a retry info of attempt 0.
    boolean retried = context.getRetryInfo().map(r -> r.getAttemptCount() >= 1).orElse(false);
    deletion.unlessDeleted(site, () -> events.remember(site, previous));
    if (!next.equals(previous)) {
      replaceStatus(site, next, context);
    }
    if (retried) {
      deletion.unlessDeleted(site, () -> events.record(site, previous, next));
    }
    return ErrorStatusUpdateControl.noStatusUpdate();
  }

  private void write(Site site, SiteStatus previous, SiteStatus next, Context<Site> context) {
    if (next.equals(previous)) {
      // Nothing to write, but maybe something to announce: a write the API server applied and
      // answered too late failed its reconcile before the Event, and the retry reads it back.
      // What was announced is remembered, so this repeats nothing.
      deletion.unlessDeleted(site, () -> events.record(site, previous, next));
      return;
    }
    if (previous == null || !Objects.equals(previous.getFault(), next.getFault())
        || !Objects.equals(previous.getReason(), next.getReason())) {
      log.info("Site {}: {} {}: {}", SiteRef.of(site), next.getFault(), next.getReason(), next.getMessage());
    }
    // Announced once written: a write refused (409) is retried from the newer copy, and an Event
    // sent and remembered before it would leave a Warning whose Recovered never comes.
    replaceStatus(site, next, context);
    deletion.unlessDeleted(site, () -> events.record(site, previous, next));
  }

  /**
   * Replaces the status whole, guarded by the resource version it was computed from, and hands the
   * answer to JOSDK's cache of recent writes so the next reconcile starts from it even before its
   * watch event arrives. JOSDK's {@code UpdateControl.patchStatus} does neither: its JSON Patch is
   * a diff against the informer's copy, which can lag behind the last write, and a diff taken from
   * an older list is refused by the API server or lands on the wrong entries. A conflict (someone
   * else wrote in between) fails the reconcile, which JOSDK retries from the newer copy.
   */
  private static void replaceStatus(Site site, SiteStatus next, Context<Site> context) {
    Site desired = new Site();
    desired.setMetadata(site.getMetadata());
    desired.setSpec(site.getSpec());
    desired.setStatus(next);
    Site written = context.getClient().resource(desired).updateStatus();
    context.eventSourceRetriever().getControllerEventSource()
        .handleRecentResourceUpdate(ResourceID.fromResource(site), written, site);
  }

  /** A write the API server refused or did not answer: retried as it is, not an evaluation failure. */
  private static boolean isApiError(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof KubernetesClientException) {
        return true;
      }
    }
    return false;
  }

  private static String describe(Exception e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage() == null ? "" : ": " + root.getMessage();
    return root.getClass().getSimpleName() + message;
  }
}
