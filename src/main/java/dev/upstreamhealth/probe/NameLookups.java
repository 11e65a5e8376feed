package dev.upstreamhealth.probe;

import java.net.UnknownHostException;
import java.util.List;

/**
 * What a failed name lookup says. The JDK throws the same exception whether the resolver answered
 * that the name does not exist or gave no answer at all; only its words tell them apart.
 */
public final class NameLookups {
  /**
   * The C library's words for "no such name" (NXDOMAIN, NODATA): glibc's, musl's, BSD's; and the
   * JDK's own when its resolver is a hosts file ({@code -Djdk.net.hosts.file}) without the name.
   */
  private static final List<String> NO_SUCH_NAME = List.of("Name or service not known",
      "No address associated with hostname", "Name does not resolve", "nodename nor servname provided",
      " in hosts file");

  private NameLookups() {}

  /**
   * Whether the resolver answered that the name has no address, rather than failing to get an
   * answer ("Temporary failure in name resolution", a timeout, or the JDK's cache of a failed
   * lookup, which gives only the name). Only such an answer may say a name does not resolve: a
   * resolver that is down is no evidence against the CDN's configuration or the origin, and the CDN
   * looks names up through public DNS, not the cluster's.
   */
  public static boolean saysNoSuchName(UnknownHostException e) {
    String message = e.getMessage() == null ? "" : e.getMessage();
    return NO_SUCH_NAME.stream().anyMatch(message::contains);
  }
}
