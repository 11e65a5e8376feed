package dev.upstreamhealth.status;

import dev.upstreamhealth.api.Site;
import dev.upstreamhealth.api.SiteRef;
import dev.upstreamhealth.api.SiteStatus;
import dev.upstreamhealth.api.Fault;
import dev.upstreamhealth.api.Reason;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one writer of Events on Sites: a Warning when a fault appears or changes, a Normal
 * Recovered when it clears, nothing otherwise. What was last announced per Site is remembered, so
 * a fault that clears by way of "waiting for the first probe" still gets its Recovered, and a
 * reconcile on a cache that does not show its own status patch yet repeats nothing. After a
 * restart the memory starts from the status stored on the Site, so no Event is sent twice.
 * Sent off the reconcile thread, retried with backoff.
 */
public final class SiteEvents implements AutoCloseable {
  public static final String RECOVERED = "Recovered";
  private static final String COMPONENT = "upstream-health-operator";
  private static final Logger log = LoggerFactory.getLogger(SiteEvents.class);
  private static final int ATTEMPTS = 5;
  /** Room left in an Event name (253) for the Site's name after the unique suffix. */
  private static final int NAME_PREFIX = 200;

  /** A fault that was announced with a Warning and has not been announced as Recovered. */
  public record Alarm(String fault, String reason) {
    static Optional<Alarm> of(SiteStatus status) {
      return status != null && isAlarm(status.getFault(), status.getReason())
          ? Optional.of(new Alarm(status.getFault(), status.getReason())) : Optional.empty();
    }
  }

  private final KubernetesClient client;
  /** Per Site, the alarm last announced (empty once Recovered was sent). */
  private final Map<SiteRef, Optional<Alarm>> announced = new ConcurrentHashMap<>();
  /** Events waiting to be sent: past this (thousands of Sites flapping at once) new ones are dropped and logged. */
  private static final int BACKLOG = 10_000;

  private final ExecutorService sender = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
      new ArrayBlockingQueue<>(BACKLOG), r -> {
        Thread t = new Thread(r, "site-events");
        t.setDaemon(true);
        return t;
      }, (dropped, pool) -> log.warn("more than {} Events waiting to be sent: one dropped", BACKLOG));

  public SiteEvents(KubernetesClient client) {
    this.client = client;
  }

  /**
   * The Event the new status calls for, given the alarm last announced: pure, so it can be tested
   * on its own. Waiting for a first probe (Unknown) neither announces nor clears anything.
   */
  public static Optional<EventNote> noteFor(Optional<Alarm> announced, SiteStatus after) {
    Optional<Alarm> now = Alarm.of(after);
    if (now.isPresent() && !now.equals(announced)) {
      return Optional.of(new EventNote(EventType.WARNING, after.getReason(), label(after.getFault()) + after.getMessage()));
    }
    if (Fault.NONE.code().equals(after.getFault()) && announced.isPresent()) {
      Alarm old = announced.get();
      return Optional.of(new EventNote(EventType.NORMAL, RECOVERED,
          "recovered from " + label(old.fault()) + old.reason() + "; " + after.getMessage()));
    }
    return Optional.empty();
  }

  /**
   * 521/502/503, Other, and an Unknown that no waiting ends (an invalid spec, a cluster without the
   * Gateway API, a failed evaluation) deserve an Event; waiting (for a first probe, for the caches
   * to sync) does not.
   */
  private static boolean isAlarm(String fault, String reason) {
    if (fault == null) {
      return false;
    }
    return Fault.UNKNOWN.code().equals(fault)
        ? reason != null && !Reason.AWAITING_FIRST_PROBE.reasonName().equals(reason)
            && !Reason.CACHES_NOT_SYNCED.reasonName().equals(reason)
        : !Fault.NONE.code().equals(fault);
  }

  private static String label(String fault) {
    return fault != null && fault.matches("\\d+") ? fault + "-style fault: " : "";
  }

  public record EventNote(EventType type, String reason, String message) {}

  public void record(Site site, SiteStatus before, SiteStatus after) {
    SiteRef key = SiteRef.of(site);
    Optional<Alarm> last = announced.computeIfAbsent(key, k -> Alarm.of(before));
    noteFor(last, after).ifPresent(note -> {
      announced.put(key, RECOVERED.equals(note.reason()) ? Optional.empty() : Alarm.of(after));
      sender.execute(() -> send(site, note));
    });
  }

  /** A deleted Site's memory goes with it. */
  public void forget(SiteRef site) {
    announced.remove(site);
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
          log.warn("Event {} for Site {} not recorded after {} attempts: {}", note.reason(), SiteRef.of(site),
              ATTEMPTS, e.getMessage());
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
          .withName(prefix(site.getMetadata().getName()) + "." + Long.toHexString(now.toEpochMilli())
              + Long.toHexString(System.nanoTime() & 0xfff))
        .endMetadata()
        .withNewInvolvedObject()
          .withApiVersion(site.getApiVersion())
          .withKind(site.getKind())
          .withNamespace(site.getMetadata().getNamespace())
          .withName(site.getMetadata().getName())
          .withUid(site.getMetadata().getUid())
          .withResourceVersion(site.getMetadata().getResourceVersion())
        .endInvolvedObject()
        .withType(note.type().text())
        .withReason(note.reason())
        .withMessage(note.message())
        .withFirstTimestamp(time)
        .withLastTimestamp(time)
        .withCount(1)
        .withNewSource().withComponent(COMPONENT).endSource()
        .withReportingComponent(COMPONENT)
        .build();
  }

  private static String prefix(String name) {
    return name.length() <= NAME_PREFIX ? name : name.substring(0, NAME_PREFIX);
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
