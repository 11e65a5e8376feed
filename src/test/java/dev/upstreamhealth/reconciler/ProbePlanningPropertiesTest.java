package dev.upstreamhealth.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.upstreamhealth.api.ProbeSpec;
import dev.upstreamhealth.api.Site;
import dev.upstreamhealth.demo.SiteFixture;
import dev.upstreamhealth.diagnosis.Backend;
import dev.upstreamhealth.diagnosis.BackendRef;
import dev.upstreamhealth.diagnosis.Snapshot;
import dev.upstreamhealth.diagnosis.SnapshotBuilder;
import dev.upstreamhealth.diagnosis.Workloads;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Whatever the API server hands over (with or without the schema's defaults), planning never throws. */
class ProbePlanningPropertiesTest {
  final SiteFixture shop = new SiteFixture("web", "shop", "shop.example.com");

  @Property(tries = 300)
  void planningNeverThrows(@ForAll("probeSpecs") ProbeSpec probe, @ForAll boolean portByName) {
    Site site = shop.site(0, 30, 3);
    site.getSpec().setProbe(probe);
    BackendRef ref = portByName ? new BackendRef("web", "shop-web", null, null) : new BackendRef("web", "shop-web", 80, null);
    Backend backend = new Backend(ref, shop.service(8080), List.of(shop.endpointSlice(8080, Map.of("10.0.0.11", true))),
        List.of(), Workloads.NONE);
    Snapshot snapshot = SnapshotBuilder.snapshot("web", "shop", site.getSpec()).ingress(shop.ingress("203.0.113.7"))
        .backends(List.of(backend)).build();
    assertThat(ProbePlanning.plan(snapshot)).isNotNull();
  }

  @Provide
  Arbitrary<ProbeSpec> probeSpecs() {
    Arbitrary<Integer> seconds = Arbitraries.integers().between(1, 120).injectNull(0.3);
    Arbitrary<String> paths = Arbitraries.of("/", "/healthz", "/a b").injectNull(0.3);
    Arbitrary<String> expected = Arbitraries.of("200-399", "200", "200-299,301").injectNull(0.3);
    Arbitrary<Boolean> upstreams = Arbitraries.of(true, false).injectNull(0.3);
    return net.jqwik.api.Combinators.combine(seconds, seconds, paths, expected, upstreams).as((interval, timeout, path, exp, up) -> {
      ProbeSpec spec = new ProbeSpec();
      spec.setIntervalSeconds(interval == null ? null : interval + 1);
      spec.setTimeoutSeconds(timeout == null ? null : 1);
      spec.setPath(path);
      spec.setExpectedStatus(exp);
      spec.setUpstreams(up);
      spec.setFailureThreshold(interval == null ? null : 2);
      spec.setSuccessThreshold(timeout == null ? null : 1);
      return spec;
    }).injectNull(0.1);
  }
}
