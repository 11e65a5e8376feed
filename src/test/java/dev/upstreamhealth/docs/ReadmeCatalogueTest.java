package dev.upstreamhealth.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.upstreamhealth.api.Evidence;
import dev.upstreamhealth.api.Reason;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The README's fault catalogue is the code's: every reason, in precedence order, under its condition. */
class ReadmeCatalogueTest {
  private static final Pattern ROW = Pattern.compile("(?m)^\\| (\\w+) \\(([^)]*)\\) \\| `(\\w+)` \\| ([^|]+) \\|");
  private static final Pattern DEGRADED_ROW = Pattern.compile("(?m)^\\| (Degraded) \\| `(\\w+)` \\| ([^|]+) \\|");

  record Row(String condition, String reason, String evidence) {}

  @Test
  void everyReasonIsListedInPrecedenceOrderWithItsConditionAndEvidence() throws IOException {
    String readme = Files.readString(Path.of("README.md"));
    List<Row> rows = new java.util.ArrayList<>();
    Matcher m = ROW.matcher(readme);
    while (m.find()) {
      rows.add(new Row(m.group(1), m.group(3), m.group(4).strip()));
    }
    Matcher d = DEGRADED_ROW.matcher(readme);
    while (d.find()) {
      rows.add(new Row(d.group(1), d.group(2), d.group(3).strip()));
    }

    assertThat(rows).extracting(Row::reason)
        .containsExactlyElementsOf(Arrays.stream(Reason.values()).map(Reason::reasonName).toList());
    for (Reason reason : Reason.values()) {
      Row row = rows.stream().filter(r -> r.reason().equals(reason.reasonName())).findFirst().orElseThrow();
      assertThat(row.condition()).as(reason.reasonName()).isEqualTo(reason.condition().typeName());
      assertThat(row.evidence()).as(reason.reasonName()).contains(word(reason.evidence()));
    }
  }

  private static String word(Evidence evidence) {
    return evidence == Evidence.CLUSTER_STATE ? "state" : evidence.name().toLowerCase(Locale.ROOT);
  }
}
