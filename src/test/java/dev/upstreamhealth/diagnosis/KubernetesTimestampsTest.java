package dev.upstreamhealth.diagnosis;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KubernetesTimestampsTest {
  /** What the JDK's formatter makes of it, null where it refuses: the meaning must not change. */
  private static Instant byTheFormatter(String timestamp) {
    try {
      return Instant.parse(timestamp);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "2026-12-02T16:57:10Z", "1970-01-01T00:00:00Z", "2024-02-29T23:59:59Z", "0001-01-01T00:00:00Z",
      "9999-12-31T23:59:59Z", "2026-06-15T08:05:09Z",
      // other shapes the formatter reads: a fraction, an offset, a leap second, 24:00, a small z
      "2026-12-02T16:57:10.123456Z", "2026-12-02T16:57:10+02:00", "2016-12-31T23:59:60Z",
      "2026-12-02T24:00:00Z", "2026-12-02T16:57:10z"})
  void readsWhatTheFormatterReadsAsTheSameInstant(String timestamp) {
    assertThat(KubernetesTimestamps.parse(timestamp)).isNotNull().isEqualTo(byTheFormatter(timestamp));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "2026-02-30T10:00:00Z", "2025-02-29T10:00:00Z", "2026-13-01T10:00:00Z", "2026-00-10T10:00:00Z",
      "2026-12-00T10:00:00Z", "2026-12-02T16:60:10Z", "2026-12-02T16:57:61Z",
      "2026-12-02 16:57:10Z", "2026-1a-02T16:57:10Z", "+026-12-02T16:57:10Z",
      "2026-12-02T16:57:10", "", "yesterday"})
  void refusesWhatTheFormatterRefuses(String timestamp) {
    assertThat(byTheFormatter(timestamp)).isNull();
    assertThat(KubernetesTimestamps.parse(timestamp)).isNull();
  }

  @Test
  void nothingIsNull() {
    assertThat(KubernetesTimestamps.parse(null)).isNull();
  }
}
