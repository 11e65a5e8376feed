package dev.upstreamhealth.reconciler;

import dev.upstreamhealth.api.LayerProbeStatus;
import dev.upstreamhealth.api.SiteRef;
import dev.upstreamhealth.api.SiteStatus;
import dev.upstreamhealth.api.ConditionStatus;
import dev.upstreamhealth.api.ConditionType;
import dev.upstreamhealth.diagnosis.ConditionVerdict;
import dev.upstreamhealth.api.Evidence;
import dev.upstreamhealth.api.Fault;
import dev.upstreamhealth.diagnosis.ProbeSettings;
import dev.upstreamhealth.api.Reason;
import dev.upstreamhealth.diagnosis.Verdict;
import dev.upstreamhealth.probe.ProbeFindings;
import dev.upstreamhealth.probe.ProbeLayer;
import dev.upstreamhealth.probe.TrackedProbe;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * After a restart the probes start over, and what they had concluded would read as "no fault"
 * or "waiting for the first probe" until they conclude again. Until this process's probes of a
 * Site have all concluded (or had the time to), each condition the stored status showed from
 * probes stands: a state fault seen now still counts at once, a state fault that cleared while no
 * operator ran is not kept, and no visitor fault is kept once this process has seen the origin serve.
 */
final class RestartGrace {
  private static final List<ConditionType> OUTERMOST_FIRST =
      List.of(ConditionType.ORIGIN_DOWN, ConditionType.BAD_GATEWAY, ConditionType.SERVICE_UNAVAILABLE);

  private final Clock clock;
  /** When this process first diagnosed each Site. */
  private final Map<SiteRef, Instant> firstSeen = new ConcurrentHashMap<>();
  /** Sites whose probes in this process have concluded: the grace is over for them. */
  private final Set<SiteRef> settled = ConcurrentHashMap.newKeySet();

  RestartGrace(Clock clock) {
    this.clock = clock;
  }

  /**
   * The verdict to show: {@code fresh}, except for what {@code stored} showed from probes that
   * this process has not probed to a conclusion yet.
   */
  Verdict apply(SiteRef site, ProbeSettings probe, Verdict fresh, ProbeFindings findings, SiteStatus stored,
      long generation) {
    Instant since = firstSeen.computeIfAbsent(site, k -> clock.instant());
    if (settled.contains(site)) {
      return fresh;
    }
    Duration patience = probe.interval().multipliedBy(probe.failureThreshold() + probe.successThreshold())
        .plus(probe.timeout());
    boolean concluded = findings.probes().stream().allMatch(TrackedProbe::isConfirmed);
    if (concluded || !clock.instant().isBefore(since.plus(patience)) || stored == null
        || stored.getObservedGeneration() == null || stored.getObservedGeneration() != generation) {
      settled.add(site);
      return fresh;
    }
    if (undetermined(fresh)) {
      return fresh; // the spec or the route decides, and nothing a probe saw can say otherwise
    }
    if (StoredStatus.showsStateFault(stored) && !stateFault(fresh)) {
      // What the stored status showed from probes beside a state fault was seen under it (the 503
      // ingress-nginx answers for a missing Service, as Overloaded): once the state fault is gone,
      // it is a symptom without its cause, and this process's own probes say what remains.
      return fresh;
    }
    Map<ConditionType, ConditionVerdict> merged = new EnumMap<>(fresh.conditions());
    boolean anyKept = false;
    // The origin probe is the visitor's view: once this process has seen it serve, no stored
    // visitor fault stands, whatever the upstream probes still have to conclude.
    boolean originServes = findings.originServes();
    for (ConditionType type : ConditionType.values()) {
      if (!type.isFaultCondition() || (originServes && OUTERMOST_FIRST.contains(type))) {
        continue;
      }
      ConditionVerdict now = fresh.condition(type);
      Optional<Condition> before = StoredStatus.condition(stored, type);
      if (before.isPresent() && ConditionStatus.TRUE.text().equals(before.get().getStatus())
          && StoredStatus.fromProbes(stored, type, before.get()) && (!now.isTrue() || symptomOf(before.get(), now, findings))) {
        merged.put(type, kept(type, ConditionStatus.TRUE, before.get()));
        anyKept = true;
      }
    }
    Optional<ConditionVerdict> decisive = OUTERMOST_FIRST.stream().map(merged::get).filter(ConditionVerdict::isTrue)
        .findFirst();
    ConditionVerdict freshReady = fresh.condition(ConditionType.READY);
    Optional<Condition> storedReady = StoredStatus.condition(stored, ConditionType.READY);
    if (anyKept && decisive.isPresent()) {
      keepStoredNoFault(merged, stored);
      ConditionVerdict d = decisive.get();
      Fault fault = faultOf(d.type());
      merged.put(ConditionType.READY,
          new ConditionVerdict(ConditionType.READY, ConditionStatus.FALSE, d.reason(), d.message(), d.evidence()));
      return new Verdict(fault, d.reason(), d.message(), merged, fresh.origin(), fresh.upstreams());
    }
    boolean waiting = Reason.AWAITING_FIRST_PROBE.reasonName().equals(freshReady.reason());
    if (waiting && storedReady.isPresent() && stored.getFault() != null
        && StoredStatus.fromProbes(stored, ConditionType.READY, storedReady.get())) {
      keepStoredNoFault(merged, stored);
      Condition r = storedReady.get();
      merged.put(ConditionType.READY, kept(ConditionType.READY, ConditionStatus.valueOf(r.getStatus().toUpperCase()), r));
      return new Verdict(faultCode(stored.getFault()), r.getReason(), r.getMessage(), merged, fresh.origin(),
          fresh.upstreams());
    }
    return anyKept ? new Verdict(fresh.fault(), fresh.reason(), fresh.message(), merged, fresh.origin(), fresh.upstreams())
        : fresh;
  }

  /**
   * The probe results to show: while the grace lasts, the stored result of a layer stands until
   * every probe of that layer in this process has concluded, so the status neither shrinks and
   * grows back nor shows the passing count of a half-probed layer (2/2 of 6 pods), and the layers
   * keep their order. A concluded layer that says what the stored one said differs from it only in
   * timings, which are no reason to write. A failure this process confirmed is shown at once, as
   * the fault it proves is: the evidence goes with the verdict.
   */
  List<LayerProbeStatus> probesShown(SiteRef site, Verdict fresh, ProbeFindings findings, SiteStatus stored,
      List<LayerProbeStatus> shown) {
    if (settled.contains(site) || undetermined(fresh) || stored == null || stored.getProbes() == null) {
      return new ArrayList<>(shown);
    }
    List<LayerProbeStatus> out = new ArrayList<>();
    for (ProbeLayer layer : ProbeLayer.values()) { // the order StatusBuilder shows layers in
      Optional<LayerProbeStatus> now = ofLayer(shown, layer);
      Optional<LayerProbeStatus> before = ofLayer(stored.getProbes(), layer);
      List<TrackedProbe> probes = findings.layer(layer);
      boolean concluded = !probes.isEmpty() && probes.stream().allMatch(TrackedProbe::isConfirmed);
      boolean failing = probes.stream().anyMatch(TrackedProbe::confirmedFailure);
      (concluded || failing || before.isEmpty() ? now : before).ifPresent(out::add);
    }
    return out;
  }

  /**
   * Whether what this process sees now is a symptom of the cause the stored condition named, which
   * the probes of another layer found: GatewayDown (the gateway probe refused as the origin did)
   * over the origin's ConnectionRefused, UpstreamNotListening (every endpoint refused) over the
   * origin's GatewayReturned502. Only while that layer's probes have not all concluded in this
   * process: the origin probe concludes first, and on its own would name the symptom, then the
   * cause again, a Warning each time. Alternative outcomes of one probe (MaintenanceMode or
   * Overloaded from the same 503s) are not cause and symptom: what this process saw stands.
   */
  private static boolean symptomOf(Condition before, ConditionVerdict now, ProbeFindings findings) {
    if (!now.restsOnProbes() || now.reason().equals(before.getReason())) {
      return false;
    }
    Optional<Reason> stored = Reason.named(before.getReason());
    Optional<Reason> fresh = Reason.named(now.reason());
    Optional<ProbeLayer> causeLayer = stored.flatMap(RestartGrace::foundBy);
    return fresh.isPresent() && causeLayer.isPresent() && stored.get().precedes(fresh.get())
        && !findings.layer(causeLayer.get()).stream().allMatch(TrackedProbe::isConfirmed);
  }

  /** The probe layer whose results name this cause, behind the origin's symptom of it. */
  private static Optional<ProbeLayer> foundBy(Reason cause) {
    return switch (cause) {
      case GATEWAY_DOWN -> Optional.of(ProbeLayer.GATEWAY);
      case UPSTREAM_NOT_LISTENING -> Optional.of(ProbeLayer.UPSTREAM);
      default -> Optional.empty();
    };
  }

  private static Optional<LayerProbeStatus> ofLayer(List<LayerProbeStatus> probes, ProbeLayer layer) {
    return probes.stream().filter(p -> layer.label().equals(p.getLayer())).findFirst();
  }

  /** A fault that cluster state decided. */
  private static boolean stateFault(Verdict v) {
    return v.fault() != Fault.NONE && v.fault() != Fault.UNKNOWN && !v.condition(ConditionType.READY).restsOnProbes();
  }

  private static boolean undetermined(Verdict v) {
    return v.conditions().values().stream()
        .anyMatch(c -> c.type().isFaultCondition() && c.status() == ConditionStatus.UNKNOWN && !awaiting(c));
  }

  /**
   * Where the stored verdict stands, it stands whole: a condition it showed without a fault stays
   * so, rather than turning "not evaluated yet" while this process's probes conclude (a write of
   * nothing new, on every restart).
   */
  private static void keepStoredNoFault(Map<ConditionType, ConditionVerdict> merged, SiteStatus stored) {
    for (ConditionType type : ConditionType.values()) {
      Optional<Condition> before = StoredStatus.condition(stored, type);
      if (type.isFaultCondition() && awaiting(merged.get(type)) && before.isPresent()
          && ConditionStatus.FALSE.text().equals(before.get().getStatus())) {
        boolean probed = stored.getConditionsFromProbes() != null
            && stored.getConditionsFromProbes().contains(type.typeName());
        merged.put(type, new ConditionVerdict(type, ConditionStatus.FALSE, before.get().getReason(),
            before.get().getMessage(), probed ? Evidence.PROBE : null));
      }
    }
  }

  /** A condition not evaluated only because the probes have not concluded: what the grace is for. */
  private static boolean awaiting(ConditionVerdict c) {
    return c.status() == ConditionStatus.UNKNOWN && Reason.AWAITING_FIRST_PROBE.reasonName().equals(c.reason());
  }

  /** A deleted Site, or one this process no longer watches: its grace ends with it. */
  void forget(SiteRef site) {
    firstSeen.remove(site);
    settled.remove(site);
  }

  private static ConditionVerdict kept(ConditionType type, ConditionStatus status, Condition before) {
    return new ConditionVerdict(type, status, before.getReason(), before.getMessage(), Evidence.PROBE);
  }

  private static Fault faultOf(ConditionType type) {
    for (Fault f : Fault.values()) {
      if (f.condition().equals(Optional.of(type))) {
        return f;
      }
    }
    throw new IllegalArgumentException("no fault for " + type);
  }

  private static Fault faultCode(String code) {
    for (Fault f : Fault.values()) {
      if (f.code().equals(code)) {
        return f;
      }
    }
    return Fault.UNKNOWN;
  }
}
