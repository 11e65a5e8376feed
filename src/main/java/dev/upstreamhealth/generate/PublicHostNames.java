package dev.upstreamhealth.generate;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** Which host names a CDN can serve: a Site is only worth having for those. */
final class PublicHostNames {
  private static final Pattern DNS_NAME =
      Pattern.compile("^(?=.{1,253}$)[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)+$");
  private static final Pattern IPV4 = Pattern.compile("^[0-9.]+$");
  private static final String[] INTERNAL_SUFFIXES = {".local", ".internal", ".localhost", ".svc", ".cluster.local",
      ".localdomain", ".lan", ".home.arpa", ".test", ".example", ".invalid"};

  private PublicHostNames() {}

  /** Empty when {@code host} can have a Site; otherwise why not. */
  static Optional<String> whyNot(String host) {
    if (host == null || host.isBlank()) {
      return Optional.of("the rule has no host (it serves every host: name one in a Site by hand)");
    }
    if (host.startsWith("*.")) {
      return Optional.of("wildcard host " + host + " (a Site watches one host: write one per name the CDN serves)");
    }
    String lower = host.toLowerCase(Locale.ROOT);
    if (host.contains(":") || IPV4.matcher(host).matches()) {
      return Optional.of(host + " is an IP address, not a host name a CDN serves");
    }
    if (!DNS_NAME.matcher(lower).matches()) {
      return Optional.of(host + " is not a fully qualified DNS name");
    }
    for (String suffix : INTERNAL_SUFFIXES) {
      if (lower.endsWith(suffix)) {
        return Optional.of(host + " is not public (" + suffix + " names do not resolve on the Internet)");
      }
    }
    return Optional.empty();
  }
}
