package dev.upstreamhealth.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.upstreamhealth.api.SiteRef;
import dev.upstreamhealth.loopback.Behaviour;
import dev.upstreamhealth.loopback.LoopbackServer;
import dev.upstreamhealth.probe.transport.NettyProber;
import dev.upstreamhealth.probe.transport.NettyProbers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The scheduler driving real probes against loopback servers. */
class ProbeSchedulerTest {
  private static final SiteRef SHOP = new SiteRef("web", "shop");
  private static final SiteRef BLOG = new SiteRef("web", "blog");
  private static final Duration FAST = Duration.ofMillis(100);

  private final List<LoopbackServer> servers = new ArrayList<>();
  private final Map<SiteRef, AtomicInteger> conclusionChanges = new ConcurrentHashMap<>();
  private final List<ProbeResult> observed = new CopyOnWriteArrayList<>();
  private NettyProber netty;
  private CountingProber prober;
  private ProbeScheduler scheduler;

  @BeforeEach
  void start() {
    netty = NettyProbers.anyAddress();
    prober = new CountingProber(netty);
    scheduler = scheduler(16, 4);
  }

  @AfterEach
  void stop() {
    scheduler.close();
    netty.close();
    servers.forEach(LoopbackServer::close);
  }

  @Test
  void findingsAppearPromptlyForANewSite() {
    LoopbackServer origin = server("127.0.0.41", Behaviour.status(200));

    scheduler.apply(SHOP, plan(Duration.ofSeconds(30), 3, 1, target(origin, "/")));

    await().atMost(Duration.ofSeconds(3)).untilAsserted(() -> {
      TrackedProbe probe = scheduler.findings(SHOP).first(ProbeLayer.ORIGIN).orElseThrow();
      assertThat(probe.confirmedSuccess()).isTrue();
      assertThat(probe.last().statusCode()).isEqualTo(200);
    });
    assertThat(observed).extracting(ProbeResult::outcome).contains(ProbeOutcome.RESPONDED);
  }

  @Test
  void aNewExpectedStatusRejudgesTheTargetPromptly() {
    LoopbackServer origin = server("127.0.0.41", Behaviour.status(404));
    ProbeTarget target = target(origin, "/");
    scheduler.apply(SHOP, plan(Duration.ofSeconds(30), 1, 1, target));
    await().atMost(Duration.ofSeconds(3)).until(() -> scheduler.findings(SHOP).first(ProbeLayer.ORIGIN)
        .map(TrackedProbe::confirmedFailure).orElse(false));

    // The user now counts 404 as healthy: the old verdict on the 404 is not evidence any more.
    scheduler.apply(SHOP, new ProbePlan(List.of(target), Duration.ofSeconds(30), 1, 1, StatusRanges.parse("200-404")));
    await().atMost(Duration.ofSeconds(3)).until(() -> scheduler.findings(SHOP).first(ProbeLayer.ORIGIN)
        .map(TrackedProbe::confirmedSuccess).orElse(false));
  }

  /**
   * A confirmed fault and an edit of the thresholds, or of expected statuses that judge its
   * results the same: the history stands, so the Site does not go back to waiting (nor its alert
   * resolve) until the fault is confirmed again.
   */
  @Test
  void editsThatJudgeTheResultsAlikeKeepAConfirmedFault() {
    LoopbackServer origin = server("127.0.0.41", Behaviour.status(404));
    ProbeTarget target = target(origin, "/");
    scheduler.apply(SHOP, plan(Duration.ofSeconds(30), 1, 1, target));
    await().atMost(Duration.ofSeconds(3)).until(() -> scheduler.findings(SHOP).first(ProbeLayer.ORIGIN)
        .map(TrackedProbe::confirmedFailure).orElse(false));

    scheduler.apply(SHOP, new ProbePlan(List.of(target), Duration.ofSeconds(30), 5, 2, StatusRanges.parse("200-299")));

    TrackedProbe kept = scheduler.findings(SHOP).first(ProbeLayer.ORIGIN).orElseThrow();
    assertThat(kept.confirmedFailure()).as("still the confirmed 404, not waiting again").isTrue();
    assertThat(kept.confirmed().statusCode()).isEqualTo(404);
    await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3)).until(() -> scheduler.findings(SHOP)
        .first(ProbeLayer.ORIGIN).map(TrackedProbe::confirmedFailure).orElse(false));
  }

  @Test
  void targetsNotProbedYetAreListedInPlanOrder() {
    LoopbackServer origin = server("127.0.0.41", Behaviour.hang());
    ProbeTarget first = target(origin, "/a");
    ProbeTarget second = target(origin, "/b");

    scheduler.apply(SHOP, plan(Duration.ofSeconds(30), 3, 1, first, second));

    assertThat(scheduler.findings(SHOP).probes()).extracting(TrackedProbe::target).containsExactly(first, second);
    assertThat(scheduler.findings(SHOP).probes()).extracting(TrackedProbe::last).containsOnlyNulls();
    assertThat(scheduler.findings(BLOG)).isEqualTo(ProbeFindings.NONE);
  }

  @Test
  void conclusionChangeIsReportedOncePerChangeNotPerProbe() {
    LoopbackServer origin = server("127.0.0.42", Behaviour.status(200));
    scheduler.apply(SHOP, plan(FAST, 3, 1, target(origin, "/")));

    await().until(() -> origin.acceptedConnections() >= 8);
    assertThat(changes(SHOP)).isEqualTo(1); // the first confirmation

    origin.behave(Behaviour.status(503));
    int before = origin.acceptedConnections();
    await().until(() -> origin.acceptedConnections() >= before + 8);
    await().until(() -> changes(SHOP) == 2);
    assertThat(scheduler.findings(SHOP).first(ProbeLayer.ORIGIN).orElseThrow().confirmed().statusCode()).isEqualTo(503);

    origin.behave(Behaviour.status(503, "60"));
    await().until(() -> changes(SHOP) == 3);
    int after = origin.acceptedConnections();
    await().until(() -> origin.acceptedConnections() >= after + 5);
    assertThat(changes(SHOP)).isEqualTo(3);
  }

  /**
   * A head grown past the gateway's buffer stays a success to the upstream's own probe: the
   * scheduler tells the reconciler once every probed Service answers with a head over the budget,
   * and once that ends, but not while only one Service does, nor while heads waver over it.
   */
  @Test
  void upstreamHeadsOverTheBudgetAreToldAtEachCrossingOnly() {
    LoopbackServer app = server("127.0.0.43", Behaviour.headOf(900));
    LoopbackServer api = server("127.0.0.44", Behaviour.headOf(900));
    scheduler.apply(SHOP, new ProbePlan(List.of(upstream(app, "web/app"), upstream(api, "web/api")), FAST, 1, 1,
        StatusRanges.DEFAULT, Duration.ZERO, 4096, OriginReading.PLAIN));
    await().until(() -> app.acceptedConnections() >= 5 && api.acceptedConnections() >= 5);
    assertThat(changes(SHOP)).as("the first confirmation only").isEqualTo(1);

    app.behave(Behaviour.headOf(6000));
    int appBefore = app.acceptedConnections();
    await().until(() -> app.acceptedConnections() >= appBefore + 5);
    assertThat(changes(SHOP)).as("web/api still answers within the buffer").isEqualTo(1);

    api.behave(Behaviour.headOf(4097));
    await().until(() -> changes(SHOP) == 2);
    app.behave(Behaviour.headOf(6100));
    int wavering = api.acceptedConnections();
    await().until(() -> api.acceptedConnections() >= wavering + 5 && app.acceptedConnections() >= appBefore + 15);
    assertThat(changes(SHOP)).as("heads that stay over tell nothing more").isEqualTo(2);

    api.behave(Behaviour.headOf(4096));
    await().until(() -> changes(SHOP) == 3);
    int after = api.acceptedConnections();
    await().until(() -> api.acceptedConnections() >= after + 5);
    assertThat(changes(SHOP)).isEqualTo(3);
    assertThat(scheduler.findings(SHOP).layer(ProbeLayer.UPSTREAM)).allMatch(TrackedProbe::confirmedSuccess);
  }

  @Test
  void aSuccessIsToldOnceEveryTargetOfTheSiteHasAnsweredButAFailureAtOnce() {
    LoopbackServer origin = server("127.0.0.43", Behaviour.status(200));
    LoopbackServer slow = server("127.0.0.44", Behaviour.hang());
    ProbeTarget upstream = new ProbeTarget(ProbeLayer.UPSTREAM, slow.address(), slow.port(), Scheme.HTTP,
        "shop.example.com", "/", Duration.ofSeconds(2), "web/shop-web");
    scheduler.apply(SHOP, plan(Duration.ofSeconds(30), 1, 1, target(origin, "/"), upstream));

    // The origin's success is concluded, but the upstream has not answered yet: nothing is told.
    await().until(() -> scheduler.findings(SHOP).first(ProbeLayer.ORIGIN).map(TrackedProbe::confirmedSuccess).orElse(false));
    assertThat(changes(SHOP)).isZero();
    // The upstream's first result (a timeout, failureThreshold 1: bad news) tells both at once.
    await().atMost(Duration.ofSeconds(10)).until(() -> changes(SHOP) == 1);
    assertThat(scheduler.findings(SHOP).first(ProbeLayer.UPSTREAM).orElseThrow().confirmedFailure()).isTrue();
    assertThat(scheduler.findings(SHOP).first(ProbeLayer.ORIGIN).orElseThrow().confirmedSuccess()).isTrue();
  }

  /**
   * A failure confirmed under a cluster-state fault since repaired is probed again at once, not a
   * whole interval later, and its answer is told even when it concludes nothing new; a target that
   * serves is left to its round.
   */
  @Test
  void aRecheckProbesTheFailingTargetsAtOnceAndTellsTheirAnswer() {
    LoopbackServer origin = server("127.0.0.42", Behaviour.status(503));
    LoopbackServer upstream = server("127.0.0.43", Behaviour.status(200));
    scheduler.apply(SHOP, plan(Duration.ofSeconds(30), 1, 1, target(origin, "/"), upstream(upstream, "web/shop-web")));
    await().atMost(Duration.ofSeconds(3)).until(() -> scheduler.findings(SHOP).probes().stream()
        .allMatch(TrackedProbe::isConfirmed) && changes(SHOP) > 0);
    int told = settledChanges(SHOP);
    assertThat(scheduler.findings(SHOP).first(ProbeLayer.ORIGIN).orElseThrow().confirmedFailure()).isTrue();
    assertThat(origin.acceptedConnections()).isEqualTo(1);
    assertThat(upstream.acceptedConnections()).isEqualTo(1);

    scheduler.recheckFailures(SHOP);

    // Still 503, so the conclusion is the same: told all the same, as the answer the recheck waits for.
    await().atMost(Duration.ofSeconds(3)).until(() -> changes(SHOP) == told + 1);
    assertThat(origin.acceptedConnections()).isEqualTo(2);
    assertThat(scheduler.findings(SHOP).first(ProbeLayer.ORIGIN).orElseThrow().confirmed().statusCode()).isEqualTo(503);
    assertThat(upstream.acceptedConnections()).as("the serving upstream waits for its round").isEqualTo(1);

    origin.behave(Behaviour.status(200));
    scheduler.recheckFailures(SHOP);
    await().atMost(Duration.ofSeconds(3)).until(() -> changes(SHOP) == told + 2);
    assertThat(scheduler.findings(SHOP).first(ProbeLayer.ORIGIN).orElseThrow().confirmedSuccess()).isTrue();

    // Nothing failing any more: a recheck asks nothing, and no answer is told.
    scheduler.recheckFailures(SHOP);
    await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2))
        .until(() -> origin.acceptedConnections() == 3 && changes(SHOP) == told + 2);
    scheduler.recheckFailures(BLOG); // not probed at all: nothing to do
    assertThat(scheduler.findings(BLOG)).isEqualTo(ProbeFindings.NONE);
  }

  /**
   * One slot, held by a busy Site's probe; the shop's failing origin is already in line as a
   * routine probe, behind its serving pods' and the busy Sites' routine probes, whose rounds (every 200 ms) end sooner
   * than its own (every second). Rechecked after a repair, it goes to the front of its Site's line
   * and its Site to the front of the slots' line: the freed slot is its own, not theirs.
   */
  @Test
  void aRecheckPutsAFailingTargetAlreadyInLineAheadOfRoutineProbes() {
    scheduler.close();
    String refusing = SlowAndRefusingProber.REFUSING;
    HoldingProber scripted = new HoldingProber(refusing);
    List<ProbeTarget> skipped = new CopyOnWriteArrayList<>();
    scheduler = new ProbeScheduler(scripted, 1, 1,
        site -> conclusionChanges.computeIfAbsent(site, s -> new AtomicInteger()).incrementAndGet(),
        new ProbeObserver() {
          @Override
          public void observed(ProbeResult result) {
          }

          @Override
          public void roundSkipped(ProbeTarget target) {
            skipped.add(target);
          }
        });
    ProbeTarget failing = new ProbeTarget(ProbeLayer.ORIGIN, refusing, 80, Scheme.HTTP, "shop.example.com", "/",
        Duration.ofSeconds(1), "");
    // Nine serving pods beside it: it is behind at least one of them in its Site's line nine times in ten.
    List<ProbeTarget> serving = IntStream.range(0, 9).mapToObj(i -> new ProbeTarget(ProbeLayer.UPSTREAM,
        "10.5.0." + i, 8080, Scheme.HTTP, "shop.example.com", "/", Duration.ofSeconds(1), "web/shop-web")).toList();
    List<ProbeTarget> shop = new ArrayList<>(serving);
    shop.add(0, failing);
    scheduler.apply(SHOP, plan(Duration.ofSeconds(1), 1, 1, shop.toArray(ProbeTarget[]::new)));
    List<ProbeTarget> busy = IntStream.range(0, 4).mapToObj(i -> new ProbeTarget(ProbeLayer.UPSTREAM, "10.6.0." + i,
        8080, Scheme.HTTP, "busy.example.com", "/", Duration.ofSeconds(1), "busy/web")).toList();
    for (int i = 0; i < busy.size(); i++) {
      scheduler.apply(new SiteRef("busy", "site-" + i), plan(Duration.ofMillis(200), 3, 1, busy.get(i)));
    }
    await().atMost(Duration.ofSeconds(3)).until(() -> scheduler.findings(SHOP).probes().stream()
        .allMatch(TrackedProbe::isConfirmed));
    assertThat(scheduler.findings(SHOP).first(ProbeLayer.ORIGIN).orElseThrow().confirmedFailure()).isTrue();

    try {
      scripted.holdNextOf("10.6.0.");
      await().atMost(Duration.ofSeconds(2)).until(() -> scripted.held.get() != null);
      String holder = scripted.held.get().address();
      // A round skipped means the target is still in line from the round before.
      await().atMost(Duration.ofSeconds(4)).until(() -> skipped.containsAll(shop)
          && busy.stream().filter(t -> !t.address().equals(holder)).allMatch(skipped::contains));
      int told = changes(SHOP);
      int started = scripted.starts.size();

      scheduler.recheckFailures(SHOP);
      scripted.releaseHeld();

      await().atMost(Duration.ofSeconds(2)).until(() -> scripted.starts.size() > started);
      assertThat(scripted.starts.get(started)).as("the first probe after the slot freed, of %s", scripted.starts)
          .isEqualTo(refusing);
      await().atMost(Duration.ofSeconds(2)).until(() -> changes(SHOP) == told + 1);
    } finally {
      scripted.close();
    }
  }

  @Test
  void heldNewsIsToldWhenTheTargetItWaitedForLeavesThePlan() {
    LoopbackServer origin = server("127.0.0.45", Behaviour.status(200));
    LoopbackServer slow = server("127.0.0.46", Behaviour.hang());
    ProbeTarget waitedFor = new ProbeTarget(ProbeLayer.UPSTREAM, slow.address(), slow.port(), Scheme.HTTP,
        "shop.example.com", "/", Duration.ofSeconds(30), "web/shop-web");
    ProbeTarget originTarget = target(origin, "/");
    scheduler.apply(SHOP, plan(Duration.ofSeconds(30), 3, 1, originTarget, waitedFor));
    await().until(() -> scheduler.findings(SHOP).first(ProbeLayer.ORIGIN).map(TrackedProbe::confirmedSuccess).orElse(false));
    assertThat(changes(SHOP)).isZero();

    scheduler.apply(SHOP, plan(Duration.ofSeconds(30), 3, 1, originTarget));

    await().atMost(Duration.ofSeconds(3)).until(() -> changes(SHOP) == 1);
  }

  @Test
  void removedSiteIsNoLongerProbedNorReported() {
    LoopbackServer origin = server("127.0.0.43", Behaviour.status(200));
    scheduler.apply(SHOP, plan(FAST, 1, 1, target(origin, "/")));
    await().until(() -> origin.acceptedConnections() >= 3);

    scheduler.remove(SHOP);
    origin.behave(Behaviour.status(502));
    int changesAtRemoval = changes(SHOP);

    await().until(() -> prober.inFlight(origin.address()) == 0 && origin.openConnections() == 0);
    int probesAfterRemoval = origin.acceptedConnections();
    await().during(Duration.ofMillis(600)).atMost(Duration.ofSeconds(2))
        .until(() -> origin.acceptedConnections() == probesAfterRemoval);
    assertThat(changes(SHOP)).isEqualTo(changesAtRemoval);
    assertThat(scheduler.findings(SHOP)).isEqualTo(ProbeFindings.NONE);
  }

  @Test
  void applyingTheSamePlanAgainChangesNothing() {
    LoopbackServer origin = server("127.0.0.44", Behaviour.status(200));
    ProbePlan plan = plan(Duration.ofSeconds(30), 3, 1, target(origin, "/"));

    for (int i = 0; i < 50; i++) {
      scheduler.apply(SHOP, plan);
    }

    await().until(() -> origin.acceptedConnections() == 1);
    await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3))
        .until(() -> origin.acceptedConnections() == 1);
  }

  @Test
  void changedPlanRetimesKeepsHistoryOfKeptTargetsAndDropsRemovedOnes() {
    LoopbackServer origin = server("127.0.0.45", Behaviour.status(200));
    LoopbackServer upstream = server("127.0.0.46", Behaviour.status(200));
    ProbeTarget kept = target(origin, "/");
    ProbeTarget dropped = target(upstream, "/old");
    scheduler.apply(SHOP, plan(Duration.ofSeconds(30), 3, 1, kept, dropped));
    await().until(() -> scheduler.findings(SHOP).probes().stream().allMatch(p -> p.last() != null));

    ProbeTarget added = target(upstream, "/new");
    scheduler.apply(SHOP, plan(FAST, 3, 1, kept, added));

    List<TrackedProbe> probes = scheduler.findings(SHOP).probes();
    assertThat(probes).extracting(TrackedProbe::target).containsExactly(kept, added);
    assertThat(probes.get(0).confirmedSuccess()).isTrue(); // kept its history
    await().atMost(Duration.ofSeconds(2)).until(() -> scheduler.findings(SHOP).probes().get(1).last() != null);
    assertThat(upstream.lastRequestHead()).startsWith("GET /new ");
    // re-timed from every 30 s to every 100 ms
    await().atMost(Duration.ofSeconds(3)).until(() -> origin.acceptedConnections() >= 6);
  }

  /**
   * A round that comes due while the target's previous probe still runs is skipped and told to the
   * observer (the metric the ProbesBehind alert reads), for that target only: one that answers in
   * time loses no round.
   */
  @Test
  void aRoundDueWhileTheLastProbeStillRunsIsSkippedAndToldForThatTargetOnly() {
    List<ProbeTarget> skipped = new CopyOnWriteArrayList<>();
    scheduler.close();
    scheduler = new ProbeScheduler(prober, 16, 4, site -> { }, new ProbeObserver() {
      @Override
      public void observed(ProbeResult result) {
        observed.add(result);
      }

      @Override
      public void roundSkipped(ProbeTarget target) {
        skipped.add(target);
      }
    });
    LoopbackServer hanging = server("127.0.0.48", Behaviour.hang());
    LoopbackServer answering = server("127.0.0.49", Behaviour.status(200));

    scheduler.apply(SHOP, plan(Duration.ofMillis(200), 3, 1, target(hanging, "/")));
    scheduler.apply(BLOG, plan(Duration.ofMillis(200), 3, 1, target(answering, "/")));

    await().atMost(Duration.ofSeconds(5)).until(() -> skipped.size() >= 3 && answering.requests() >= 10);
    assertThat(skipped).as("rounds lost while each 1 s probe of the hanging target ran")
        .extracting(ProbeTarget::address).containsOnly("127.0.0.48");
    assertThat(observed).as("the skipped rounds were not probed").extracting(r -> r.target().address())
        .filteredOn("127.0.0.48"::equals).hasSizeLessThan(skipped.size());
  }

  @Test
  void hangingTargetsNeverExceedTheGlobalBound() {
    scheduler.close();
    scheduler = scheduler(5, 100);
    LoopbackServer gateway = server("127.0.0.47", Behaviour.hang());
    ProbeTarget[] targets = IntStream.range(0, 30).mapToObj(i -> target(gateway, "/" + i)).toArray(ProbeTarget[]::new);

    scheduler.apply(SHOP, plan(Duration.ofMillis(500), 3, 1, targets));

    await().until(() -> gateway.acceptedConnections() >= 8);
    assertThat(prober.maxInFlight(gateway.address())).isEqualTo(5);
  }

  /**
   * A prober that never answers must not hold its slot and its target for ever: the scheduler
   * gives up after twice the target's timeout and a grace of 5 s, records a timeout, and probes
   * the target again. Not sooner: the prober's own deadline is the one that should end a probe.
   */
  @Test
  void aProbeTheProberNeverAnswersIsGivenUpAfterTwiceItsTimeoutAndAGrace() {
    scheduler.close();
    List<CompletableFuture<ProbeResult>> handedOut = new CopyOnWriteArrayList<>();
    scheduler = new ProbeScheduler(answeredByHand(new CopyOnWriteArrayList<>(), handedOut), 1, 1, site -> { },
        observed::add);
    ProbeTarget target = new ProbeTarget(ProbeLayer.ORIGIN, "127.0.0.49", 9, Scheme.HTTP, "shop.example.com", "/",
        Duration.ofMillis(100), "");

    scheduler.apply(SHOP, plan(Duration.ofMillis(200), 3, 1, target));

    await().atMost(Duration.ofSeconds(2)).until(() -> handedOut.size() == 1);
    await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(5)).until(observed::isEmpty);
    await().atMost(Duration.ofSeconds(3)).until(() -> !observed.isEmpty());
    assertThat(observed.get(0).outcome()).isEqualTo(ProbeOutcome.RESPONSE_TIMEOUT);
    assertThat(observed.get(0).detail()).contains("probe did not complete").contains("no answer within PT5.2S");
    assertThat(handedOut.get(0)).isCompletedExceptionally();
    await().atMost(Duration.ofSeconds(2)).until(() -> handedOut.size() == 2);
  }

  /**
   * A probe still running when the Site changes how its target is asked (here a PROXY header):
   * its answer is of the old way, and the new history starts without it. The new way's first
   * round, skipped while the old probe ran, comes again soon, not an interval (30 s) later.
   */
  @Test
  void aProbeLaunchedTheOldWayIsNoEvidenceOfTheNewWay() {
    scheduler.close();
    List<CompletableFuture<ProbeResult>> handedOut = new CopyOnWriteArrayList<>();
    List<ProbeTarget> asked = new CopyOnWriteArrayList<>();
    List<ProbeTarget> skipped = new CopyOnWriteArrayList<>();
    ProbeObserver watching = new ProbeObserver() {
      @Override
      public void observed(ProbeResult result) {
        observed.add(result);
      }

      @Override
      public void roundSkipped(ProbeTarget target) {
        skipped.add(target);
      }
    };
    scheduler = new ProbeScheduler(answeredByHand(asked, handedOut), 4, 4, site -> { }, watching);
    ProbeTarget plain = new ProbeTarget(ProbeLayer.ORIGIN, "127.0.0.49", 9, Scheme.HTTP, "shop.example.com", "/",
        Duration.ofSeconds(1), "");
    ProbeTarget withHeader = plain.withProxyProtocol(ProxyProtocol.V1);
    scheduler.apply(SHOP, plan(Duration.ofSeconds(30), 1, 1, plain));
    await().atMost(Duration.ofSeconds(2)).until(() -> handedOut.size() == 1);

    scheduler.apply(SHOP, plan(Duration.ofSeconds(30), 1, 1, withHeader));
    await().atMost(Duration.ofSeconds(3)).until(() -> skipped.contains(withHeader));
    // The gateway closes the header-less connection: a failure of the old way, with failureThreshold 1.
    handedOut.get(0).complete(new ProbeResult(plain, ProbeOutcome.CONNECTION_CLOSED, 0, false, Duration.ofMillis(1),
        "connection closed", java.time.Instant.now()));

    await().atMost(Duration.ofSeconds(2)).until(() -> observed.size() == 1);
    TrackedProbe now = scheduler.findings(SHOP).first(ProbeLayer.ORIGIN).orElseThrow();
    assertThat(now.target()).isEqualTo(withHeader);
    assertThat(now.confirmedFailure()).as("the old way's failure confirmed nothing of the new").isFalse();
    assertThat(now.last()).isNull();
    await().atMost(Duration.ofSeconds(3)).until(() -> asked.size() >= 2);
    assertThat(asked.get(1).proxyProtocol()).isEqualTo(ProxyProtocol.V1);
  }

  @Test
  void aSiteWhoseProbesKeepTimingOutRunsOneAtATime() {
    scheduler.close();
    scheduler = scheduler(50, 8);
    LoopbackServer gateway = server("127.0.0.47", Behaviour.hang());
    ProbeTarget[] targets = IntStream.range(0, 30).mapToObj(i -> target(gateway, "/" + i)).toArray(ProbeTarget[]::new);

    scheduler.apply(SHOP, plan(Duration.ofMillis(500), 3, 1, targets));

    await().until(() -> gateway.acceptedConnections() >= 8 + 4);
    assertThat(prober.maxInFlight(gateway.address())).as("its share before anything timed out").isEqualTo(8);
    await().atMost(Duration.ofSeconds(5)).until(() -> prober.inFlight(gateway.address()) <= 1);
    int accepted = gateway.acceptedConnections();
    await().atMost(Duration.ofSeconds(5)).until(() -> gateway.acceptedConnections() >= accepted + 2);
    assertThat(prober.inFlight(gateway.address())).as("one at a time once its probes time out").isLessThanOrEqualTo(1);
  }

  /**
   * One Site's share is the whole pool, so nothing but taking turns keeps it from holding every
   * slot: its 200 hanging endpoints fill all 4, and a Site added later still gets its probes.
   */
  @Test
  void aSiteWithManyHangingEndpointsDoesNotStarveAnother() {
    scheduler.close();
    scheduler = scheduler(4, 4);
    LoopbackServer endpoints = server("127.0.0.48", Behaviour.hang());
    LoopbackServer blogOrigin = server("127.0.0.49", Behaviour.status(200));
    ProbeTarget[] many = IntStream.range(0, 200).mapToObj(i -> target(endpoints, "/" + i)).toArray(ProbeTarget[]::new);

    scheduler.apply(SHOP, plan(Duration.ofMillis(500), 3, 1, many));
    await().atMost(Duration.ofSeconds(5)).until(() -> prober.inFlight(endpoints.address()) == 4);
    scheduler.apply(BLOG, plan(FAST, 3, 1, target(blogOrigin, "/")));

    await().atMost(Duration.ofSeconds(10)).until(() -> blogOrigin.acceptedConnections() >= 5);
    assertThat(prober.maxInFlight(endpoints.address())).as("the hanging Site could take every slot").isEqualTo(4);
    assertThat(endpoints.acceptedConnections()).as("while most of its endpoints still waited their turn").isLessThan(100);
    assertThat(scheduler.findings(BLOG).first(ProbeLayer.ORIGIN).orElseThrow().confirmedSuccess()).isTrue();
  }

  /**
   * The same without timeouts to slow the busy Site down: 200 endpoints that answer, slowly, keep
   * every slot busy and 196 probes queued, yet a Site added later is probed at each turn, not
   * after the queue. Counted against the busy Site's progress, not timed.
   */
  @Test
  void aBusySiteHoldingEverySlotTakesTurnsWithAnother() {
    scheduler.close();
    scheduler = scheduler(4, 8);
    LoopbackServer endpoints = server("127.0.0.50", Behaviour.slowly(200, Duration.ofMillis(300)));
    LoopbackServer blogOrigin = server("127.0.0.51", Behaviour.status(200));
    ProbeTarget[] many = IntStream.range(0, 200).mapToObj(i -> target(endpoints, "/" + i)).toArray(ProbeTarget[]::new);

    scheduler.apply(SHOP, plan(Duration.ofSeconds(30), 3, 1, many));
    await().atMost(Duration.ofSeconds(5)).until(() -> prober.inFlight(endpoints.address()) == 4);
    int shopProbesBefore = endpoints.acceptedConnections();
    scheduler.apply(BLOG, plan(FAST, 3, 1, target(blogOrigin, "/")));

    await().atMost(Duration.ofSeconds(20)).until(() -> blogOrigin.acceptedConnections() >= 10);
    int shopProbesMeanwhile = endpoints.acceptedConnections() - shopProbesBefore;
    assertThat(prober.maxInFlight(endpoints.address())).as("the busy Site held every slot").isEqualTo(4);
    // Taking turns, the other Site gets a slot as soon as one frees: one or two of the busy Site's
    // probes per one of its own. Behind the queue it would get none before the 196 waiting had run.
    assertThat(shopProbesMeanwhile).as("busy Site's probes while the other got 10").isLessThan(100);
    assertThat(endpoints.acceptedConnections()).as("the busy Site still had probes waiting").isLessThan(200);
    assertThat(scheduler.findings(BLOG).first(ProbeLayer.ORIGIN).orElseThrow().confirmedSuccess()).isTrue();
  }

  /**
   * 16 Sites whose 8 upstreams each hang until the 5 s timeout (a default-deny NetworkPolicy drops
   * the packets) and one healthy Site probing every second, with the default slots (64 overall, 8
   * per Site). The healthy Site must get at least 90% of the probes due to it: counted, not timed.
   */
  @Test
  void sixteenSitesWithHangingUpstreamsCannotTakeAHealthySitesTurns() {
    ScriptedProber scripted = new ScriptedProber();
    scheduler.close();
    scheduler = new ProbeScheduler(scripted, 64, 8, site -> { }, ProbeObserver.NONE);
    try {
      for (int site = 0; site < 16; site++) {
        ProbeTarget[] upstreams = IntStream.range(0, 8).mapToObj(i -> new ProbeTarget(ProbeLayer.UPSTREAM,
            "10.9.0." + i, 8080, Scheme.HTTP, "shop.example.com", "/", Duration.ofSeconds(5), "web/hanging"))
            .toArray(ProbeTarget[]::new);
        scheduler.apply(new SiteRef("hanging", "site-" + site), plan(Duration.ofSeconds(6), 3, 1, upstreams));
      }
      ProbeTarget healthy = new ProbeTarget(ProbeLayer.ORIGIN, "203.0.113.7", 80, Scheme.HTTP, "blog.example.com", "/",
          Duration.ofMillis(500), "");
      scheduler.apply(BLOG, plan(Duration.ofSeconds(1), 3, 1, healthy));

      await().atMost(Duration.ofSeconds(40)).until(() -> scripted.healthyProbes.size() >= 2
          && Duration.ofNanos(scripted.healthyProbes.get(scripted.healthyProbes.size() - 1) - scripted.healthyProbes.get(0))
              .compareTo(Duration.ofSeconds(15)) >= 0);

      List<Long> starts = List.copyOf(scripted.healthyProbes);
      Duration span = Duration.ofNanos(starts.get(starts.size() - 1) - starts.get(0));
      // Each interval is at most 1 s: at least this many were due over the span.
      long due = span.toMillis() / 1000 + 1;
      assertThat(scripted.hangingStarted.get()).as("the hanging Sites kept trying").isGreaterThan(64);
      assertThat(starts.size()).as("healthy probes over %s, of %d due", span, due).isGreaterThanOrEqualTo((int) Math.ceil(0.9 * due));
    } finally {
      scripted.close();
    }
  }

  /**
   * One slot, eight Sites whose probes take 400 ms each (far more work than the slot can do, so
   * routine probes lose rounds), and one Site whose origin refuses: its failures are not
   * confirmed yet (threshold 1,000), so each of its probes decides a change. Its probe must get
   * the slot each time it frees, not wait for its turn behind the eight. Counted, not timed: in
   * plain turns about eight slow probes would run between two of its own.
   */
  @Test
  void aProbeDecidingAChangeGetsTheNextFreeSlotBeforeRoutineProbes() {
    SlowAndRefusingProber scripted = new SlowAndRefusingProber(Duration.ofMillis(400));
    scheduler.close();
    scheduler = new ProbeScheduler(scripted, 1, 1, site -> { }, ProbeObserver.NONE);
    Duration interval = Duration.ofMillis(300);
    try {
      for (int site = 0; site < 8; site++) {
        scheduler.apply(new SiteRef("busy", "site-" + site), plan(interval, 3, 1, new ProbeTarget(ProbeLayer.ORIGIN,
            "10.2.0." + site, 80, Scheme.HTTP, "busy.example.com", "/", Duration.ofSeconds(1), "")));
      }
      scheduler.apply(SHOP, plan(interval, 1000, 1, new ProbeTarget(ProbeLayer.ORIGIN, SlowAndRefusingProber.REFUSING,
          80, Scheme.HTTP, "shop.example.com", "/", Duration.ofSeconds(1), "")));

      // Twelve of its probes (about 24 starts in all), or, if it waited its turns, 60 starts.
      await().atMost(Duration.ofSeconds(40)).until(() -> scripted.refusedStarts() >= 12 || scripted.starts.size() >= 60);

      List<String> order = List.copyOf(scripted.starts);
      List<Integer> slowBetween = othersBetween(order, SlowAndRefusingProber.REFUSING);
      assertThat(slowBetween).as("slow probes between two of the refusing origin's, in %s", order)
          .hasSizeGreaterThanOrEqualTo(10).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(2));
      assertThat(order.size() - scripted.refusedStarts()).as("routine probes still ran").isGreaterThanOrEqualTo(8);
      assertThat(scheduler.findings(SHOP).first(ProbeLayer.ORIGIN).orElseThrow().isConfirmed())
          .as("the failures are still being decided").isFalse();
    } finally {
      scripted.close();
    }
  }

  /**
   * One slot, ten Sites of ten targets probed every 30 s, each probe 300 ms: the slot is busy for
   * the whole first minute. A Site probed every second must still get its probe at nearly every
   * round: it goes before the others, whose rounds end later, instead of waiting behind all ten
   * (3 s, two rounds of three lost).
   */
  @Test
  void aSiteProbedEverySecondKeepsItsRoundsBesideSitesProbedEvery30sThatFillTheSlots() {
    SlowAndRefusingProber scripted = new SlowAndRefusingProber(Duration.ofMillis(300));
    scheduler.close();
    scheduler = new ProbeScheduler(scripted, 1, 1, site -> { }, ProbeObserver.NONE);
    try {
      for (int site = 0; site < 10; site++) {
        int s = site;
        ProbeTarget[] targets = IntStream.range(0, 10).mapToObj(i -> new ProbeTarget(ProbeLayer.UPSTREAM,
            "10.3." + s + "." + i, 8080, Scheme.HTTP, "busy.example.com", "/", Duration.ofSeconds(1), "web/busy"))
            .toArray(ProbeTarget[]::new);
        scheduler.apply(new SiteRef("busy", "site-" + site), plan(Duration.ofSeconds(30), 3, 1, targets));
      }
      String fast = "10.4.0.1";
      scheduler.apply(SHOP, plan(Duration.ofSeconds(1), 3, 1, new ProbeTarget(ProbeLayer.ORIGIN, fast, 80, Scheme.HTTP,
          "shop.example.com", "/", Duration.ofSeconds(1), "")));

      // Nine of its probes, or, if it waited behind the others, 90 starts in all.
      await().atMost(Duration.ofSeconds(40)).until(() -> scripted.starts.stream().filter(fast::equals).count() >= 9
          || scripted.starts.size() >= 90);

      List<String> order = List.copyOf(scripted.starts);
      List<Integer> othersBetween = othersBetween(order, fast);
      assertThat(othersBetween).as("30 s Sites' probes between two of the 1 s Site's, in %s", order)
          .hasSizeGreaterThanOrEqualTo(8).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(4));
      assertThat(order.size() - othersBetween.size() - 1).as("the 30 s Sites still had their probes")
          .isGreaterThanOrEqualTo(16);
    } finally {
      scripted.close();
    }
  }

  /** For each start of {@code address} after its first, how many other starts came since its previous one. */
  private static List<Integer> othersBetween(List<String> starts, String address) {
    List<Integer> between = new ArrayList<>();
    int others = 0;
    for (String started : starts.subList(starts.indexOf(address) + 1, starts.size())) {
      if (started.equals(address)) {
        between.add(others);
        others = 0;
      } else {
        others++;
      }
    }
    return between;
  }

  /** Refuses {@link #REFUSING} at once; answers everything else 200 after {@code answerAfter}. */
  private static final class SlowAndRefusingProber implements Prober {
    static final String REFUSING = "10.1.0.1";
    final List<String> starts = new CopyOnWriteArrayList<>();
    private final Duration answerAfter;
    private final java.util.concurrent.ScheduledExecutorService clock =
        java.util.concurrent.Executors.newSingleThreadScheduledExecutor();

    SlowAndRefusingProber(Duration answerAfter) {
      this.answerAfter = answerAfter;
    }

    long refusedStarts() {
      return starts.stream().filter(REFUSING::equals).count();
    }

    @Override
    public java.util.concurrent.CompletableFuture<ProbeResult> probe(ProbeTarget target) {
      starts.add(target.address());
      if (target.address().equals(REFUSING)) {
        return java.util.concurrent.CompletableFuture.completedFuture(new ProbeResult(target,
            ProbeOutcome.CONNECTION_REFUSED, 0, false, Duration.ofMillis(1), "refused", java.time.Instant.now()));
      }
      java.util.concurrent.CompletableFuture<ProbeResult> result = new java.util.concurrent.CompletableFuture<>();
      clock.schedule(() -> result.complete(new ProbeResult(target, ProbeOutcome.RESPONDED, 200, false, answerAfter, "",
          java.time.Instant.now())), answerAfter.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
      return result;
    }

    @Override
    public void close() {
      clock.shutdownNow();
    }
  }

  /** Refuses one address and answers the rest 200 at once, until asked to hold one probe unanswered. */
  private static final class HoldingProber implements Prober {
    final List<String> starts = new CopyOnWriteArrayList<>();
    final java.util.concurrent.atomic.AtomicReference<ProbeTarget> held = new java.util.concurrent.atomic.AtomicReference<>();
    private final String refusing;
    private volatile String holdPrefix;
    private volatile CompletableFuture<ProbeResult> heldAnswer;

    HoldingProber(String refusing) {
      this.refusing = refusing;
    }

    /** The next probe of an address starting with {@code prefix} is left unanswered until {@link #releaseHeld}. */
    void holdNextOf(String prefix) {
      holdPrefix = prefix;
    }

    void releaseHeld() {
      heldAnswer.complete(answer(held.get(), ProbeOutcome.RESPONDED, 200));
    }

    @Override
    public CompletableFuture<ProbeResult> probe(ProbeTarget target) {
      starts.add(target.address());
      String prefix = holdPrefix;
      if (prefix != null && target.address().startsWith(prefix) && held.get() == null) {
        heldAnswer = new CompletableFuture<>();
        held.set(target);
        return heldAnswer;
      }
      return CompletableFuture.completedFuture(target.address().equals(refusing)
          ? answer(target, ProbeOutcome.CONNECTION_REFUSED, 0) : answer(target, ProbeOutcome.RESPONDED, 200));
    }

    private static ProbeResult answer(ProbeTarget target, ProbeOutcome outcome, int status) {
      return new ProbeResult(target, outcome, status, false, Duration.ofMillis(1), "", java.time.Instant.now());
    }

    @Override
    public void close() {
    }
  }

  /** Answers the healthy Site at once; lets every 10.9.0.x upstream hang until its timeout. */
  private static final class ScriptedProber implements Prober {
    final List<Long> healthyProbes = new CopyOnWriteArrayList<>();
    final AtomicInteger hangingStarted = new AtomicInteger();
    private final java.util.concurrent.ScheduledExecutorService clock =
        java.util.concurrent.Executors.newSingleThreadScheduledExecutor();

    @Override
    public java.util.concurrent.CompletableFuture<ProbeResult> probe(ProbeTarget target) {
      java.util.concurrent.CompletableFuture<ProbeResult> result = new java.util.concurrent.CompletableFuture<>();
      if (target.address().startsWith("10.9.0.")) {
        hangingStarted.incrementAndGet();
        clock.schedule(() -> result.complete(new ProbeResult(target, ProbeOutcome.CONNECT_TIMEOUT, 0, false,
            target.timeout(), "no TCP connection", java.time.Instant.now())), target.timeout().toMillis(),
            java.util.concurrent.TimeUnit.MILLISECONDS);
      } else {
        healthyProbes.add(System.nanoTime());
        result.complete(new ProbeResult(target, ProbeOutcome.RESPONDED, 200, false, Duration.ofMillis(1), "",
            java.time.Instant.now()));
      }
      return result;
    }

    @Override
    public void close() {
      clock.shutdownNow();
    }
  }

  private ProbeScheduler scheduler(int maxConcurrent, int maxPerSite) {
    return new ProbeScheduler(prober, maxConcurrent, maxPerSite,
        site -> conclusionChanges.computeIfAbsent(site, s -> new AtomicInteger()).incrementAndGet(),
        observed::add);
  }

  /** The count of changes told, once it has stood still for a moment (they are told on another thread). */
  private int settledChanges(SiteRef site) {
    int[] seen = {changes(site)};
    await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(3)).until(() -> {
      int now = changes(site);
      boolean same = now == seen[0];
      seen[0] = now;
      return same;
    });
    return seen[0];
  }

  private int changes(SiteRef site) {
    return conclusionChanges.getOrDefault(site, new AtomicInteger()).get();
  }

  private LoopbackServer server(String address, Behaviour behaviour) {
    LoopbackServer server = LoopbackServer.http(address, 0, behaviour);
    servers.add(server);
    return server;
  }

  /** A prober that answers nothing by itself: each probe's target and unanswered result are handed to the test. */
  private static Prober answeredByHand(List<ProbeTarget> asked, List<CompletableFuture<ProbeResult>> handedOut) {
    return new Prober() {
      @Override
      public CompletableFuture<ProbeResult> probe(ProbeTarget target) {
        CompletableFuture<ProbeResult> answer = new CompletableFuture<>();
        asked.add(target);
        handedOut.add(answer);
        return answer;
      }

      @Override
      public void close() {
      }
    };
  }

  private static ProbeTarget target(LoopbackServer server, String path) {
    return new ProbeTarget(ProbeLayer.ORIGIN, server.address(), server.port(), Scheme.HTTP, "shop.example.com", path,
        Duration.ofSeconds(1), "");
  }

  private static ProbeTarget upstream(LoopbackServer server, String service) {
    return new ProbeTarget(ProbeLayer.UPSTREAM, server.address(), server.port(), Scheme.HTTP, "shop.example.com", "/",
        Duration.ofSeconds(1), service);
  }

  private static ProbePlan plan(Duration interval, int failureThreshold, int successThreshold, ProbeTarget... targets) {
    return new ProbePlan(List.of(targets), interval, failureThreshold, successThreshold, StatusRanges.DEFAULT);
  }
}
