package dev.upstreamhealth.reconciler;

import dev.upstreamhealth.api.Site;
import dev.upstreamhealth.api.SiteSpec;
import dev.upstreamhealth.api.SiteStatus;
import dev.upstreamhealth.diagnosis.Diagnosis;
import dev.upstreamhealth.diagnosis.OriginAddresses;
import dev.upstreamhealth.diagnosis.ProbeSettings;
import dev.upstreamhealth.diagnosis.Snapshot;
import dev.upstreamhealth.diagnosis.SpecProblems;
import dev.upstreamhealth.diagnosis.Verdict;
import dev.upstreamhealth.probe.ProbeFindings;
import dev.upstreamhealth.probe.ProbePlan;
import dev.upstreamhealth.probe.ProbeScheduler;
import dev.upstreamhealth.probe.SiteKey;
import dev.upstreamhealth.status.SiteEvents;
import dev.upstreamhealth.status.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reconciles a Site: snapshot from the informer caches, probe plan handed to the scheduler
 * (which probes on its own threads), pure diagnosis, then status, Events and metrics. Nothing
 * here waits on the network except the status patch JOSDK makes with what it returns.
 */
@ControllerConfiguration(name = SiteReconciler.NAME)
public class SiteReconciler implements Reconciler<Site> {
  public static final String NAME = "site";
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
  private final NameResolutions names;
  private final SiteDeletion deletion;
  private final ProbeConclusions conclusions;
  private volatile SnapshotAssembler assembler;
  private volatile CacheSync caches;
  /** Set once reconciles no longer run: whatever a straggler found is not written. */
  private volatile boolean stopped;

  public SiteReconciler(ProbeScheduler probes, SiteEvents events, VerdictSink verdicts, Clock clock) {
    this.probes = probes;
    this.events = events;
    this.verdicts = verdicts;
    this.clock = clock;
    this.grace = new RestartGrace(clock);
    this.names = new NameResolutions(NameResolutions.Resolver.SYSTEM, clock, NAME_TTL);
    this.deletion = new SiteDeletion(List.of(
        probes::remove,
        verdicts::forget,
        site -> events.forget(site.namespace(), site.name()),
        grace::forget,
        site -> names.forget(new ResourceID(site.name(), site.namespace()))));
    this.conclusions = new ProbeConclusions(deletion);
  }

  /** Where the probe scheduler reports that a Site's probes concluded something new. */
  public void probeConclusionChanged(SiteKey site) {
    conclusions.conclusionChanged(site);
  }

  /** Called once JOSDK has stopped reconciling, before the probe scheduler is closed. */
  public void stopped() {
    stopped = true;
    names.close();
  }

  @Override
  public List<EventSource<?, Site>> prepareEventSources(EventSourceContext<Site> context) {
    ClusterInformers cluster = new ClusterInformers(context);
    assembler = new SnapshotAssembler(cluster);
    List<EventSource<?, Site>> informers = cluster.eventSources();
    caches = new CacheSync(informers);
    List<EventSource<?, Site>> sources = new ArrayList<>(informers);
    sources.add(conclusions);
    sources.add(names);
    return sources;
  }

  @Override
  public UpdateControl<Site> reconcile(Site site, Context<Site> context) {
    SiteKey key = ProbeConclusions.keyOf(site);
    long generation = site.getMetadata().getGeneration() == null ? 0 : site.getMetadata().getGeneration();
    SiteStatus previous = site.getStatus();
    Set<String> unsynced = caches.notSynced(site);
    Snapshot state = assembler.assemble(site).withUnsyncedCaches(unsynced);
    if (!unsynced.isEmpty() && previous != null) {
      // What the stored status shows stands until the caches can say otherwise; nothing is planned from a partial view.
      log.debug("Site {}: caches not synced yet {}: stored status kept", key, unsynced);
      deletion.unlessDeleted(site, () -> verdicts.shown(key, previous));
      return UpdateControl.<Site>noUpdate().rescheduleAfter(CACHE_SYNC_RECHECK);
    }
    state = state.withResolvedNames(names.known(ResourceID.fromResource(site), namesToResolve(state)));
    ProbeFindings findings = ProbeFindings.NONE;
    if (unsynced.isEmpty()) {
      ProbePlan plan = ProbePlanning.plan(state);
      if (!deletion.unlessDeleted(site, () -> probes.apply(key, plan))) {
        return UpdateControl.noUpdate();
      }
      findings = probes.findings(key);
    }
    Verdict fresh = Diagnosis.diagnose(state.withProbes(findings));
    Verdict verdict = SpecProblems.of(site.getSpec()).isEmpty()
        ? grace.apply(key, ProbeSettings.of(site.getSpec().getProbe()), fresh, findings, previous, generation)
        : fresh;
    SiteStatus next = StatusBuilder.build(verdict, findings, generation, previous, clock.instant());
    if (verdict != fresh) {
      // What is kept from before the restart is shown with the probe results it rested on.
      next.setProbes(grace.probesShown(previous, next.getProbes()));
    }
    if (stopped) {
      return UpdateControl.noUpdate(); // the probe scheduler is closing: its findings are not evidence
    }
    deletion.unlessDeleted(site, () -> verdicts.shown(key, next));
    UpdateControl<Site> control = written(site, previous, next);
    return unsynced.isEmpty() ? control : control.rescheduleAfter(CACHE_SYNC_RECHECK);
  }

  /**
   * JOSDK hands over what the reconcile threw. A status that could not be written (an API error:
   * the reconcile itself only reads caches) is retried as it is; anything else is a failed
   * evaluation, said so in the status, with one Warning Event and the error counted.
   */
  @Override
  public ErrorStatusUpdateControl<Site> updateErrorStatus(Site site, Context<Site> context, Exception e) {
    if (e instanceof KubernetesClientException || stopped) {
      return ErrorStatusUpdateControl.defaultErrorProcessing();
    }
    SiteKey key = ProbeConclusions.keyOf(site);
    log.warn("Site {}: evaluation failed: {}", key, describe(e));
    verdicts.evaluationFailed(key);
    long generation = site.getMetadata().getGeneration() == null ? 0 : site.getMetadata().getGeneration();
    SiteStatus previous = site.getStatus();
    SiteStatus next = StatusBuilder.evaluationFailed(describe(e), generation, previous, clock.instant());
    deletion.unlessDeleted(site, () -> verdicts.shown(key, next));
    if (next.equals(previous)) {
      return ErrorStatusUpdateControl.noStatusUpdate();
    }
    events.record(site, previous, next);
    site.setStatus(next);
    return ErrorStatusUpdateControl.patchStatus(site);
  }

  private UpdateControl<Site> written(Site site, SiteStatus previous, SiteStatus next) {
    if (next.equals(previous)) {
      return UpdateControl.noUpdate();
    }
    if (previous == null || !Objects.equals(previous.getFault(), next.getFault())
        || !Objects.equals(previous.getReason(), next.getReason())) {
      log.info("Site {}: {} {}: {}", ProbeConclusions.keyOf(site), next.getFault(), next.getReason(), next.getMessage());
    }
    events.record(site, previous, next);
    site.setStatus(next);
    return UpdateControl.patchStatus(site);
  }

  /** The DNS names whose answers the origin address check needs, for a spec that can be used. */
  private static Set<String> namesToResolve(Snapshot state) {
    SiteSpec spec = state.spec();
    if (!SpecProblems.of(spec).isEmpty() || spec.getOrigin().getAddress() == null) {
      return Set.of();
    }
    return OriginAddresses.namesToResolve(spec.getOrigin().getAddress(), state.originLoadBalancer());
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
