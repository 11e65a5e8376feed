package dev.upstreamhealth.diagnosis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.upstreamhealth.api.ConditionStatus;
import dev.upstreamhealth.api.ConditionType;
import dev.upstreamhealth.api.Evidence;
import dev.upstreamhealth.api.Fault;
import dev.upstreamhealth.api.Reason;
import dev.upstreamhealth.api.CdnSpec;
import dev.upstreamhealth.api.GatewaySpec;
import dev.upstreamhealth.api.MaintenanceSpec;
import dev.upstreamhealth.api.OriginSpec;
import dev.upstreamhealth.api.ProbeSpec;
import dev.upstreamhealth.api.SiteSpec;
import dev.upstreamhealth.probe.ProbeFindings;
import dev.upstreamhealth.probe.ProbeLayer;
import dev.upstreamhealth.probe.ProbeOutcome;
import dev.upstreamhealth.probe.ProbeResult;
import dev.upstreamhealth.probe.ProbeTarget;
import dev.upstreamhealth.probe.Scheme;
import dev.upstreamhealth.probe.TrackedProbe;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetConditionBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPathBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressRuleValue;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBackend;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBackendBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressLoadBalancerIngress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.IngressServiceBackend;
import io.fabric8.kubernetes.api.model.networking.v1.IngressSpec;
import io.fabric8.kubernetes.api.model.networking.v1.IngressStatus;
import io.fabric8.kubernetes.api.model.networking.v1.IngressTLS;
import io.fabric8.kubernetes.api.model.networking.v1.IPBlock;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.networking.v1.ServiceBackendPort;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * Whatever the informers and the spec hold, the diagnosis answers: no exception, all five
 * conditions, and a fault, reason and message to show. Objects keep their metadata (the API
 * server always sets it); every other field may be missing or nonsense.
 */
class DiagnosisPropertiesTest {
  static final String NS = "web";

  // ---------------------------------------------------------------- properties

  @Property(tries = 2000)
  void diagnosisAlwaysGivesACompleteVerdict(@ForAll("snapshots") Snapshot snapshot) {
    Verdict[] verdict = new Verdict[1];
    assertThatCode(() -> verdict[0] = Diagnosis.diagnose(snapshot)).doesNotThrowAnyException();
    Verdict v = verdict[0];

    assertThat(v.fault()).isNotNull();
    assertThat(v.reason()).isNotBlank();
    assertThat(v.message()).isNotNull();
    assertThat(v.conditions()).containsOnlyKeys(ConditionType.values());
    v.conditions().forEach((type, c) -> {
      assertThat(c.status()).isNotNull();
      assertThat(c.reason()).isNotBlank();
      assertThat(c.message()).isNotNull();
    });
    assertThat(v.condition(ConditionType.READY).reason()).isEqualTo(v.reason());
    assertThat(v.condition(ConditionType.READY).status() == ConditionStatus.TRUE).isEqualTo(v.fault() == Fault.NONE);
    v.fault().condition().ifPresent(type -> assertThat(v.condition(type).isTrue()).isTrue());
    Statistics.collect(v.reason());
  }

  /** A healthy site with its upstream objects, gateway and probes replaced by random ones: reaches every layer. */
  @Property(tries = 2000)
  void diagnosisOfAPerturbedSiteIsComplete(@ForAll("perturbedSites") Snapshot snapshot) {
    diagnosisAlwaysGivesACompleteVerdict(snapshot);
    Verdict v = Diagnosis.diagnose(snapshot);
    Statistics.label("fault").collect(v.fault().code());
    Statistics.label("fault").coverage(c -> {
      for (Fault f : Fault.values()) {
        c.check(f.code()).count(n -> n > 0);
      }
    });
  }

  /**
   * The outermost failing layer wins, 521 over 502 over 503: the fault is that of the first True
   * condition in that order, its reason is the one Ready and status.reason show, and no fault
   * condition is True when the fault is None, Other or Unknown.
   */
  @Property(tries = 2000)
  void theOutermostFailingLayerSetsTheFault(@ForAll("perturbedSites") Snapshot snapshot) {
    Verdict v = Diagnosis.diagnose(snapshot);
    java.util.Optional<ConditionType> outermost = java.util.stream.Stream.of(ConditionType.ORIGIN_DOWN,
        ConditionType.BAD_GATEWAY, ConditionType.SERVICE_UNAVAILABLE).filter(t -> v.condition(t).isTrue()).findFirst();
    if (v.fault().condition().isPresent()) {
      assertThat(outermost).as("the outermost True condition").isEqualTo(v.fault().condition());
      assertThat(v.reason()).isEqualTo(v.condition(outermost.get()).reason());
    } else {
      assertThat(outermost).as("a True 521/502/503 condition under fault %s", v.fault().code()).isEmpty();
    }
    for (ConditionType type : ConditionType.values()) {
      ConditionVerdict c = v.condition(type);
      if (type.isFaultCondition() && c.isTrue()) {
        assertThat(reasonNamed(c.reason()).condition()).as("%s is True for a reason of its own", type).isEqualTo(type);
      } else if (type.isFaultCondition() && c.status() == ConditionStatus.FALSE) {
        assertThat(c.reason()).isEqualTo(Reason.NO_FAULT);
      }
    }
    Statistics.label("outermost").collect(outermost.map(ConditionType::typeName).orElse("none"));
  }

  /**
   * A fault only a probe can show goes away with the probe's evidence: the same world whose
   * probes all succeed no longer gives that reason. Pure, too: the same snapshot twice gives the
   * same verdict.
   */
  @Property(tries = 2000)
  void removingTheProbesThatShowAFaultRemovesItsReason(@ForAll("perturbedSites") Snapshot snapshot) {
    Verdict v = Diagnosis.diagnose(snapshot);
    assertThat(Diagnosis.diagnose(snapshot)).isEqualTo(v);
    java.util.Optional<Reason> reason = java.util.Arrays.stream(Reason.values())
        .filter(r -> r.reasonName().equals(v.reason())).findFirst();
    boolean probeBorn = reason.isPresent() && reason.get().evidence() == Evidence.PROBE
        && reason.get() != Reason.AWAITING_FIRST_PROBE;
    Statistics.label("probe-born").collect(probeBorn);
    if (probeBorn) {
      Verdict calm = Diagnosis.diagnose(snapshot.withProbes(new ProbeFindings(SiteWorld.healthy().probes)));
      assertThat(calm.reason()).as("%s once every probe succeeds", v.reason()).isNotEqualTo(v.reason());
      assertThat(calm.condition(reason.get().condition()).reason()).isNotEqualTo(v.reason());
    }
  }

  private static Reason reasonNamed(String name) {
    return java.util.Arrays.stream(Reason.values()).filter(r -> r.reasonName().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no reason " + name + " in the catalogue"));
  }

  @Property(tries = 2000)
  void specProblemsNeverThrow(@ForAll("specs") SiteSpec spec) {
    assertThatCode(() -> SpecProblems.of(spec)).doesNotThrowAnyException();
  }

  @Property(tries = 1000)
  void aSpecWithProblemsIsInvalidSpec(@ForAll("snapshots") Snapshot snapshot) {
    List<String> problems = SpecProblems.of(snapshot.spec());
    Verdict v = Diagnosis.diagnose(snapshot);

    if (!problems.isEmpty()) {
      assertThat(v.reason()).isEqualTo("InvalidSpec");
      assertThat(v.fault()).isEqualTo(Fault.UNKNOWN);
      assertThat(v.message()).contains(problems.get(0));
    } else if (v.reason().equals("InvalidSpec")) {
      // The one InvalidSpec a valid spec can get: its origin is an address the operator may not
      // probe (the probe address policy refused it), which only the spec's address can change.
      boolean originNotProbed = snapshot.probes().first(ProbeLayer.ORIGIN).filter(TrackedProbe::confirmedFailure)
          .map(TrackedProbe::confirmed).filter(r -> r.outcome() == ProbeOutcome.NOT_PROBED).isPresent();
      assertThat(originNotProbed).as("InvalidSpec for a spec without problems: %s", v.message()).isTrue();
      assertThat(v.message()).contains("spec.origin.address");
    }
  }

  @Property(tries = 2000)
  void cidrParsingFailsOnlyWithIllegalArgument(@ForAll("cidrs") String text) {
    try {
      Cidr cidr = Cidr.parse(text);
      assertThat(cidr.first().compareTo(cidr.last())).isLessThanOrEqualTo(0);
      assertThat(cidr.containsAll(cidr)).isTrue();
    } catch (IllegalArgumentException expected) {
      assertThat(expected.getMessage()).isNotBlank();
    }
  }

  // ---------------------------------------------------------------- spec

  static <T> Arbitrary<T> orNull(Arbitrary<T> a) {
    return a.injectNull(0.15);
  }

  static Arbitrary<String> junk() {
    return Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(40),
        Arbitraries.strings().withChars("abcz019-.*:/ _").ofMaxLength(30),
        Arbitraries.of("", " ", "shop.example.com", "*.example.com", "SHOP.example.com", "shop", "-bad-.com"));
  }

  @Provide
  Arbitrary<String> expectedStatus() {
    return Arbitraries.oneOf(
        Arbitraries.of("200-399", "200-299,301", "204", "", " ", ",", "-", "200-", "-200", "399-200",
            "200--300", "600", "99", "2OO", "200,,300", "200-299 , 404", "0200", "+200", "٢٠٠"),
        Arbitraries.strings().withChars("0123456789-, x").ofMaxLength(20),
        Arbitraries.strings().ofMaxLength(20));
  }

  @Provide
  Arbitrary<String> cidrs() {
    return Arbitraries.oneOf(
        Arbitraries.of("173.245.48.0/20", "0.0.0.0/0", "2400:cb00::/32", "::/0", "10.0.0.1", "::1", "",
            "1.2.3.4/33", "1.2.3.4/-1", "1.2.3.4/", "/24", "1.2.3/24", "::ffff:1.2.3.4/120", "1:2:3:4:5:6:7:8:9/64",
            "fe80::1%eth0/64", "1.2.3.4/2x", "01.02.03.004/8", "1.2.3.4/99999999999", " 1.2.3.4/8 ", ":::/8"),
        Arbitraries.strings().withChars("0123456789abcdef:./").ofMaxLength(45),
        Combinators.combine(Arbitraries.integers().between(0, 999).list().ofSize(4), Arbitraries.integers().between(-2, 130))
            .as((octets, prefix) -> String.join(".", octets.stream().map(String::valueOf).toList()) + "/" + prefix),
        Arbitraries.strings().ofMaxLength(30));
  }

  @Provide
  Arbitrary<SiteSpec> specs() {
    Arbitrary<OriginSpec> origin = orNull(Combinators.combine(
        orNull(Arbitraries.oneOf(Arbitraries.just("shop"), junk())),
        orNull(Arbitraries.oneOf(Arbitraries.of("", "127.0.0.10", "203.0.113.7", "origin.example.com", "::1"), junk())),
        orNull(Arbitraries.oneOf(Arbitraries.of(0, 80, 443, 8443), Arbitraries.integers())),
        orNull(Arbitraries.of("", "http", "https", "ftp", "HTTP")))
        .as((ingressName, address, port, scheme) -> {
          OriginSpec o = new OriginSpec();
          o.setIngressName(ingressName);
          o.setAddress(address);
          o.setPort(port);
          o.setScheme(scheme);
          return o;
        }));
    Arbitrary<GatewaySpec> gateway = orNull(Combinators.combine(orNull(junk()), orNull(junk()))
        .as(GatewaySpec::new));
    Arbitrary<ProbeSpec> probe = orNull(Combinators.combine(
        orNull(Arbitraries.oneOf(Arbitraries.of("/", "/healthz"), junk())),
        orNull(Arbitraries.integers().between(-5, 100)),
        orNull(Arbitraries.integers().between(-5, 100)),
        orNull(Arbitraries.integers().between(-2, 10)),
        orNull(Arbitraries.integers().between(-2, 10)),
        orNull(expectedStatus()),
        orNull(Arbitraries.of(true, false)))
        .as((path, interval, timeout, failures, successes, expected, upstreams) -> {
          ProbeSpec p = new ProbeSpec();
          p.setPath(path);
          p.setIntervalSeconds(interval);
          p.setTimeoutSeconds(timeout);
          p.setFailureThreshold(failures);
          p.setSuccessThreshold(successes);
          p.setExpectedStatus(expected);
          p.setUpstreams(upstreams);
          return p;
        }));
    Arbitrary<MaintenanceSpec> maintenance = orNull(Combinators.combine(orNull(Arbitraries.of(true, false)), orNull(junk()))
        .as((active, message) -> {
          MaintenanceSpec m = new MaintenanceSpec();
          m.setActive(active);
          m.setMessage(message);
          return m;
        }));
    Arbitrary<CdnSpec> cdn = orNull(orNull(cidrs()).list().ofMaxSize(4).injectNull(0.1).map(ranges -> {
      CdnSpec c = new CdnSpec();
      c.setSourceRanges(ranges == null ? null : new ArrayList<>(ranges));
      return c;
    }));
    Arbitrary<String> host = orNull(Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(3, Arbitraries.just("shop.example.com")), net.jqwik.api.Tuple.of(1, junk())));
    // A usable spec often enough that the rest of the diagnosis gets exercised too.
    Arbitrary<SiteSpec> garbage = Combinators.combine(host, origin, gateway, probe, maintenance, cdn)
        .as((h, o, g, p, m, c) -> {
          SiteSpec s = new SiteSpec();
          s.setHost(h);
          s.setOrigin(o);
          s.setGateway(g);
          s.setProbe(p);
          s.setMaintenance(m);
          s.setCdn(c);
          return s;
        });
    Arbitrary<SiteSpec> mostlyValid = Combinators.combine(gateway, maintenance, Arbitraries.of(true, false),
            Arbitraries.of(true, false), cidrs().list().ofMaxSize(2), Arbitraries.of("", "127.0.0.10", "203.0.113.7"))
        .as((g, m, nullProbe, withGateway, ranges, address) -> {
          SiteSpec s = new SiteSpec();
          s.setHost("shop.example.com");
          s.getOrigin().setIngressName("shop");
          s.getOrigin().setAddress(address);
          s.setGateway(withGateway ? new GatewaySpec("ingress-nginx", "ingress-nginx-controller") : null);
          s.setMaintenance(m);
          if (nullProbe) {
            s.setProbe(null);
          }
          s.getCdn().setSourceRanges(new ArrayList<>(ranges.stream().filter(r -> {
            try {
              Cidr.parse(r);
              return true;
            } catch (IllegalArgumentException e) {
              return false;
            }
          }).toList()));
          return s;
        });
    return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(1, garbage), net.jqwik.api.Tuple.of(2, mostlyValid));
  }

  // ---------------------------------------------------------------- cluster objects

  static Arbitrary<ServiceBackendPort> backendPort() {
    return orNull(Combinators.combine(orNull(Arbitraries.of(80, 443, 8081, 0)), orNull(Arbitraries.of("http", "web", "")))
        .as((number, name) -> new ServiceBackendPort(name, number)));
  }

  static Arbitrary<IngressBackend> ingressBackend() {
    return orNull(Combinators.combine(orNull(Arbitraries.of("shop-web", "other", "")), backendPort())
        .as((name, port) -> new IngressBackendBuilder()
            .withService(new IngressServiceBackend(name, port)).build()));
  }

  static Arbitrary<IngressRule> ingressRule() {
    Arbitrary<HTTPIngressPath> path = Combinators.combine(orNull(Arbitraries.of("/", "/api")), ingressBackend())
        .as((p, backend) -> new HTTPIngressPathBuilder().withPath(p).withPathType("Prefix").withBackend(backend).build());
    Arbitrary<HTTPIngressRuleValue> http = orNull(orNull(path.list().ofMaxSize(3)).map(HTTPIngressRuleValue::new));
    return Combinators.combine(orNull(Arbitraries.of("shop.example.com", "*.example.com", "other.example.com", "")), http)
        .as(IngressRule::new);
  }

  static Arbitrary<Ingress> ingresses() {
    Arbitrary<IngressSpec> spec = orNull(Combinators.combine(ingressBackend(), orNull(ingressRule().list().ofMaxSize(3)),
            orNull(Arbitraries.of(List.of(new IngressTLS(List.of("shop.example.com"), "tls")), List.of(new IngressTLS(null, null)))))
        .as((defaultBackend, rules, tls) -> {
          IngressSpec s = new IngressSpec();
          s.setDefaultBackend(defaultBackend);
          s.setRules(rules);
          s.setTls(tls);
          return s;
        }));
    Arbitrary<IngressLoadBalancerIngress> lb = Combinators.combine(
            orNull(Arbitraries.of("127.0.0.10", "", "::1")), orNull(Arbitraries.of("lb.example.net", "")))
        .as((ip, hostname) -> {
          IngressLoadBalancerIngress i = new IngressLoadBalancerIngress();
          i.setIp(ip);
          i.setHostname(hostname);
          return i;
        });
    Arbitrary<IngressStatus> status = orNull(orNull(lb.list().ofMaxSize(2)).map(list -> {
      IngressStatus st = new IngressStatus();
      if (list != null) {
        st.setLoadBalancer(new io.fabric8.kubernetes.api.model.networking.v1.IngressLoadBalancerStatus(list));
      }
      return st;
    }));
    return orNull(Combinators.combine(spec, status).as((s, st) -> new IngressBuilder()
        .withNewMetadata().withNamespace(NS).withName("shop").endMetadata().build()
        .toBuilder().withSpec(s).withStatus(st).build()));
  }

  static Arbitrary<Service> services(String namespace, String name) {
    Arbitrary<IntOrString> target = orNull(Arbitraries.oneOf(
        Arbitraries.of(8080, 80, 9090).map(IntOrString::new), Arbitraries.of("http", "web", "").map(IntOrString::new)));
    Arbitrary<io.fabric8.kubernetes.api.model.ServicePort> port = Combinators.combine(
            // The API server requires a Service port's number; everything else may be absent.
            orNull(Arbitraries.of("http", "https")), Arbitraries.of(80, 443, 8081), target)
        .as((n, p, t) -> new ServicePortBuilder().withName(n).withPort(p).withTargetPort(t).build());
    return orNull(orNull(orNull(port.list().ofMaxSize(2)).map(ports -> new ServiceBuilder()
            .withNewSpec().withPorts(ports).endSpec().build()))
        .map(svc -> {
          Service s = svc == null ? new Service() : svc;
          s.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withNamespace(namespace).withName(name).build());
          return s;
        }));
  }

  static Arbitrary<Pod> pods(String namespace) {
    Arbitrary<ContainerStatus> containerStatus = Combinators.combine(
            orNull(Arbitraries.of("app")), Arbitraries.of("running", "crash", "terminated", "none", "nullstate"),
            orNull(Arbitraries.of("OOMKilled", "Error", "Completed")), orNull(Arbitraries.of(0, 1, 137)))
        .as((name, state, reason, exit) -> {
          ContainerStatusBuilder b = new ContainerStatusBuilder().withName(name);
          switch (state) {
            case "running" -> b.withNewState().withNewRunning().endRunning().endState();
            case "crash" -> b.withNewState().withNewWaiting().withReason("CrashLoopBackOff").endWaiting().endState()
                .withNewLastState().withNewTerminated().withReason(reason).withExitCode(exit).endTerminated().endLastState();
            case "terminated" -> b.withNewState().withNewTerminated().withReason(reason).withExitCode(exit).endTerminated().endState();
            case "none" -> b.withNewState().endState();
            default -> { }
          }
          return b.build();
        });
    Arbitrary<io.fabric8.kubernetes.api.model.PodStatus> status = orNull(Combinators.combine(
            orNull(Arbitraries.of("Running", "Pending", "Failed", "Succeeded", "Unknown")),
            orNull(Arbitraries.of("Ready", "PodScheduled")),
            orNull(Arbitraries.of("True", "False")),
            orNull(Arbitraries.of("Unschedulable", "ContainersNotReady")),
            orNull(containerStatus.list().ofMaxSize(2)))
        .as((phase, type, condStatus, reason, containers) -> new io.fabric8.kubernetes.api.model.PodStatusBuilder()
            .withPhase(phase)
            .withConditions(type == null ? null : List.of(new PodConditionBuilder().withType(type).withStatus(condStatus)
                .withReason(reason).build()))
            .withContainerStatuses(containers).build()));
    Arbitrary<io.fabric8.kubernetes.api.model.PodSpec> spec = orNull(orNull(Combinators.combine(
            orNull(Arbitraries.of("http", "https", "metrics")), orNull(Arbitraries.of(8080, 80, 9090)))
        .as((n, p) -> new ContainerPortBuilder().withName(n).withContainerPort(p).build()).list().ofMaxSize(2))
        .map(ports -> new io.fabric8.kubernetes.api.model.PodSpecBuilder().addNewContainer().withName("app").withPorts(ports)
            .endContainer().build()));
    return Combinators.combine(status, spec, orNull(Arbitraries.of(Map.of("app", "shop-web"),
            Map.of("app.kubernetes.io/name", "ingress-nginx"))))
        .as((st, sp, labels) -> new PodBuilder().withNewMetadata().withNamespace(namespace).withName("pod")
            .withLabels(labels).endMetadata().build().toBuilder().withSpec(sp).withStatus(st).build());
  }

  static Arbitrary<EndpointSlice> slices() {
    Arbitrary<io.fabric8.kubernetes.api.model.discovery.v1.Endpoint> endpoint = orNull(Arbitraries.of(true, false))
        .map(ready -> new EndpointBuilder().withAddresses("10.0.0.11")
            .withConditions(ready == null ? null : new io.fabric8.kubernetes.api.model.discovery.v1.EndpointConditions(ready, null, null))
            .build());
    return orNull(endpoint.list().ofMaxSize(3)).map(endpoints -> new EndpointSliceBuilder()
        .withNewMetadata().withNamespace(NS).withName("slice").endMetadata().withEndpoints(endpoints).build());
  }

  static Arbitrary<Deployment> deployments() {
    return Combinators.combine(orNull(Arbitraries.integers().between(-1, 3)), orNull(Arbitraries.longs().between(0, 5)),
            orNull(Arbitraries.longs().between(0, 5)), orNull(Arbitraries.integers().between(0, 3)),
            orNull(Arbitraries.of("NewReplicaSetAvailable", "ReplicaSetUpdated", "ProgressDeadlineExceeded")),
            Arbitraries.of(true, false))
        .as((replicas, generation, observed, updated, progressing, withStatus) -> {
          DeploymentBuilder b = new DeploymentBuilder().withNewMetadata().withNamespace(NS).withName("shop-web")
              .withGeneration(generation).endMetadata();
          if (replicas != null) {
            b.withNewSpec().withReplicas(replicas).endSpec();
          }
          if (withStatus) {
            b.withNewStatus().withObservedGeneration(observed).withUpdatedReplicas(updated)
                .withConditions(progressing == null ? null
                    : List.of(new DeploymentConditionBuilder().withType("Progressing").withReason(progressing).build()))
                .endStatus();
          }
          return b.build();
        });
  }

  static Arbitrary<ReplicaSet> replicaSets() {
    return Combinators.combine(orNull(Arbitraries.of("ReplicaFailure", "Other")), orNull(Arbitraries.of("True", "False")),
            orNull(Arbitraries.of("FailedCreate", "Other")), orNull(Arbitraries.of(SiteWorld.QUOTA_MESSAGE, "other", "")),
            Arbitraries.of(true, false))
        .as((type, status, reason, message, withStatus) -> {
          ReplicaSetBuilder b = new ReplicaSetBuilder().withNewMetadata().withNamespace(NS).withName("shop-web-1").endMetadata();
          if (withStatus) {
            b.withNewStatus().withConditions(type == null ? null : List.of(new ReplicaSetConditionBuilder().withType(type)
                .withStatus(status).withReason(reason).withMessage(message).build())).endStatus();
          }
          return b.build();
        });
  }

  static Arbitrary<NetworkPolicy> policies() {
    Arbitrary<NetworkPolicyPeer> peer = Combinators.combine(orNull(Arbitraries.oneOf(Arbitraries.of("0.0.0.0/0", "173.245.48.0/20",
                "10.0.0.0/8", "bogus"), Arbitraries.strings().withChars("0123456789./").ofMaxLength(18))),
            orNull(orNull(Arbitraries.of("173.245.0.0/16", "nope", "1.2.3.4/40")).list().ofMaxSize(2)),
            Arbitraries.of(true, false))
        .as((cidr, except, withBlock) -> {
          NetworkPolicyPeer p = new NetworkPolicyPeer();
          if (withBlock) {
            p.setIpBlock(new IPBlock(cidr, except));
          }
          return p;
        });
    Arbitrary<NetworkPolicyPort> port = Combinators.combine(
            orNull(Arbitraries.oneOf(Arbitraries.of(80, 443).map(IntOrString::new), Arbitraries.of("http", "https", "x").map(IntOrString::new))),
            orNull(Arbitraries.of(79, 90, 500)), orNull(Arbitraries.of("TCP", "UDP")))
        .as((p, end, protocol) -> new NetworkPolicyPort(end, p, protocol));
    Arbitrary<NetworkPolicyIngressRule> rule = Combinators.combine(orNull(peer.list().ofMaxSize(2)), orNull(port.list().ofMaxSize(2)))
        .as(NetworkPolicyIngressRule::new);
    return Combinators.combine(orNull(rule.list().ofMaxSize(2)), orNull(Arbitraries.of(List.of("Ingress"), List.of("Egress"), List.<String>of())),
            Arbitraries.of(true, false), Arbitraries.of(true, false))
        .as((rules, types, withSpec, selectAll) -> {
          NetworkPolicyBuilder b = new NetworkPolicyBuilder().withNewMetadata().withNamespace("ingress-nginx").withName("np").endMetadata();
          if (withSpec) {
            b.withNewSpec().withIngress(rules).withPolicyTypes(types)
                .withNewPodSelector().withMatchLabels(selectAll ? null : Map.of("app.kubernetes.io/name", "ingress-nginx"))
                .endPodSelector().endSpec();
          }
          return b.build();
        });
  }

  static Arbitrary<GatewayState> gateways() {
    return orNull(Combinators.combine(services("ingress-nginx", "ingress-nginx-controller"), slices().list().ofMaxSize(2),
            pods("ingress-nginx").list().ofMaxSize(2), policies().list().ofMaxSize(2))
        .as((svc, slices, pods, policies) -> new GatewayState("ingress-nginx", "ingress-nginx-controller", svc,
            slices.stream().filter(java.util.Objects::nonNull).toList(), pods, policies)));
  }

  // ---------------------------------------------------------------- probes

  static Arbitrary<TrackedProbe> trackedProbes() {
    Arbitrary<ProbeTarget> target = Combinators.combine(Arbitraries.of(ProbeLayer.class), Arbitraries.of("127.0.0.10", "::1", "10.0.0.11"),
            Arbitraries.of(80, 443, 8080), Arbitraries.of(Scheme.class), orNull(Arbitraries.of("web/shop-web", "web/other")))
        .as((layer, address, port, scheme, service) -> new ProbeTarget(layer, address, port, scheme, "shop.example.com", "/",
            Duration.ofSeconds(5), service));
    return Combinators.combine(target, Arbitraries.of(ProbeOutcome.class), Arbitraries.of(200, 204, 301, 404, 429, 500, 502, 503, 504, 0),
            Arbitraries.of(true, false), orNull(Arbitraries.of("detail", "")), Arbitraries.of("confirmed-failure",
                "confirmed-success", "unconfirmed"), Arbitraries.integers().between(0, 5))
        .as((t, outcome, status, retryAfter, detail, state, count) -> {
          ProbeResult r = new ProbeResult(t, outcome, outcome == ProbeOutcome.RESPONDED ? status : 0, retryAfter,
              Duration.ofMillis(12), detail, Instant.EPOCH);
          return switch (state) {
            case "confirmed-failure" -> new TrackedProbe(t, r, r, false, count, 0, r, count);
            case "confirmed-success" -> new TrackedProbe(t, r, r, true, 0, count, null, 0);
            default -> new TrackedProbe(t, r, null, false, count, 0, r, count);
          };
        });
  }

  // ---------------------------------------------------------------- snapshots

  @Provide
  Arbitrary<Snapshot> snapshots() {
    Arbitrary<List<Object>> backendParts = Combinators.combine(services(NS, "shop-web"), slices().list().ofMaxSize(2),
            pods(NS).list().ofMaxSize(3), deployments().list().ofMaxSize(2), replicaSets().list().ofMaxSize(2))
        .as((svc, slices, pods, deployments, replicaSets) -> List.of(svc == null ? "missing" : svc,
            slices.stream().filter(java.util.Objects::nonNull).toList(), pods, deployments, replicaSets));
    return Combinators.combine(specs(), ingresses(), backendParts, gateways(), trackedProbes().list().ofMaxSize(5))
        .as((spec, ingress, parts, gateway, probes) -> {
          List<Backend> backends = new ArrayList<>();
          if (ingress != null) {
            // As the snapshot assembly does: one Backend per ref the Ingress gives for host.
            String host = spec.getHost() == null ? "" : spec.getHost();
            for (BackendRef ref : IngressRoutes.upstreamsFor(ingress, host, ProbedPath.onIngress(spec, ingress), List.of())) {
              backends.add(parts.get(0) instanceof Service svc
                  ? new Backend(ref, svc, cast(parts.get(1)), cast(parts.get(2)),
                      new Workloads(cast(parts.get(3)), cast(parts.get(4)), List.of(), List.of(), List.of()))
                  : Backend.missing(ref));
            }
          }
          return SnapshotBuilder.snapshot(NS, "shop", spec).ingress(ingress).backends(backends).gateway(gateway)
              .probes(new ProbeFindings(probes)).build();
        });
  }

  @Provide
  Arbitrary<Snapshot> perturbedSites() {
    Arbitrary<List<Object>> upstream = Combinators.combine(
            pods(NS).list().ofMaxSize(3).injectNull(0.5),
            slices().list().ofMaxSize(2).injectNull(0.5),
            deployments().list().ofMaxSize(1).injectNull(0.5),
            replicaSets().list().ofMaxSize(1).injectNull(0.7))
        .as((pods, slices, deployments, replicaSets) -> java.util.Arrays.asList(pods, slices, deployments, replicaSets));
    Arbitrary<TrackedProbe> probe = trackedProbes();
    return Combinators.combine(upstream, gateways(), probe.list().ofMaxSize(4).injectNull(0.3),
            Arbitraries.of(true, false), Arbitraries.of(true, false), Arbitraries.of(true, false),
            Arbitraries.of(0, 80, 8081))
        .as((parts, gateway, probes, maintenance, noProbeSpec, withGatewaySpec, ingressPort) -> {
          SiteWorld w = SiteWorld.healthy();
          if (parts.get(0) != null) {
            w.pods = new ArrayList<>(cast(parts.get(0)));
          }
          if (parts.get(1) != null) {
            w.slices = new ArrayList<>(DiagnosisPropertiesTest.<EndpointSlice>cast(parts.get(1)).stream().filter(java.util.Objects::nonNull).toList());
          }
          if (parts.get(2) != null) {
            w.deployments = new ArrayList<>(cast(parts.get(2)));
          }
          if (parts.get(3) != null) {
            w.replicaSets = new ArrayList<>(cast(parts.get(3)));
          }
          if (withGatewaySpec) {
            w.spec.setGateway(new GatewaySpec("ingress-nginx", "ingress-nginx-controller"));
            w.gateway = gateway;
          }
          if (probes != null) {
            w.probes = new ArrayList<>(probes);
          }
          if (maintenance) {
            w.spec.setMaintenance(null);
          }
          if (noProbeSpec) {
            w.spec.setProbe(null);
          }
          if (ingressPort != 0) {
            w.ingressBackendPort(ingressPort);
          }
          return w.snapshot();
        });
  }

  @SuppressWarnings("unchecked")
  private static <T> List<T> cast(Object list) {
    return (List<T>) list;
  }
}
