package dev.upstreamhealth.probe;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the log of names the probes could not look up: once when a name's lookups start failing
 * and once when one gets an answer again, not at every probe. Such a probe is no evidence, so the
 * history, the diagnosis and the status never show it: the log (and the probe metrics' {@code
 * result} label) is where a failing resolver shows. Per name, since the Sites of one load balancer
 * share its name. A name stays until a probe of it gets an answer: a few bytes each.
 */
final class FailedLookups {
  private static final Logger log = LoggerFactory.getLogger(FailedLookups.class);

  private final Set<String> failing = ConcurrentHashMap.newKeySet();

  void observed(ProbeResult result) {
    String name = result.target().address();
    if (result.outcome() == ProbeOutcome.NAME_LOOKUP_FAILED) {
      if (failing.add(name)) {
        log.warn("{} probe of {}: {}; not counted, the last verdict stands: a failing resolver is no evidence"
            + " about the target (said once; again when the name gets an answer)",
            result.target().layer().label(), result.target().url(), result.detail());
      }
    } else if (failing.remove(name)) {
      log.info("looking up {} works again", name);
    }
  }
}
