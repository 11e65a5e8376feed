package dev.upstreamhealth.status;

import static dev.upstreamhealth.api.ConditionStatus.FALSE;
import static dev.upstreamhealth.api.ConditionStatus.TRUE;
import static dev.upstreamhealth.api.ConditionStatus.UNKNOWN;
import static org.assertj.core.api.Assertions.assertThat;

import dev.upstreamhealth.api.SiteStatus;
import dev.upstreamhealth.api.ConditionStatus;
import dev.upstreamhealth.api.ConditionType;
import dev.upstreamhealth.diagnosis.ConditionVerdict;
import dev.upstreamhealth.api.Fault;
import dev.upstreamhealth.api.Reason;
import dev.upstreamhealth.diagnosis.Verdict;
import dev.upstreamhealth.probe.ProbeFindings;
import dev.upstreamhealth.probe.ProbeLayer;
import dev.upstreamhealth.probe.ProbeOutcome;
import dev.upstreamhealth.probe.ProbeResult;
import dev.upstreamhealth.probe.ProbeTarget;
import dev.upstreamhealth.probe.Scheme;
import dev.upstreamhealth.probe.TrackedProbe;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Conditions as API, one row per case: the previous condition, the next verdict, and the
 * condition that must be written at a fixed time. lastTransitionTime moves only when status flips.
 */
class StatusBuilderTest {
  private static final Instant NOW = Instant.parse("2026-11-29T12:00:07.900Z");
  private static final String EARLIER_TEXT = "2026-11-01T10:00:00Z";
  private static final String NOW_TEXT = "2026-11-29T12:00:07Z";
  private static final long GENERATION = 7;

  record Row(String name, ConditionType type, Condition previous, ConditionVerdict next, Expected expected) {
    @Override
    public String toString() {
      return name;
    }
  }

  record Expected(String status, String reason, String message, String lastTransitionTime) {}

  static Stream<Row> rows() {
    return Stream.of(
        new Row("first status: every condition transitions now", ConditionType.BAD_GATEWAY, null,
            fault(ConditionType.BAD_GATEWAY, "UpstreamCrashLooping", "2/2 pods crash"),
            new Expected("True", "UpstreamCrashLooping", "2/2 pods crash", NOW_TEXT)),
        new Row("fault appears: False to True moves the time", ConditionType.BAD_GATEWAY,
            previous(ConditionType.BAD_GATEWAY, FALSE, Reason.NO_FAULT),
            fault(ConditionType.BAD_GATEWAY, "UpstreamCrashLooping", "2/2 pods crash"),
            new Expected("True", "UpstreamCrashLooping", "2/2 pods crash", NOW_TEXT)),
        new Row("reason changes while True: the time stays", ConditionType.BAD_GATEWAY,
            previous(ConditionType.BAD_GATEWAY, TRUE, "UpstreamCrashLooping"),
            fault(ConditionType.BAD_GATEWAY, "ImagePullFailed", "image web:v2 cannot be pulled"),
            new Expected("True", "ImagePullFailed", "image web:v2 cannot be pulled", EARLIER_TEXT)),
        new Row("fault clears: reason NoFault, the time moves", ConditionType.SERVICE_UNAVAILABLE,
            previous(ConditionType.SERVICE_UNAVAILABLE, TRUE, "ScaledToZero"),
            clear(ConditionType.SERVICE_UNAVAILABLE),
            new Expected("False", "NoFault", "the upstreams are available", NOW_TEXT)),
        new Row("still clear: the time stays", ConditionType.ORIGIN_DOWN,
            previous(ConditionType.ORIGIN_DOWN, FALSE, Reason.NO_FAULT),
            clear(ConditionType.ORIGIN_DOWN),
            new Expected("False", "NoFault", "the origin accepts connections", EARLIER_TEXT)),
        new Row("Ready turns True: reason Healthy, the time moves", ConditionType.READY,
            previous(ConditionType.READY, FALSE, "ConnectionRefused"),
            new ConditionVerdict(ConditionType.READY, TRUE, Reason.HEALTHY, "origin answers 200"),
            new Expected("True", "Healthy", "origin answers 200", NOW_TEXT)),
        new Row("Ready False to Unknown is a flip", ConditionType.READY,
            previous(ConditionType.READY, FALSE, "ConnectionRefused"),
            new ConditionVerdict(ConditionType.READY, UNKNOWN, "AwaitingFirstProbe", "waiting"),
            new Expected("Unknown", "AwaitingFirstProbe", "waiting", NOW_TEXT)),
        new Row("Degraded stays True with a new message: the time stays", ConditionType.DEGRADED,
            previous(ConditionType.DEGRADED, TRUE, "PartialUpstreamFailure"),
            fault(ConditionType.DEGRADED, "PartialUpstreamFailure", "1/3 endpoints failing"),
            new Expected("True", "PartialUpstreamFailure", "1/3 endpoints failing", EARLIER_TEXT)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void writesTheConditionAsApi(Row row) {
    SiteStatus previous = null;
    if (row.previous() != null) {
      previous = new SiteStatus();
      previous.setConditions(List.of(row.previous()));
    }

    SiteStatus written = StatusBuilder.build(verdictWith(row.next()), ProbeFindings.NONE, GENERATION, previous, NOW);

    Condition c = condition(written, row.type());
    assertThat(c.getStatus()).isEqualTo(row.expected().status());
    assertThat(c.getReason()).isEqualTo(row.expected().reason());
    assertThat(c.getMessage()).isEqualTo(row.expected().message());
    assertThat(c.getLastTransitionTime()).isEqualTo(row.expected().lastTransitionTime());
    assertThat(c.getObservedGeneration()).isEqualTo(GENERATION);
    assertThat(written.getObservedGeneration()).isEqualTo(GENERATION);
    assertThat(written.getConditions()).extracting(Condition::getType)
        .containsExactly("Ready", "OriginDown", "BadGateway", "ServiceUnavailable", "Degraded");
  }

  /** A redirect loop is an answer that fails: the origin's line shows the status and where it sends visitors. */
  @Test
  void theOriginsLineShowsARedirectLoopWithItsStatusAndLocation() {
    ProbeTarget origin = new ProbeTarget(ProbeLayer.ORIGIN, "203.0.113.7", 80, Scheme.HTTP, "shop.example.com", "/",
        Duration.ofSeconds(5), "");
    ProbeResult loop = new ProbeResult(origin, ProbeOutcome.REDIRECT_LOOP, 308, false, Duration.ofMillis(12),
        "https://shop.example.com/", NOW);
    TrackedProbe confirmed = new TrackedProbe(origin, loop, loop, false, 3, 0, loop, 3);

    SiteStatus written = StatusBuilder.build(verdictWith(clear(ConditionType.DEGRADED)),
        new ProbeFindings(List.of(confirmed)), GENERATION, null, NOW);

    assertThat(written.getProbes()).singleElement().satisfies(line -> {
      assertThat(line.getLayer()).isEqualTo("origin");
      assertThat(line.getOutcome()).isEqualTo("RedirectLoop");
      assertThat(line.getHttpStatus()).isEqualTo(308);
      assertThat(line.getDetail()).isEqualTo("https://shop.example.com/");
    });
  }

  private static Condition condition(SiteStatus status, ConditionType type) {
    return status.getConditions().stream().filter(c -> c.getType().equals(type.typeName())).findFirst().orElseThrow();
  }

  /** A verdict that says {@code next} for its condition and nothing wrong elsewhere. */
  private static Verdict verdictWith(ConditionVerdict next) {
    Map<ConditionType, ConditionVerdict> conditions = new EnumMap<>(ConditionType.class);
    for (ConditionType type : ConditionType.values()) {
      conditions.put(type, type == ConditionType.READY
          ? new ConditionVerdict(type, TRUE, Reason.HEALTHY, "fine")
          : clear(type));
    }
    conditions.put(next.type(), next);
    ConditionVerdict ready = conditions.get(ConditionType.READY);
    return new Verdict(Fault.NONE, ready.reason(), ready.message(), conditions, Optional.empty(), List.of());
  }

  private static ConditionVerdict fault(ConditionType type, String reason, String message) {
    return new ConditionVerdict(type, TRUE, reason, message);
  }

  private static ConditionVerdict clear(ConditionType type) {
    return new ConditionVerdict(type, FALSE, Reason.NO_FAULT, switch (type) {
      case ORIGIN_DOWN -> "the origin accepts connections";
      case BAD_GATEWAY -> "the gateway gets valid answers from the upstreams";
      case SERVICE_UNAVAILABLE -> "the upstreams are available";
      default -> "every upstream endpoint serves";
    });
  }

  private static Condition previous(ConditionType type, ConditionStatus status, String reason) {
    Condition c = new Condition();
    c.setType(type.typeName());
    c.setStatus(status.text());
    c.setReason(reason);
    c.setMessage("before");
    c.setObservedGeneration(GENERATION - 1);
    c.setLastTransitionTime(EARLIER_TEXT);
    return c;
  }
}
