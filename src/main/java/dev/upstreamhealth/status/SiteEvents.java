package dev.upstreamhealth.status;

import dev.upstreamhealth.api.Site;
import dev.upstreamhealth.api.SiteStatus;
import dev.upstreamhealth.diagnosis.Fault;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one writer of Events on Sites: a Warning when a fault appears or changes, a Normal
 * Recovered when it clears, nothing otherwise. Transitions are read from the status already
 * stored on the Site, so a restarted operator does not repeat an Event it recorded before.
 * Sent off the reconcile thread, retried with backoff.
 */
public final class SiteEvents implements AutoCloseable {
  public static final String RECOVERED = "Recovered";
  private static final String COMPONENT = "upstream-health-operator";
  private static final Logger log = LoggerFactory.getLogger(SiteEvents.class);
  private static final int ATTEMPTS = 5;

  private final KubernetesClient client;
  /** The last Event sent per Site: a reconcile that runs on a cache not yet showing its own status patch must not repeat it. */
  private final java.util.Map<String, String> lastSent = new java.util.concurrent.ConcurrentHashMap<>();
  private final ExecutorService sender = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "site-events");
    t.setDaemon(true);
    return t;
  });

  public SiteEvents(KubernetesClient client) {
    this.client = client;
  }

  /** The Event a status change calls for, if any: pure, so it can be tested on its own. */
  public static Optional<EventNote> noteFor(SiteStatus before, SiteStatus after) {
    String oldFault = before == null ? null : before.getFault();
    String oldReason = before == null ? null : before.getReason();
    boolean alarmBefore = isAlarm(oldFault, oldReason);
    if (isAlarm(after.getFault(), after.getReason())
        && (!Objects.equals(after.getFault(), oldFault) || !Objects.equals(after.getReason(), oldReason))) {
      return Optional.of(new EventNote("Warning", after.getReason(), label(after.getFault()) + after.getMessage()));
    }
    if (Fault.NONE.code().equals(after.getFault()) && alarmBefore) {
      return Optional.of(new EventNote("Normal", RECOVERED,
          "recovered from " + label(oldFault) + oldReason + "; " + after.getMessage()));
    }
    return Optional.empty();
  }

  /** 521/502/503, Other and an invalid spec deserve an Event; waiting for a first probe does not. */
  private static boolean isAlarm(String fault, String reason) {
    if (fault == null) {
      return false;
    }
    return Fault.UNKNOWN.code().equals(fault) ? "InvalidSpec".equals(reason) : !Fault.NONE.code().equals(fault);
  }

  private static String label(String fault) {
    return fault != null && fault.matches("\\d+") ? fault + "-style fault: " : "";
  }

  public record EventNote(String type, String reason, String message) {}

  public void record(Site site, SiteStatus before, SiteStatus after) {
    String key = site.getMetadata().getNamespace() + "/" + site.getMetadata().getName();
    noteFor(before, after)
        .filter(note -> !(note.type() + " " + note.reason()).equals(lastSent.put(key, note.type() + " " + note.reason())))
        .ifPresent(n -> sender.execute(() -> send(site, n)));
  }

  /** A deleted Site's memory goes with it. */
  public void forget(String namespace, String name) {
    lastSent.remove(namespace + "/" + name);
  }

  private void send(Site site, EventNote note) {
    Event event = build(site, note, Instant.now());
    Duration backoff = Duration.ofMillis(200);
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      try {
        client.v1().events().inNamespace(site.getMetadata().getNamespace()).resource(event).create();
        return;
      } catch (RuntimeException e) {
        if (attempt == ATTEMPTS) {
          log.warn("Event {} for Site {}/{} not recorded after {} attempts: {}", note.reason(),
              site.getMetadata().getNamespace(), site.getMetadata().getName(), ATTEMPTS, e.getMessage());
          return;
        }
        sleepQuietly(backoff);
        backoff = backoff.multipliedBy(2);
      }
    }
  }

  static Event build(Site site, EventNote note, Instant now) {
    String time = StatusBuilder.timestamp(now);
    return new EventBuilder()
        .withNewMetadata()
          .withNamespace(site.getMetadata().getNamespace())
          .withName(site.getMetadata().getName() + "." + Long.toHexString(now.toEpochMilli()) + Long.toHexString(System.nanoTime() & 0xfff))
        .endMetadata()
        .withNewInvolvedObject()
          .withApiVersion(site.getApiVersion())
          .withKind(site.getKind())
          .withNamespace(site.getMetadata().getNamespace())
          .withName(site.getMetadata().getName())
          .withUid(site.getMetadata().getUid())
          .withResourceVersion(site.getMetadata().getResourceVersion())
        .endInvolvedObject()
        .withType(note.type())
        .withReason(note.reason())
        .withMessage(note.message())
        .withFirstTimestamp(time)
        .withLastTimestamp(time)
        .withCount(1)
        .withNewSource().withComponent(COMPONENT).endSource()
        .withReportingComponent(COMPONENT)
        .build();
  }

  private static void sleepQuietly(Duration d) {
    try {
      TimeUnit.MILLISECONDS.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    sender.shutdown();
    try {
      sender.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
