package dev.upstreamhealth.runtime;

import java.security.Security;

/**
 * Turns off the JVM's cache of failed name lookups ({@code networkaddress.cache.negative.ttl},
 * 10 s by default).
 *
 * <p>Why: a lookup answered from that cache fails with the bare name, without the resolver's
 * words, so it cannot tell a name that does not exist from a resolver that failed, and counts as
 * neither ({@link dev.upstreamhealth.probe.NameLookups}). The Sites behind one load balancer probe
 * its one name: with the cache, all but one of their lookups in each 10 s would say nothing, and a
 * deleted load balancer would take many rounds to confirm. The resolver's own cache (CoreDNS keeps
 * a denial 30 s) still spares it the repeated questions.
 */
public final class FailedLookupCaching {
  static final String NEGATIVE_TTL = "networkaddress.cache.negative.ttl";

  private FailedLookupCaching() {
  }

  /** Call first thing in main, before any name is looked up: the JVM reads the setting once. */
  public static void applyBeforeFirstUse() {
    Security.setProperty(NEGATIVE_TTL, "0");
  }
}
