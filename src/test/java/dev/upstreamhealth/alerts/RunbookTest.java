package dev.upstreamhealth.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.upstreamhealth.api.Reason;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The runbook_url of every alert lands on a section: one per reason of the catalogue, one per alert. */
class RunbookTest {
  private static final Pattern HEADING = Pattern.compile("(?m)^#{2,3} (\\S+)\\s*$");

  @Test
  void everyReasonAndAlertHasAnAnchor() throws IOException {
    Set<String> anchors = anchors(Files.readString(Path.of("docs", "runbook.md")));

    assertThat(anchors).containsAll(Arrays.stream(Reason.values()).map(r -> r.reasonName().toLowerCase()).toList());
    assertThat(anchors).containsAll(AlertRulesTest.ALERTS.stream().map(String::toLowerCase).toList());
    // Site alerts without a reason label link to the condition's section.
    assertThat(anchors).contains("origindown", "badgateway", "serviceunavailable");
  }

  /** GitHub's anchor of a one-word heading is the word in lower case. */
  private static Set<String> anchors(String markdown) {
    Matcher m = HEADING.matcher(markdown);
    return m.results().map(r -> r.group(1).toLowerCase()).collect(Collectors.toSet());
  }
}
