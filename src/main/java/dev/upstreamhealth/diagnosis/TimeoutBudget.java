package dev.upstreamhealth.diagnosis;

import dev.upstreamhealth.api.Reason;
import dev.upstreamhealth.api.CdnSpec;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * Timeouts across layers: the upstreams must answer well within the gateway's read timeout (else
 * visitors soon get its 504), and the gateway must give up before the CDN does (else they get the
 * CDN's 524 and no one learns which upstream was slow).
 */
final class TimeoutBudget {
  private TimeoutBudget() {}

  static void assess(Snapshot s, Findings findings) {
    // The upstream probes ask the probe's path: the timeout of the rule that path reaches is theirs.
    Optional<GatewayReadTimeout> forProbePath = GatewayReadTimeout.of(s);
    Optional<Duration> p90 = s.probes().upstreamLatencyP90();
    if (forProbePath.isPresent() && p90.isPresent() && p90.get().compareTo(forProbePath.get().latencyBudget()) > 0) {
      GatewayReadTimeout gateway = forProbePath.get();
      findings.add(Reason.TIMEOUT_BUDGET_TIGHT, "upstream probes take " + seconds(p90.get()) + " (p90 of the last "
          + s.probes().upstreamLatencies().size() + " upstream probes), more than half of the gateway's read timeout of "
          + gateway.seconds() + " (" + gateway.source() + "): a little slower and visitors get the gateway's 504");
    }
    // Any path that waits longer than the CDN has its slow answers end in the CDN's 524.
    Optional<GatewayReadTimeout> longest = GatewayReadTimeout.longestOf(s);
    if (longest.isEmpty()) {
      return;
    }
    GatewayReadTimeout gateway = longest.get();
    int cdnSeconds = cdnReadTimeoutSeconds(s.spec().getCdn());
    if (gateway.value().compareTo(Duration.ofSeconds(cdnSeconds)) > 0) {
      findings.add(Reason.TIMEOUT_BUDGET_TIGHT, "the gateway waits up to " + gateway.seconds() + " for an upstream ("
          + gateway.source() + ") but the CDN gives up after " + cdnSeconds + " s (spec.cdn.readTimeoutSeconds):"
          + " visitors would get the CDN's 524 before the gateway's 504");
    }
  }

  private static int cdnReadTimeoutSeconds(CdnSpec cdn) {
    return cdn == null || cdn.getReadTimeoutSeconds() == null ? new CdnSpec().getReadTimeoutSeconds()
        : cdn.getReadTimeoutSeconds();
  }

  private static String seconds(Duration d) {
    return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
  }
}
