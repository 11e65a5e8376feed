package dev.upstreamhealth.generate;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import dev.upstreamhealth.api.Site;
import dev.upstreamhealth.api.SiteRef;
import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * {@code generate [--namespace NS | --all-namespaces] [--selector SEL] [--kubeconfig FILE]}: one Site per
 * public host of the cluster's routes, as YAML on stdout; what it skipped and why on stderr.
 */
public final class GenerateCommand {
  public static final String USAGE = """
      Usage: java -jar upstream-health-operator.jar generate [flags] > sites.yaml

      Reads the Ingresses (and HTTPRoutes, where the Gateway API is installed) of the cluster of the
      current kubeconfig and prints one Site per public host, as YAML ready to commit and apply:
      its name from the host, origin from the route, scheme and port from the route's TLS, and the
      gateway Service whose load-balancer address the route publishes. Hosts that a Site already
      watches are left out; what is skipped, and why, goes to stderr.
        -n, --namespace NS         read this namespace (default: the kubeconfig context's)
        -A, --all-namespaces       read every namespace
        -l, --selector SELECTOR    only routes with these labels, e.g. team=web
            --kubeconfig FILE      default: $KUBECONFIG or ~/.kube/config
        -h, --help                 this text
      """;

  private final List<RouteSource> sources;

  public GenerateCommand(List<RouteSource> sources) {
    this.sources = List.copyOf(sources);
  }

  /** The route kinds this build knows: Ingress, and HTTPRoute where the Gateway API is served. */
  public static GenerateCommand standard() {
    return new GenerateCommand(List.of(new IngressHosts(), new HttpRouteHosts()));
  }

  /** Runs with command-line arguments; returns the exit code. */
  public static int run(List<String> args, PrintStream out, PrintStream err) {
    Options options;
    try {
      options = Options.parse(args);
    } catch (IllegalArgumentException e) {
      err.println("error: " + e.getMessage());
      err.print(USAGE);
      return 2;
    }
    if (options.help) {
      out.print(USAGE);
      return 0;
    }
    // Sites are v1alpha1, and the client warns of that on first use: noise among what this command says.
    ((Logger) LoggerFactory.getLogger("io.fabric8.kubernetes.client.dsl.internal.VersionUsageUtils"))
        .setLevel(Level.ERROR);
    try (KubernetesClient client = client(options.kubeconfig)) {
      Scope scope = new Scope(options.allNamespaces ? null
          : options.namespace != null ? options.namespace : client.getNamespace(), options.selector);
      SiteDrafts.Result result = standard().generate(client, scope);
      result.notes().forEach(err::println);
      if (result.sites().isEmpty()) {
        err.println("no Sites to generate in " + (scope.allNamespaces() ? "any namespace" : "namespace " + scope.namespace()));
      }
      out.print(result.yaml());
      return 0;
    } catch (KubernetesClientException e) {
      err.println("error: the API server refused a read: " + e.getMessage());
      return 1;
    }
  }

  public SiteDrafts.Result generate(KubernetesClient client, Scope scope) {
    List<PublicHost> hosts = new ArrayList<>();
    List<Skipped> skipped = new ArrayList<>();
    for (RouteSource source : sources) {
      if (source.available(client)) {
        RouteSource.Found found = source.find(client, scope);
        hosts.addAll(found.hosts());
        skipped.addAll(found.skipped());
      }
    }
    return SiteDrafts.draft(hosts, skipped, existingSites(client, scope), gatewayServices(client, skipped));
  }

  private static List<ExistingSite> existingSites(KubernetesClient client, Scope scope) {
    var all = client.genericKubernetesResources(new ResourceDefinitionContext.Builder().withGroup(Site.GROUP)
        .withVersion(Site.VERSION).withKind("Site").withPlural("sites").withNamespaced(true).build());
    var sites = scope.allNamespaces() ? all.inAnyNamespace() : all.inNamespace(scope.namespace());
    return sites.list().getItems().stream()
        .map(s -> new ExistingSite(new SiteRef(s.getMetadata().getNamespace(), s.getMetadata().getName()),
            String.valueOf(HttpRouteHosts.spec(s).get("host"))))
        .toList();
  }

  /** Every LoadBalancer Service the account may read: gateways usually live in a namespace of their own. */
  private static List<GatewayService> gatewayServices(KubernetesClient client, List<Skipped> skipped) {
    List<Service> services;
    try {
      services = client.services().inAnyNamespace().list().getItems();
    } catch (KubernetesClientException e) {
      skipped.add(new Skipped("the gateway lookup", "Services cannot be listed in all namespaces (" + e.getCode()
          + "): no Site gets spec.gateway"));
      return List.of();
    }
    return services.stream()
        .filter(s -> s.getSpec() != null && "LoadBalancer".equals(s.getSpec().getType()))
        .map(s -> new GatewayService(s.getMetadata().getNamespace(), s.getMetadata().getName(), addresses(s)))
        .filter(g -> !g.addresses().isEmpty())
        .toList();
  }

  private static List<String> addresses(Service service) {
    if (service.getStatus() == null || service.getStatus().getLoadBalancer() == null
        || service.getStatus().getLoadBalancer().getIngress() == null) {
      return List.of();
    }
    List<String> addresses = new ArrayList<>();
    for (LoadBalancerIngress lb : service.getStatus().getLoadBalancer().getIngress()) {
      if (lb.getIp() != null && !lb.getIp().isEmpty()) {
        addresses.add(lb.getIp());
      } else if (lb.getHostname() != null && !lb.getHostname().isEmpty()) {
        addresses.add(lb.getHostname());
      }
    }
    return addresses;
  }

  private static KubernetesClient client(Path kubeconfig) {
    if (kubeconfig == null) {
      return new KubernetesClientBuilder().build();
    }
    try {
      return new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(Files.readString(kubeconfig))).build();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + kubeconfig, e);
    }
  }

  private static final class Options {
    String namespace;
    boolean allNamespaces;
    String selector;
    Path kubeconfig;
    boolean help;

    static Options parse(List<String> args) {
      Options o = new Options();
      for (int i = 0; i < args.size(); i++) {
        String arg = args.get(i);
        String flag = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
        switch (flag) {
          case "-h", "--help" -> o.help = true;
          case "-A", "--all-namespaces" -> o.allNamespaces = true;
          case "-n", "--namespace" -> o.namespace = value(args, i++, arg);
          case "-l", "--selector" -> o.selector = value(args, i++, arg);
          case "--kubeconfig" -> o.kubeconfig = Path.of(value(args, i++, arg));
          default -> throw new IllegalArgumentException("generate: unknown argument " + arg);
        }
        if (arg.contains("=")) {
          i--;
        }
      }
      if (o.allNamespaces && o.namespace != null) {
        throw new IllegalArgumentException("generate: --namespace and --all-namespaces exclude each other");
      }
      return o;
    }

    private static String value(List<String> args, int i, String arg) {
      if (arg.contains("=")) {
        return arg.substring(arg.indexOf('=') + 1);
      }
      if (i + 1 >= args.size() || args.get(i + 1).isBlank()) {
        throw new IllegalArgumentException("generate: " + arg + " needs a value");
      }
      return args.get(i + 1);
    }
  }
}
