package dev.upstreamhealth.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** probe.expectedStatus: what it accepts, and what it refuses with a message that says what to fix. */
class StatusRangesTest {

  @Test
  void codesAndRangesAreReadWithSpacesAroundThem() {
    StatusRanges ranges = StatusRanges.parse(" 200-299 , 301,418 ");
    assertThat(ranges.contains(200)).isTrue();
    assertThat(ranges.contains(299)).isTrue();
    assertThat(ranges.contains(301)).isTrue();
    assertThat(ranges.contains(418)).isTrue();
    assertThat(ranges.contains(300)).isFalse();
    assertThat(ranges.contains(199)).isFalse();
    assertThat(ranges.contains(503)).isFalse();
    assertThat(ranges).hasToString("200-299 , 301,418");
  }

  @Test
  void theDefaultTakesSuccessesAndRedirects() {
    assertThat(StatusRanges.DEFAULT.contains(200)).isTrue();
    assertThat(StatusRanges.DEFAULT.contains(399)).isTrue();
    assertThat(StatusRanges.DEFAULT.contains(400)).isFalse();
    assertThat(StatusRanges.parse("200-399")).isEqualTo(StatusRanges.DEFAULT);
  }

  @ParameterizedTest
  @ValueSource(strings = {"099", "600", "20", "2000", "abc", "2x0", "+20", "２００", "٢٠٠"})
  void anythingButThreeAsciiDigitsFrom100To599IsNoStatus(String code) {
    assertThatThrownBy(() -> StatusRanges.parse("200," + code))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("\"" + code + "\" is not an HTTP status between 100 and 599")
        .hasMessageContaining("probe.expectedStatus \"200," + code + "\" is invalid");
  }

  @ParameterizedTest
  @ValueSource(strings = {"200,", "200-", "-200", "200-300-400", ",", "200,,301"})
  void emptyOrMalformedPartsAreRefused(String text) {
    assertThatThrownBy(() -> StatusRanges.parse(text)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("probe.expectedStatus \"" + text + "\" is invalid");
  }

  @Test
  void aRangeThatEndsBeforeItStartsIsRefused() {
    assertThatThrownBy(() -> StatusRanges.parse("399-200"))
        .hasMessageContaining("range 399-200 ends before it starts");
  }

  @Test
  void nothingAtAllIsRefused() {
    assertThatThrownBy(() -> StatusRanges.parse(" ")).hasMessageContaining("probe.expectedStatus is empty");
    assertThatThrownBy(() -> StatusRanges.parse(null)).hasMessageContaining("probe.expectedStatus is empty");
  }
}
