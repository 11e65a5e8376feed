package dev.upstreamhealth.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.upstreamhealth.api.Site;
import dev.upstreamhealth.demo.DemoKubeconfig;
import dev.upstreamhealth.demo.EmbeddedApiServer;
import dev.upstreamhealth.demo.SiteFixture;
import dev.upstreamhealth.demo.SiteFixtures;
import dev.upstreamhealth.install.Kubectl;
import dev.upstreamhealth.loopback.Behaviour;
import dev.upstreamhealth.loopback.LoopbackServer;
import dev.upstreamhealth.runtime.OperatorOptions;
import dev.upstreamhealth.runtime.UpstreamHealthOperator;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code generate} through the packaged jar against an API server, its output applied with kubectl,
 * and the real operator diagnosing the Sites it wrote.
 */
class GenerateIT {
  private static final Path JAR = Path.of(System.getProperty("operator.jar", "target/upstream-health-operator.jar"));
  // The origin of shop: where its Ingress's load balancer is, on the port the generated Site names (80).
  private static final String SHOP_LB = "127.0.0.93";
  private static final String BLOG_LB = "127.0.0.94";

  @TempDir
  Path dir;

  @Test
  void generatedSitesApplyWithKubectlAndTheOperatorDiagnosesThem() throws Exception {
    Kubectl.requireInstalled();
    SiteFixture shop = new SiteFixture("web", "shop", "shop.example.com");
    try (EmbeddedApiServer api = EmbeddedApiServer.start();
        LoopbackServer origin = LoopbackServer.http(SHOP_LB, 80, Behaviour.status(200));
        LoopbackServer pod = LoopbackServer.http("127.0.0.95", 0, Behaviour.status(200))) {
      // shop: a healthy world whose hand-written Site is left out, so only the Ingress and what is behind it remain.
      SiteFixtures.healthyWorld(shop, SHOP_LB, 80, "127.0.0.95", pod.port()).stream().filter(o -> !(o instanceof Site))
          .forEach(o -> api.client().resource(o).create());
      create(api, ingress("web", "blog", "blog.example.com", false, BLOG_LB),
          ingress("web", "catch-all", "*.example.com", false, BLOG_LB),
          ingress("web", "docs", "docs.example.com", true, BLOG_LB),
          ingress("team-b", "status", "status.example.org", true, BLOG_LB),
          gateway("ingress-nginx", "ingress-nginx-controller", BLOG_LB),
          existingSite("web", "docs", "docs.example.com"));
      Path kubeconfig = DemoKubeconfig.write(dir.resolve("kubeconfig"), api.loopbackUrl());

      Run all = generate(kubeconfig, "--all-namespaces");

      assertThat(all.exit()).as(all.stderr()).isZero();
      assertThat(all.stdout()).contains("name: shop-example-com", "name: blog-example-com", "name: status-example-org")
          .doesNotContain("docs.example.com", "*.example.com");
      assertThat(all.stdout().split("(?m)^---$", -1)).hasSize(4);
      assertThat(all.stderr()).contains(
          "skipped a rule of Ingress web/catch-all: wildcard host *.example.com",
          "skipped docs.example.com of Ingress web/docs: Site web/docs already watches it");
      Path sites = dir.resolve("sites.yaml");
      Files.writeString(sites, all.stdout());

      kubectl(kubeconfig, "apply", "--validate=false", "-f", sites.toString());

      Site blog = api.client().resources(Site.class).inNamespace("web").withName("blog-example-com").get();
      assertThat(blog.getSpec().getOrigin().getIngressName()).isEqualTo("blog");
      assertThat(blog.getSpec().getOrigin().getScheme()).as("derived by the operator, not declared").isIn(null, "");
      assertThat(blog.getSpec().getGateway().getServiceName()).isEqualTo("ingress-nginx-controller");
      Site status = api.client().resources(Site.class).inNamespace("team-b").withName("status-example-org").get();
      assertThat(status.getSpec().getOrigin().getScheme()).isEqualTo("https");
      assertThat(status.getSpec().getOrigin().getPort()).isEqualTo(443);

      try (UpstreamHealthOperator operator = UpstreamHealthOperator.start(api.client(),
          OperatorOptions.defaults().but(b -> {
            b.metricsPort = 0;
            b.probeAllowLoopback = true; // the test servers are on 127.0.0.x
          }))) {
        // shop's world is healthy and the generated Site finds it so; blog has no Service behind it.
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
          assertThat(shown(api, "web", "shop-example-com")).as(() -> message(api, "web", "shop-example-com"))
              .isEqualTo("None Healthy");
          assertThat(shown(api, "web", "blog-example-com")).doesNotStartWith("None").doesNotContain("InvalidSpec");
          assertThat(shown(api, "team-b", "status-example-org")).doesNotContain("InvalidSpec", "no status");
        });
      }

      // Generating again finds every host watched: nothing new, and each one said.
      Run again = generate(kubeconfig, "-A");
      assertThat(again.stdout()).isEmpty();
      assertThat(again.stderr()).contains("shop.example.com of Ingress web/shop: Site web/shop-example-com already watches it",
          "no Sites to generate in any namespace");
      // What it says is for the user: no log noise among it.
      assertThat(again.stderr()).doesNotContain("WARN", "INFO");
    }
  }

  /**
   * cert-manager's HTTP-01 solver and an ingress-nginx canary route a host too, and sort before
   * its main Ingress: neither is the route a Site should name (the solver is deleted once the
   * certificate is issued, and the Site would read IngressNotFound from then on).
   */
  @Test
  void aCertificateSolverOrACanaryIngressIsNeverTheRouteASiteNames() throws Exception {
    try (EmbeddedApiServer api = EmbeddedApiServer.start()) {
      Ingress solver = ingress("web", "cm-acme-http-solver-x7k2p", "shop.example.com", false, BLOG_LB);
      solver.getMetadata().setLabels(Map.of("acme.cert-manager.io/http01-solver", "true"));
      Ingress canary = ingress("web", "a-shop-canary", "shop.example.com", true, BLOG_LB);
      canary.getMetadata().setAnnotations(Map.of("nginx.ingress.kubernetes.io/canary", "true",
          "nginx.ingress.kubernetes.io/canary-weight", "10"));
      Ingress newHostsSolver = ingress("web", "cm-acme-http-solver-q9z4m", "new.example.com", false, BLOG_LB);
      newHostsSolver.getMetadata().setLabels(Map.of("acme.cert-manager.io/http01-solver", "true"));
      create(api, solver, canary, newHostsSolver, ingress("web", "shop", "shop.example.com", true, BLOG_LB));
      Path kubeconfig = DemoKubeconfig.write(dir.resolve("kubeconfig"), api.loopbackUrl());

      Run run = generate(kubeconfig, "--namespace", "web");

      assertThat(run.exit()).as(run.stderr()).isZero();
      assertThat(run.stdout().split("(?m)^---$", -1)).as("one Site: " + run.stdout()).hasSize(2);
      assertThat(run.stdout()).contains("host: shop.example.com", "ingressName: shop")
          .doesNotContain("cm-acme-http-solver", "a-shop-canary", "new.example.com");
      assertThat(run.stderr()).contains(
          "Ingress web/cm-acme-http-solver-x7k2p: it is cert-manager's temporary HTTP-01 solver",
          "Ingress web/cm-acme-http-solver-q9z4m: it is cert-manager's temporary HTTP-01 solver",
          "Ingress web/a-shop-canary: it is an ingress-nginx canary");
    }
  }

  @Test
  void oneNamespaceAndALabelSelectorNarrowWhatIsRead() throws Exception {
    try (EmbeddedApiServer api = EmbeddedApiServer.start()) {
      Ingress labelled = ingress("team-b", "status", "status.example.org", true, BLOG_LB);
      labelled.getMetadata().setLabels(Map.of("team", "b"));
      create(api, labelled, ingress("team-b", "other", "other.example.org", false, BLOG_LB),
          ingress("web", "blog", "blog.example.com", false, BLOG_LB));
      Path kubeconfig = DemoKubeconfig.write(dir.resolve("kubeconfig"), api.loopbackUrl());

      Run run = generate(kubeconfig, "--namespace", "team-b", "--selector=team=b");

      assertThat(run.exit()).as(run.stderr()).isZero();
      assertThat(run.stdout()).contains("host: status.example.org").doesNotContain("other.example.org", "blog");
    }
  }

  @Test
  void anHttpRouteHostGetsASiteWithTlsAndTheGatewayFromItsParentGateway() throws Exception {
    try (EmbeddedApiServer api = EmbeddedApiServer.start()) {
      create(api, gatewayApi("Gateway", "gateways", "public", Map.of(
              "gatewayClassName", "example",
              "listeners", List.of(Map.of("name", "https", "protocol", "HTTPS", "port", 443, "hostname", "*.example.net"))),
              Map.of("addresses", List.of(Map.of("type", "IPAddress", "value", "127.0.0.96")))),
          gatewayApi("HTTPRoute", "apps", "app", Map.of(
              "parentRefs", List.of(Map.of("name", "public", "namespace", "gateways")),
              "hostnames", List.of("app.example.net", "*.example.net")), null),
          solver(gatewayApi("HTTPRoute", "apps", "cm-acme-http-solver-b8w2d", Map.of(
              "parentRefs", List.of(Map.of("name", "public", "namespace", "gateways")),
              "hostnames", List.of("new.example.net")), null)),
          gateway("gateways", "public-gateway", "127.0.0.96"));
      Path kubeconfig = DemoKubeconfig.write(dir.resolve("kubeconfig"), api.loopbackUrl());

      Run run = generate(kubeconfig, "-A");

      assertThat(run.exit()).as(run.stderr()).isZero();
      assertThat(run.stdout()).contains("""
          metadata:
            name: app-example-net
            namespace: apps
          spec:
            host: app.example.net
            origin:
              httpRouteName: app
              scheme: https
              port: 443
            gateway:
              serviceNamespace: gateways
              serviceName: public-gateway
          """);
      assertThat(run.stderr()).contains("skipped a hostname of HTTPRoute apps/app: wildcard host *.example.net",
          "HTTPRoute apps/cm-acme-http-solver-b8w2d: it is cert-manager's temporary HTTP-01 solver");
      assertThat(run.stdout()).as("a solver's route is deleted once the certificate is issued")
          .doesNotContain("new.example.net", "cm-acme-http-solver");
    }
  }

  private static HasMetadata solver(HasMetadata route) {
    route.getMetadata().setLabels(Map.of("acme.cert-manager.io/http01-solver", "true"));
    return route;
  }

  /** Gateway API v1.5: the route's parent is a team's ListenerSet, whose own HTTPS listener carries the host. */
  @Test
  void anHttpRouteThroughAListenerSetTakesTlsFromTheSetAndTheAddressFromItsGateway() throws Exception {
    try (EmbeddedApiServer api = EmbeddedApiServer.start()) {
      create(api, gatewayApi("Gateway", "gateways", "shared", Map.of(
              "gatewayClassName", "example",
              "listeners", List.of(Map.of("name", "http", "protocol", "HTTP", "port", 80))),
              Map.of("addresses", List.of(Map.of("type", "IPAddress", "value", "127.0.0.97")))),
          gatewayApi("ListenerSet", "apps", "team", Map.of(
              "parentRef", Map.of("name", "shared", "namespace", "gateways"),
              "listeners", List.of(Map.of("name", "shop", "protocol", "HTTPS", "port", 443, "hostname", "shop.example.net"))),
              null),
          gatewayApi("HTTPRoute", "apps", "shop", Map.of(
              "parentRefs", List.of(Map.of("group", "gateway.networking.k8s.io", "kind", "ListenerSet", "name", "team")),
              "hostnames", List.of("shop.example.net")), null),
          gateway("gateways", "shared-gateway", "127.0.0.97"));
      Path kubeconfig = DemoKubeconfig.write(dir.resolve("kubeconfig"), api.loopbackUrl());

      Run run = generate(kubeconfig, "-A");

      assertThat(run.exit()).as(run.stderr()).isZero();
      assertThat(run.stdout()).contains("""
          spec:
            host: shop.example.net
            origin:
              httpRouteName: shop
              scheme: https
              port: 443
            gateway:
              serviceNamespace: gateways
              serviceName: shared-gateway
          """);
    }
  }

  @Test
  void helpAndBadArgumentsAreAnswered() throws Exception {
    Run help = generate(null, "--help");
    assertThat(help.exit()).isZero();
    assertThat(help.stdout()).contains("generate [flags]", "--all-namespaces", "--selector", "--namespace");

    Run bad = generate(null, "--namespace", "a", "--all-namespaces");
    assertThat(bad.exit()).isEqualTo(2);
    assertThat(bad.stderr()).contains("exclude each other");
    assertThat(bad.stdout()).isEmpty();
  }

  private static String shown(EmbeddedApiServer api, String namespace, String name) {
    Site site = api.client().resources(Site.class).inNamespace(namespace).withName(name).get();
    if (site == null || site.getStatus() == null || site.getStatus().getReason() == null) {
      return "no status";
    }
    assertThat(site.getStatus().getObservedGeneration()).isEqualTo(site.getMetadata().getGeneration());
    return site.getStatus().getFault() + " " + site.getStatus().getReason();
  }

  private static String message(EmbeddedApiServer api, String namespace, String name) {
    Site site = api.client().resources(Site.class).inNamespace(namespace).withName(name).get();
    return site == null || site.getStatus() == null ? "no status" : site.getStatus().getMessage();
  }

  private static void create(EmbeddedApiServer api, HasMetadata... objects) {
    for (HasMetadata o : objects) {
      if (o instanceof GenericKubernetesResource generic) {
        // The embedded server has no discovery document for the Gateway API: name the resource outright.
        api.client().genericKubernetesResources(new ResourceDefinitionContext.Builder()
            .withGroup("gateway.networking.k8s.io").withVersion("v1").withKind(o.getKind())
            .withPlural(o.getKind().toLowerCase() + "s").withNamespaced(true).build()).resource(generic).create();
      } else {
        api.client().resource(o).create();
      }
    }
  }

  private static Ingress ingress(String namespace, String name, String host, boolean tls, String lb) {
    IngressBuilder b = new IngressBuilder()
        .withNewMetadata().withNamespace(namespace).withName(name).endMetadata()
        .withNewSpec().withIngressClassName("nginx")
          .addNewRule().withHost(host).withNewHttp().addNewPath().withPath("/").withPathType("Prefix")
            .withNewBackend().withNewService().withName(name).withNewPort().withNumber(80).endPort().endService()
            .endBackend().endPath().endHttp().endRule()
        .endSpec()
        .withNewStatus().withNewLoadBalancer().addNewIngress().withIp(lb).endIngress().endLoadBalancer().endStatus();
    if (tls) {
      b.editSpec().addNewTl().withHosts(host).withSecretName(name + "-tls").endTl().endSpec();
    }
    return b.build();
  }

  private static HasMetadata gateway(String namespace, String name, String lb) {
    return new ServiceBuilder().withNewMetadata().withNamespace(namespace).withName(name).endMetadata()
        .withNewSpec().withType("LoadBalancer").withClusterIP("10.96.0.10")
          .addNewPort().withName("http").withPort(80).endPort().endSpec()
        .withNewStatus().withNewLoadBalancer().addNewIngress().withIp(lb).endIngress().endLoadBalancer().endStatus()
        .build();
  }

  private static HasMetadata gatewayApi(String kind, String namespace, String name, Map<String, Object> spec,
      Map<String, Object> status) {
    GenericKubernetesResource object = new GenericKubernetesResourceBuilder()
        .withApiVersion("gateway.networking.k8s.io/v1").withKind(kind)
        .withNewMetadata().withNamespace(namespace).withName(name).endMetadata().build();
    object.setAdditionalProperty("spec", spec);
    if (status != null) {
      object.setAdditionalProperty("status", status);
    }
    return object;
  }

  private static Site existingSite(String namespace, String name, String host) {
    return new SiteFixture(namespace, name, host).site(443, 30, 3);
  }

  record Run(int exit, String stdout, String stderr) {}

  private Run generate(Path kubeconfig, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", JAR.toString(), "generate"));
    command.addAll(List.of(args));
    if (kubeconfig != null) {
      command.addAll(List.of("--kubeconfig", kubeconfig.toString()));
    }
    Path out = dir.resolve("out-" + System.nanoTime());
    Path err = dir.resolve("err-" + System.nanoTime());
    Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("generate finishes").isTrue();
    return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  private void kubectl(Path kubeconfig, String... args) throws IOException, InterruptedException {
    Kubectl.run(kubeconfig, dir.resolve("cache"), args);
  }

}
