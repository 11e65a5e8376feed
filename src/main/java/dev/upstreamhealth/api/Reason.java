package dev.upstreamhealth.api;

import static dev.upstreamhealth.api.ConditionType.BAD_GATEWAY;
import static dev.upstreamhealth.api.ConditionType.DEGRADED;
import static dev.upstreamhealth.api.ConditionType.ORIGIN_DOWN;
import static dev.upstreamhealth.api.ConditionType.READY;
import static dev.upstreamhealth.api.ConditionType.SERVICE_UNAVAILABLE;
import static dev.upstreamhealth.api.Evidence.CLUSTER_STATE;
import static dev.upstreamhealth.api.Evidence.PROBE;
import static dev.upstreamhealth.api.Evidence.SPEC;

import java.util.Optional;

/**
 * The fault catalogue. Declaration order is precedence: within one condition the first reason
 * that applies wins, so causes read from cluster state come before the probe observations they
 * explain. Docs, alert rules and tests are checked against this list.
 */
public enum Reason {
  NO_ORIGIN_ADDRESS("NoOriginAddress", ORIGIN_DOWN, CLUSTER_STATE,
      "The Ingress has no load-balancer address (the HTTPRoute's Gateway has no status.addresses or is not Programmed) and spec.origin.address is empty."),
  ORIGIN_ADDRESS_MISMATCH("OriginAddressMismatch", ORIGIN_DOWN, CLUSTER_STATE,
      "spec.origin.address is not among the load-balancer addresses of the Ingress or Gateway: the CDN connects elsewhere."),
  GATEWAY_DOWN("GatewayDown", ORIGIN_DOWN, CLUSTER_STATE,
      "The gateway's Service has no ready endpoints, or it refuses connections as the origin does."),
  CDN_BLOCKED_BY_NETWORK_POLICY("CdnBlockedByNetworkPolicy", ORIGIN_DOWN, CLUSTER_STATE,
      "NetworkPolicies selecting the gateway pods admit none of spec.cdn.sourceRanges on the origin port."),
  CONNECTION_REFUSED("ConnectionRefused", ORIGIN_DOWN, PROBE,
      "The origin address refuses TCP connections."),
  CONNECTION_TIMED_OUT("ConnectionTimedOut", ORIGIN_DOWN, PROBE,
      "No TCP connection to the origin within the timeout (Cloudflare 522)."),
  ORIGIN_UNREACHABLE("OriginUnreachable", ORIGIN_DOWN, PROBE,
      "The origin address does not resolve or has no route (Cloudflare 523)."),
  TLS_HANDSHAKE_FAILED("TLSHandshakeFailed", ORIGIN_DOWN, PROBE,
      "The TLS handshake with the origin fails: no certificate, no common protocol or cipher, not TLS at all (Cloudflare 525)."),
  ORIGIN_CERTIFICATE_INVALID("OriginCertificateInvalid", ORIGIN_DOWN, PROBE,
      "The handshake completes but the certificate is expired, not yet valid, untrusted or does not name host (Cloudflare 526)."),

  BACKEND_SERVICE_MISSING("BackendServiceMissing", BAD_GATEWAY, CLUSTER_STATE,
      "A backend Service of host does not exist (HTTPRoute: ResolvedRefs False, BackendNotFound)."),
  SERVICE_PORT_MISMATCH("ServicePortMismatch", BAD_GATEWAY, CLUSTER_STATE,
      "The backend port is not a port of the Service, or the Service's named targetPort matches no container port."),
  BACKEND_NOT_PERMITTED("BackendNotPermitted", BAD_GATEWAY, CLUSTER_STATE,
      "An HTTPRoute's backendRef to another namespace has no ReferenceGrant (ResolvedRefs False, RefNotPermitted)."),
  UPSTREAM_CRASH_LOOPING("UpstreamCrashLooping", BAD_GATEWAY, CLUSTER_STATE,
      "Every pod behind a backend Service is crash-looping or terminated in error."),
  IMAGE_PULL_FAILED("ImagePullFailed", BAD_GATEWAY, CLUSTER_STATE,
      "No endpoint is ready and backend pods wait on an image that cannot be pulled."),
  CONTAINER_CONFIG_ERROR("ContainerConfigError", BAD_GATEWAY, CLUSTER_STATE,
      "No endpoint is ready and backend pods cannot create their containers (a missing Secret or ConfigMap key)."),
  UPSTREAM_NOT_LISTENING("UpstreamNotListening", BAD_GATEWAY, PROBE,
      "Every upstream endpoint refuses the TCP connection on its target port."),
  UPSTREAM_TIMEOUT("UpstreamTimeout", BAD_GATEWAY, PROBE,
      "Upstream endpoints accept but send no response in time, or the origin answers 504."),
  MALFORMED_RESPONSE("MalformedResponse", BAD_GATEWAY, PROBE,
      "A probe gets bytes that are not a valid HTTP response, or the connection closes without one."),
  GATEWAY_RETURNED_502("GatewayReturned502", BAD_GATEWAY, PROBE,
      "The origin answers 502 and no cause above is found."),

  MAINTENANCE_MODE("MaintenanceMode", SERVICE_UNAVAILABLE, SPEC,
      "spec.maintenance.active is set, or a probe answers 503 with a Retry-After header."),
  SCALED_TO_ZERO("ScaledToZero", SERVICE_UNAVAILABLE, CLUSTER_STATE,
      "The backend's workload asks for no pods: Deployment or StatefulSet replicas: 0, DaemonSet desiredNumberScheduled: 0."),
  PODS_UNSCHEDULABLE("PodsUnschedulable", SERVICE_UNAVAILABLE, CLUSTER_STATE,
      "Backend pods are Pending as Unschedulable and none is ready or running."),
  QUOTA_EXCEEDED("QuotaExceeded", SERVICE_UNAVAILABLE, CLUSTER_STATE,
      "No endpoint is ready and the backend's workload cannot create pods: a quota is exceeded."),
  ROLLOUT_IN_PROGRESS("RolloutInProgress", SERVICE_UNAVAILABLE, CLUSTER_STATE,
      "No endpoint is ready and the backend workload's rollout has not finished."),
  NO_READY_ENDPOINTS("NoReadyEndpoints", SERVICE_UNAVAILABLE, CLUSTER_STATE,
      "No endpoint of a backend Service is ready (readiness failing, or no pods), none of the above."),
  RATE_LIMITED("RateLimited", SERVICE_UNAVAILABLE, PROBE,
      "A probe answers 429."),
  OVERLOADED("Overloaded", SERVICE_UNAVAILABLE, PROBE,
      "A probe answers 503 without Retry-After and no cause above is found."),

  INGRESS_NOT_FOUND("IngressNotFound", READY, CLUSTER_STATE, Fault.OTHER,
      "The Ingress named in spec.origin.ingressName does not exist."),
  ROUTE_NOT_FOUND("RouteNotFound", READY, CLUSTER_STATE, Fault.OTHER,
      "The HTTPRoute named in spec.origin.httpRouteName does not exist."),
  HOST_NOT_ROUTED("HostNotRouted", READY, CLUSTER_STATE, Fault.OTHER,
      "The route has no rule for host, is not Accepted by its Gateway, or no controller serves its class."),
  UNEXPECTED_STATUS("UnexpectedStatus", READY, PROBE, Fault.OTHER,
      "The origin answers a status outside probe.expectedStatus that is none of 502, 503, 504, 429;"
          + " or, asked over http, redirects to its own address over https (a loop behind a CDN fetching over http)."),
  INVALID_SPEC("InvalidSpec", READY, SPEC, Fault.UNKNOWN,
      "The Site's spec cannot be used as written; the message says which field to fix."),
  AWAITING_FIRST_PROBE("AwaitingFirstProbe", READY, PROBE, Fault.UNKNOWN,
      "No state fault is visible and the origin probe has not yet reached a conclusion."),
  CACHES_NOT_SYNCED("CachesNotSynced", READY, CLUSTER_STATE, Fault.UNKNOWN,
      "A cache the diagnosis reads has not synced yet: no verdict from an empty cache."),
  GATEWAY_API_NOT_INSTALLED("GatewayApiNotInstalled", READY, CLUSTER_STATE, Fault.UNKNOWN,
      "spec.origin.httpRouteName is set but the cluster has no Gateway API CRDs."),
  EVALUATION_FAILED("EvaluationFailed", READY, CLUSTER_STATE, Fault.UNKNOWN,
      "The reconcile itself failed; the message quotes the error."),

  PARTIAL_UPSTREAM_FAILURE("PartialUpstreamFailure", DEGRADED, CLUSTER_STATE,
      "Some upstream endpoints fail their probe or are not ready while others serve."),
  CERTIFICATE_EXPIRING("CertificateExpiring", DEGRADED, PROBE,
      "The origin's certificate expires within probe.certificateWarningDays (a 526 to come)."),
  TIMEOUT_BUDGET_TIGHT("TimeoutBudgetTight", DEGRADED, PROBE,
      "Upstream latency exceeds half the gateway's read timeout, or the gateway waits longer than the CDN does.");

  /** Reason of a fault condition when it is False. */
  public static final String NO_FAULT = "NoFault";
  /** Reason of Ready when it is True. */
  public static final String HEALTHY = "Healthy";

  private final String reasonName;
  private final ConditionType condition;
  private final Evidence evidence;
  private final String meaning;
  private final Fault fault;

  /** A reason of a fault condition: its fault is the condition's (none for Degraded). */
  Reason(String reasonName, ConditionType condition, Evidence evidence, String meaning) {
    this(reasonName, condition, evidence, switch (condition) {
      case ORIGIN_DOWN -> Fault.ORIGIN_DOWN;
      case BAD_GATEWAY -> Fault.BAD_GATEWAY;
      case SERVICE_UNAVAILABLE -> Fault.SERVICE_UNAVAILABLE;
      case DEGRADED -> Fault.NONE;
      case READY -> throw new IllegalArgumentException("a Ready reason names its fault");
    }, meaning);
  }

  /** A reason that only Ready carries: Other (unhealthy otherwise) or Unknown (undetermined). */
  Reason(String reasonName, ConditionType condition, Evidence evidence, Fault fault, String meaning) {
    this.reasonName = reasonName;
    this.condition = condition;
    this.evidence = evidence;
    this.fault = fault;
    this.meaning = meaning;
  }

  /** The reason written as {@code name}, if the catalogue has one (a status may come from another version). */
  public static Optional<Reason> named(String name) {
    for (Reason reason : values()) {
      if (reason.reasonName.equals(name)) {
        return Optional.of(reason);
      }
    }
    return Optional.empty();
  }

  /**
   * Whether this reason comes before {@code other} in the catalogue's order within one condition:
   * the cause the other is a symptom of, or an observation that takes precedence over it.
   */
  public boolean precedes(Reason other) {
    return condition == other.condition && ordinal() < other.ordinal();
  }

  /** The PascalCase name written to conditions, Events and metrics. */
  public String reasonName() {
    return reasonName;
  }

  public ConditionType condition() {
    return condition;
  }

  public Evidence evidence() {
    return evidence;
  }

  /** One sentence for docs: when this reason applies. */
  public String meaning() {
    return meaning;
  }

  /** The fault a visitor sees when this reason decides the verdict. */
  public Fault fault() {
    return fault;
  }
}
