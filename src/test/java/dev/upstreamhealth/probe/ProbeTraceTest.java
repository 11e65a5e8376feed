package dev.upstreamhealth.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A trace keeps its phases to the millisecond, the precision the status shows. */
class ProbeTraceTest {

  @Test
  void phasesAreKeptToTheMillisecondAndShareOneInstancePerValue() {
    ProbeTrace one = trace(Duration.ofNanos(1_900_000), Duration.ofMillis(12), null, Duration.ofSeconds(12));
    ProbeTrace two = trace(Duration.ofNanos(1_200_000), Duration.ofNanos(12_999_999), null, Duration.ofSeconds(12));

    assertThat(one.dns()).isEqualTo(Duration.ofMillis(1)).isSameAs(two.dns());
    assertThat(one.connect()).isEqualTo(Duration.ofMillis(12)).isSameAs(two.connect());
    assertThat(one.tls()).isNull();
    // Past ten seconds a phase is still kept to the millisecond, in a Duration of its own.
    assertThat(one.firstByte()).isEqualTo(Duration.ofSeconds(12)).isEqualTo(two.firstByte());
    assertThat(one).isEqualTo(two);
  }

  private static ProbeTrace trace(Duration dns, Duration connect, Duration tls, Duration firstByte) {
    return new ProbeTrace(dns, connect, tls, firstByte, "203.0.113.7:443", null, ProbeTrace.AnswerSource.NOT_APPLICABLE, 0);
  }
}
