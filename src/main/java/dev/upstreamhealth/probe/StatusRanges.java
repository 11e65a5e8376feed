package dev.upstreamhealth.probe;

import java.util.ArrayList;
import java.util.List;

/** The HTTP statuses a Site counts as healthy, parsed from {@code probe.expectedStatus}. */
public final class StatusRanges {
  private record Range(int from, int to) {}

  private final List<Range> ranges;
  private final String text;

  private StatusRanges(List<Range> ranges, String text) {
    this.ranges = List.copyOf(ranges);
    this.text = text;
  }

  public static final StatusRanges DEFAULT = parse("200-399");

  /**
   * Parses "200-399", "200-299,301", "204".
   *
   * @throws IllegalArgumentException with a message that says what to fix
   */
  public static StatusRanges parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("probe.expectedStatus is empty; use codes and ranges such as \"200-399\"");
    }
    List<Range> ranges = new ArrayList<>();
    for (String part : text.split(",", -1)) {
      String item = part.strip();
      String[] bounds = item.split("-", -1);
      if (item.isEmpty() || bounds.length > 2) {
        throw invalid(text, "\"" + item + "\" is not a code or a range");
      }
      int from = code(text, bounds[0]);
      int to = bounds.length == 2 ? code(text, bounds[1]) : from;
      if (to < from) {
        throw invalid(text, "range " + item + " ends before it starts");
      }
      ranges.add(new Range(from, to));
    }
    return new StatusRanges(ranges, text.strip());
  }

  /** Three digits, the first 1 to 5. Checked by hand: a Site's spec is parsed on every reconcile. */
  private static int code(String text, String raw) {
    String s = raw.strip();
    boolean valid = s.length() == 3 && s.charAt(0) >= '1' && s.charAt(0) <= '5'
        && isDigit(s.charAt(1)) && isDigit(s.charAt(2));
    if (!valid) {
      throw invalid(text, "\"" + s + "\" is not an HTTP status between 100 and 599");
    }
    return Integer.parseInt(s);
  }

  /** ASCII only: {@link Character#isDigit} also takes other scripts' digits, which are no status. */
  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static IllegalArgumentException invalid(String text, String why) {
    return new IllegalArgumentException(
        "probe.expectedStatus \"" + text + "\" is invalid: " + why + "; use codes and ranges such as \"200-299,301\"");
  }

  public boolean contains(int status) {
    for (Range r : ranges) {
      if (status >= r.from && status <= r.to) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return text;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StatusRanges other && ranges.equals(other.ranges);
  }

  @Override
  public int hashCode() {
    return ranges.hashCode();
  }
}
