package dev.upstreamhealth.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The demo's scenarios and timeline through the real operator, as `demo --once` and a viewer see them. */
class DemoIT {
  private static final Duration SETTLE = Duration.ofSeconds(60);
  private static final Duration STEP = Duration.ofSeconds(20);

  @Test
  void everySampleSiteSettlesWithItsFaultAndAWarningEvent() {
    try (RunningDemo demo = RunningDemo.start()) {
      await().atMost(SETTLE).pollInterval(Duration.ofMillis(250))
          .untilAsserted(() -> assertThat(demo.unsettled()).isEmpty());
      assertThat(demo.scenarios()).extracting(s -> s.key() + " " + Expectation.shown(demo.site(s))).containsExactly(
          "demo-healthy/shop None Healthy",
          "demo-origin-refused/blog 521 ConnectionRefused",
          "demo-crashloop/api 502 UpstreamCrashLooping",
          "demo-scaled-to-zero/docs 503 ScaledToZero",
          "demo-maintenance/statuspage 503 MaintenanceMode",
          "demo-partial/search None Healthy, Degraded PartialUpstreamFailure",
          "demo-gateway-api/www None Healthy",
          "demo-gateway-api-grant/reports 502 BackendNotPermitted");
      assertThat(demo.siteEvents()).filteredOn(e -> "Warning".equals(e.getType())).extracting(Event::getReason)
          .contains("ConnectionRefused", "UpstreamCrashLooping", "ScaledToZero", "BackendNotPermitted")
          .doesNotContain("MaintenanceMode");
      assertThat(demo.siteEvents()).filteredOn(e -> "Normal".equals(e.getType())).extracting(Event::getReason)
          .contains("MaintenanceMode");
    }
  }

  @Test
  void theTimelineBreaksAndFixesEachSiteAsItSays() {
    try (RunningDemo demo = RunningDemo.start()) {
      await().atMost(SETTLE).pollInterval(Duration.ofMillis(250))
          .untilAsserted(() -> assertThat(demo.unsettled()).isEmpty());
      List<String> told = new ArrayList<>();
      // Played as the live demo plays it, but after each step the Site must show what the step said.
      boolean played = demo.timeline().play(Duration.ZERO, step -> await().alias(step.says()).atMost(STEP)
          .pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
              assertThat(Expectation.shown(demo.site(step.scenario()))).as(() -> describe(demo.site(step.scenario())))
                  .isEqualTo(step.then().toString())), told::add);

      assertThat(played).isTrue();
      assertThat(told).hasSize(8).first().asString()
          .isEqualTo("step 1/8: shop.example.com: the load balancer stops accepting connections (expect 521 ConnectionRefused)");
      Set<String> recovered = demo.siteEvents().stream().filter(e -> "Recovered".equals(e.getReason()))
          .map(e -> e.getInvolvedObject().getNamespace() + "/" + e.getInvolvedObject().getName())
          .collect(Collectors.toSet());
      assertThat(recovered).contains("demo-healthy/shop", "demo-origin-refused/blog", "demo-crashloop/api",
          "demo-scaled-to-zero/docs", "demo-maintenance/statuspage", "demo-gateway-api-grant/reports");
    }
  }

  private static String describe(dev.upstreamhealth.api.Site site) {
    return site == null || site.getStatus() == null ? "no status" : site.getStatus().getMessage();
  }

  @Test
  void onceModePrintsTheTableAndTheEventsAndExitsZero() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int exit = DemoCommand.runOnce(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    String out = bytes.toString(StandardCharsets.UTF_8);
    assertThat(exit).as(out).isZero();
    assertThat(out).contains("NAMESPACE/NAME", "demo-crashloop/api", "UpstreamCrashLooping", "Events:",
        "Warning ConnectionRefused", "OK: every Site shows the fault and reason it should.");
  }

  @Test
  void closingTheDemoLeavesNoThreadRunning() {
    Set<Thread> before = Thread.getAllStackTraces().keySet();
    try (RunningDemo demo = RunningDemo.start()) {
      await().atMost(SETTLE).pollInSameThread().until(() -> demo.unsettled().isEmpty());
    }
    await().atMost(Duration.ofSeconds(10)).pollInSameThread().untilAsserted(() -> assertThat(
        Thread.getAllStackTraces().keySet().stream().filter(t -> t.isAlive() && !t.isDaemon() && !before.contains(t))
            .map(Thread::getName)).isEmpty());
  }
}
