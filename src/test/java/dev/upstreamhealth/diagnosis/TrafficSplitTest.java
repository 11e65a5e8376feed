package dev.upstreamhealth.diagnosis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.upstreamhealth.api.ConditionStatus;
import dev.upstreamhealth.api.ConditionType;
import dev.upstreamhealth.api.Fault;
import org.junit.jupiter.api.Test;

/**
 * A backend that gets only a share of the visitors' requests (a canary step of a weighted split, an
 * A/B test's header rule) and cannot serve fails that share: Degraded, naming the share, never the
 * Site's 502 or 503 while most requests are served.
 */
class TrafficSplitTest {

  @Test
  void aMissingCanaryAtWeightTenIsAPartialFailure() {
    Verdict v = SiteWorld.healthy().viaHttpRoute().route.canary("shop-canary", 90, 10).diagnose();

    assertThat(v.fault()).isEqualTo(Fault.NONE);
    assertThat(v.condition(ConditionType.BAD_GATEWAY).status()).isEqualTo(ConditionStatus.FALSE);
    assertThat(v.condition(ConditionType.DEGRADED).reason()).isEqualTo("PartialUpstreamFailure");
    assertThat(v.condition(ConditionType.DEGRADED).message())
        .contains("Service web/shop-canary, which does not exist")
        .contains("sends Service web/shop-canary weight 10 of 100 in spec.rules[0], the rest to backends that serve:"
            + " about 10 % of that rule's requests fail");
  }

  @Test
  void aCanaryWithoutReadyEndpointsIsAPartialFailure() {
    Verdict v = SiteWorld.healthy().serviceWithoutPods("shop-canary").viaHttpRoute().route.canary("shop-canary", 95, 5)
        .diagnose();

    assertThat(v.fault()).isEqualTo(Fault.NONE);
    assertThat(v.condition(ConditionType.SERVICE_UNAVAILABLE).status()).isEqualTo(ConditionStatus.FALSE);
    assertThat(v.condition(ConditionType.DEGRADED).message()).contains("0/0 endpoints of Service web/shop-canary ready")
        .contains("about 5 %");
  }

  @Test
  void theGatewaysReportOfTheMissingCanaryIsAPartialFailureToo() {
    Verdict v = SiteWorld.healthy().viaHttpRoute().route.canary("shop-canary", 90, 10)
        .route.resolvedRefs("BackendNotFound", "Failed to process route rule 0 backendRef 1: service web/shop-canary not found.")
        .diagnose();

    assertThat(v.fault()).isEqualTo(Fault.NONE);
    assertThat(v.condition(ConditionType.BAD_GATEWAY).status()).isEqualTo(ConditionStatus.FALSE);
    assertThat(v.condition(ConditionType.DEGRADED).reason()).isEqualTo("PartialUpstreamFailure");
  }

  @Test
  void halfTheRequestsFailingIsTheSitesFault() {
    Verdict even = SiteWorld.healthy().viaHttpRoute().route.canary("shop-canary", 50, 50).diagnose();
    assertThat(even.reason()).isEqualTo("BackendServiceMissing");

    // The stable backend gone while the canary at 10 serves: nine requests in ten fail.
    Verdict stableGone = SiteWorld.healthy().serviceWithoutPods("shop-canary").viaHttpRoute().backendServiceMissing()
        .route.canary("shop-canary", 90, 10).diagnose();
    assertThat(stableGone.fault()).isNotEqualTo(Fault.NONE);
  }

  @Test
  void aCanaryInANamespaceNoReferenceGrantAdmitsIsAPartialFailure() {
    Verdict v = SiteWorld.healthy().viaHttpRoute().route.canary("shop-canary", 90, 10).route.lastBackendIn("canary")
        .diagnose();

    assertThat(v.fault()).isEqualTo(Fault.NONE);
    assertThat(v.condition(ConditionType.DEGRADED).message()).contains("no ReferenceGrant in canary")
        .contains("about 10 %");
  }

  /**
   * The stable backend in a namespace the operator does not watch is unknown, not failing: the
   * canary without endpoints beside it fails its own tenth only.
   */
  @Test
  void aStableBackendInAnUnwatchedNamespaceIsNoShareThatFails() {
    Verdict v = SiteWorld.healthy().serviceWithoutPods("shop-canary").viaHttpRoute().route.canary("shop-canary", 90, 10)
        .route.firstBackendInUnwatched("shared").diagnose();

    assertThat(v.fault()).as(v.message()).isEqualTo(Fault.NONE);
    assertThat(v.condition(ConditionType.SERVICE_UNAVAILABLE).status()).isEqualTo(ConditionStatus.FALSE);
    assertThat(v.condition(ConditionType.DEGRADED).message()).contains("about 10 %");
  }

  @Test
  void aBackendWithReadyEndpointsThatFailsAnotherCheckIsNoShareOfItsOwnRule() {
    // Its EndpointSlice says ready, its named targetPort matches no container port: the rule's only backend fails.
    Verdict v = SiteWorld.healthy().serviceTargetPort(new io.fabric8.kubernetes.api.model.IntOrString("grpc"))
        .viaHttpRoute().diagnose();

    assertThat(v.reason()).isEqualTo("ServicePortMismatch");
  }

  @Test
  void aRuleOnlyAHeaderReachesFailsOnlyThoseRequests() {
    Verdict v = SiteWorld.healthy().viaHttpRoute().route.headerRuleTo("x-canary", "shop-canary").diagnose();

    assertThat(v.fault()).isEqualTo(Fault.NONE);
    assertThat(v.condition(ConditionType.DEGRADED).message())
        .contains("sends Service web/shop-canary only the requests with header x-canary (spec.rules[0])");
  }

  @Test
  void aBackendThatAlsoServesPlainRequestsStillFaultsTheSite() {
    // The control: the header rule's backend is the one plain requests reach as well.
    Verdict v = SiteWorld.healthy().viaHttpRoute().backendServiceMissing().route.headerRuleTo("x-canary", "shop-web")
        .diagnose();

    assertThat(v.reason()).isEqualTo("BackendServiceMissing");
  }
}
