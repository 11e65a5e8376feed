package dev.upstreamhealth.demo;

import io.fabric8.kubernetes.api.model.Event;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.List;

/** Events on Sites as one line each: time, type, reason, the Site, the message. */
final class EventLines {
  private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

  private EventLines() {}

  /** Oldest first, as they happened. */
  static List<Event> inOrder(List<Event> events) {
    return events.stream().filter(e -> e.getInvolvedObject() != null && "Site".equals(e.getInvolvedObject().getKind()))
        .sorted(Comparator.comparing(EventLines::time).thenComparing(e -> e.getMetadata().getName()))
        .toList();
  }

  static String line(Event e) {
    return String.format("%s %-7s %-22s %s/%s: %s", clock(time(e)), e.getType(), e.getReason(),
        e.getInvolvedObject().getNamespace(), e.getInvolvedObject().getName(), e.getMessage());
  }

  private static String time(Event e) {
    String t = e.getLastTimestamp() != null ? e.getLastTimestamp() : e.getMetadata().getCreationTimestamp();
    return t == null ? "" : t;
  }

  private static String clock(String timestamp) {
    try {
      return CLOCK.format(Instant.parse(timestamp));
    } catch (DateTimeParseException e) {
      return "--:--:--";
    }
  }
}
