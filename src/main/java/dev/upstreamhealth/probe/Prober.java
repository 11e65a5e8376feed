package dev.upstreamhealth.probe;

import java.util.concurrent.CompletableFuture;

/** Makes one probe without blocking the caller; the future always completes, never exceptionally. */
public interface Prober extends AutoCloseable {
  CompletableFuture<ProbeResult> probe(ProbeTarget target);

  @Override
  void close();
}
