package dev.upstreamhealth.diagnosis;

import dev.upstreamhealth.api.ConditionStatus;
import dev.upstreamhealth.api.ConditionType;
import dev.upstreamhealth.api.Evidence;
import dev.upstreamhealth.api.Fault;
import dev.upstreamhealth.api.Reason;
import dev.upstreamhealth.probe.ProbeLayer;
import dev.upstreamhealth.probe.ProbeOutcome;
import dev.upstreamhealth.probe.ProbeResult;
import dev.upstreamhealth.probe.TrackedProbe;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Works out, from one snapshot, what a visitor coming through the CDN would get and why. Pure:
 * no I/O, no clock, no state; the same snapshot always gives the same verdict.
 */
public final class Diagnosis {
  private Diagnosis() {}

  public static Verdict diagnose(Snapshot read) {
    Snapshot s = LoadBalancerSourceRanges.withDropsJudged(read);
    List<String> problems = SpecProblems.of(s.spec());
    if (!problems.isEmpty()) {
      return undetermined(Reason.INVALID_SPEC, String.join("; ", problems), ConditionStatus.FALSE, List.of());
    }
    if (!s.unsyncedCaches().isEmpty()) {
      return undetermined(Reason.CACHES_NOT_SYNCED, "caches not synced yet: " + String.join(", ", s.unsyncedCaches())
          + " (their first list is failing or still running); no verdict from a partial view",
          ConditionStatus.UNKNOWN, List.of());
    }
    if (s.viaHttpRoute()) {
      Optional<Finding> blocking = RouteLayer.blocking(s);
      if (blocking.isPresent()) {
        Reason reason = blocking.get().reason();
        Optional<String> early = reason == Reason.HOST_NOT_ROUTED
            ? ControllerPending.classOfAParent(s).or(() -> ControllerPending.referentNotSeenYet(s)) : Optional.empty();
        if (early.isPresent()) {
          return waiting(early.get() + " (so far: " + blocking.get().message() + ")");
        }
        return undetermined(reason, blocking.get().message(),
            reason.fault() == Fault.UNKNOWN ? ConditionStatus.UNKNOWN : ConditionStatus.FALSE, List.of());
      }
      return assess(s);
    }
    String ingressKey = ObjectKey.of(s.namespace(), s.spec().getOrigin().getIngressName());
    if (s.ingress() == null) {
      return undetermined(Reason.INGRESS_NOT_FOUND, "Ingress " + ingressKey
          + " (spec.origin.ingressName) does not exist", ConditionStatus.FALSE, List.of());
    }
    String ingressClass = s.ingress().getSpec() == null ? null : s.ingress().getSpec().getIngressClassName();
    if (ingressClass != null && s.ingressClasses() != null && !s.ingressClasses().contains(ingressClass)) {
      String noClass = "Ingress " + ingressKey + " names IngressClass \"" + ingressClass
          + "\", which does not exist: no ingress controller serves it";
      // A cluster set up from Git applies the app's Ingress and the ingress controller (its class
      // with it) in any order: a young Ingress without an address waits for its class too.
      Optional<String> early = ControllerPending.newIngressWithoutAddress(s);
      if (early.isPresent()) {
        return waiting(early.get() + " (so far: " + noClass + ")");
      }
      return undetermined(Reason.HOST_NOT_ROUTED, noClass, ConditionStatus.FALSE, List.of());
    }
    // A www twin that ingress-nginx redirects to a rule host is routed, to no backend.
    if (IngressRoutes.backendsFor(s.ingress(), s.spec().getHost()).isEmpty()
        && IngressNginx.wwwTwinOf(s.ingress(), s.spec().getHost()).isEmpty()) {
      return undetermined(Reason.HOST_NOT_ROUTED, "Ingress " + ingressKey + " has no rule for "
          + s.spec().getHost() + " with a Service backend, and no default backend", ConditionStatus.FALSE, List.of());
    }
    return assess(s);
  }

  /** The layers in turn, outermost first, once a route serves host. */
  private static Verdict assess(Snapshot s) {
    Optional<OriginEndpoint> origin = s.originEndpoint();
    Optional<String> early = origin.isEmpty()
        ? s.viaHttpRoute() ? ControllerPending.servingGateway(s) : ControllerPending.ingressWithoutAddress(s)
        : Optional.empty();
    if (early.isPresent()) {
      return waiting(early.get() + " (so far: " + s.noOriginAddressReason() + ")");
    }
    Findings findings = new Findings();
    OriginLayer.assess(s, origin, findings);
    if (s.viaHttpRoute()) {
      RouteLayer.assess(s, findings);
    }
    List<UpstreamCount> counts = UpstreamLayer.assess(s, findings);
    // Declared maintenance before the probes: on a tie the user's own message is the one shown.
    if (s.spec().getMaintenance() != null && Boolean.TRUE.equals(s.spec().getMaintenance().getActive())) {
      String note = s.spec().getMaintenance().getMessage();
      findings.add(Reason.MAINTENANCE_MODE, "maintenance declared in spec.maintenance"
          + (note == null || note.isBlank() ? "" : ": " + note));
    }
    ProbeEvidence.assess(s, findings.observedByProbes());
    return decide(s, findings, origin, counts);
  }

  private static Verdict decide(Snapshot s, Findings findings, Optional<OriginEndpoint> origin, List<UpstreamCount> counts) {
    Map<ConditionType, ConditionVerdict> conditions = new EnumMap<>(ConditionType.class);
    // Which of several Gateways was judged when origin.address does not say: a fault of the
    // origin, and Healthy, are that one's, and the CDN may be connecting to another.
    String guessed = s.attachment().flatMap(RouteAttachment::guessedAmong).map(g -> "; " + g).orElse("");
    Finding decisive = null;
    for (ConditionType type : List.of(ConditionType.ORIGIN_DOWN, ConditionType.BAD_GATEWAY,
        ConditionType.SERVICE_UNAVAILABLE, ConditionType.DEGRADED)) {
      Optional<Finding> finding = findings.decisive(type);
      String note = type == ConditionType.ORIGIN_DOWN ? guessed : "";
      conditions.put(type, finding
          .map(f -> new ConditionVerdict(type, ConditionStatus.TRUE, f.reason().reasonName(),
              f.message() + ProbeEvidence.literalAnswer(s, f) + note, f.evidence()))
          .orElseGet(() -> noFault(type)));
      if (decisive == null && type != ConditionType.DEGRADED && finding.isPresent()) {
        decisive = finding.get();
      }
    }
    Optional<Finding> other = findings.decisive(ConditionType.READY);
    Fault fault;
    ConditionVerdict ready;
    if (decisive != null) {
      fault = decisive.reason().fault();
      ready = new ConditionVerdict(ConditionType.READY, ConditionStatus.FALSE, decisive.reason().reasonName(),
          decisive.message() + ProbeEvidence.literalAnswer(s, decisive)
              + (decisive.reason().condition() == ConditionType.ORIGIN_DOWN ? guessed : ""), decisive.evidence());
    } else if (other.isPresent()) {
      decisive = other.get();
      fault = decisive.reason().fault();
      ready = new ConditionVerdict(ConditionType.READY, ConditionStatus.FALSE, decisive.reason().reasonName(),
          decisive.message(), decisive.evidence());
    } else if (awaitingOriginProbe(s, origin)) {
      ProbeSettings probe = ProbeSettings.of(s.spec().getProbe());
      decisive = new Finding(Reason.AWAITING_FIRST_PROBE, "no fault in cluster state; waiting for the probes of "
          + origin.get() + " to reach a conclusion (probe.failureThreshold " + probe.failureThreshold()
          + ", successThreshold " + probe.successThreshold() + ")");
      fault = Fault.UNKNOWN;
      ready = new ConditionVerdict(ConditionType.READY, ConditionStatus.UNKNOWN, decisive.reason().reasonName(), decisive.message());
      // No fault found is not yet no fault: the probes may still find one in any layer. Claiming
      // "the origin accepts connections" before its probe concluded would be a guess.
      String awaiting = "not evaluated yet: " + decisive.message();
      conditions.replaceAll((type, c) -> c.status() == ConditionStatus.FALSE
          ? new ConditionVerdict(type, ConditionStatus.UNKNOWN, Reason.AWAITING_FIRST_PROBE.reasonName(), awaiting) : c);
    } else {
      fault = Fault.NONE;
      decisive = null;
      // Healthy rests on the origin probe's success: no origin address is a fault of its own.
      ready = new ConditionVerdict(ConditionType.READY, ConditionStatus.TRUE, Reason.HEALTHY,
          healthyMessage(s, origin, counts) + IngressNginx.servedAsNote(s.ingress(), s.spec().getHost())
              + CdnPolicyBlock.unenforcedNote(s) + guessed,
          Evidence.PROBE);
    }
    conditions.put(ConditionType.READY, ready);
    return new Verdict(fault, ready.reason(), ready.message(), conditions, origin, counts);
  }

  private static boolean awaitingOriginProbe(Snapshot s, Optional<OriginEndpoint> origin) {
    if (origin.isEmpty()) {
      return false;
    }
    return s.probes().first(ProbeLayer.ORIGIN).map(p -> !p.isConfirmed()).orElse(true);
  }

  private static String healthyMessage(Snapshot s, Optional<OriginEndpoint> origin, List<UpstreamCount> counts) {
    StringBuilder out = new StringBuilder();
    Optional<ProbeResult> originProbe = s.probes().first(ProbeLayer.ORIGIN).map(TrackedProbe::confirmed);
    out.append("origin ").append(origin.map(OriginEndpoint::toString).orElse("(none)"));
    originProbe.ifPresent(r -> out.append(originAnswer(s, r)).append(ProbedPath.of(s).note(s, r.target().path())));
    out.append(s.tlsElsewhereNote());
    for (UpstreamCount c : counts) {
      if (c.externalName() != null) {
        out.append("; Service ").append(c.service()).append(" is ExternalName ").append(c.externalName())
            .append(", judged by the probes through the gateway");
        continue;
      }
      out.append("; ").append(c.ready()).append('/').append(c.total())
          .append(" endpoints of Service ").append(c.service()).append(" ready");
    }
    return out.toString();
  }

  /** What a Healthy message says of the origin probe's confirmed answer, and when it saw no page, why. */
  private static String originAnswer(Snapshot s, ProbeResult r) {
    return switch (r.outcome()) {
      case CLIENT_CERTIFICATE_REQUIRED -> " accepts connections and TLS, and asks for a client certificate the probe"
          + " does not have (the CDN presents its own): what it serves is judged from the probes behind it";
      case ADDRESS_NOT_ADMITTED -> r.statusCode() == 0 ? LoadBalancerSourceRanges.droppedNote(s) : SourceAllowlist.refusalNote(s);
      case CREDENTIALS_REQUIRED -> GatewayAuthentication.askedNote(s);
      case REDIRECT_LOOP -> HttpsRedirectLoop.healthyNote(r);
      default -> r.turnedAway() ? " answers " + r.statusCode() + " with nginx's own page (the gateway's, before the app"
          + " is asked, or an nginx in front of the app): what it serves is judged from the probes behind it"
          : " answers " + r.statusCode();
    };
  }

  private static ConditionVerdict noFault(ConditionType type) {
    return new ConditionVerdict(type, ConditionStatus.FALSE, Reason.NO_FAULT, switch (type) {
      case ORIGIN_DOWN -> "the origin accepts connections";
      case BAD_GATEWAY -> "the gateway gets valid answers from the upstreams";
      case SERVICE_UNAVAILABLE -> "the upstreams are available";
      default -> "every upstream endpoint serves";
    });
  }

  /** No verdict to show yet: Ready Unknown, waiting, the fault conditions not evaluated. */
  public static Verdict waiting(String message) {
    return undetermined(Reason.AWAITING_FIRST_PROBE, message, ConditionStatus.UNKNOWN, List.of());
  }

  /** Invalid spec, missing Ingress, host not routed: the fault conditions cannot be evaluated. */
  private static Verdict undetermined(Reason reason, String message, ConditionStatus readyStatus, List<UpstreamCount> counts) {
    Map<ConditionType, ConditionVerdict> conditions = new EnumMap<>(ConditionType.class);
    conditions.put(ConditionType.READY, new ConditionVerdict(ConditionType.READY, readyStatus, reason.reasonName(), message));
    for (ConditionType type : ConditionType.values()) {
      if (type.isFaultCondition()) {
        conditions.put(type, new ConditionVerdict(type, ConditionStatus.UNKNOWN, reason.reasonName(),
            "cannot be evaluated: " + message));
      }
    }
    return new Verdict(reason.fault(), reason.reasonName(), message, conditions, Optional.empty(), counts);
  }
}
