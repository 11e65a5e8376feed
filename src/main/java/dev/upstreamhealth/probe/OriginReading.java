package dev.upstreamhealth.probe;

/**
 * How the answers to a Site's origin and gateway probes are read, from what its route says of the
 * gateway in front of the app: some answers turn the probe away (it is not the CDN, and has no
 * credentials) without saying anything of what visitors get.
 *
 * @param forbidden what a 403 from the gateway means: its allowlist refusing the probe's own
 *     address, while it admits the CDN's, says nothing of what visitors get
 * @param redirectLoopCounts the Site says the CDN fetches the origin over plain http
 *     ({@code origin.scheme} http, no port): a redirect back to the same address over https is the
 *     loop its visitors meet. Where http was derived from the route, the CDN may fetch over https
 *     (TLS ended at the load balancer, or on an Ingress of another namespace not watched), and such a
 *     redirect is an answer like any other, its page unseen
 * @param credentialsAsked the gateway asks every visitor for credentials before the app
 *     (ingress-nginx's {@code auth-type} or {@code auth-url}, or its ConfigMap's
 *     {@code global-auth-url}): its 401 to the probe, which has
 *     none, is that question, as every visitor gets it first
 * @param onlyTheCdnAdmitted what the origin probe lands on admits the CDN's ranges and no
 *     cluster-internal address: the gateway's load balancer by its {@code loadBalancerSourceRanges}
 *     (which kube-proxy applies to traffic from pods too), or the gateway pods by NetworkPolicies
 *     while they see the client's address. An origin probe whose connection is never made was
 *     dropped there, as visitors' are not
 */
public record OriginReading(ForbiddenReading forbidden, boolean redirectLoopCounts, boolean credentialsAsked,
    boolean onlyTheCdnAdmitted) {
  /** Nothing known of the gateway: a 403 and a 401 are what visitors get, a loop is a loop, a timeout a timeout. */
  public static final OriginReading PLAIN = new OriginReading(ForbiddenReading.VISITORS_TOO, true, false, false);

  public OriginReading {
    forbidden = forbidden == null ? ForbiddenReading.VISITORS_TOO : forbidden;
  }

  /** {@code result} as this Site means it: a turning-away answer gets the outcome that says so. */
  ProbeResult read(ProbeResult result) {
    if (onlyTheCdnAdmitted && result.outcome() == ProbeOutcome.CONNECT_TIMEOUT
        && result.target().layer() == ProbeLayer.ORIGIN) {
      return result.withOutcome(ProbeOutcome.ADDRESS_NOT_ADMITTED);
    }
    if (!result.responded() || result.target().layer() == ProbeLayer.UPSTREAM) {
      return result;
    }
    if (result.statusCode() == 403 && switch (forbidden) {
      case VISITORS_TOO -> false;
      case PROBE_IF_GATEWAYS_OWN_PAGE -> result.trace().answeredBy() == ProbeTrace.AnswerSource.GATEWAY;
      case PROBE_ALWAYS -> true;
    }) {
      return result.withOutcome(ProbeOutcome.ADDRESS_NOT_ADMITTED);
    }
    return credentialsAsked && result.statusCode() == 401 ? result.withOutcome(ProbeOutcome.CREDENTIALS_REQUIRED)
        : result;
  }
}
