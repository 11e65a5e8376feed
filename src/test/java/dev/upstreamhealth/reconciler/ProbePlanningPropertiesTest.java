package dev.upstreamhealth.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.upstreamhealth.api.ProbeSpec;
import dev.upstreamhealth.api.Site;
import dev.upstreamhealth.demo.SiteFixture;
import dev.upstreamhealth.diagnosis.Backend;
import dev.upstreamhealth.diagnosis.BackendRef;
import dev.upstreamhealth.diagnosis.Diagnosis;
import dev.upstreamhealth.diagnosis.Snapshot;
import dev.upstreamhealth.diagnosis.SnapshotBuilder;
import dev.upstreamhealth.diagnosis.SpecProblems;
import dev.upstreamhealth.diagnosis.Workloads;
import dev.upstreamhealth.probe.ProbeLayer;
import dev.upstreamhealth.probe.ProbePlan;
import dev.upstreamhealth.probe.ProbeTarget;
import dev.upstreamhealth.probe.StatusRanges;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * Whatever {@code spec.probe} the API server hands over (with or without the schema's defaults),
 * the plan asks what the spec says, with the defaults where it says nothing; a spec the operator
 * cannot use is probed not at all and answered with InvalidSpec naming the field.
 */
class ProbePlanningPropertiesTest {
  static final String HOST = "shop.example.com";
  static final String LB = "203.0.113.7";
  final SiteFixture shop = new SiteFixture("web", "shop", HOST);

  @Property(tries = 500)
  void thePlanAsksWhatTheSpecSaysWithTheDefaultsForWhatItLeavesOut(@ForAll("probeSpecs") ProbeSpec probe,
      @ForAll boolean portByName) {
    Snapshot snapshot = snapshot(probe, portByName);
    ProbePlan plan = ProbePlanning.plan(snapshot);
    List<String> problems = SpecProblems.of(snapshot.spec());
    Statistics.label("usable").collect(problems.isEmpty());

    if (!problems.isEmpty()) {
      assertThat(plan.targets()).as("nothing is probed for a spec the operator cannot use").isEmpty();
      assertThat(Diagnosis.diagnose(snapshot).reason()).isEqualTo("InvalidSpec");
      return;
    }
    ProbeSpec defaults = new ProbeSpec();
    ProbeSpec p = probe == null ? defaults : probe;
    String path = p.getPath() == null ? defaults.getPath() : p.getPath();
    assertThat(plan.interval()).isEqualTo(Duration.ofSeconds(
        p.getIntervalSeconds() == null ? defaults.getIntervalSeconds() : p.getIntervalSeconds()));
    assertThat(plan.failureThreshold())
        .isEqualTo(p.getFailureThreshold() == null ? defaults.getFailureThreshold() : p.getFailureThreshold());
    assertThat(plan.successThreshold())
        .isEqualTo(p.getSuccessThreshold() == null ? defaults.getSuccessThreshold() : p.getSuccessThreshold());
    assertThat(plan.expected()).isEqualTo(StatusRanges.parse(
        p.getExpectedStatus() == null ? defaults.getExpectedStatus() : p.getExpectedStatus()));
    Duration timeout = Duration.ofSeconds(p.getTimeoutSeconds() == null ? defaults.getTimeoutSeconds() : p.getTimeoutSeconds());

    assertThat(plan.targets()).as("every probe asks for host, bare, within the timeout").isNotEmpty()
        .allSatisfy(t -> {
          assertThat(t.host()).isEqualTo(HOST);
          assertThat(t.timeout()).isEqualTo(timeout);
          assertThat(t.path()).isEqualTo(path);
        });
    assertThat(plan.targets()).filteredOn(t -> t.layer() == ProbeLayer.ORIGIN).singleElement()
        .satisfies(t -> assertThat(t.url()).isEqualTo("http://" + LB + ":80" + path));
    boolean upstreams = !Boolean.FALSE.equals(p.getUpstreams());
    assertThat(plan.targets()).filteredOn(t -> t.layer() == ProbeLayer.UPSTREAM).extracting(ProbeTarget::url)
        .as("the ready endpoint, on its target port, unless spec.probe.upstreams is false")
        .isEqualTo(upstreams ? List.of("http://10.0.0.11:8080" + path) : List.of());
  }

  /** The path goes on the request line as it is: one a request line cannot carry is refused, naming the field. */
  @Property(tries = 200)
  void aPathThatCannotGoOnTheRequestLineIsRefusedNotProbed(@ForAll("unusablePaths") String path) {
    ProbeSpec probe = new ProbeSpec();
    probe.setPath(path);
    Snapshot snapshot = snapshot(probe, false);

    assertThat(ProbePlanning.plan(snapshot).targets()).isEmpty();
    assertThat(SpecProblems.of(snapshot.spec())).anySatisfy(problem -> assertThat(problem).startsWith("spec.probe.path"));
    assertThat(Diagnosis.diagnose(snapshot).message()).contains("spec.probe.path");
  }

  private Snapshot snapshot(ProbeSpec probe, boolean portByName) {
    Site site = shop.site(0, 30, 3);
    site.getSpec().setProbe(probe);
    BackendRef ref = portByName ? new BackendRef("web", "shop-web", null, "http") : new BackendRef("web", "shop-web", 80, null);
    Backend backend = new Backend(ref, shop.service(8080), List.of(shop.endpointSlice(8080, Map.of("10.0.0.11", true))),
        List.of(), Workloads.NONE);
    return SnapshotBuilder.snapshot("web", "shop", site.getSpec()).ingress(shop.ingress(LB)).backends(List.of(backend))
        .build();
  }

  @Provide
  Arbitrary<ProbeSpec> probeSpecs() {
    Arbitrary<Integer> seconds = Arbitraries.integers().between(1, 120).injectNull(0.3);
    Arbitrary<String> paths = Arbitraries.oneOf(
        Arbitraries.of("/", "/healthz", "/a%20b", "/status?full=1", "/a b", "healthz", "/ü"),
        Arbitraries.strings().withChars("/az09%?=&. ").ofMinLength(1).ofMaxLength(12).map(s -> "/" + s))
        .injectNull(0.3);
    Arbitrary<String> expected = Arbitraries.of("200-399", "200", "200-299,301", "2xx").injectNull(0.3);
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

  @Provide
  Arbitrary<String> unusablePaths() {
    return Arbitraries.oneOf(
        Arbitraries.of("/a b", "/a\tb", "/healthz\r\nX-Injected: 1", "/ü", "healthz", ""),
        Arbitraries.strings().withChars("az/").ofMaxLength(6).flatMap(s -> Arbitraries.of(" ", "\n", "\u007f", "é")
            .map(bad -> "/" + s + bad + s)));
  }
}
