package dev.upstreamhealth.status;

import dev.upstreamhealth.api.LayerProbeStatus;
import dev.upstreamhealth.api.OriginStatus;
import dev.upstreamhealth.api.ProbePhases;
import dev.upstreamhealth.api.SiteStatus;
import dev.upstreamhealth.api.UpstreamStatus;
import dev.upstreamhealth.api.ConditionStatus;
import dev.upstreamhealth.api.ConditionType;
import dev.upstreamhealth.diagnosis.ConditionVerdict;
import dev.upstreamhealth.api.Fault;
import dev.upstreamhealth.api.Reason;
import dev.upstreamhealth.diagnosis.Verdict;
import dev.upstreamhealth.probe.ProbeFindings;
import dev.upstreamhealth.probe.ProbeLayer;
import dev.upstreamhealth.probe.ProbeOutcome;
import dev.upstreamhealth.probe.ProbeResult;
import dev.upstreamhealth.probe.ProbeTrace;
import dev.upstreamhealth.probe.TrackedProbe;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Turns a verdict into the status to write. The one place conditions are built, so every
 * condition has the same shape; a condition's lastTransitionTime moves only when its status flips.
 */
public final class StatusBuilder {
  private StatusBuilder() {}

  public static SiteStatus build(Verdict verdict, ProbeFindings probes, long generation, SiteStatus previous, Instant now) {
    SiteStatus status = new SiteStatus();
    status.setObservedGeneration(generation);
    status.setFault(verdict.fault().code());
    status.setReason(verdict.reason());
    status.setMessage(verdict.message());
    List<Condition> conditions = new ArrayList<>();
    for (ConditionType type : ConditionType.values()) {
      conditions.add(condition(verdict.condition(type), generation, previousCondition(previous, type), now));
    }
    status.setConditions(conditions);
    status.setConditionsFromProbes(verdict.conditions().values().stream()
        .filter(ConditionVerdict::restsOnProbes).map(c -> c.type()).sorted()
        .map(ConditionType::typeName).toList());
    verdict.origin().ifPresent(o -> status.setOrigin(
        new OriginStatus(o.address(), o.port(), o.scheme().label(), o.source().label())));
    status.setUpstreams(verdict.upstreams().stream()
        .map(u -> new UpstreamStatus(u.service(), u.ready(), u.total(), u.externalName())).toList());
    status.setProbes(layerProbes(probes));
    return status;
  }

  /**
   * The status when the reconcile itself failed: Ready Unknown/EvaluationFailed quoting the
   * error, while the fault conditions keep what they showed (a failed evaluation is no evidence
   * about them), so the status never looks current when it is not.
   */
  public static SiteStatus evaluationFailed(String error, long generation, SiteStatus previous, Instant now) {
    String message = "the operator could not evaluate this Site: " + error;
    SiteStatus status = new SiteStatus();
    status.setObservedGeneration(generation);
    status.setFault(Fault.UNKNOWN.code());
    status.setReason(Reason.EVALUATION_FAILED.reasonName());
    status.setMessage(message);
    List<Condition> conditions = new ArrayList<>();
    for (ConditionType type : ConditionType.values()) {
      Optional<Condition> before = previousCondition(previous, type);
      if (type.isFaultCondition() && before.isPresent()) {
        conditions.add(before.get());
      } else {
        ConditionVerdict v = new ConditionVerdict(type, ConditionStatus.UNKNOWN, Reason.EVALUATION_FAILED.reasonName(),
            type.isFaultCondition() ? "cannot be evaluated: " + message : message);
        conditions.add(condition(v, generation, before, now));
      }
    }
    status.setConditions(conditions);
    if (previous != null) {
      status.setOrigin(previous.getOrigin());
      status.setUpstreams(previous.getUpstreams());
      status.setProbes(previous.getProbes());
      status.setConditionsFromProbes(previous.getConditionsFromProbes());
    }
    return status;
  }

  private static Condition condition(ConditionVerdict v, long generation, Optional<Condition> previous, Instant now) {
    String transition = previous.filter(p -> v.status().text().equals(p.getStatus()))
        .map(Condition::getLastTransitionTime)
        .orElse(timestamp(now));
    return new ConditionBuilder()
        .withType(v.type().typeName())
        .withStatus(v.status().text())
        .withReason(v.reason())
        .withMessage(v.message())
        .withObservedGeneration(generation)
        .withLastTransitionTime(transition)
        .build();
  }

  private static Optional<Condition> previousCondition(SiteStatus previous, ConditionType type) {
    if (previous == null || previous.getConditions() == null) {
      return Optional.empty();
    }
    return previous.getConditions().stream().filter(c -> type.typeName().equals(c.getType())).findFirst();
  }

  /** The result that counts per layer; upstreams as one line with how many endpoints pass. */
  private static List<LayerProbeStatus> layerProbes(ProbeFindings probes) {
    List<LayerProbeStatus> out = new ArrayList<>();
    probes.first(ProbeLayer.ORIGIN).flatMap(StatusBuilder::shown).ifPresent(r -> out.add(layer(r, null)));
    probes.first(ProbeLayer.GATEWAY).flatMap(StatusBuilder::shown).ifPresent(r -> out.add(layer(r, null)));
    List<TrackedProbe> upstreams = probes.layer(ProbeLayer.UPSTREAM).stream().filter(TrackedProbe::isConfirmed).toList();
    if (!upstreams.isEmpty()) {
      long passing = upstreams.stream().filter(TrackedProbe::confirmedSuccess).count();
      TrackedProbe shown = upstreams.stream().filter(TrackedProbe::confirmedFailure).findFirst().orElse(upstreams.get(0));
      LayerProbeStatus upstream = layer(shown.confirmed(), passing + "/" + upstreams.size());
      boolean originServes = probes.first(ProbeLayer.ORIGIN)
          .map(o -> o.confirmedSuccess() && !o.confirmed().turnedAway()).orElse(false);
      List<TrackedProbe> all = probes.layer(ProbeLayer.UPSTREAM);
      if (ProbeFindings.upstreamsAskedOtherwise(all, originServes, all)) {
        upstream.setNote((shown.confirmed().responded()
            ? "every endpoint answers its direct probe with HTTP " + shown.confirmed().statusCode()
            : "every endpoint takes its direct probe's connection and answers no HTTP (" + shown.confirmed().outcome().label()
                + ")")
            + " while the origin serves the page: the direct probe asks something the gateway does not (path,"
            + " headers or protocol: a mesh sidecar that takes mutual TLS only, a backend the gateway speaks TLS to),"
            + " so these answers are not counted as failures");
      }
      out.add(upstream);
    }
    return out;
  }

  private static Optional<ProbeResult> shown(TrackedProbe probe) {
    return Optional.ofNullable(probe.confirmed());
  }

  private static LayerProbeStatus layer(ProbeResult r, String passing) {
    LayerProbeStatus s = new LayerProbeStatus();
    s.setLayer(r.target().layer().label());
    s.setTarget(r.target().url());
    s.setOutcome(r.outcome().label());
    s.setHttpStatus(r.responded() || r.outcome() == ProbeOutcome.REDIRECT_LOOP
        || r.outcome() == ProbeOutcome.ADDRESS_NOT_ADMITTED && r.statusCode() > 0
        || r.outcome() == ProbeOutcome.CREDENTIALS_REQUIRED ? r.statusCode() : null);
    s.setAnsweredBy(r.trace().answeredBy().label().isEmpty() ? null : r.trace().answeredBy().label());
    s.setRemoteAddress(r.trace().remoteAddress().isEmpty() ? null : r.trace().remoteAddress());
    s.setCertificateNotAfter(r.trace().certificate() == null ? null : timestamp(r.trace().certificate().notAfter()));
    s.setDetail(r.detail() == null || r.detail().isBlank() ? null : r.detail());
    s.setLatencyMillis(r.latency() == null ? null : r.latency().toMillis());
    s.setPhases(phases(r.trace()));
    s.setProbedAt(r.finishedAt() == null ? null : timestamp(r.finishedAt()));
    s.setPassing(passing);
    return s;
  }

  private static ProbePhases phases(ProbeTrace trace) {
    if (trace.dns() == null && trace.connect() == null) {
      return null;
    }
    ProbePhases p = new ProbePhases();
    p.setDnsMillis(millis(trace.dns()));
    p.setConnectMillis(millis(trace.connect()));
    p.setTlsMillis(millis(trace.tls()));
    p.setFirstByteMillis(millis(trace.firstByte()));
    return p;
  }

  private static Long millis(Duration d) {
    return d == null ? null : d.toMillis();
  }

  static String timestamp(Instant instant) {
    return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.SECONDS));
  }
}
