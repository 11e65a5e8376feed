package dev.upstreamhealth.status;

import dev.upstreamhealth.api.Site;
import dev.upstreamhealth.api.SiteRef;
import dev.upstreamhealth.api.SiteStatus;
import dev.upstreamhealth.api.Fault;
import dev.upstreamhealth.api.Reason;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one writer of Events on Sites: a Warning when a fault appears or changes (a Normal one for
 * maintenance, which is no alarm), a Normal Recovered when it clears, nothing otherwise. What was last announced per Site is remembered, so
 * a fault that clears by way of "waiting for the first probe" still gets its Recovered, and a
 * reconcile on a cache that does not show its own status patch yet repeats nothing. After a
 * restart the memory starts from the status stored on the Site, so no Event is sent twice.
 * Sent off the reconcile thread, in order. The client retries 5xx and 429 answers by itself; an
 * Event refused otherwise (403 while the operator's Role is rolled out) or for longer is tried
 * again with backoff until it is recorded (the memory already counts it as said), unless a newer
 * one for the same Site is asked for meanwhile: a page must not be lost to a passing refusal.
 */
public final class SiteEvents implements AutoCloseable {
  public static final String RECOVERED = "Recovered";
  private static final String MAINTENANCE = Reason.MAINTENANCE_MODE.reasonName();
  private static final String EVALUATION_FAILED = Reason.EVALUATION_FAILED.reasonName();
  /** A Normal Event: the Site is evaluated again and shows the verdict it showed before the failure. */
  public static final String EVALUATION_RESUMED = "EvaluationResumed";
  private static final String COMPONENT = "upstream-health-operator";
  private static final Logger log = LoggerFactory.getLogger(SiteEvents.class);
  /** Quick tries one after the other, for a blip, before the slow retries. */
  private static final int QUICK_ATTEMPTS = 3;
  private static final Duration QUICK_BACKOFF = Duration.ofMillis(200);
  private static final Duration SLOW_FIRST = Duration.ofSeconds(2);
  private static final Duration SLOW_MAX = Duration.ofMinutes(5);
  /** Room left in an Event name (253) for the Site's name after the unique suffix. */
  private static final int NAME_PREFIX = 200;
  /** Events waiting to be sent: past this (thousands of Sites flapping at once) new ones are dropped and logged. */
  private static final int BACKLOG = 10_000;

  /** A fault that was announced with a Warning and has not been announced as Recovered. */
  public record Alarm(String fault, String reason) {
    static Optional<Alarm> of(SiteStatus status) {
      return status != null && isAlarm(status.getFault(), status.getReason())
          ? Optional.of(new Alarm(status.getFault(), status.getReason())) : Optional.empty();
    }
  }

  /** One Event on its way, built once: its fixed name makes a create that was stored but not answered a 409. */
  private record Outgoing(SiteRef site, long number, Event event, String reason) {}

  private final KubernetesClient client;
  /** Per Site, the alarm last announced (empty once Recovered was sent). */
  private final Map<SiteRef, Optional<Alarm>> announced = new ConcurrentHashMap<>();
  /** Per Site whose failed evaluation was announced, the alarm announced before it. */
  private final Map<SiteRef, Optional<Alarm>> failedAfter = new ConcurrentHashMap<>();
  /** Per Site, the number of the Event last asked for: an older one still unsent is dropped. */
  private final Map<SiteRef, Long> latest = new ConcurrentHashMap<>();
  private final AtomicLong numbers = new AtomicLong();
  private final AtomicInteger waiting = new AtomicInteger();
  private final ScheduledExecutorService sender = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "site-events");
    t.setDaemon(true);
    return t;
  });

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
      // Maintenance is said, not alarmed: the 503 is what the Site declared (or its app did, with
      // Retry-After), and no alert pages on it either.
      EventType type = MAINTENANCE.equals(after.getReason()) ? EventType.NORMAL : EventType.WARNING;
      return Optional.of(new EventNote(type, after.getReason(), label(after.getFault()) + after.getMessage()));
    }
    if (Fault.NONE.code().equals(after.getFault()) && announced.isPresent()) {
      Alarm old = announced.get();
      return Optional.of(new EventNote(EventType.NORMAL, RECOVERED,
          (MAINTENANCE.equals(old.reason()) ? "maintenance over (" + label(old.fault()) + old.reason() + ")"
              : "recovered from " + label(old.fault()) + old.reason()) + "; " + after.getMessage()));
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

  /**
   * The Event a verdict calls for once evaluation works again, given the alarm announced before
   * the failure: the same verdict as before it is no news of the Site (a Normal Event says the
   * Site is evaluated again, not a second Warning for a fault already announced); another is
   * announced as {@link #noteFor} would.
   */
  public static Optional<EventNote> noteAfterFailure(Optional<Alarm> beforeFailure, SiteStatus after) {
    if (!Alarm.of(after).equals(beforeFailure)) {
      return noteFor(beforeFailure, after);
    }
    if (Fault.NONE.code().equals(after.getFault())) {
      return Optional.of(new EventNote(EventType.NORMAL, RECOVERED,
          "recovered from " + EVALUATION_FAILED + "; " + after.getMessage()));
    }
    return Optional.of(new EventNote(EventType.NORMAL, EVALUATION_RESUMED,
        "evaluated again, the verdict as before the failure: " + label(after.getFault()) + after.getReason()
            + "; " + after.getMessage()));
  }

  public record EventNote(EventType type, String reason, String message) {}

  public void record(Site site, SiteStatus before, SiteStatus after) {
    SiteRef key = SiteRef.of(site);
    Optional<Alarm> last = remember(site, before);
    Optional<EventNote> note;
    Optional<Alarm> now;
    if (EVALUATION_FAILED.equals(after.getReason())) {
      note = noteFor(last, after);
      note.ifPresent(n -> failedAfter.put(key, last));
      now = note.isPresent() ? Alarm.of(after) : last;
    } else if (failedAfter.containsKey(key)) {
      Optional<Alarm> beforeFailure = failedAfter.remove(key);
      note = noteAfterFailure(beforeFailure, after);
      now = note.map(n -> Alarm.of(after)).orElse(beforeFailure);
    } else {
      note = noteFor(last, after);
      now = note.isPresent() ? Alarm.of(after) : last;
    }
    announced.put(key, note.filter(n -> RECOVERED.equals(n.reason())).isPresent() ? Optional.empty() : now);
    note.ifPresent(n -> {
      long number = numbers.incrementAndGet();
      latest.put(key, number);
      schedule(new Outgoing(key, number, build(site, n, Instant.now()), n.reason()), Duration.ZERO, 1);
    });
  }

  /**
   * What was announced of the Site, from the status it showed when first met: a reconcile that
   * fails at its first attempt announces nothing yet (a retry 2 s later may well succeed) but
   * must not have the failure it wrote read back as announced.
   */
  public Optional<Alarm> remember(Site site, SiteStatus shown) {
    return announced.computeIfAbsent(SiteRef.of(site), k -> {
      if (shown != null && EVALUATION_FAILED.equals(shown.getReason())) {
        // A failure the process before this one announced: what it announced before the failure
        // is read back from the fault conditions a failed status keeps, so that evaluation working
        // again with the same verdict is not a second Warning for a fault already announced.
        failedAfter.putIfAbsent(k, alarmBeforeFailure(shown));
      }
      return Alarm.of(shown);
    });
  }

  /**
   * The alarm a status written for a failed evaluation kept from before the failure: its outermost
   * True fault condition, as the verdict's fault and reason were. Empty when none is True (the
   * Site was healthy, or its verdict was Other, which only Ready carried).
   */
  static Optional<Alarm> alarmBeforeFailure(SiteStatus failed) {
    if (failed.getConditions() == null) {
      return Optional.empty();
    }
    // Fault's order is the outermost first: 521, 502, 503.
    for (Fault fault : Fault.values()) {
      Optional<Alarm> kept = fault.condition().flatMap(type -> failed.getConditions().stream()
          .filter(c -> type.typeName().equals(c.getType()) && "True".equals(c.getStatus()))
          .findFirst()
          .map(c -> new Alarm(fault.code(), c.getReason())));
      if (kept.isPresent()) {
        return kept;
      }
    }
    return Optional.empty();
  }

  /** A deleted Site's memory goes with it, and so does any Event of it still waiting. */
  public void forget(SiteRef site) {
    announced.remove(site);
    failedAfter.remove(site);
    latest.remove(site);
  }

  private void schedule(Outgoing outgoing, Duration delay, int attempt) {
    if (waiting.incrementAndGet() > BACKLOG) {
      waiting.decrementAndGet();
      log.warn("more than {} Events waiting to be sent: {} for Site {} dropped", BACKLOG, outgoing.reason(),
          outgoing.site());
      return;
    }
    try {
      sender.schedule(() -> {
        waiting.decrementAndGet();
        send(outgoing, attempt);
      }, delay.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException closing) {
      waiting.decrementAndGet(); // shutting down: nobody to tell
    }
  }

  private void send(Outgoing outgoing, int attempt) {
    // Each Event gets its first try, in order. A retry is dropped once a newer Event for the Site
    // has been asked for (a Recovered names the fault it ends), or once the Site is gone.
    if (attempt > 1 && !Long.valueOf(outgoing.number()).equals(latest.get(outgoing.site()))) {
      return;
    }
    try {
      create(outgoing.event());
      latest.remove(outgoing.site(), outgoing.number());
      if (attempt > QUICK_ATTEMPTS) {
        log.info("Event {} for Site {} recorded after {} attempts", outgoing.reason(), outgoing.site(), attempt);
      }
    } catch (RuntimeException e) {
      if (attempt == QUICK_ATTEMPTS) {
        log.warn("Event {} for Site {} not recorded yet, trying again with backoff until it is: {}", outgoing.reason(),
            outgoing.site(), e.getMessage());
      }
      schedule(outgoing, backoff(attempt), attempt + 1);
    }
  }

  /** 200, 400 ms for a blip; then 2 s, doubling, up to every 5 minutes. */
  static Duration backoff(int attempt) {
    if (attempt < QUICK_ATTEMPTS) {
      return QUICK_BACKOFF.multipliedBy(1L << (attempt - 1));
    }
    int doublings = Math.min(attempt - QUICK_ATTEMPTS, 10);
    Duration slow = SLOW_FIRST.multipliedBy(1L << doublings);
    return slow.compareTo(SLOW_MAX) > 0 ? SLOW_MAX : slow;
  }

  private void create(Event event) {
    try {
      client.v1().events().inNamespace(event.getMetadata().getNamespace()).resource(event).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
        throw e;
      } // an earlier try was stored and its answer lost: recorded once, as it should be
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
