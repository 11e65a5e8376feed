package dev.upstreamhealth.runtime;

import dev.upstreamhealth.diagnosis.Cidr;
import dev.upstreamhealth.probe.transport.ProbeTrust;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/** The operator's command-line flags, each with a default that works in a cluster. */
public record OperatorOptions(
    int metricsPort,
    Set<String> namespaces,
    boolean leaderElection,
    String leaseName,
    String leaseNamespace,
    String siteSelector,
    List<Cidr> probeAllowCidrs,
    List<Cidr> probeDenyCidrs,
    boolean probeAllowLoopback,
    String probeCaFile,
    int probeMaxConcurrency,
    int probeMaxPerSite,
    LeaseTiming leaseTiming,
    Duration cacheSyncTimeout,
    List<String> ingressNginxConfigMaps) {

  /** What ingress-nginx's Helm chart and static manifests name the controller's ConfigMap (as its Service). */
  public static final String INGRESS_NGINX_CONFIGMAP = "ingress-nginx/ingress-nginx-controller";
  private static final Pattern CONFIGMAP_KEY = Pattern.compile(
      "[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?/[a-z0-9]([-.a-z0-9]{0,251}[a-z0-9])?");

  /**
   * How the Lease is held. Losing it ends the process in production (a restarted pod rejoins the
   * election cleanly); embedded runs turn that off.
   */
  public record LeaseTiming(String identity, Duration duration, Duration renewDeadline,
      Duration retryPeriod, boolean exitOnLoss) {
    public static LeaseTiming defaults() {
      String host = System.getenv("HOSTNAME");
      String identity = host == null || host.isBlank() ? "upstream-health-" + UUID.randomUUID() : host;
      return new LeaseTiming(identity, Duration.ofSeconds(15), Duration.ofSeconds(10),
          Duration.ofSeconds(2), true);
    }
  }

  public static final String USAGE = """
      Usage: java -jar upstream-health-operator.jar [operator] [flags]
             java -jar upstream-health-operator.jar demo [--once]
             java -jar upstream-health-operator.jar reasons     (the fault catalogue)
             java -jar upstream-health-operator.jar generate    (Sites from the cluster's Ingresses; --help)

      Runs the operator against the cluster of the current kubeconfig (or the in-cluster config).
        --metrics-port N           /metrics, /healthz and /readyz (default 8080; 0 = any free port, -1 = off)
        --namespaces a,b           watch only these namespaces (default: all); list the gateway's too
        --leader-election          hold a Lease so that only one replica probes and writes
        --lease-name NAME          default upstream-health-operator
        --lease-namespace NS       default: the namespace the operator runs in
        --site-selector SELECTOR   reconcile only Sites with these labels, e.g. shard=a (sharding)
        --probe-allow-cidrs CIDRS  probe only addresses in these blocks (default: any); also lifts the
                                   built-in refusal of link-local addresses and the API server
        --probe-deny-cidrs CIDRS   never probe these blocks (cloud metadata addresses never either)
        --probe-allow-loopback     also probe loopback addresses: for tests and the demo on one
                                   machine only, never in a cluster (a Site could aim at the pod)
        --probe-ca-file FILE       PEM bundle of further roots that strict origin certificate checks
                                   trust (besides the JVM's and Cloudflare's Origin CA roots)
        --probe-max-concurrency N  probes in flight overall (default 64)
        --probe-max-per-site N     probes in flight per Site (default 8)
        --cache-sync-timeout S     seconds start-up waits for each cache's first list (default 30); Sites
                                   keep their status until every cache has listed, however long it takes
        --ingress-nginx-configmaps NS/NAME,...
                                   ingress-nginx controller ConfigMaps to read what they set for every
                                   Ingress from (whitelist-source-range, global-auth-url,
                                   use-proxy-protocol, ssl-redirect, proxy-buffer-size,
                                   proxy-read-timeout), each for the Sites
                                   whose spec.gateway Service it is named as (default
                                   ingress-nginx/ingress-nginx-controller; empty: none)
      """;

  private static final Set<String> VALUE_FLAGS = Set.of("--metrics-port", "--namespaces", "--lease-name",
      "--lease-namespace", "--site-selector", "--probe-allow-cidrs", "--probe-deny-cidrs", "--probe-ca-file",
      "--probe-max-concurrency", "--probe-max-per-site", "--cache-sync-timeout", "--ingress-nginx-configmaps");

  public static OperatorOptions defaults() {
    return new OperatorOptions(8080, Set.of(), false, "upstream-health-operator", null, null,
        List.of(), List.of(), false, null, 64, 8, LeaseTiming.defaults(), Duration.ofSeconds(30),
        List.of(INGRESS_NGINX_CONFIGMAP));
  }

  /**
   * Parses flags.
   *
   * @throws IllegalArgumentException with a message for the user
   */
  public static OperatorOptions parse(List<String> args) {
    OperatorOptions o = defaults();
    for (int i = 0; i < args.size(); i++) {
      String flag = args.get(i);
      String value = null;
      int eq = flag.indexOf('=');
      if (eq > 0) {
        value = flag.substring(eq + 1);
        flag = flag.substring(0, eq);
      }
      if (flag.equals("--leader-election")) {
        o = o.with(b -> b.leaderElection = true);
        continue;
      }
      if (flag.equals("--probe-allow-loopback")) {
        o = o.with(b -> b.probeAllowLoopback = true);
        continue;
      }
      if (!VALUE_FLAGS.contains(flag)) {
        throw new IllegalArgumentException("unknown flag " + flag);
      }
      if (value == null) {
        if (i + 1 >= args.size()) {
          throw new IllegalArgumentException(flag + " needs a value");
        }
        value = args.get(++i);
      }
      String v = value;
      String f = flag;
      o = switch (f) {
        case "--metrics-port" -> o.with(b -> b.metricsPort = integer(f, v, -1, 65535));
        case "--namespaces" -> o.with(b -> b.namespaces = list(v).isEmpty() ? Set.of() : new LinkedHashSet<>(list(v)));
        case "--lease-name" -> o.with(b -> b.leaseName = v);
        case "--lease-namespace" -> o.with(b -> b.leaseNamespace = v);
        case "--site-selector" -> o.with(b -> b.siteSelector = v.isBlank() ? null : v);
        case "--probe-allow-cidrs" -> o.with(b -> b.probeAllowCidrs = cidrs(f, v));
        case "--probe-deny-cidrs" -> o.with(b -> b.probeDenyCidrs = cidrs(f, v));
        case "--probe-ca-file" -> o.with(b -> b.probeCaFile = caFile(v));
        case "--probe-max-concurrency" -> o.with(b -> b.probeMaxConcurrency = integer(f, v, 1, 10_000));
        case "--probe-max-per-site" -> o.with(b -> b.probeMaxPerSite = integer(f, v, 1, 1_000));
        case "--cache-sync-timeout" -> o.with(b -> b.cacheSyncTimeout = Duration.ofSeconds(integer(f, v, 1, 3600)));
        case "--ingress-nginx-configmaps" -> o.with(b -> b.ingressNginxConfigMaps = configMaps(f, v));
        default -> throw new IllegalArgumentException("unknown flag " + f);
      };
    }
    return o;
  }

  private static int integer(String flag, String v, int min, int max) {
    try {
      int n = Integer.parseInt(v.strip());
      if (n < min || n > max) {
        throw new IllegalArgumentException(flag + " must be between " + min + " and " + max);
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(flag + " needs a number, not \"" + v + "\"");
    }
  }

  /** A bundle that cannot be read is refused here, with the reason, rather than when probing starts. */
  private static String caFile(String v) {
    if (v.isBlank()) {
      return null;
    }
    ProbeTrust.bundle(Path.of(v));
    return v;
  }

  private static List<String> list(String v) {
    return Arrays.stream(v.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
  }

  /** "namespace/name" of each ConfigMap, once each, in the order given. */
  private static List<String> configMaps(String flag, String v) {
    for (String key : list(v)) {
      if (!CONFIGMAP_KEY.matcher(key).matches()) {
        throw new IllegalArgumentException(flag + ": \"" + key + "\" is not namespace/name of a ConfigMap");
      }
    }
    return List.copyOf(new LinkedHashSet<>(list(v)));
  }

  private static List<Cidr> cidrs(String flag, String v) {
    List<Cidr> out = new ArrayList<>();
    for (String s : list(v)) {
      try {
        out.add(Cidr.parse(s));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(flag + ": " + e.getMessage());
      }
    }
    return out;
  }

  private OperatorOptions with(Consumer<Builder> change) {
    Builder b = new Builder(this);
    change.accept(b);
    return b.build();
  }

  /** Mutable only while one flag is applied. */
  public static final class Builder {
    public int metricsPort;
    public Set<String> namespaces;
    public boolean leaderElection;
    public String leaseName;
    public String leaseNamespace;
    public String siteSelector;
    public List<Cidr> probeAllowCidrs;
    public List<Cidr> probeDenyCidrs;
    public boolean probeAllowLoopback;
    public String probeCaFile;
    public int probeMaxConcurrency;
    public int probeMaxPerSite;
    public LeaseTiming leaseTiming;
    public Duration cacheSyncTimeout;
    public List<String> ingressNginxConfigMaps;

    Builder(OperatorOptions o) {
      metricsPort = o.metricsPort;
      namespaces = o.namespaces;
      leaderElection = o.leaderElection;
      leaseName = o.leaseName;
      leaseNamespace = o.leaseNamespace;
      siteSelector = o.siteSelector;
      probeAllowCidrs = o.probeAllowCidrs;
      probeDenyCidrs = o.probeDenyCidrs;
      probeAllowLoopback = o.probeAllowLoopback;
      probeCaFile = o.probeCaFile;
      probeMaxConcurrency = o.probeMaxConcurrency;
      probeMaxPerSite = o.probeMaxPerSite;
      leaseTiming = o.leaseTiming;
      cacheSyncTimeout = o.cacheSyncTimeout;
      ingressNginxConfigMaps = o.ingressNginxConfigMaps;
    }

    OperatorOptions build() {
      return new OperatorOptions(metricsPort, Set.copyOf(namespaces), leaderElection, leaseName, leaseNamespace,
          siteSelector, List.copyOf(probeAllowCidrs), List.copyOf(probeDenyCidrs), probeAllowLoopback, probeCaFile,
          probeMaxConcurrency, probeMaxPerSite, leaseTiming, cacheSyncTimeout, List.copyOf(ingressNginxConfigMaps));
    }
  }

  /** A copy with other changes, for embedding (tests and the demo). */
  public OperatorOptions but(Consumer<Builder> change) {
    return with(change);
  }
}
