package dev.upstreamhealth.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Nearest-rank percentiles of measured durations in milliseconds. */
final class Percentiles {
  private final List<Double> samples = new ArrayList<>();

  synchronized void add(double millis) {
    samples.add(millis);
  }

  synchronized int count() {
    return samples.size();
  }

  synchronized double at(double percentile) {
    if (samples.isEmpty()) {
      return Double.NaN;
    }
    List<Double> sorted = new ArrayList<>(samples);
    Collections.sort(sorted);
    int rank = (int) Math.ceil(percentile / 100.0 * sorted.size());
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
  }

  synchronized double max() {
    return samples.isEmpty() ? Double.NaN : Collections.max(samples);
  }
}
