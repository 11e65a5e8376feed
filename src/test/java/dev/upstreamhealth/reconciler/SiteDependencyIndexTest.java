package dev.upstreamhealth.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.upstreamhealth.api.GatewaySpec;
import dev.upstreamhealth.api.Site;
import dev.upstreamhealth.demo.SiteFixture;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import org.junit.jupiter.api.Test;

class SiteDependencyIndexTest {
  private final SiteDependencyIndex index = new SiteDependencyIndex();

  private static Site shop() {
    Site site = new SiteFixture("web", "shop", "shop.example.com").site(443, 30, 3);
    GatewaySpec gateway = new GatewaySpec();
    gateway.setServiceNamespace("ingress-nginx");
    gateway.setServiceName("ingress-nginx-controller");
    site.getSpec().setGateway(gateway);
    return site;
  }

  @Test
  void aSiteIsFoundByEachDependencyItNamesOnceReconciled() {
    Site site = shop();
    assertThat(index.sites(SiteIndexes.BY_INGRESS, "web/shop")).isEmpty();

    index.enter(site);

    ResourceID id = ResourceID.fromResource(site);
    assertThat(index.sites(SiteIndexes.BY_INGRESS, "web/shop")).containsExactly(id);
    assertThat(index.sites(SiteIndexes.BY_GATEWAY_SERVICE, "ingress-nginx/ingress-nginx-controller")).containsExactly(id);
    assertThat(index.sites(SiteIndexes.BY_GATEWAY_NAMESPACE, "ingress-nginx")).containsExactly(id);
    assertThat(index.sites(SiteIndexes.BY_HTTP_ROUTE, "web/shop")).isEmpty();
  }

  @Test
  void aSiteThatNamesAnotherOriginLeavesTheOldOneAndAForgottenSiteLeavesAll() {
    Site site = shop();
    index.enter(site);
    site.getSpec().getOrigin().setIngressName(null);
    site.getSpec().getOrigin().setHttpRouteName("shop-route");

    index.enter(site);

    ResourceID id = ResourceID.fromResource(site);
    assertThat(index.sites(SiteIndexes.BY_INGRESS, "web/shop")).isEmpty();
    assertThat(index.sites(SiteIndexes.BY_HTTP_ROUTE, "web/shop-route")).containsExactly(id);

    index.forget(id);

    assertThat(index.sites(SiteIndexes.BY_HTTP_ROUTE, "web/shop-route")).isEmpty();
    assertThat(index.sites(SiteIndexes.BY_GATEWAY_NAMESPACE, "ingress-nginx")).isEmpty();
  }

  @Test
  void sitesSharingAGatewayAreEachFoundAndLeaveOneByOne() {
    Site one = shop();
    Site two = new SiteFixture("web", "blog", "blog.example.com").site(443, 30, 3);
    two.getSpec().setGateway(one.getSpec().getGateway());
    index.enter(one);
    index.enter(two);

    index.forget(ResourceID.fromResource(one));

    assertThat(index.sites(SiteIndexes.BY_GATEWAY_NAMESPACE, "ingress-nginx")).containsExactly(ResourceID.fromResource(two));
  }

  /**
   * The defect this index replaced: a Site's entries vanished for a moment each time its cache
   * entry was replaced, and a change mapped in that moment was lost. Re-entered without pause,
   * as every reconcile does, a Site must be found by every lookup in between.
   */
  @Test
  void aSiteReenteredConcurrentlyIsNeverMissingFromALookup() {
    Site site = shop();
    index.enter(site);
    ConcurrentLookups.Tally tally = ConcurrentLookups.whileWriting(() -> {
      for (int i = 0; i < 200_000; i++) {
        index.enter(site);
      }
    }, () -> !index.sites(SiteIndexes.BY_INGRESS, "web/shop").isEmpty());

    assertThat(tally.lookups()).isPositive();
    assertThat(tally.misses()).isZero();
  }
}
