package dev.upstreamhealth.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.upstreamhealth.api.Site;
import dev.upstreamhealth.api.SiteRef;
import dev.upstreamhealth.api.SiteStatus;
import dev.upstreamhealth.status.FakeEventsApi.Created;
import dev.upstreamhealth.status.SiteEventQueue.Outgoing;
import dev.upstreamhealth.status.SiteEvents.Alarm;
import dev.upstreamhealth.status.SiteEvents.EventNote;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** How Events reach the API server when it is slow, refuses, or thousands of Sites change at once. */
class SiteEventsDeliveryTest {
  private static final SiteStatus HEALTHY = status("None", "Healthy");
  private static final SiteStatus GATEWAY_DOWN = status("521", "GatewayDown");
  private static final SiteStatus NO_ORIGIN_ADDRESS = status("521", "NoOriginAddress");

  private final Logger logger = (Logger) LoggerFactory.getLogger("dev.upstreamhealth.status");
  private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
  private FakeEventsApi api;
  private SiteEvents events;

  @BeforeEach
  void listen() {
    logged.start();
    logger.addAppender(logged);
    logger.setLevel(Level.WARN);
    logger.setAdditive(false);
  }

  @AfterEach
  void stop() {
    if (events != null) {
      events.close();
    }
    if (api != null) {
      api.close();
    }
    logger.detachAppender(logged);
    logger.setLevel(null);
    logger.setAdditive(true);
  }

  private void start(Duration latency) {
    api = new FakeEventsApi(latency);
    events = new SiteEvents(api.client());
  }

  private static SiteStatus status(String fault, String reason) {
    return SiteEventsTest.status(fault, reason);
  }

  private static Site site(String namespace, String name) {
    Site site = new Site();
    site.setMetadata(new ObjectMetaBuilder().withNamespace(namespace).withName(name).withUid(namespace + "-" + name)
        .build());
    return site;
  }

  /**
   * An ingress-nginx restart at 12,000 Sites: every one GatewayDown, then back while the
   * Warnings are still being sent, 10 ms a create. No Event is dropped for want of room, and
   * no Site is left with a Warning as its last word: a Warning recorded is followed by its
   * Recovered, one still unsent when its fault cleared goes with the Recovered.
   */
  @Test
  void aFloodOfSitesFaultingAndRecoveringEndsEachOnRecoveredOrNothing() {
    start(Duration.ofMillis(10));
    List<Site> sites = new ArrayList<>();
    for (int i = 0; i < 12_000; i++) {
      sites.add(site("team-" + (i % 12), "site-" + i));
    }
    sites.forEach(s -> events.record(s, HEALTHY, GATEWAY_DOWN));
    // The ingress controller is back while most Warnings still wait their turn.
    await().atMost(Duration.ofSeconds(20)).until(() -> api.created().size() >= 200);
    sites.forEach(s -> events.record(s, GATEWAY_DOWN, HEALTHY));
    assertThat(logged.list).as("nothing dropped or refused: the log").isEmpty();

    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
        .until(() -> lastEventBySite(api.created()).values().stream().allMatch(c -> c.reason().equals("Recovered")));
    // And nothing comes after: no Warning still on its way.
    int settled = api.created().size();
    await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> api.created().size() == settled);

    Map<String, List<String>> bySite = new HashMap<>();
    api.created().forEach(c -> bySite.computeIfAbsent(c.namespace() + "/" + c.site(), k -> new ArrayList<>())
        .add(c.reason()));
    assertThat(bySite).as("Sites whose Warning was recorded").hasSizeGreaterThanOrEqualTo(200);
    assertThat(bySite.values()).as("each told Site: its Warning, then its Recovered, once each")
        .allSatisfy(reasons -> assertThat(reasons).containsExactly("GatewayDown", "Recovered"));
    assertThat(logged.list).as("the log").isEmpty();
  }

  private static Map<String, Created> lastEventBySite(List<Created> created) {
    Map<String, Created> last = new HashMap<>();
    created.forEach(c -> last.put(c.namespace() + "/" + c.site(), c));
    return last;
  }

  /**
   * One namespace at its Event rate limit (the EventRateLimit admission answers 429 per
   * namespace) holds up no other: the other namespace's Warning is recorded at once, and the
   * refused ones once the limit lets them through.
   */
  @Test
  void aNamespaceAnswering429HoldsUpNoOtherNamespace() {
    start(Duration.ofMillis(10));
    api.refuse("busy", 429);
    List<Site> busy = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      busy.add(site("busy", "site-" + i));
    }
    busy.forEach(s -> events.record(s, HEALTHY, GATEWAY_DOWN));
    await().atMost(Duration.ofSeconds(5)).until(() -> api.refused("busy") > 0);

    events.record(site("quiet", "shop"), HEALTHY, GATEWAY_DOWN);
    await().atMost(Duration.ofSeconds(1)).until(() -> api.created("quiet", "shop").size() == 1);
    assertThat(api.created()).as("busy's Events, still refused").extracting(Created::namespace).containsOnly("quiet");

    api.accept("busy");
    await().atMost(Duration.ofSeconds(15)).until(() -> api.created().size() == 21);
    assertThat(api.created()).extracting(Created::site).doesNotHaveDuplicates();
  }

  /** A fault that came and went while its Warning was refused leaves no Event: none of the two. */
  @Test
  void aFaultGoneBeforeItsWarningIsRecordedLeavesNoEvent() {
    start(Duration.ZERO);
    api.refuse("web", 403);
    Site shop = site("web", "shop");
    events.record(shop, HEALTHY, GATEWAY_DOWN);
    await().atMost(Duration.ofSeconds(5)).until(() -> api.refused("web") > 0);
    events.record(shop, GATEWAY_DOWN, HEALTHY);
    api.accept("web");

    await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> api.created().isEmpty());
    // The Site's next fault is told as usual.
    events.record(shop, HEALTHY, NO_ORIGIN_ADDRESS);
    await().atMost(Duration.ofSeconds(5)).until(() -> api.created().size() == 1);
    assertThat(api.created()).extracting(Created::reason).containsExactly("NoOriginAddress");
  }

  /** A fault that changed while its first Warning was refused: one Warning, of the fault as it is now. */
  @Test
  void aFaultChangedBeforeItsWarningIsRecordedIsToldOnceAsItIsNow() {
    start(Duration.ZERO);
    api.refuse("web", 403);
    Site shop = site("web", "shop");
    events.record(shop, HEALTHY, GATEWAY_DOWN);
    await().atMost(Duration.ofSeconds(5)).until(() -> api.refused("web") > 0);
    events.record(shop, GATEWAY_DOWN, NO_ORIGIN_ADDRESS);
    api.accept("web");

    await().atMost(Duration.ofSeconds(5)).until(() -> !api.created().isEmpty());
    await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> api.created().size() == 1);
    assertThat(api.created()).extracting(Created::reason).containsExactly("NoOriginAddress");
  }

  /** A Site deleted while its Event is refused: the Event goes with it, no retry lands later. */
  @Test
  void aRefusedEventOfADeletedSiteIsNotTriedAgain() {
    start(Duration.ZERO);
    api.refuse("web", 403);
    Site shop = site("web", "shop");
    events.record(shop, HEALTHY, GATEWAY_DOWN);
    await().atMost(Duration.ofSeconds(5)).until(() -> api.refused("web") > 0);
    events.forget(SiteRef.of(shop));
    api.accept("web");

    // Retries would come 0.2, 0.6 and 2.6 s after the first try.
    await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> api.created().isEmpty());
  }

  /** Stopping waits for what is on its way only so long, and says what it gave up. */
  @Test
  void stoppingGivesUpAfterItsBoundAndNamesTheEventsLost() {
    SiteEventQueue queue = new SiteEventQueue(event -> {
      throw new KubernetesClientException("forbidden", 403, null);
    }, 1);
    Site shop = site("web", "shop");
    queue.offer(new Outgoing(SiteRef.of(shop), SiteEvents.build(shop, new EventNote(EventType.WARNING, "GatewayDown",
        "521-style fault: details"), Instant.now()), "GatewayDown", Optional.of(new Alarm("521", "GatewayDown"))),
        Optional.empty());

    queue.drain(Duration.ofMillis(1_500));
    assertThat(logged.list).filteredOn(e -> e.getFormattedMessage().startsWith("stopping"))
        .singleElement().satisfies(e -> {
          assertThat(e.getLevel()).isEqualTo(Level.WARN);
          assertThat(e.getFormattedMessage()).contains("1 of 1 Events").contains("lost: GatewayDown for web/shop");
        });
  }
}
