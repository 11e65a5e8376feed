package dev.upstreamhealth.diagnosis;

import dev.upstreamhealth.api.ConditionType;
import dev.upstreamhealth.api.Evidence;
import dev.upstreamhealth.api.Reason;
import dev.upstreamhealth.probe.ProbeFindings;
import dev.upstreamhealth.probe.ProbeLayer;
import dev.upstreamhealth.probe.ProbeOutcome;
import dev.upstreamhealth.probe.ProbeResult;
import dev.upstreamhealth.probe.TrackedProbe;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Faults seen by the probes, counted only once confirmed by the thresholds. The origin probe is
 * the visitor's view; upstream probes explain it, and a healthy origin overrules them.
 */
final class ProbeEvidence {
  private ProbeEvidence() {}

  static void assess(Snapshot s, Findings findings) {
    Optional<TrackedProbe> origin = s.probes().first(ProbeLayer.ORIGIN);
    Optional<TrackedProbe> gateway = s.probes().first(ProbeLayer.GATEWAY);
    Optional<ProbeResult> refused = origin.filter(TrackedProbe::confirmedFailure).map(TrackedProbe::confirmed)
        .filter(r -> r.outcome() == ProbeOutcome.NOT_PROBED);
    if (refused.isPresent()) {
      findings.add(Reason.INVALID_SPEC, "origin " + refused.get().target().url() + " is " + refused.get().detail()
          + "; point spec.origin.address (or the Ingress's load balancer) at the real origin");
      return;
    }
    origin.filter(TrackedProbe::confirmedFailure)
        .ifPresent(o -> originFailure(o, gateway, s, findings));
    boolean originReached = origin.map(o -> o.isConfirmed() && o.confirmedSuccess()).orElse(false);
    // An origin that turns the probe away (a client certificate it demands, an allowlist without
    // the probe's address) is up, and shows nothing of what it serves: the upstream probes speak
    // for themselves, as with no origin probe at all.
    boolean originServes = s.probes().originServes();
    // An origin that answers for itself (503, 429, 500 ...) is what the visitor gets: failing
    // upstream probes may only explain a 502/504, a timeout or no answer at all.
    Integer originAnswer = origin.filter(TrackedProbe::confirmedFailure).map(TrackedProbe::confirmed)
        .filter(r -> r.responded() || r.outcome() == ProbeOutcome.REDIRECT_LOOP).map(ProbeResult::statusCode)
        .filter(code -> code != 502 && code != 504).orElse(null);
    // An origin whose history starts afresh (a new address, the certificate check or PROXY header
    // changed) and has not failed since has no view yet, or one of serving: upstreams failing all
    // along cannot speak for the visitor meanwhile. One that has begun to fail can be explained.
    boolean originPending = origin.map(o -> !o.isConfirmed() && o.consecutiveFailures() == 0).orElse(false);
    // An origin that fails without an answer of its own (502, 504, a timeout, no answer): what the
    // upstream probes saw last can explain it.
    boolean originFails = origin.map(TrackedProbe::confirmedFailure).orElse(false) && originAnswer == null;
    ProbeResult originLooked = origin.map(TrackedProbe::last).orElse(null);
    boolean originTurnedAway = originReached && !originServes;
    List<TrackedProbe> upstreamProbes = probedUpstreams(s);
    // Every upstream answering in another protocol, in a mesh that takes its mutual TLS only: the
    // cheap check first, as it is all but always false.
    boolean meshTakesOnlyItsTls = ProbeFindings.noUpstreamSpeaksTheProbesProtocol(upstreamProbes) && MeshSidecars.aroundTheSite(s);
    upstreams(upstreamProbes, originServes, originTurnedAway, originAnswer, originPending,
        originFails ? originLooked : null, meshTakesOnlyItsTls, findings);
    origin.filter(o -> originReached).ifPresent(o -> OriginCertificate.assess(s, o.confirmed(), findings));
    TimeoutBudget.assess(s, findings);
  }

  /**
   * For a fault read from cluster state: what the origin literally answers, when a probe saw it
   * (ingress-nginx answers 503 for a missing backend, Gateway API implementations 500), and who
   * wrote a 502/503/504. Probe findings say it themselves.
   */
  static String literalAnswer(Snapshot s, Finding finding) {
    if (finding.reason().evidence() == Evidence.PROBE || finding.reason().condition() == ConditionType.DEGRADED) {
      return "";
    }
    return s.probes().first(ProbeLayer.ORIGIN).map(TrackedProbe::confirmed)
        .filter(r -> r != null && r.responded() && r.statusCode() >= 400)
        .map(r -> "; the origin answers " + r.summary())
        .orElse("");
  }

  private static List<TrackedProbe> probedUpstreams(Snapshot s) {
    return s.probes().layer(ProbeLayer.UPSTREAM).stream()
        .filter(p -> !p.confirmedFailure() || p.confirmed().outcome() != ProbeOutcome.NOT_PROBED)
        .toList();
  }

  /**
   * Whether the gateway's probe refused as of the origin's last (counted) refusal: its confirmed
   * result, its latest one, or a first success that came only after the origin's last look. The
   * gateway probe runs on a phase of its own: without its latest refusal, every gateway outage
   * would first read as the origin's ConnectionRefused (a Warning) and then as GatewayDown
   * (another); without the late first success, a recovery would read as ConnectionRefused
   * until the origin's next probe.
   */
  private static boolean refuses(TrackedProbe gateway, TrackedProbe origin) {
    if (gateway.confirmedFailure() && gateway.confirmed().outcome() == ProbeOutcome.CONNECTION_REFUSED) {
      return true;
    }
    ProbeResult last = gateway.last();
    if (last == null) {
      return false;
    }
    if (last.outcome() == ProbeOutcome.CONNECTION_REFUSED) {
      return true;
    }
    ProbeResult originLooked = origin.last();
    return gateway.confirmedSuccess() && gateway.consecutiveSuccesses() == 1 && originLooked != null
        && last.finishedAt() != null && originLooked.finishedAt() != null
        && last.finishedAt().isAfter(originLooked.finishedAt());
  }

  private static void originFailure(TrackedProbe origin, Optional<TrackedProbe> gateway, Snapshot s, Findings findings) {
    ProbeResult r = origin.confirmed();
    String at = "origin " + r.target().url() + " (Host " + r.target().host() + ProbedPath.of(s).note(s, r.target().path())
        + ")";
    switch (r.outcome()) {
      case CONNECTION_REFUSED -> {
        boolean gatewayRefuses = s.gateway() != null && gateway.map(g -> refuses(g, origin)).orElse(false);
        if (gatewayRefuses) {
          findings.add(Reason.GATEWAY_DOWN, at + " and gateway Service " + s.gateway().key() + " at "
              + gateway.get().target().url() + " both refuse connections");
        } else {
          findings.add(Reason.CONNECTION_REFUSED, at + " refused the TCP connection" + OriginFailureHints.listenerNotReady(s));
        }
      }
      case CONNECT_TIMEOUT -> findings.add(Reason.CONNECTION_TIMED_OUT,
          at + ": no TCP connection within " + seconds(r) + OriginFailureHints.admission(s, gateway));
      case UNREACHABLE -> findings.add(Reason.ORIGIN_UNREACHABLE, at + " is unreachable: " + detail(r));
      case TLS_FAILED -> findings.add(Reason.TLS_HANDSHAKE_FAILED, at + ": TLS handshake failed: " + detail(r)
          + " (the CDN answers 525)" + OriginFailureHints.closedDuringHandshake(s, r) + s.tlsElsewhereNote()
          + OriginFailureHints.listenerNotReady(s));
      case CERTIFICATE_INVALID -> findings.add(Reason.ORIGIN_CERTIFICATE_INVALID, at + ": " + detail(r)
          + "; with spec.cdn.verifyOriginCertificate the CDN refuses it (526)" + s.tlsElsewhereNote()
          + s.tlsHostNotListedNote() + OriginFailureHints.listenerNotReady(s));
      case MALFORMED_RESPONSE -> findings.add(Reason.MALFORMED_RESPONSE, at + " answered bytes that are not HTTP: "
          + detail(r) + OriginFailureHints.proxyHeaderSent(r));
      case CONNECTION_CLOSED -> findings.add(Reason.MALFORMED_RESPONSE, at + " closed the connection without a response"
          + " (an empty reply: the CDN answers 520)" + OriginFailureHints.closedWithoutAnswer(s, r));
      case RESPONSE_TIMEOUT -> findings.add(Reason.UPSTREAM_TIMEOUT,
          at + " accepted the connection but sent no response within " + seconds(r));
      case RESPONDED -> respondedStatus(s, r, at, findings);
      case REDIRECT_LOOP -> findings.add(Reason.UNEXPECTED_STATUS, OriginEndpoint.httpDeclared(s.spec().getOrigin())
          ? HttpsRedirectLoop.message(at, r)
          : at + " answers " + r.statusCode() + " to " + r.detail() + ", outside probe.expectedStatus");
      case CONNECTED, NOT_PROBED, ADDRESS_NOT_ADMITTED, CREDENTIALS_REQUIRED -> { } // never a failure
      case NAME_LOOKUP_FAILED, TLS_NOT_JUDGED -> { } // no evidence, so never confirmed (ProbeTracker)
    }
  }

  private static void respondedStatus(Snapshot s, ProbeResult r, String at, Findings findings) {
    String answered = at + " answers " + r.summary();
    switch (r.statusCode()) {
      case 502 -> findings.add(Reason.GATEWAY_RETURNED_502, answered + ProxyBufferSize.tooBigHeadNote(s, r));
      case 504 -> findings.add(Reason.UPSTREAM_TIMEOUT, answered + ": the gateway timed out waiting for the upstream");
      case 503 -> {
        if (r.retryAfter()) {
          findings.add(Reason.MAINTENANCE_MODE, answered);
        } else if (endpointsDeclareMaintenance(s)) {
          findings.add(Reason.MAINTENANCE_MODE, answered + "; every probed endpoint answers 503 with Retry-After: the"
              + " app declares maintenance, and the gateway's error page for 503 (ingress-nginx's custom-http-errors)"
              + " drops the header");
        } else {
          findings.add(Reason.OVERLOADED, answered + DeniedLocations.note(s));
        }
      }
      case 429 -> findings.add(Reason.RATE_LIMITED, answered);
      default -> findings.add(Reason.UNEXPECTED_STATUS, answered + ", outside probe.expectedStatus"
          + ProbePathRouting.notRouted(s, r) + (r.statusCode() == 500 ? RouteLayer.unresolvedRefsNote(s) : "")
          + (r.statusCode() == 403 ? SourceAllowlist.cdnLeftOutNote(s) : "")
          + (r.statusCode() == 500 ? GatewayAuthentication.failingNote(s) : ""));
    }
  }

  /**
   * Whether every probed endpoint answers 503 with Retry-After: a maintenance the app declares,
   * though the origin's 503 came without the header, as a gateway that puts its own error page on
   * a 503 sends it (ingress-nginx's custom-http-errors).
   */
  private static boolean endpointsDeclareMaintenance(Snapshot s) {
    List<TrackedProbe> endpoints = s.probes().layer(ProbeLayer.UPSTREAM);
    return !endpoints.isEmpty() && endpoints.stream().allMatch(p -> p.isConfirmed() && p.confirmed().responded()
        && p.confirmed().statusCode() == 503 && p.confirmed().retryAfter());
  }

  /**
   * Per upstream Service: all endpoints failing is a 502/503 cause, some failing is Degraded.
   * "All" waits until every endpoint's probe, and the origin's, has concluded, so the first
   * endpoint to answer cannot speak for the others, nor the upstreams for the visitor.
   *
   * @param originAnswer the status the origin answers for itself (a 503, 429, 500 ...), null
   *     when it serves, fails otherwise or has not concluded
   * @param originFailedLook the origin's latest result when its failure counts without an answer of
   *     its own (a 502, 504, a timeout, no answer), else null: what the upstream probes saw as of
   *     then can explain it
   */
  private static void upstreams(List<TrackedProbe> probes, boolean originServes, boolean originTurnedAway,
      Integer originAnswer,
      boolean originPending, ProbeResult originFailedLook, boolean meshTakesOnlyItsTls, Findings findings) {
    Map<String, List<TrackedProbe>> byService = new LinkedHashMap<>();
    probes.forEach(p -> byService.computeIfAbsent(p.target().service(), k -> new ArrayList<>()).add(p));
    byService.forEach((service, all) -> {
      List<ProbeResult> failingThen = originFailedLook == null ? List.of()
          : all.stream().map(p -> failingWhenOriginLooked(p, originFailedLook)).flatMap(Optional::stream).toList();
      if (originFailedLook != null && failingThen.size() == all.size()) {
        if (gatewayGotFurther(originFailedLook, failingThen)) {
          return;
        }
        // The origin's failure counts and every endpoint was failing as of its latest look: the
        // cause is named now. Waiting for each endpoint's own threshold (each probe on a phase of
        // its own) would first show the symptom (GatewayReturned502) and then the cause, and an
        // endpoint back before the origin's next probe would show the symptom on the way to
        // Healthy: a Warning each.
        allFailing(failingThen, all.size() + "/" + all.size() + " probed endpoints of Service " + service,
            sample(failingThen.get(0)), findings);
        return;
      }
      List<TrackedProbe> confirmed = all.stream().filter(TrackedProbe::isConfirmed).toList();
      List<TrackedProbe> failing = confirmed.stream().filter(TrackedProbe::confirmedFailure).toList();
      if (failing.isEmpty()) {
        return;
      }
      String counts = failing.size() + "/" + all.size() + " probed endpoints of Service " + service;
      String sample = sample(failing.get(0).confirmed());
      if (failing.size() < confirmed.size()) {
        findings.add(Reason.PARTIAL_UPSTREAM_FAILURE, counts + " fail their probe" + sample);
      } else if (confirmed.size() < all.size() || originPending) {
        return;
      } else if (ProbeFindings.upstreamsAskedOtherwise(all, originServes, probes)) {
        // The gateway gets the page from these very endpoints: the direct probe asks something it
        // does not (another path, header or protocol). The upstream status says so; no verdict.
        return;
      } else if (originServes || originAnswer != null || (originTurnedAway && (noneConnected(failing)
          || meshTakesOnlyItsTls))) {
        List<ProbeResult> results = failing.stream().map(TrackedProbe::confirmed).toList();
        if (originAnswer != null && results.stream().allMatch(r -> r.responded() && r.statusCode() == originAnswer)) {
          return; // they answer what the origin answers (a probe.path that does not exist, say): its reason says it
        }
        // Only a connection never made points at a policy; an answer or an accepted connection does not.
        // Ready pods that accept no connection from the operator, behind an origin that turned the
        // probe away, are far likelier a NetworkPolicy admitting only the gateway than an app down:
        // no page on that alone. So are endpoints in a mesh with the gateway that all answer in
        // another protocol than the probe's: the mesh takes its mutual TLS only, which the
        // gateway speaks. Without the mesh on both sides that is a port speaking another protocol
        // (a database's, TLS only), or a mesh resetting the gateway too: visitors get its 502.
        findings.add(Reason.PARTIAL_UPSTREAM_FAILURE, counts + " fail their probe" + sample
            + (originTurnedAway ? " while the origin turns the probe away (its page unseen)"
                : " while the origin answers for itself")
            + (noneConnected(failing) ? ": probes from the operator may be blocked by a NetworkPolicy"
                : meshTakesOnlyItsTls
                    ? ": every upstream endpoint answers in another protocol than the probe's, in a mesh that takes its"
                        + " mutual TLS only, which the gateway, in the mesh too, speaks"
                    : ""));
      } else if (originFailedLook == null
          || !gatewayGotFurther(originFailedLook, failing.stream().map(TrackedProbe::confirmed).toList())) {
        allFailing(failing.stream().map(TrackedProbe::confirmed).toList(), counts, sample, findings);
      }
    });
  }

  /**
   * The endpoint's failure as of the origin's latest look: its latest result when that failed, or
   * the failure before a first success that came only after the origin's latest probe finished
   * (the endpoint is back, but the origin's failure still counted was its doing). Probes of one
   * Site share an interval, so a second success comes after the origin has looked again.
   */
  private static Optional<ProbeResult> failingWhenOriginLooked(TrackedProbe p, ProbeResult originLooked) {
    if (p.last() != null && (p.confirmedFailure() ? p.consecutiveSuccesses() == 0 : p.consecutiveFailures() > 0)) {
      return Optional.of(p.last());
    }
    boolean backSinceOriginLooked = p.lastFailure() != null && p.consecutiveSuccesses() == 1
        && p.last().finishedAt() != null && originLooked.finishedAt() != null
        && p.last().finishedAt().isAfter(originLooked.finishedAt());
    return backSinceOriginLooked ? Optional.of(p.lastFailure()) : Optional.empty();
  }

  /**
   * Whether the gateway connected to endpoints the operator's probes could not: the origin answers
   * 502, which no gateway makes of a connect that times out (nginx answers 504, Envoy 503), while
   * every probe's connect timed out. A NetworkPolicy admitting only the gateway does that; the
   * timeouts explain nothing of the 502, which keeps its own reason.
   */
  private static boolean gatewayGotFurther(ProbeResult originLooked, List<ProbeResult> failing) {
    return originLooked.responded() && originLooked.statusCode() == 502
        && failing.stream().allMatch(r -> r.outcome() == ProbeOutcome.CONNECT_TIMEOUT);
  }

  private static boolean noneConnected(List<TrackedProbe> failing) {
    return failing.stream().allMatch(p -> p.confirmed().outcome() == ProbeOutcome.CONNECT_TIMEOUT);
  }

  private static String sample(ProbeResult example) {
    return " (" + example.target().address() + ":" + example.target().port() + " " + example.summary() + ")";
  }

  private static void allFailing(List<ProbeResult> results, String counts, String sample, Findings findings) {
    if (results.stream().allMatch(r -> r.outcome() == ProbeOutcome.CONNECTION_REFUSED)) {
      findings.add(Reason.UPSTREAM_NOT_LISTENING, counts + " refuse the TCP connection" + sample);
    } else if (results.stream().anyMatch(r -> r.outcome() == ProbeOutcome.RESPONSE_TIMEOUT
        || r.outcome() == ProbeOutcome.CONNECT_TIMEOUT)) {
      findings.add(Reason.UPSTREAM_TIMEOUT, counts + " send no response in time" + sample);
    } else if (results.stream().anyMatch(r -> r.outcome() == ProbeOutcome.MALFORMED_RESPONSE
        || r.outcome() == ProbeOutcome.CONNECTION_CLOSED)) {
      findings.add(Reason.MALFORMED_RESPONSE, counts + " answer with no valid HTTP response" + sample);
    } else if (results.stream().allMatch(r -> r.responded() && r.statusCode() == 503)) {
      boolean announced = results.stream().allMatch(ProbeResult::retryAfter);
      findings.add(announced ? Reason.MAINTENANCE_MODE : Reason.OVERLOADED, counts + " answer 503" + sample);
    } else if (results.stream().allMatch(r -> r.responded() && r.statusCode() == 429)) {
      findings.add(Reason.RATE_LIMITED, counts + " answer 429" + sample);
    }
    // Other statuses from an upstream reach the visitor as they are; the origin probe reports them.
  }

  static String detail(ProbeResult r) {
    return r.detail() == null || r.detail().isBlank() ? r.outcome().label() : r.detail();
  }

  private static String seconds(ProbeResult r) {
    return r.target().timeout().toSeconds() + "s";
  }
}
