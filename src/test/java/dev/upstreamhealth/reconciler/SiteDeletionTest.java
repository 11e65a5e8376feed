package dev.upstreamhealth.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.upstreamhealth.api.Site;
import dev.upstreamhealth.api.SiteRef;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A Site deleted while it is reconciled gets nothing back; one created again under its name is new. */
class SiteDeletionTest {
  static Site site(String uid) {
    Site site = new Site();
    site.setMetadata(new ObjectMetaBuilder().withNamespace("web").withName("shop").withUid(uid).build());
    return site;
  }

  @Test
  void whatAReconcileStartsAfterTheDeletionDoesNotRun() {
    List<SiteRef> cleaned = new ArrayList<>();
    SiteDeletion deletion = new SiteDeletion(List.of(cleaned::add));
    List<String> started = new ArrayList<>();

    assertThat(deletion.unlessDeleted(site("uid-1"), () -> started.add("probes"))).isTrue();
    deletion.deleted(site("uid-1"));
    assertThat(cleaned).containsExactly(new SiteRef("web", "shop"));
    assertThat(deletion.unlessDeleted(site("uid-1"), () -> started.add("probes again"))).isFalse();
    assertThat(started).containsExactly("probes");

    assertThat(deletion.unlessDeleted(site("uid-2"), () -> started.add("the new Site's probes"))).isTrue();
  }

  /**
   * Deleted and created again while the watch was down: the relist tells an update from the old
   * object to the new. The old one's state goes; the new one is reconciled, though its generation
   * (1) is no higher than the old one's.
   */
  @Test
  void aSiteReplacedUnderItsNameWhileUnwatchedLeavesNothingOfTheOldOne() {
    List<SiteRef> cleaned = new ArrayList<>();
    SiteDeletion deletion = new SiteDeletion(List.of(cleaned::add));
    ProbeConclusions events = new ProbeConclusions(deletion);
    List<ResourceID> reconciled = new ArrayList<>();
    events.setEventHandler(event -> reconciled.add(event.getRelatedCustomResourceID()));
    events.start();

    events.onResourceUpdated(site("uid-1"), site("uid-1"));
    assertThat(cleaned).as("an update of the same Site").isEmpty();
    assertThat(reconciled).isEmpty();

    events.onResourceUpdated(site("uid-2"), site("uid-1"));
    assertThat(cleaned).containsExactly(new SiteRef("web", "shop"));
    assertThat(reconciled).containsExactly(new ResourceID("shop", "web"));
    assertThat(deletion.unlessDeleted(site("uid-1"), () -> { })).as("the old one").isFalse();
    assertThat(deletion.unlessDeleted(site("uid-2"), () -> { })).as("the new one").isTrue();
  }

  /** Relabelled out of this operator's shard and back: the API server says deleted, then created. */
  @Test
  void aSiteThatComesBackIntoViewIsReconciledAgain() {
    List<SiteRef> cleaned = new ArrayList<>();
    SiteDeletion deletion = new SiteDeletion(List.of(cleaned::add));
    ProbeConclusions events = new ProbeConclusions(deletion);
    List<String> started = new ArrayList<>();

    events.onResourceDeleted(site("uid-1"));
    assertThat(deletion.unlessDeleted(site("uid-1"), () -> started.add("while out of view"))).isFalse();
    events.onResourceCreated(site("uid-1"));

    assertThat(deletion.unlessDeleted(site("uid-1"), () -> started.add("back in view"))).isTrue();
    assertThat(started).containsExactly("back in view");
    assertThat(cleaned).as("cleaned up once, when it left").containsExactly(new SiteRef("web", "shop"));
  }
}
