package dev.upstreamhealth.diagnosis;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** When the diagnosis must look again by itself: a starting pod's grace ends without any event. */
class StartingPodsTest {

  @Test
  void aPodStillStartingIsLookedAtAgainWhenItsGraceEnds() {
    SiteWorld w = SiteWorld.healthy().podStarting(Duration.ofSeconds(30));

    assertThat(StartingPods.untilFirstGraceEnds(w.snapshot())).contains(Duration.ofSeconds(90));
  }

  @Test
  void theFirstGraceToEndDecides() {
    SiteWorld w = SiteWorld.healthy().podStarting(Duration.ofSeconds(30)).podStarting(Duration.ofSeconds(100));

    assertThat(StartingPods.untilFirstGraceEnds(w.snapshot())).contains(Duration.ofSeconds(20));
  }

  @Test
  void aPodCaughtBetweenTwoCrashesIsLookedAtAgainWhenItsCrashIsNoLongerRecent() {
    SiteWorld w = SiteWorld.healthy().crashLoopingPodCaughtRunning(Duration.ofSeconds(40));

    assertThat(StartingPods.untilFirstGraceEnds(w.snapshot())).contains(Duration.ofMinutes(10).minusSeconds(40));
  }

  /** Left out of its peers' crash loop while its first crash is recent: looked at again when it is not. */
  @Test
  void aPodRunningAgainAfterItsFirstCrashIsLookedAtAgainWhenThatCrashIsNoLongerRecent() {
    SiteWorld w = SiteWorld.healthy().podsCrashingAtBootOneAfterItsFirstCrash(Duration.ofSeconds(5));

    assertThat(StartingPods.untilFirstGraceEnds(w.snapshot())).contains(Duration.ofMinutes(10).minusSeconds(5));
  }

  @Test
  void readyPodsAndPodsPastTheirGraceNeedNoLookAgain() {
    assertThat(StartingPods.untilFirstGraceEnds(SiteWorld.healthy().snapshot())).isEmpty();
    assertThat(StartingPods.untilFirstGraceEnds(SiteWorld.healthy().podStarting(Duration.ofMinutes(3)).snapshot()))
        .isEmpty();
  }
}
