package dev.upstreamhealth.metrics;

import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The one Prometheus registry of the process: JVM metrics, JOSDK's reconciliation metrics and the
 * Site metrics, all served by {@link OperatorHttpServer}.
 */
public final class OperatorMetrics implements AutoCloseable {
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
