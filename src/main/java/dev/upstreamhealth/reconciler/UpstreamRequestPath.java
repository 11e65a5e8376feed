package dev.upstreamhealth.reconciler;

import dev.upstreamhealth.diagnosis.IngressRoutes;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Stream;

/**
 * The path ingress-nginx sends its upstreams for a request to {@code probe.path}: after the
 * Ingress's rewrite, so a direct probe of an endpoint asks what the gateway asks. The query string
 * passes through unchanged. (An HTTPRoute's URLRewrite is {@code HttpRoutes.upstreamPath}.)
 */
public final class UpstreamRequestPath {
  static final String REWRITE_TARGET = "nginx.ingress.kubernetes.io/rewrite-target";

  private UpstreamRequestPath() {}

  /**
   * ingress-nginx's {@code rewrite-target}: the rule paths of host are regular expressions
   * (matched from the start, case-insensitively), and the first, longest one that matches
   * replaces the whole path with the target, its {@code $1}, {@code $2} filled from the match.
   */
  public static String afterIngressNginxRewrite(Ingress ingress, String host, String path) {
    Map<String, String> annotations = ingress.getMetadata() == null ? null : ingress.getMetadata().getAnnotations();
    String target = annotations == null ? null : annotations.get(REWRITE_TARGET);
    if (target == null || target.isBlank()) {
      return path;
    }
    String[] split = splitQuery(path);
    Optional<Matcher> match = rulePaths(ingress, host).stream()
        .sorted(Comparator.comparingInt(String::length).reversed())
        .map(p -> matcher(p, split[0]))
        .flatMap(Optional::stream)
        .findFirst();
    return match.map(m -> substitute(target, m) + split[1]).orElse(path);
  }

  private static List<String> rulePaths(Ingress ingress, String host) {
    if (ingress.getSpec() == null || ingress.getSpec().getRules() == null) {
      return List.of();
    }
    // A server-alias is served by its rule host's locations, and rewritten by them.
    String served = IngressRoutes.servingName(ingress, host);
    return ingress.getSpec().getRules().stream()
        .filter(r -> IngressRoutes.servesHost(r, served))
        .map(IngressRule::getHttp)
        .filter(Objects::nonNull)
        .flatMap(h -> h.getPaths() == null ? Stream.empty() : h.getPaths().stream())
        .map(HTTPIngressPath::getPath)
        .filter(p -> p != null && !p.isEmpty())
        .toList();
  }

  private static Optional<Matcher> matcher(String regex, String path) {
    try {
      Matcher m = Pattern.compile("^" + regex, Pattern.CASE_INSENSITIVE).matcher(path);
      return m.find() ? Optional.of(m) : Optional.empty();
    } catch (PatternSyntaxException notARegex) {
      return Optional.empty(); // nginx would refuse the configuration; the path is left as it is
    }
  }

  /** nginx's $1..$9 from the match; a group that did not take part is empty. */
  private static String substitute(String target, Matcher m) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < target.length(); i++) {
      char c = target.charAt(i);
      if (c == '$' && i + 1 < target.length() && Character.isDigit(target.charAt(i + 1))) {
        int group = target.charAt(++i) - '0';
        if (group <= m.groupCount() && m.group(group) != null) {
          out.append(m.group(group));
        }
      } else {
        out.append(c);
      }
    }
    return out.isEmpty() ? "/" : out.toString();
  }

  private static String[] splitQuery(String path) {
    int q = path.indexOf('?');
    return q < 0 ? new String[] {path, ""} : new String[] {path.substring(0, q), path.substring(q)};
  }
}
