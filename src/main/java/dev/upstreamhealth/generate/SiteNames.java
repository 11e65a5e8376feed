package dev.upstreamhealth.generate;

import java.util.Locale;
import java.util.Set;

/** A Site's name from its host: a DNS-1123 label, unique in its namespace. */
final class SiteNames {
  private static final int MAX = 63;

  private SiteNames() {}

  /** {@code shop.example.com} becomes {@code shop-example-com}. */
  static String fromHost(String host) {
    String name = host.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]+", "-").replaceAll("-{2,}", "-");
    return trim(name, MAX).isEmpty() ? "site" : trim(name, MAX);
  }

  /** The name, or with -2, -3, ... appended (shortened to fit) when it is taken. */
  static String unique(String name, Set<String> taken) {
    if (!taken.contains(name)) {
      return name;
    }
    for (int n = 2; ; n++) {
      String suffix = "-" + n;
      String candidate = trim(name, MAX - suffix.length()) + suffix;
      if (!taken.contains(candidate)) {
        return candidate;
      }
    }
  }

  private static String trim(String name, int max) {
    String cut = name.length() > max ? name.substring(0, max) : name;
    return cut.replaceAll("^-+", "").replaceAll("-+$", "");
  }
}
