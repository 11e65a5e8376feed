package dev.upstreamhealth.bench.api;

/**
 * A request path of the Kubernetes API split into its parts:
 * {@code /api/v1/namespaces/NS/pods/NAME/status} or {@code /apis/GROUP/VERSION/...}.
 *
 * @param namespace null when the path names none (a cluster-scoped object, or every namespace)
 * @param name null for a collection
 * @param subresource null, or e.g. "status"
 */
record ResourcePath(String group, String version, String plural, String namespace, String name, String subresource) {

  /** The path parsed, or null when it is not a resource path (discovery, /version, ...). */
  static ResourcePath parse(String path) {
    String[] p = path.replaceAll("^/+|/+$", "").split("/");
    int i;
    String group;
    String version;
    if (p.length >= 3 && p[0].equals("api")) {
      group = "";
      version = p[1];
      i = 2;
    } else if (p.length >= 4 && p[0].equals("apis")) {
      group = p[1];
      version = p[2];
      i = 3;
    } else {
      return null;
    }
    String namespace = null;
    // "namespaces/NS/plural..." is namespaced; "namespaces" or "namespaces/NS" alone is the Namespace kind.
    if (p[i].equals("namespaces") && p.length >= i + 3) {
      namespace = p[i + 1];
      i += 2;
    }
    String plural = p[i];
    String name = p.length > i + 1 ? p[i + 1] : null;
    String sub = p.length > i + 2 ? p[i + 2] : null;
    return new ResourcePath(group, version, plural, namespace, name, sub);
  }

  /** The table this path's objects are kept in: group/version/plural. */
  String resource() {
    return (group.isEmpty() ? "core" : group) + "/" + version + "/" + plural;
  }

  String apiVersion() {
    return group.isEmpty() ? version : group + "/" + version;
  }
}
