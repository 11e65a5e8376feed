package dev.upstreamhealth.diagnosis;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;

/**
 * Reads the timestamps Kubernetes writes ({@code metav1.Time}: RFC 3339 in UTC to the second,
 * {@code 2026-12-02T16:57:10Z}).
 *
 * <p>Every reconcile reads a few (the Site's creation, its pods' start and readiness), and
 * {@link Instant#parse} goes through a general formatter that cost about 2 % of the operator's CPU
 * at start-up with 10,000 Sites. That one shape is read by hand; any other (fractions, offsets)
 * still goes to {@link Instant#parse}, so what is accepted and what each means stays the same.
 */
public final class KubernetesTimestamps {
  private static final int LENGTH = "2026-12-02T16:57:10Z".length();

  private KubernetesTimestamps() {
  }

  /** The instant, or null when absent or unreadable. */
  public static Instant parse(String timestamp) {
    if (timestamp == null) {
      return null;
    }
    Instant fast = secondsInUtc(timestamp);
    if (fast != null) {
      return fast;
    }
    try {
      return Instant.parse(timestamp);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /** {@code yyyy-MM-ddTHH:mm:ssZ} read by hand; null for anything else (left to the formatter). */
  private static Instant secondsInUtc(String s) {
    if (s.length() != LENGTH || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T'
        || s.charAt(13) != ':' || s.charAt(16) != ':' || s.charAt(19) != 'Z') {
      return null;
    }
    int year = digits(s, 0, 4);
    int month = digits(s, 5, 7);
    int day = digits(s, 8, 10);
    int hour = digits(s, 11, 13);
    int minute = digits(s, 14, 16);
    int second = digits(s, 17, 19);
    // A leap second (":60") and anything out of range go the formatter's way, which knows them.
    if (year < 0 || month < 0 || day < 0 || hour < 0 || hour > 23 || minute < 0 || minute > 59
        || second < 0 || second > 59) {
      return null;
    }
    try {
      long days = LocalDate.of(year, month, day).toEpochDay();
      return Instant.ofEpochSecond(days * 86_400 + hour * 3_600L + minute * 60L + second);
    } catch (DateTimeException e) {
      return null; // 2026-02-30 and the like: the formatter refuses them too
    }
  }

  /** The decimal number in {@code s[from, to)}, or -1 when a character is not an ASCII digit. */
  private static int digits(String s, int from, int to) {
    int value = 0;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }
}
