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
 * The path a gateway sends its upstreams for a request to {@code probe.path}: after the route's
 * rewrite, so a direct probe of an endpoint asks what the gateway asks. The query string passes
 * through unchanged, as both rewrites below leave it.
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

  /**
   * Gateway API's {@code URLRewrite} filter of the rule that matched: {@code ReplaceFullPath}
   * replaces the path, {@code ReplacePrefixMatch} replaces the matched prefix.
   *
   * @param matchedPrefix the rule's PathPrefix match value, for ReplacePrefixMatch
   * @param replacePrefixMatch the filter's replacePrefixMatch, or null
   * @param replaceFullPath the filter's replaceFullPath, or null
   */
  public static String afterUrlRewrite(String path, String matchedPrefix, String replacePrefixMatch,
      String replaceFullPath) {
    String[] split = splitQuery(path);
    if (replaceFullPath != null) {
      return replaceFullPath + split[1];
    }
    if (replacePrefixMatch == null || matchedPrefix == null || !split[0].startsWith(matchedPrefix)) {
      return path;
    }
    String prefix = matchedPrefix.endsWith("/") ? matchedPrefix.substring(0, matchedPrefix.length() - 1) : matchedPrefix;
    String rest = split[0].substring(prefix.length());
    String replacement = replacePrefixMatch.endsWith("/") && rest.startsWith("/")
        ? replacePrefixMatch.substring(0, replacePrefixMatch.length() - 1) : replacePrefixMatch;
    String joined = replacement + rest;
    return (joined.isEmpty() ? "/" : joined) + split[1];
  }

  private static List<String> rulePaths(Ingress ingress, String host) {
    if (ingress.getSpec() == null || ingress.getSpec().getRules() == null) {
      return List.of();
    }
    return ingress.getSpec().getRules().stream()
        .filter(r -> IngressRoutes.servesHost(r, host))
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
