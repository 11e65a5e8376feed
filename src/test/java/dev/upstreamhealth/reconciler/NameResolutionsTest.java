package dev.upstreamhealth.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.io.UncheckedIOException;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** DNS answers are looked up off the caller's thread and kept: the reconcile never waits on DNS. */
class NameResolutionsTest {
  static final ResourceID SHOP = new ResourceID("shop", "web");

  @Test
  void theFirstAskReturnsAtOnceAndTheAnswerIsThereAfterwards() throws Exception {
    CountDownLatch dnsAnswers = new CountDownLatch(1);
    AtomicInteger lookups = new AtomicInteger();
    NameResolutions.Resolver slowDns = name -> {
      lookups.incrementAndGet();
      try {
        dnsAnswers.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return List.of("203.0.113.7");
    };
    try (NameResolutions names = new NameResolutions(slowDns, Clock.systemUTC(), Duration.ofMinutes(1))) {
      assertThat(names.known(SHOP, Set.of("origin.shop.example"))).as("not known yet, and not waited for").isEmpty();
      assertThat(names.known(SHOP, Set.of("origin.shop.example"))).isEmpty();
      dnsAnswers.countDown();
      await().atMost(Duration.ofSeconds(5)).until(() -> !names.known(SHOP, Set.of("origin.shop.example")).isEmpty());
      assertThat(names.known(SHOP, Set.of("origin.shop.example")))
          .isEqualTo(Map.of("origin.shop.example", List.of("203.0.113.7")));
      assertThat(lookups).as("one lookup in flight at a time, then the answer is kept").hasValue(1);
    }
  }

  @Test
  void aNameThatDoesNotResolveIsKnownAsResolvingToNothing() {
    Map<String, List<String>> dns = new ConcurrentHashMap<>();
    try (NameResolutions names = new NameResolutions(name -> dns.getOrDefault(name, List.of()), Clock.systemUTC(),
        Duration.ofMinutes(1))) {
      names.known(SHOP, Set.of("nowhere.shop.example"));
      await().atMost(Duration.ofSeconds(5)).until(() -> names.known(SHOP, Set.of("nowhere.shop.example"))
          .equals(Map.of("nowhere.shop.example", List.of())));
    }
  }

  @Test
  void anAnswerIsLookedUpAgainAfterItsTtl() {
    Map<String, List<String>> dns = new ConcurrentHashMap<>(Map.of("origin.shop.example", List.of("203.0.113.7")));
    try (NameResolutions names = new NameResolutions(dns::get, Clock.systemUTC(), Duration.ofMillis(200))) {
      names.known(SHOP, Set.of("origin.shop.example"));
      await().atMost(Duration.ofSeconds(5)).until(() -> names.known(SHOP, Set.of("origin.shop.example"))
          .equals(Map.of("origin.shop.example", List.of("203.0.113.7"))));
      dns.put("origin.shop.example", List.of("198.51.100.9"));
      await().atMost(Duration.ofSeconds(5)).until(() -> names.known(SHOP, Set.of("origin.shop.example"))
          .equals(Map.of("origin.shop.example", List.of("198.51.100.9"))));
    }
  }

  @Test
  void aLookupThatFailsLeavesWhatWasKnownAndANewNamePending() {
    Map<String, List<String>> dns = new ConcurrentHashMap<>(Map.of("origin.shop.example", List.of("203.0.113.7")));
    AtomicBoolean resolverDown = new AtomicBoolean();
    AtomicInteger failures = new AtomicInteger();
    AtomicInteger newNameAsked = new AtomicInteger();
    NameResolutions.Resolver flaky = name -> {
      if (name.equals("new.shop.example")) {
        newNameAsked.incrementAndGet();
      }
      if (resolverDown.get()) {
        failures.incrementAndGet();
        throw new UncheckedIOException(new UnknownHostException(name + ": Temporary failure in name resolution"));
      }
      return dns.get(name);
    };
    try (NameResolutions names = new NameResolutions(flaky, Clock.systemUTC(), Duration.ofMillis(200))) {
      names.known(SHOP, Set.of("origin.shop.example"));
      await().atMost(Duration.ofSeconds(5)).until(() -> !names.known(SHOP, Set.of("origin.shop.example")).isEmpty());
      resolverDown.set(true);

      await().atMost(Duration.ofSeconds(5)).until(() -> failures.get() >= 2);
      assertThat(names.known(SHOP, Set.of("origin.shop.example")))
          .as("the answer from before stands").isEqualTo(Map.of("origin.shop.example", List.of("203.0.113.7")));
      assertThat(names.known(SHOP, Set.of("origin.shop.example", "new.shop.example")))
          .as("a name never answered is pending, not resolving to nothing").doesNotContainKey("new.shop.example");
      // Asked again by the timer, with no reconcile asking: once it resolves, it is known.
      await().atMost(Duration.ofSeconds(5)).until(() -> newNameAsked.get() >= 3);
      dns.put("new.shop.example", List.of("198.51.100.9"));
      resolverDown.set(false);
      await().atMost(Duration.ofSeconds(5)).until(() -> names.known(SHOP, Set.of("origin.shop.example", "new.shop.example"))
          .containsKey("new.shop.example"));
    }
  }
}
