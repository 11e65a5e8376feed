package dev.upstreamhealth.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.upstreamhealth.api.Site;
import dev.upstreamhealth.demo.EmbeddedApiServer;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.javaoperatorsdk.operator.api.config.BaseConfigurationService;
import io.javaoperatorsdk.operator.api.config.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.ManagedInformerEventSource;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The event source against the embedded API server, its event handler held at the first event
 * as a busy JOSDK would be: start must wait for the list's events, and not without end.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class ListDeliveringEventSourceTest {
  private static final int PODS = 30;
  private static final ResourceID SITE = new ResourceID("shop", "web");

  /** A reconciler only for JOSDK to derive a controller configuration from. */
  @io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration
  static final class ConfigurationOnly implements Reconciler<Site> {
    @Override
    public UpdateControl<Site> reconcile(Site site, Context<Site> context) {
      return UpdateControl.noUpdate();
    }
  }

  private EmbeddedApiServer api;
  private ListDeliveringEventSource<Pod> source;
  private HeldEventHandler handler;

  @BeforeEach
  void podsListed() {
    api = EmbeddedApiServer.start();
    for (int i = 0; i < PODS; i++) {
      api.client().resource(new PodBuilder().withNewMetadata().withName("web-" + i).withNamespace("shop").endMetadata()
          .build()).create();
    }
  }

  @AfterEach
  void stop() {
    if (source != null) {
      handler.gate.countDown(); // a failed assertion left it held: the informer stops only once it is let go
      source.stop();
    }
    api.close();
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private HeldEventHandler sourceWith(Duration mostWaited) {
    BaseConfigurationService configurationService = new BaseConfigurationService();
    ControllerConfiguration<Site> controller = configurationService.getConfigurationFor(new ConfigurationOnly());
    EventSourceContext<Site> context = new EventSourceContext<>(null, controller, api.client(), Site.class);
    source = new ListDeliveringEventSource<>(InformerEventSourceConfiguration.from(Pod.class, Site.class)
        .withName("pods")
        .withSecondaryToPrimaryMapper(pod -> Set.of(SITE))
        .withWatchAllNamespaces()
        .build(), context, mostWaited);
    // As JOSDK's EventSourceManager does, typed loosely: the informer reads only the controller's
    // configuration service (its executors, its cache sync timeout) from it.
    ((ManagedInformerEventSource) source).setControllerConfiguration(controller);
    handler = new HeldEventHandler();
    source.setEventHandler(handler);
    return handler;
  }

  @Test
  void startReturnsOnlyOnceEveryListedObjectHasReachedTheHandler() throws Exception {
    HeldEventHandler handler = sourceWith(Duration.ofMinutes(1));
    AtomicInteger eventsWhenStarted = new AtomicInteger(-1);
    CompletableFuture<Void> started = CompletableFuture.runAsync(() -> {
      source.start();
      eventsWhenStarted.set(handler.events.get());
    });

    assertThat(handler.entered.await(20, TimeUnit.SECONDS)).as("the list's first event reached the handler").isTrue();
    // The list is stored and its watch open: a plain informer event source has started by now.
    await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() -> !started.isDone());

    handler.gate.countDown();
    started.get(20, TimeUnit.SECONDS);
    assertThat(eventsWhenStarted.get()).as("events handled when start returned").isEqualTo(PODS);
  }

  @Test
  void aHandlerThatNeverCatchesUpDelaysTheStartOnlyUpToTheBound() throws Exception {
    HeldEventHandler handler = sourceWith(Duration.ofSeconds(1));
    CompletableFuture<Void> started = CompletableFuture.runAsync(source::start);

    started.get(20, TimeUnit.SECONDS);
    assertThat(handler.events.get()).as("events handled: the first is still held").isZero();
    assertThat(source.isRunning()).isTrue();
    handler.gate.countDown();
    await().atMost(Duration.ofSeconds(20)).until(() -> handler.events.get() == PODS);
  }

  @Test
  void anEventWhoseHandlingFailsStillCountsAsHandedOut() throws Exception {
    sourceWith(Duration.ofMinutes(1)).gate.countDown();
    AtomicInteger handled = new AtomicInteger();
    source.setEventHandler(event -> {
      if (handled.incrementAndGet() == 7) {
        throw new IllegalStateException("a handler that fails for one event");
      }
    });

    // Within far less than the minute the start may wait: the failed ADD was counted.
    CompletableFuture.runAsync(source::start).get(20, TimeUnit.SECONDS);
    assertThat(handled.get()).as("events handed to the handler when start returned").isEqualTo(PODS);
  }

  @Test
  void aSecondStartOfARunningSourceReturnsAtOnce() throws Exception {
    HeldEventHandler handler = sourceWith(Duration.ofMinutes(1));
    handler.gate.countDown();
    CompletableFuture.runAsync(source::start).get(20, TimeUnit.SECONDS);

    // Nothing new is listed, so nothing is awaited: without the guard it would wait out the minute.
    CompletableFuture.runAsync(source::start).get(5, TimeUnit.SECONDS);
    assertThat(handler.events.get()).isEqualTo(PODS);
  }
}
