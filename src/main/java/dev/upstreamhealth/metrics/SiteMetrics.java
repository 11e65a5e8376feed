package dev.upstreamhealth.metrics;

import dev.upstreamhealth.api.Fault;
import dev.upstreamhealth.api.SiteRef;
import dev.upstreamhealth.probe.ProbeLayer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The per-Site series of SPEC section 5, the probe latency histogram and the count of probe
 * rounds lost to a backlog. Label values come from
 * the status as written (strings), bounded by the enums that define them.
 *
 * <p>A Site's series are one {@link SiteSeries} in one map, turned into samples by one collector
 * at scrape time: about 110 bytes a Site. A Micrometer meter per series cost about 5 KiB a Site
 * (8.6 meters, each with its id, tags, gauge and registry entries), 50 MiB at 10,000 Sites.
 */
public final class SiteMetrics {
  static final String PROBE_DURATION = "upstreamhealth.probe.duration";
  static final String ROUNDS_SKIPPED = "upstreamhealth.probe.rounds.skipped";

  /** Every value of {@code status.fault}: one series each per Site, so a PromQL join never misses. */
  public static final List<String> FAULTS = Stream.of(Fault.values()).map(Fault::code).toList();
  static final Set<String> LAYERS = Stream.of(ProbeLayer.values()).map(ProbeLayer::label)
      .collect(Collectors.toUnmodifiableSet());
  /** More distinct probe results than this go to {@link #OTHER_RESULT}: a guard against label explosion. */
  static final int MAX_RESULTS = 24;
  static final String OTHER_RESULT = "Other";

  private static final Duration[] PROBE_BUCKETS = {
      Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
      Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
      Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30)};

  private final MeterRegistry registry;
  private final Map<SiteRef, SiteSeries> sites = new ConcurrentHashMap<>();
  private final Set<String> results = ConcurrentHashMap.newKeySet();
  private final Map<String, Counter> skippedRounds = new ConcurrentHashMap<>();

  public SiteMetrics(PrometheusMeterRegistry registry) {
    this.registry = registry;
    registry.getPrometheusRegistry().register(new SiteSeriesCollector(sites));
  }

  /**
   * Publishes a Site's verdict: 1 for {@code fault} and 0 for every other fault value, and 1 for
   * each True condition with its reason. Series of conditions no longer True, or True for another
   * reason, disappear so no stale 1 remains.
   *
   * @param fault one of {@link #FAULTS}; anything else is shown as {@code Unknown}
   * @param trueConditionReasons condition type to reason, only for conditions that are True
   */
  public void recordVerdict(SiteRef site, String fault, Map<String, String> trueConditionReasons) {
    String shown = FAULTS.contains(fault) ? fault : Fault.UNKNOWN.code();
    update(site, series -> series.withVerdict(shown, trueConditionReasons));
  }

  /**
   * 1 for the Site's {@code status.reason}, the one series per Site: the reason of an Other or
   * Unknown verdict (UnexpectedStatus, InvalidSpec) is on no True condition, yet alerts need it.
   * Null removes the series.
   */
  public void recordReason(SiteRef site, String reason) {
    update(site, series -> series.withReason(reason));
  }

  /**
   * When the certificate the Site's https origin presented expires (Unix seconds), and how long
   * before that the Site is warned of it ({@code probe.certificateWarningDays}), so the alert
   * follows each Site's own threshold; empty removes both series (an http origin, or no
   * certificate seen yet).
   */
  public void originCertificateExpiry(SiteRef site, Optional<Instant> notAfter, int warningDays) {
    update(site, series -> series.withCertificateExpiry(notAfter, warningDays));
  }

  /**
   * Whether the Site declares maintenance ({@code spec.maintenance.active}): its 503 is then
   * expected, where the same MaintenanceMode shown by its app alone (a 503 with Retry-After, a
   * WordPress left in {@code .maintenance}) may be an outage nobody meant.
   */
  public void maintenanceDeclared(SiteRef site, boolean declared) {
    update(site, series -> series.withMaintenanceDeclared(declared));
  }

  /** Counts a reconcile of the Site that failed with an error (the status then says EvaluationFailed). */
  public void evaluationFailed(SiteRef site) {
    update(site, SiteSeries::withOneMoreEvaluationFailure);
  }

  /** Removes every series of a deleted Site. */
  public void forget(SiteRef site) {
    sites.remove(site);
  }

  /**
   * Records one finished probe.
   *
   * @param layer origin, gateway or upstream
   * @param result how it ended, e.g. {@code Responded} or {@code ConnectionRefused}
   */
  public void probeObserved(String layer, String result, Duration latency) {
    String boundedLayer = LAYERS.contains(layer) ? layer : "unknown";
    Timer.builder(PROBE_DURATION)
        .description("Time from connect to response head (or failure) of the operator's probes")
        .tags("layer", boundedLayer, "result", boundedResult(result))
        .serviceLevelObjectives(PROBE_BUCKETS)
        .register(registry)
        .record(latency);
  }

  /**
   * Counts a probe round skipped because the target's previous probe was still waiting or
   * running: while this grows, faults are found later than the Sites' schedules promise.
   *
   * @param layer origin, gateway or upstream
   */
  public void probeRoundSkipped(String layer) {
    // Looked up once per layer: a backlog skips tens of thousands of rounds a minute.
    skippedRounds.computeIfAbsent(LAYERS.contains(layer) ? layer : "unknown", bounded -> Counter.builder(ROUNDS_SKIPPED)
        .description("Probe rounds skipped because the target's previous probe was still waiting for a slot or running")
        .tags("layer", bounded)
        .register(registry)).increment();
  }

  private String boundedResult(String result) {
    if (result == null || result.isBlank()) {
      return OTHER_RESULT;
    }
    if (results.contains(result)) {
      return result;
    }
    synchronized (results) {
      if (results.size() < MAX_RESULTS) {
        results.add(result);
        return result;
      }
    }
    return OTHER_RESULT;
  }

  /** One atomic step per Site: a scrape sees its series before or after, never half of a change. */
  private void update(SiteRef site, UnaryOperator<SiteSeries> change) {
    sites.compute(site, (key, current) -> {
      SiteSeries next = change.apply(current == null ? SiteSeries.NONE : current);
      return next.isEmpty() ? null : next;
    });
  }
}
