package dev.upstreamhealth.status;

import dev.upstreamhealth.api.Site;
import dev.upstreamhealth.api.SiteRef;
import dev.upstreamhealth.api.SiteStatus;
import dev.upstreamhealth.api.Fault;
import dev.upstreamhealth.api.Reason;
import dev.upstreamhealth.status.SiteEventQueue.Outgoing;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.RequestConfigBuilder;
import java.net.HttpURLConnection;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one writer of Events on Sites: a Warning when a fault appears or changes (a Normal one for
 * maintenance, which is no alarm), a Normal Recovered when it clears, nothing otherwise. What was last announced per Site is remembered, so
 * a fault that clears by way of "waiting for the first probe" still gets its Recovered, and a
 * reconcile on a cache that does not show its own status patch yet repeats nothing. After a
 * restart the memory starts from the status stored on the Site, so no Event is sent twice.
 * Sent off the reconcile thread by {@link SiteEventQueue}, in order per Site: a refused Event (403
 * while the operator's Role is rolled out, 429 from the namespace's rate limit, a 5xx) is tried
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
  /** Room left in an Event name (253) for the Site's name after the unique suffix. */
  private static final int NAME_PREFIX = 200;
  /**
   * Creates in flight at once: one slow or refusing answer holds up one sender, not every Event,
   * and 10,000 Sites changing at once are told in seconds, not minutes.
   */
  private static final int SENDERS = 4;
  /**
   * How long stopping waits for the Events on their way, before the Lease is handed over: within
   * the pod's 30 s grace period with the 10 s the reconciles in flight are given.
   */
  private static final Duration DRAIN = Duration.ofSeconds(15);

  /** A fault that was announced with a Warning and has not been announced as Recovered. */
  public record Alarm(String fault, String reason) {
    static Optional<Alarm> of(SiteStatus status) {
      return status != null && isAlarm(status.getFault(), status.getReason())
          ? Optional.of(new Alarm(status.getFault(), status.getReason())) : Optional.empty();
    }
  }

  /** Per Site, the alarm last announced (empty once Recovered was sent). */
  private final Map<SiteRef, Optional<Alarm>> announced = new ConcurrentHashMap<>();
  /** Per Site whose failed evaluation was announced, the alarm announced before it. */
  private final Map<SiteRef, Optional<Alarm>> failedAfter = new ConcurrentHashMap<>();
  private final SiteEventQueue queue;

  public SiteEvents(KubernetesClient client) {
    KubernetesClient once = tryingOnce(client);
    this.queue = new SiteEventQueue(event -> create(once, event), SENDERS);
  }

  /**
   * The client's own connections and credentials without its retries of 429 and 5xx answers:
   * those take up to 19 s inside one call, holding a sender for one namespace's rate limit while
   * the queue would back that Event off and send the others.
   */
  private static KubernetesClient tryingOnce(KubernetesClient client) {
    // Never closed on its own: it shares the connections of the client it came from.
    return client.newClient(new RequestConfigBuilder(client.getConfiguration().getRequestConfig())
        .withRequestRetryBackoffLimit(0).build()).adapt(KubernetesClient.class);
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
    Optional<Alarm> said = note.filter(n -> RECOVERED.equals(n.reason())).isPresent() ? Optional.empty() : now;
    announced.put(key, said);
    note.ifPresent(n -> queue.offer(new Outgoing(key, build(site, n, Instant.now()), n.reason(), said), last));
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
    queue.forget(site);
  }

  /** A stored create whose answer was lost is a 409 on the next try: recorded once, as it should be. */
  private static void create(KubernetesClient client, Event event) {
    try {
      client.v1().events().inNamespace(event.getMetadata().getNamespace()).resource(event).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
        throw e;
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

  /** Records what is on its way, for at most {@link #DRAIN}, and logs how many Events were lost. */
  @Override
  public void close() {
    queue.drain(DRAIN);
  }
}
