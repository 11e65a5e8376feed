package dev.upstreamhealth.metrics;

import dev.upstreamhealth.api.SiteRef;
import dev.upstreamhealth.api.Fault;
import dev.upstreamhealth.probe.ProbeLayer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The per-Site series of SPEC section 5 and the probe latency histogram. Label values come from
 * the status as written (strings), bounded by the enums that define them.
 */
public final class SiteMetrics {
  static final String FAULT = "upstreamhealth.site.fault";
  static final String CONDITION = "upstreamhealth.site.condition";
  static final String PROBE_DURATION = "upstreamhealth.probe.duration";
  static final String CERTIFICATE_EXPIRY = "upstreamhealth.origin.certificate.expiry.timestamp.seconds";
  static final String REASON = "upstreamhealth.site.reason";
  static final String EVALUATION_FAILURES = "upstreamhealth.site.evaluation.failures";

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
  private final Map<SiteRef, CertificateSeries> certificates = new ConcurrentHashMap<>();
  private final Map<SiteRef, ConditionSeries> reasons = new ConcurrentHashMap<>();

  public SiteMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /**
   * Publishes a Site's verdict: 1 for {@code fault} and 0 for every other fault value, and 1 for
   * each True condition with its reason. Series of conditions no longer True, or True for another
   * reason, are removed so no stale 1 remains.
   *
   * @param fault one of {@link #FAULTS}; anything else is shown as {@code Unknown}
   * @param trueConditionReasons condition type to reason, only for conditions that are True
   */
  public void recordVerdict(SiteRef site, String fault, Map<String, String> trueConditionReasons) {
    String shown = FAULTS.contains(fault) ? fault : Fault.UNKNOWN.code();
    SiteSeries series = sites.computeIfAbsent(site, this::register);
    synchronized (series) {
      series.faults.forEach((value, gauge) -> gauge.value.set(value.equals(shown) ? 1 : 0));
      Map<String, String> wanted = Map.copyOf(trueConditionReasons);
      series.conditions.entrySet().removeIf(e -> {
        boolean stale = !e.getValue().reason.equals(wanted.get(e.getKey()));
        if (stale) {
          registry.remove(e.getValue().gauge);
        }
        return stale;
      });
      wanted.forEach((type, reason) -> series.conditions.computeIfAbsent(type,
          t -> new ConditionSeries(reason, gauge(CONDITION, "1 while the Site's condition is True, for its reason",
              new AtomicInteger(1), "namespace", site.namespace(), "site", site.name(), "type", t, "reason", reason))));
    }
  }

  /**
   * 1 for the Site's {@code status.reason}, the one series per Site: the reason of an Other or
   * Unknown verdict (UnexpectedStatus, InvalidSpec) is on no True condition, yet alerts need it.
   */
  public void recordReason(SiteRef site, String reason) {
    reasons.compute(site, (i, current) -> {
      if (current != null && current.reason().equals(reason)) {
        return current;
      }
      if (current != null) {
        registry.remove(current.gauge());
      }
      return reason == null ? null : new ConditionSeries(reason, gauge(REASON,
          "1 for the Site's status.reason: the reason of its verdict", new AtomicInteger(1),
          "namespace", site.namespace(), "site", site.name(), "reason", reason));
    });
  }

  /**
   * When the certificate the Site's https origin presented expires (Unix seconds); empty removes
   * the series (an http origin, or no certificate seen yet).
   */
  public void originCertificateExpiry(SiteRef site, Optional<Instant> notAfter) {
    if (notAfter.isEmpty()) {
      CertificateSeries gone = certificates.remove(site);
      if (gone != null) {
        registry.remove(gone.gauge());
      }
      return;
    }
    certificates.computeIfAbsent(site, s -> {
      AtomicLong value = new AtomicLong();
      Gauge gauge = Gauge.builder(CERTIFICATE_EXPIRY, value, AtomicLong::get)
          .description("When the certificate the Site's origin presents expires, Unix time in seconds")
          .tags("namespace", site.namespace(), "site", site.name()).strongReference(true).register(registry);
      return new CertificateSeries(gauge, value);
    }).value().set(notAfter.get().getEpochSecond());
  }

  /** Counts a reconcile of the Site that failed with an error (the status then says EvaluationFailed). */
  public void evaluationFailed(SiteRef site) {
    Counter.builder(EVALUATION_FAILURES)
        .description("Reconciles of the Site that failed with an error instead of a verdict")
        .tags("namespace", site.namespace(), "site", site.name())
        .register(registry)
        .increment();
  }

  /** Removes every series of a deleted Site. */
  public void forget(SiteRef site) {
    originCertificateExpiry(site, Optional.empty());
    recordReason(site, null);
    registry.find(EVALUATION_FAILURES).tags("namespace", site.namespace(), "site", site.name()).meters()
        .forEach(registry::remove);
    SiteSeries series = sites.remove(site);
    if (series == null) {
      return;
    }
    synchronized (series) {
      series.faults.values().forEach(g -> registry.remove(g.gauge));
      series.conditions.values().forEach(c -> registry.remove(c.gauge));
      series.conditions.clear();
    }
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

  private SiteSeries register(SiteRef site) {
    Map<String, GaugeSeries> faults = new HashMap<>();
    for (String value : FAULTS) {
      faults.put(value, gauge(FAULT, "1 for the error a visitor would get through the CDN now, 0 for the others",
          new AtomicInteger(0), "namespace", site.namespace(), "site", site.name(), "fault", value));
    }
    return new SiteSeries(Map.copyOf(faults), new HashMap<>());
  }

  private GaugeSeries gauge(String name, String help, AtomicInteger value, String... tags) {
    Gauge gauge = Gauge.builder(name, value, AtomicInteger::get).description(help).tags(tags).strongReference(true)
        .register(registry);
    return new GaugeSeries(gauge, value);
  }

  private record GaugeSeries(Gauge gauge, AtomicInteger value) {}

  private record CertificateSeries(Gauge gauge, AtomicLong value) {}

  private record ConditionSeries(String reason, Gauge gauge) {
    ConditionSeries(String reason, GaugeSeries series) {
      this(reason, series.gauge());
    }
  }

  private record SiteSeries(Map<String, GaugeSeries> faults, Map<String, ConditionSeries> conditions) {}
}
