package dev.upstreamhealth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.upstreamhealth.api.Reason;
import org.junit.jupiter.api.Test;

class ReasonsCommandTest {
  @Test
  void listsEveryReasonOnceInPrecedenceOrderWithItsConditionAndFault() {
    String[] lines = ReasonsCommand.catalogue().split("\n");
    assertThat(lines).hasSize(Reason.values().length + 1);
    assertThat(lines[0].split("\\s+")).containsExactly("CONDITION", "FAULT", "REASON", "WHEN");
    for (int i = 0; i < Reason.values().length; i++) {
      Reason reason = Reason.values()[i];
      String[] columns = lines[i + 1].split("\\s+", 4);
      assertThat(columns).as(lines[i + 1]).startsWith(reason.condition().typeName(), reason.fault().code(),
          reason.reasonName(), reason.meaning());
    }
    assertThat(String.join("\n", lines)).contains("Ready                Unknown  InvalidSpec",
        "OriginDown           521      NoOriginAddress", "Degraded             None     TimeoutBudgetTight");
  }
}
