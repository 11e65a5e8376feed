package dev.upstreamhealth.demo;

import dev.upstreamhealth.api.Site;
import dev.upstreamhealth.api.SiteRef;
import dev.upstreamhealth.api.ConditionStatus;
import dev.upstreamhealth.api.ConditionType;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The Sites as a text table, one line each, cut to the terminal's width. */
public final class StatusTable {
  private static final List<String> HEADER = List.of("NAMESPACE/NAME", "HOST", "FAULT", "REASON", "MESSAGE");

  private StatusTable() {}

  public static String render(List<Site> sites, int width) {
    List<List<String>> rows = new ArrayList<>();
    rows.add(HEADER);
    sites.stream()
        .sorted(Comparator.comparing((Site s) -> s.getMetadata().getNamespace()).thenComparing(s -> s.getMetadata().getName()))
        .forEach(s -> rows.add(row(s)));
    int[] widths = new int[HEADER.size() - 1];
    for (List<String> row : rows) {
      for (int i = 0; i < widths.length; i++) {
        widths[i] = Math.max(widths[i], row.get(i).length());
      }
    }
    StringBuilder out = new StringBuilder();
    for (List<String> row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < widths.length; i++) {
        line.append(String.format("%-" + widths[i] + "s   ", row.get(i)));
      }
      line.append(row.get(widths.length));
      out.append(cut(line.toString(), width)).append('\n');
    }
    return out.toString();
  }

  private static List<String> row(Site site) {
    var status = site.getStatus();
    String fault = status == null || status.getFault() == null ? "-" : status.getFault();
    String reason = status == null || status.getReason() == null ? "-" : status.getReason();
    String message = status == null || status.getMessage() == null ? "(no status yet)" : status.getMessage();
    Condition degraded = status == null ? null : status.getConditions().stream()
        .filter(c -> ConditionType.DEGRADED.typeName().equals(c.getType()) && ConditionStatus.TRUE.text().equals(c.getStatus()))
        .findFirst().orElse(null);
    if (degraded != null) {
      // Fault None hides a partial failure; the Degraded condition is what shows it.
      reason = reason + "+" + degraded.getReason();
      message = "Degraded: " + degraded.getMessage();
    }
    return List.of(SiteRef.of(site).toString(),
        String.valueOf(site.getSpec().getHost()), fault, reason, message.replace('\n', ' '));
  }

  static String cut(String line, int width) {
    if (width <= 1 || line.length() <= width) {
      return line;
    }
    return line.substring(0, width - 1) + "…";
  }
}
