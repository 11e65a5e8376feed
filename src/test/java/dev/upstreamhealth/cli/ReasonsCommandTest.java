package dev.upstreamhealth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.upstreamhealth.diagnosis.Reason;
import org.junit.jupiter.api.Test;

class ReasonsCommandTest {
  @Test
  void listsEveryReasonOnceInPrecedenceOrderWithItsConditionAndFault() {
    String[] lines = ReasonsCommand.catalogue().split("\n");
    assertThat(lines).hasSize(Reason.values().length + 1);
    assertThat(lines[1]).startsWith("OriginDown").contains("521", "NoOriginAddress");
    assertThat(lines[lines.length - 1]).startsWith("Degraded").contains("None", "PartialUpstreamFailure");
    assertThat(String.join("\n", lines)).contains("Ready                Unknown  InvalidSpec");
  }
}
