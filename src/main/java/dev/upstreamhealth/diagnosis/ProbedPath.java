package dev.upstreamhealth.diagnosis;

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
    boolean expectsAPage = IntStream.rangeClosed(200, 299).anyMatch(settings.expected()::contains);
    if (host == null || !expectsAPage) {
      return new ProbedPath(asked, "");
    }
    Optional<ProbedPath> redirected;
    if (s.viaHttpRoute()) {
      redirected = s.route() == null || s.route().route() == null ? Optional.empty()
          : HttpRoutes.redirectPath(s.route().route(), host, asked)
              .map(to -> new ProbedPath(to, "the RequestRedirect of " + s.routeDescription() + "'s rule for it"));
    } else {
      // nginx compares $uri, the path without its query; the redirect drops the query.
      boolean root = asked.equals("/") || asked.startsWith("/?");
      redirected = s.ingress() == null || !root ? Optional.empty()
          : IngressNginx.appRoot(s.ingress(), host)
              .map(to -> new ProbedPath(to, "ingress-nginx's 302 (annotation " + IngressNginx.APP_ROOT + " on "
                  + s.routeDescription() + ")"));
    }
    return redirected.filter(p -> !p.path().equals(asked)).orElse(new ProbedPath(asked, ""));
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
