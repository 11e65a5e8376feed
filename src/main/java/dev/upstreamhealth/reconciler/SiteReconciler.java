package dev.upstreamhealth.reconciler;

import dev.upstreamhealth.api.Site;
import dev.upstreamhealth.api.SiteStatus;
import dev.upstreamhealth.diagnosis.Diagnosis;
import dev.upstreamhealth.diagnosis.Evidence;
import dev.upstreamhealth.diagnosis.ProbeSettings;
import dev.upstreamhealth.diagnosis.Reason;
import dev.upstreamhealth.diagnosis.Snapshot;
import dev.upstreamhealth.diagnosis.Verdict;
import dev.upstreamhealth.probe.ProbeFindings;
import dev.upstreamhealth.probe.ProbeScheduler;
import dev.upstreamhealth.probe.SiteKey;
import dev.upstreamhealth.status.SiteEvents;
import dev.upstreamhealth.status.StatusBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
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
  private static final Logger log = LoggerFactory.getLogger(SiteReconciler.class);

  private final ProbeScheduler probes;
  private final SiteEvents events;
  private final VerdictSink verdicts;
  private final Clock clock;
  private final ProbeConclusions conclusions;
  private volatile SnapshotAssembler assembler;
  /** When this process first reconciled each Site: how long a restart's earlier verdict may stand. */
  private final Map<SiteKey, Instant> firstSeen = new ConcurrentHashMap<>();

  public SiteReconciler(ProbeScheduler probes, SiteEvents events, VerdictSink verdicts, Clock clock) {
    this.probes = probes;
    this.events = events;
    this.verdicts = verdicts;
    this.clock = clock;
    this.conclusions = new ProbeConclusions(site -> {
      probes.remove(site);
      verdicts.forget(site);
      events.forget(site.namespace(), site.name());
      firstSeen.remove(site);
    });
  }

  /** Where the probe scheduler reports that a Site's probes concluded something new. */
  public void probeConclusionChanged(SiteKey site) {
    conclusions.conclusionChanged(site);
  }

  @Override
  public List<EventSource<?, Site>> prepareEventSources(EventSourceContext<Site> context) {
    ClusterInformers cluster = new ClusterInformers(context);
    assembler = new SnapshotAssembler(cluster);
    List<EventSource<?, Site>> sources = new ArrayList<>(cluster.eventSources());
    sources.add(conclusions);
    return sources;
  }

  @Override
  public UpdateControl<Site> reconcile(Site site, Context<Site> context) {
    SiteKey key = ProbeConclusions.keyOf(site);
    Snapshot state = assembler.assemble(site);
    probes.apply(key, ProbePlanning.plan(state));
    ProbeFindings findings = probes.findings(key);
    Verdict verdict = Diagnosis.diagnose(state.withProbes(findings));

    long generation = site.getMetadata().getGeneration() == null ? 0 : site.getMetadata().getGeneration();
    SiteStatus previous = site.getStatus();
    if (keepsEarlierConclusion(key, site, verdict, previous, generation)) {
      verdicts.shown(key, previous);
      return UpdateControl.noUpdate();
    }
    SiteStatus next = StatusBuilder.build(verdict, findings, generation, previous, clock.instant());
    // A Site deleted while this reconcile ran has had its series removed: do not bring them back.
    if (context.getPrimaryCache().get(ResourceID.fromResource(site)).isPresent()) {
      verdicts.shown(key, next);
    }
    if (next.equals(previous)) {
      return UpdateControl.noUpdate();
    }
    if (previous == null || !Objects.equals(previous.getFault(), next.getFault())
        || !Objects.equals(previous.getReason(), next.getReason())) {
      log.info("Site {}: {} {}: {}", key, next.getFault(), next.getReason(), next.getMessage());
    }
    events.record(site, previous, next);
    site.setStatus(next);
    return UpdateControl.patchStatus(site);
  }

  /**
   * After a restart the probes start over. Until they can have concluded, a verdict that came
   * from probes and was written for this generation stands, rather than flipping to
   * AwaitingFirstProbe and back; a state fault, or a Site whose probes had all that time, is
   * shown as it is now.
   */
  private boolean keepsEarlierConclusion(SiteKey key, Site site, Verdict verdict, SiteStatus previous,
      long generation) {
    if (!Reason.AWAITING_FIRST_PROBE.reasonName().equals(verdict.reason()) || previous == null
        || previous.getObservedGeneration() == null || previous.getObservedGeneration() != generation) {
      return false;
    }
    boolean fromProbes = java.util.Arrays.stream(Reason.values())
        .anyMatch(r -> r.reasonName().equals(previous.getReason()) && r.evidence() == Evidence.PROBE
            && r != Reason.AWAITING_FIRST_PROBE)
        || Reason.HEALTHY.equals(previous.getReason());
    ProbeSettings probe = ProbeSettings.of(site.getSpec().getProbe());
    Duration patience = probe.interval().multipliedBy(probe.failureThreshold() + probe.successThreshold())
        .plus(probe.timeout());
    Instant since = firstSeen.computeIfAbsent(key, k -> clock.instant());
    return fromProbes && clock.instant().isBefore(since.plus(patience));
  }
}
