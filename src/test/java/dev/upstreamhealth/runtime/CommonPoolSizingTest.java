package dev.upstreamhealth.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CommonPoolSizingTest {
  @ParameterizedTest
  @ValueSource(ints = {1, 2})
  void oneOrTwoCpusGetTwoSharedThreadsInsteadOfAThreadPerStage(int processors) {
    assertThat(CommonPoolSizing.parallelism(null, processors)).contains("2");
  }

  @ParameterizedTest
  @ValueSource(ints = {3, 4, 64})
  void moreCpusKeepTheJvmsDefault(int processors) {
    assertThat(CommonPoolSizing.parallelism(null, processors)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"1", "8"})
  void aValueTheUserSetIsKept(String userSetting) {
    assertThat(CommonPoolSizing.parallelism(userSetting, 2)).isEmpty();
  }
}
