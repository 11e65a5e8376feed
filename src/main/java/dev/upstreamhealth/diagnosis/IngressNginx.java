package dev.upstreamhealth.diagnosis;

import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;

/**
 * What ingress-nginx's annotations on the Site's Ingress change about the backends visitors reach.
 * Other controllers ignore these annotations; where one serves the Ingress, the origin probe still
 * judges what visitors get.
 */
public final class IngressNginx {
  /** "Used to handle the response when the configured service ... does not have any active endpoints". */
  static final String DEFAULT_BACKEND = "nginx.ingress.kubernetes.io/default-backend";
  private static final String PERMANENT_REDIRECT = "nginx.ingress.kubernetes.io/permanent-redirect";
  private static final String PERMANENT_REDIRECT_CODE = "nginx.ingress.kubernetes.io/permanent-redirect-code";
  private static final String TEMPORAL_REDIRECT = "nginx.ingress.kubernetes.io/temporal-redirect";
  /** More names for the server of each rule host of the Ingress, comma separated. */
  private static final String SERVER_ALIAS = "nginx.ingress.kubernetes.io/server-alias";
  /** Answer www.example.com with a redirect to example.com, or back, for each rule host. */
  private static final String FROM_TO_WWW_REDIRECT = "nginx.ingress.kubernetes.io/from-to-www-redirect";
  /** A canary Ingress: its backends take a share of another Ingress's host and paths, and nothing else of it counts. */
  private static final String CANARY = "nginx.ingress.kubernetes.io/canary";
  /** Proxy to the Service's cluster IP rather than to its endpoints. */
  private static final String SERVICE_UPSTREAM = "nginx.ingress.kubernetes.io/service-upstream";
  /** Error codes the default backend answers in place of the upstream's (or nginx's own) page. */
  private static final String CUSTOM_HTTP_ERRORS = "nginx.ingress.kubernetes.io/custom-http-errors";
  /** The path nginx sends a request for / to with a 302 of its own, before any location or backend. */
  static final String APP_ROOT = "nginx.ingress.kubernetes.io/app-root";
  /**
   * An app-root ingress-nginx applies: a path (its validator's characters; a URL with a scheme it
   * drops). A "$" would be read as an nginx variable in the redirect, so where it goes is unknown.
   */
  private static final Pattern APP_ROOT_PATH = Pattern.compile("/[-._~a-zA-Z0-9/:]*");

  private IngressNginx() {}

  /**
   * The redirect every path of the Ingress answers, e.g. "301 to https://www.example.com": its
   * locations return it before proxying, so no backend is ever asked (the apex-to-www Ingress with
   * a placeholder Service). Empty when the Ingress proxies.
   */
  public static Optional<String> redirect(Ingress ingress) {
    Map<String, String> annotations = annotations(ingress);
    String permanent = annotations.getOrDefault(PERMANENT_REDIRECT, "").strip();
    if (!permanent.isEmpty()) {
      String code = annotations.getOrDefault(PERMANENT_REDIRECT_CODE, "").strip();
      return Optional.of((code.matches("3\\d\\d") ? code : "301") + " to " + permanent);
    }
    String temporal = annotations.getOrDefault(TEMPORAL_REDIRECT, "").strip();
    return temporal.isEmpty() ? Optional.empty() : Optional.of("302 to " + temporal);
  }

  /**
   * The path ingress-nginx redirects a request for {@code /} of host to (app-root): its nginx.tmpl
   * writes {@code if ($uri = /) { return 302 $scheme://$http_host<app-root>; }} into the server of
   * each rule host of the Ingress, so no backend ever sees {@code /}. Empty for a www twin, whose
   * server only redirects, and for an Ingress without rules, whose catch-all server ingress-nginx
   * builds without its rewrite annotations.
   */
  static Optional<String> appRoot(Ingress ingress, String host) {
    String root = annotations(ingress).getOrDefault(APP_ROOT, "").strip();
    if (!APP_ROOT_PATH.matcher(root).matches() || wwwTwinOf(ingress, host).isPresent()
        || !IngressRoutes.hasRuleServing(ingress, host)) {
      return Optional.empty();
    }
    return Optional.of(root);
  }

  /**
   * Whether the Ingress is a canary: ingress-nginx makes no server of it and gives it no TLS,
   * aliases or server snippets; its backends only take a share of the traffic of the Ingress whose
   * host and paths it repeats.
   */
  public static boolean isCanary(Ingress ingress) {
    return GoBool.isTrue(annotations(ingress).get(CANARY));
  }

  /**
   * Whether ingress-nginx sends the Ingress's traffic to each Service's cluster IP
   * ({@code service-upstream}), with no custom error pages: the cluster IP is then the backend's
   * one endpoint whatever its pods, so the default-backend annotation never stands in for a
   * Service without ready endpoints that has a cluster IP (it still does for a headless Service,
   * and for a Service that does not exist, which give it no cluster IP to send to).
   */
  public static boolean sendsToClusterIp(Ingress ingress) {
    return servesThroughClusterIp(ingress) && annotations(ingress).getOrDefault(CUSTOM_HTTP_ERRORS, "").isBlank();
  }

  /**
   * Whether the Ingress asks ingress-nginx to send to each Service's cluster IP
   * ({@code service-upstream}): kube-proxy then picks the pod, as it does for any client of the
   * Service.
   */
  public static boolean servesThroughClusterIp(Ingress ingress) {
    return GoBool.isTrue(annotations(ingress).get(SERVICE_UPSTREAM));
  }

  /** The Service the default-backend annotation names, in the Ingress's namespace. */
  public static Optional<BackendRef> defaultBackend(Ingress ingress) {
    String name = annotations(ingress).getOrDefault(DEFAULT_BACKEND, "").strip();
    return name.isEmpty() ? Optional.empty()
        : Optional.of(new BackendRef(ingress.getMetadata().getNamespace(), name, null, null,
            "default-backend annotation of Ingress " + ObjectKey.of(ingress)));
  }

  /**
   * The rule host whose www twin host is ("www.example.com" for a rule example.com, "example.com"
   * for www.example.com), when the Ingress asks for from-to-www-redirect and no rule of it names
   * host: ingress-nginx answers the twin from a server of its own, every path with a redirect to
   * the rule host (its http-redirect-code, 308 unless the ConfigMap says otherwise, on the scheme
   * and port the request came in on), and asks no backend. Only a rule host with paths gets one.
   */
  public static Optional<String> wwwTwinOf(Ingress ingress, String host) {
    if (host == null || ingress.getSpec() == null
        || !GoBool.isTrue(annotations(ingress).get(FROM_TO_WWW_REDIRECT))
        || IngressRoutes.namesExactly(ingress, host)) {
      return Optional.empty();
    }
    return IngressRoutes.nullSafe(ingress.getSpec().getRules()).stream()
        .filter(rule -> rule.getHttp() != null && !IngressRoutes.nullSafe(rule.getHttp().getPaths()).isEmpty())
        .map(IngressRule::getHost)
        .filter(ruleHost -> ruleHost != null && !ruleHost.isEmpty() && !ruleHost.startsWith("*"))
        .filter(ruleHost -> wwwTwin(ruleHost).equalsIgnoreCase(host))
        .sorted()
        .findFirst();
  }

  private static String wwwTwin(String ruleHost) {
    return ruleHost.startsWith("www.") ? ruleHost.substring("www.".length()) : "www." + ruleHost;
  }

  /**
   * The rule host whose server answers host as one of the Ingress's server-alias names, when no
   * rule of the Ingress names host and it is no www twin (whose server comes first). ingress-nginx
   * adds the aliases to the server of every rule host of the Ingress ("_" for the rules without a
   * host), drops those that are a rule host themselves, and lists its servers sorted by host: nginx
   * keeps a name for the first server that lists it.
   */
  static Optional<String> aliasOwner(Ingress ingress, String host) {
    if (host == null || ingress.getSpec() == null || IngressRoutes.namesExactly(ingress, host)
        || wwwTwinOf(ingress, host).isPresent()) {
      return Optional.empty();
    }
    Set<String> ruleHosts = IngressRoutes.nullSafe(ingress.getSpec().getRules()).stream()
        .map(rule -> rule.getHost() == null || rule.getHost().isEmpty() ? "_" : rule.getHost())
        .collect(Collectors.toCollection(TreeSet::new));
    boolean named = Arrays.stream(annotations(ingress).getOrDefault(SERVER_ALIAS, "").split(","))
        .map(String::strip)
        .filter(alias -> !alias.isEmpty() && !ruleHosts.contains(alias))
        .anyMatch(alias -> serverNameMatches(alias, host));
    return named ? ruleHosts.stream().findFirst() : Optional.empty();
  }

  /**
   * Whether an nginx server_name names host, as nginx reads it, without regard to case: an exact
   * name, "*.example.com" (any name below), ".example.com" (that and any name below),
   * "www.example.*", or a "~" regular expression (nginx's PCRE; one Java cannot read names nothing).
   */
  static boolean serverNameMatches(String serverName, String host) {
    String name = serverName.toLowerCase(Locale.ROOT);
    String h = host.toLowerCase(Locale.ROOT);
    if (name.startsWith("~")) {
      try {
        return Pattern.compile(serverName.substring(1), Pattern.CASE_INSENSITIVE).matcher(h).find();
      } catch (PatternSyntaxException unreadable) {
        return false;
      }
    }
    if (name.startsWith("*.")) {
      return h.endsWith(name.substring(1));
    }
    if (name.startsWith(".")) {
      return h.equals(name.substring(1)) || h.endsWith(name);
    }
    if (name.endsWith(".*")) {
      return h.startsWith(name.substring(0, name.length() - 1));
    }
    return name.equals(h);
  }

  /**
   * What the Site's host is answered as when no rule of its Ingress names it, for a message:
   * "; www.example.com is answered by ingress-nginx's redirect to example.com ...". Empty for a
   * rule's own host.
   */
  static String servedAsNote(Ingress ingress, String host) {
    if (ingress == null) {
      return "";
    }
    String ingressKey = "Ingress " + ObjectKey.of(ingress);
    return wwwTwinOf(ingress, host)
        .map(to -> "; " + host + " is answered by ingress-nginx's redirect to " + to + " (from-to-www-redirect of "
            + ingressKey + "): no backend is asked")
        .or(() -> aliasOwner(ingress, host).map(owner -> "; " + host + " is a server-alias of "
            + ("_".equals(owner) ? "the rules without a host" : "rule " + owner) + " of " + ingressKey
            + ", served as it is"))
        .orElse("");
  }

  /** The Ingress's annotations, none where it has none. */
  static Map<String, String> annotations(Ingress ingress) {
    return ingress == null || ingress.getMetadata() == null || ingress.getMetadata().getAnnotations() == null
        ? Map.of() : ingress.getMetadata().getAnnotations();
  }
}
