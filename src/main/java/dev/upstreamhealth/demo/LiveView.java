package dev.upstreamhealth.demo;

import dev.upstreamhealth.api.Site;
import dev.upstreamhealth.diagnosis.ObjectKey;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.PrintStream;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Polls the API server every 250 ms and redraws when something changed: the Sites table, then
 * what the timeline did and the Events that followed. On a terminal the screen is cleared and
 * redrawn; otherwise snapshots and lines are appended, so a log reads as a story.
 */
final class LiveView implements AutoCloseable {
  private static final long POLL_MILLIS = 250;
  private static final int RECENT_LINES = 16;
  private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

  private final KubernetesClient client;
  private final PrintStream out;
  private final boolean interactive;
  private final String banner;
  private final Thread thread;
  private final ConcurrentLinkedQueue<String> told = new ConcurrentLinkedQueue<>();
  private final Set<String> seenEvents = new HashSet<>();
  private final Deque<String> recent = new ArrayDeque<>();
  private String lastTable = "";
  private volatile boolean running = true;

  LiveView(KubernetesClient client, PrintStream out, boolean interactive, String banner) {
    this.client = client;
    this.out = out;
    this.interactive = interactive;
    this.banner = banner;
    this.thread = new Thread(this::run, "demo-live-view");
    thread.setDaemon(true);
  }

  void start() {
    if (!interactive) {
      out.print(banner);
    }
    thread.start();
  }

  /** A line from the timeline, shown with the next redraw. */
  void tell(String line) {
    told.add(LocalTime.now().format(CLOCK) + " >>> " + line);
  }

  private void run() {
    while (running) {
      try {
        refresh();
      } catch (KubernetesClientException e) {
        // The API server is going away (Ctrl-C) or busy: show what we have, try again.
        if (!running) {
          return;
        }
      }
      try {
        Thread.sleep(POLL_MILLIS);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void refresh() {
    List<Site> sites = client.resources(Site.class).inAnyNamespace().list().getItems();
    List<Event> events = EventLines.inOrder(client.v1().events().inAnyNamespace().list().getItems());
    String table = StatusTable.render(sites, Terminal.width());
    boolean tableChanged = !table.equals(lastTable);
    lastTable = table;
    List<String> fresh = new ArrayList<>();
    for (String line; (line = told.poll()) != null; ) {
      fresh.add(line);
    }
    for (Event e : events) {
      if (seenEvents.add(ObjectKey.of(e))) {
        fresh.add(EventLines.line(e));
      }
    }
    if (!tableChanged && fresh.isEmpty()) {
      return;
    }
    int width = Terminal.width();
    if (interactive) {
      fresh.forEach(this::remember);
      StringBuilder screen = new StringBuilder(Terminal.CLEAR).append(banner).append('\n').append(table).append('\n');
      recent.forEach(l -> screen.append(StatusTable.cut(l, width)).append('\n'));
      out.print(screen);
    } else {
      if (tableChanged) {
        out.print("\n--- " + LocalTime.now().format(CLOCK) + "\n" + table);
      }
      fresh.forEach(l -> out.println(StatusTable.cut(l, width)));
    }
    out.flush();
  }

  private void remember(String line) {
    recent.addLast(line);
    while (recent.size() > RECENT_LINES) {
      recent.removeFirst();
    }
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
    try {
      thread.join(2_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
