package dev.upstreamhealth.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.upstreamhealth.demo.EmbeddedApiServer;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteBuilder;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The Gateway API caches' start against the embedded API server, JOSDK's handler held at the
 * first event: it returns once the routes' ADDs have reached the handler, as the other caches' do.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class GatewayApiInformersStartTest {
  private static final int ROUTES = 20;
  private static final ResourceID SITE = new ResourceID("shop", "web");

  private EmbeddedApiServer api;
  private GatewayApiInformers informers;
  private HeldEventHandler handler;

  @BeforeEach
  void routesListed() {
    api = EmbeddedApiServer.start();
    api.installGatewayApi();
    for (int i = 0; i < ROUTES; i++) {
      api.client().resource(new HTTPRouteBuilder().withNewMetadata().withName("web-" + i).withNamespace("shop")
          .endMetadata().withNewSpec().endSpec().build()).create();
    }
    informers = new GatewayApiInformers(api.client(), route -> Set.of(SITE), Set::of);
    handler = new HeldEventHandler();
    informers.setEventHandler(handler);
  }

  @AfterEach
  void stop() {
    handler.gate.countDown(); // a failed assertion left it held: the informers stop only once it is let go
    informers.stop();
    api.close();
  }

  @Test
  void startReturnsOnlyOnceEveryListedRouteHasReachedTheHandler() throws Exception {
    CompletableFuture<Integer> eventsWhenStarted = CompletableFuture.supplyAsync(() -> {
      informers.start();
      return handler.events.get();
    });

    assertThat(handler.entered.await(20, TimeUnit.SECONDS)).as("the first route's event reached the handler").isTrue();
    // The caches are filled and their watches open: the start did not wait for its events before.
    await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() -> !eventsWhenStarted.isDone());

    handler.gate.countDown();
    assertThat(eventsWhenStarted.get(20, TimeUnit.SECONDS)).as("events handled when start returned").isEqualTo(ROUTES);
    assertThat(informers.synced()).isTrue();
  }
}
