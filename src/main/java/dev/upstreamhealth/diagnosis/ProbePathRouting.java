package dev.upstreamhealth.diagnosis;

import dev.upstreamhealth.probe.ProbeResult;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import java.util.List;

/**
 * A 404 for a path the route does not send anywhere is the probe asking the wrong page (a host
 * routed only for /api, probed on /), not the site failing: the message says so, and which paths
 * the route serves.
 */
final class ProbePathRouting {
  private ProbePathRouting() {}

  /** What to add to an origin's 404 when the route does not route the probe's path; empty otherwise. */
  static String notRouted(Snapshot s, ProbeResult r) {
    if (r.statusCode() != 404 || s.spec() == null || s.spec().getHost() == null) {
      return "";
    }
    String path = r.target().path().isEmpty() ? "/" : r.target().path();
    if (ProbedPath.of(s).followedTo(path)) {
      return ""; // the route's own redirect sends visitors to that path: their 404 too, not the probe's choice
    }
    int query = path.indexOf('?');
    path = query < 0 ? path : path.substring(0, query);
    List<String> served;
    if (s.viaHttpRoute()) {
      if (s.route() == null || s.route().route() == null || HttpRoutes.routesPath(s.route().route(), path)) {
        return "";
      }
      served = HttpRoutes.pathMatches(s.route().route());
    } else {
      if (s.ingress() == null || IngressRoutes.routesPath(s.ingress(), s.spec().getHost(), path)) {
        return "";
      }
      served = IngressRoutes.pathsFor(s.ingress(), s.spec().getHost()).stream().map(ProbePathRouting::describe).toList();
    }
    return "; " + s.routeDescription() + " routes " + s.spec().getHost() + " only for " + String.join(", ", served)
        + ": spec.probe.path " + path + " is not routed; set it to a path the route serves";
  }

  private static String describe(HTTPIngressPath p) {
    return (p.getPathType() == null ? "" : p.getPathType() + " ") + (p.getPath() == null ? "/" : p.getPath());
  }
}
