package dev.upstreamhealth.diagnosis;

import dev.upstreamhealth.api.SiteSpec;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * The path the origin, gateway and upstream probes ask for: {@code spec.probe.path}, unless the
 * route answers it with a redirect of its own to another path of the host, before any backend is
 * asked (ingress-nginx's app-root, an HTTPRoute rule's RequestRedirect). A probe of it would see
 * that redirect and never the app, which could then fail on every page unseen; the browser asks the
 * redirect's path next, and so do the probes.
 *
 * @param redirect what sends {@code spec.probe.path} there, for messages; empty when probed as written
 */
public record ProbedPath(String path, String redirect) {

  public static ProbedPath of(Snapshot s) {
    ProbeSettings settings = ProbeSettings.of(s.spec() == null ? null : s.spec().getProbe());
    String asked = settings.path();
    String host = s.spec() == null ? null : s.spec().getHost();
    // A Site that expects no page at its path (expectedStatus "302") checks the redirect itself.
    if (host == null || !expectsAPage(settings)) {
      return new ProbedPath(asked, "");
    }
    Optional<ProbedPath> redirected;
    if (s.viaHttpRoute()) {
      redirected = s.route() == null || s.route().route() == null ? Optional.empty()
          : HttpRoutes.redirectPath(s.route().route(), host, asked)
              .map(to -> new ProbedPath(to, "the RequestRedirect of " + s.routeDescription() + "'s rule for it"));
    } else {
      redirected = appRoot(s.ingress(), host, asked)
          .map(to -> new ProbedPath(to, "ingress-nginx's 302 (annotation " + IngressNginx.APP_ROOT + " on "
              + s.routeDescription() + ")"));
    }
    return redirected.filter(p -> !p.path().equals(asked)).orElse(new ProbedPath(asked, ""));
  }

  /**
   * The path the probes ask of an Ingress's host, as {@link #of} finds it, before a snapshot
   * exists; null for a spec with problems, which is judged InvalidSpec and probes nothing.
   */
  public static String onIngress(SiteSpec spec, Ingress ingress) {
    if (spec == null || !SpecProblems.of(spec).isEmpty()) {
      return null;
    }
    ProbeSettings settings = ProbeSettings.of(spec.getProbe());
    String asked = settings.path();
    if (spec.getHost() == null || !expectsAPage(settings)) {
      return asked;
    }
    return appRoot(ingress, spec.getHost(), asked).orElse(asked);
  }

  private static boolean expectsAPage(ProbeSettings settings) {
    return IntStream.rangeClosed(200, 299).anyMatch(settings.expected()::contains);
  }

  /** ingress-nginx's app-root for a probe of the root; nginx compares $uri, without the query. */
  private static Optional<String> appRoot(Ingress ingress, String host, String asked) {
    boolean root = asked.equals("/") || asked.startsWith("/?");
    return ingress == null || !root ? Optional.empty() : IngressNginx.appRoot(ingress, host);
  }

  private boolean redirected() {
    return !redirect.isEmpty();
  }

  /** Whether a probe of {@code probedPath} asked the redirect's path in place of spec.probe.path. */
  boolean followedTo(String probedPath) {
    return redirected() && path.equals(probedPath);
  }

  /**
   * What a message about a probe of {@code probedPath} adds: where the probes' path comes from when
   * it is not spec.probe.path as written; empty otherwise.
   */
  String note(Snapshot s, String probedPath) {
    if (!followedTo(probedPath)) {
      return "";
    }
    return "; spec.probe.path " + ProbeSettings.of(s.spec().getProbe()).path() + " is answered with " + redirect
        + " to " + path + ", the page visitors land on, so the probes ask for " + path;
  }
}
