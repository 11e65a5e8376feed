package dev.upstreamhealth.probe;

import java.util.Iterator;
import java.util.LinkedHashSet;

/**
 * The line for free probe slots: Sites take turns, one probe each per turn, and a Site whose next
 * probe decides a change goes before those whose next probe is routine.
 *
 * <p>Why: when probes are short of slots (a busy or starved process), every target waits, and a
 * target that waits past its next tick loses that round. For a target halfway through confirming
 * a fault that is a round of the user's {@code failureThreshold × interval} spent; for a routine
 * probe of a healthy target it is only a later look. Deciding probes are few (only targets whose
 * latest results disagree with their conclusion) and a target decides for a threshold's rounds at
 * most, so they cannot hold the others back for long. A target not probed yet is not deciding:
 * a new Site with hundreds of endpoints would otherwise take every turn until all were probed.
 *
 * <p>Not thread-safe: the scheduler holds its lock around every call.
 *
 * @param <S> a Site's probing state
 */
final class ProbeTurns<S> {
  private final LinkedHashSet<S> deciding = new LinkedHashSet<>();
  private final LinkedHashSet<S> routine = new LinkedHashSet<>();

  /** Puts {@code site} in line, at the back of the line its next probe belongs to; at most once per line. */
  void offer(S site, boolean decidesAChange) {
    (decidesAChange ? deciding : routine).add(site);
  }

  /** The Site whose turn it is, out of line; null when nobody waits. */
  S next() {
    S site = pollFirst(deciding);
    return site != null ? site : pollFirst(routine);
  }

  void remove(S site) {
    deciding.remove(site);
    routine.remove(site);
  }

  void clear() {
    deciding.clear();
    routine.clear();
  }

  private static <S> S pollFirst(LinkedHashSet<S> line) {
    Iterator<S> first = line.iterator();
    if (!first.hasNext()) {
      return null;
    }
    S site = first.next();
    first.remove();
    return site;
  }
}
