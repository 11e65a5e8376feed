package dev.upstreamhealth.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.upstreamhealth.api.Site;
import dev.upstreamhealth.api.SiteStatus;
import dev.upstreamhealth.demo.EmbeddedApiServer;
import dev.upstreamhealth.demo.SiteFixture;
import dev.upstreamhealth.status.SiteEvents;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.Event;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A process that meets a Site whose stored status says its evaluation failed: the process before
 * it announced the failure, and, before that, the fault the failed status keeps. Evaluation
 * working again with that same fault is no second Warning; the Events land on a real API.
 */
class EventsAfterARestartIT {
  private final SiteFixture shop = new SiteFixture("web", "shop", "shop.example.com");

  private static SiteStatus failedKeeping(String type, String reason) {
    SiteStatus status = new SiteStatus();
    status.setFault("Unknown");
    status.setReason("EvaluationFailed");
    status.setMessage("the operator could not evaluate this Site: IllegalStateException");
    status.setConditions(List.of(condition("Ready", "Unknown", "EvaluationFailed"),
        condition("OriginDown", "False", "NoFault"),
        condition("BadGateway", type.equals("BadGateway") ? "True" : "False", type.equals("BadGateway") ? reason : "NoFault"),
        condition("ServiceUnavailable", type.equals("ServiceUnavailable") ? "True" : "False",
            type.equals("ServiceUnavailable") ? reason : "NoFault"),
        condition("Degraded", "False", "NoFault")));
    return status;
  }

  private static Condition condition(String type, String status, String reason) {
    return new ConditionBuilder().withType(type).withStatus(status).withReason(reason).withMessage("m")
        .withLastTransitionTime("2026-01-01T00:00:00Z").build();
  }

  private static SiteStatus verdict(String fault, String reason) {
    SiteStatus status = new SiteStatus();
    status.setFault(fault);
    status.setReason(reason);
    status.setMessage("0/2 probed endpoints of Service web/shop-web answer 503");
    return status;
  }

  private static List<Event> events(EmbeddedApiServer api) {
    return api.client().v1().events().inNamespace("web").list().getItems();
  }

  @Test
  void theFaultKeptThroughTheFailureIsResumedNotAnnouncedAgain() {
    try (EmbeddedApiServer api = EmbeddedApiServer.start(); SiteEvents events = new SiteEvents(api.client())) {
      Site site = shop.site(80, 30, 3);
      events.record(site, failedKeeping("ServiceUnavailable", "Overloaded"), verdict("503", "Overloaded"));

      List<Event> sent = await().atMost(Duration.ofSeconds(10)).until(() -> events(api), e -> !e.isEmpty());
      assertThat(sent).singleElement().satisfies(e -> {
        assertThat(e.getType()).isEqualTo("Normal");
        assertThat(e.getReason()).isEqualTo(SiteEvents.EVALUATION_RESUMED);
      });

      // The same verdict at the next reconcile: nothing more.
      events.record(site, verdict("503", "Overloaded"), verdict("503", "Overloaded"));
      await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() -> events(api).size() == 1);
    }
  }

  @Test
  void anotherFaultAfterTheFailureIsAWarningAndHealthIsARecovery() {
    try (EmbeddedApiServer api = EmbeddedApiServer.start(); SiteEvents events = new SiteEvents(api.client())) {
      Site shopSite = shop.site(80, 30, 3);
      events.record(shopSite, failedKeeping("ServiceUnavailable", "Overloaded"), verdict("502", "UpstreamCrashLooping"));
      Site blog = new SiteFixture("web", "blog", "blog.example.com").site(80, 30, 3);
      events.record(blog, failedKeeping("none", ""), verdict("None", "Healthy"));

      List<Event> sent = await().atMost(Duration.ofSeconds(10)).until(() -> events(api), e -> e.size() == 2);
      assertThat(sent).extracting(e -> e.getInvolvedObject().getName() + " " + e.getType() + " " + e.getReason())
          .containsExactlyInAnyOrder("shop Warning UpstreamCrashLooping", "blog Normal Recovered");
    }
  }
}
