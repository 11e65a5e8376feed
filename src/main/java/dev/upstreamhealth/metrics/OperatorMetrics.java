package dev.upstreamhealth.metrics;

import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.function.BooleanSupplier;

/**
 * The one Prometheus registry of the process: JVM metrics, JOSDK's reconciliation metrics and the
 * Site metrics, all served by {@link OperatorHttpServer}.
 */
public final class OperatorMetrics implements AutoCloseable {
  static final String LEADING = "upstreamhealth.operator.leading";
  static final String READY = "upstreamhealth.operator.ready";

  private final PrometheusMeterRegistry registry;
  private final JvmGcMetrics gc;
  private final SiteMetrics sites;
  private final MicrometerMetrics reconciliation;

  public OperatorMetrics() {
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new ClassLoaderMetrics().bindTo(registry);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    new FileDescriptorMetrics().bindTo(registry);
    gc = new JvmGcMetrics();
    gc.bindTo(registry);
    sites = new SiteMetrics(registry);
    // Per-resource series would add a label per Site to every JOSDK meter: the Site metrics cover that.
    reconciliation = MicrometerMetrics.withoutPerResourceMetrics(registry);
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  public SiteMetrics sites() {
    return sites;
  }

  /**
   * {@code upstreamhealth_operator_leading}: 1 while this replica is the one that judges the Sites
   * (it holds the Lease, or runs without leader election), 0 while it stands by. A standby answers
   * scrapes too, so only this tells a release whose replicas are all standing by from one at work.
   */
  public void leading(BooleanSupplier leading) {
    Gauge.builder(LEADING, leading, l -> l.getAsBoolean() ? 1 : 0)
        .description("1 while this replica judges the Sites (holds the Lease, or runs without leader election), 0 while it stands by")
        .strongReference(true)
        .register(registry);
  }

  /**
   * {@code upstreamhealth_operator_ready}: 1 while /readyz answers 200, 0 while it answers why not.
   * A replica whose caches cannot fill (a role without a list right, an API version no longer
   * served) keeps each Site at its stored status and fails no reconcile: only this tells it.
   */
  public void ready(BooleanSupplier ready) {
    Gauge.builder(READY, ready, r -> r.getAsBoolean() ? 1 : 0)
        .description("1 while this replica is ready (/readyz), 0 while a cache it judges Sites from has not filled")
        .strongReference(true)
        .register(registry);
  }

  /** For {@code ConfigurationServiceOverrider.withMetrics}: JOSDK's reconciliation counters and timers. */
  public Metrics reconciliation() {
    return reconciliation;
  }

  @Override
  public void close() {
    gc.close();
    registry.close();
  }
}
