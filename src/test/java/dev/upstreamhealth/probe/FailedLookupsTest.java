package dev.upstreamhealth.probe;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** A failing resolver shows in the log, once per name, not at every probe. */
class FailedLookupsTest {
  private static final ProbeTarget LB = new ProbeTarget(
      ProbeLayer.ORIGIN, "lb.shop.example", 443, Scheme.HTTPS, "shop.example.com", "/", Duration.ofSeconds(5), "");
  private static final ProbeTarget OTHER_SITE = new ProbeTarget(
      ProbeLayer.ORIGIN, "lb.shop.example", 443, Scheme.HTTPS, "blog.example.com", "/", Duration.ofSeconds(5), "");

  private final Logger logger = (Logger) LoggerFactory.getLogger(FailedLookups.class);
  private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
  private final FailedLookups lookups = new FailedLookups();

  @BeforeEach
  void listen() {
    logged.start();
    logger.addAppender(logged);
    logger.setLevel(Level.INFO);
    logger.setAdditive(false);
  }

  @AfterEach
  void stopListening() {
    logger.detachAppender(logged);
    logger.setLevel(null);
    logger.setAdditive(true);
  }

  @Test
  void aNameIsToldOnceWhenItsLookupsFailAndOnceWhenTheyWorkAgain() {
    lookups.observed(result(LB, ProbeOutcome.NAME_LOOKUP_FAILED, "looking up lb.shop.example failed: Temporary failure in name resolution"));
    lookups.observed(result(OTHER_SITE, ProbeOutcome.NAME_LOOKUP_FAILED, "looking up lb.shop.example failed: no answer within 5s"));
    lookups.observed(result(LB, ProbeOutcome.NAME_LOOKUP_FAILED, "looking up lb.shop.example failed: Temporary failure in name resolution"));
    lookups.observed(result(LB, ProbeOutcome.RESPONDED, ""));
    lookups.observed(result(OTHER_SITE, ProbeOutcome.RESPONDED, ""));

    assertThat(logged.list).extracting(ILoggingEvent::getLevel).containsExactly(Level.WARN, Level.INFO);
    assertThat(logged.list.get(0).getFormattedMessage())
        .contains("https://lb.shop.example:443/", "Temporary failure in name resolution", "not counted");
    assertThat(logged.list.get(1).getFormattedMessage()).isEqualTo("looking up lb.shop.example works again");
  }

  @Test
  void anAnswerThatTheNameDoesNotExistIsAnAnswer() {
    lookups.observed(result(LB, ProbeOutcome.NAME_LOOKUP_FAILED, "looking up lb.shop.example failed: no answer within 5s"));
    lookups.observed(result(LB, ProbeOutcome.UNREACHABLE, "name lb.shop.example does not resolve"));

    assertThat(logged.list).extracting(ILoggingEvent::getLevel).containsExactly(Level.WARN, Level.INFO);
  }

  private static ProbeResult result(ProbeTarget target, ProbeOutcome outcome, String detail) {
    return new ProbeResult(target, outcome, outcome == ProbeOutcome.RESPONDED ? 200 : 0, false, Duration.ofMillis(3),
        detail, Instant.now());
  }
}
