package dev.upstreamhealth.probe;

import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.TreeSet;

/**
 * The line for free probe slots: Sites take turns, one probe each per turn; a Site whose next
 * probe decides a change goes before those whose next probe is routine; and among routine ones,
 * the Site whose probe would lose its round soonest goes first.
 *
 * <p>Why: when probes are short of slots or of CPU (a busy or starved process), every target
 * waits, and a target that waits past its next tick loses that round. For a target halfway
 * through confirming a fault that is a round of the user's {@code failureThreshold × interval}
 * spent; for a routine probe of a healthy target it is only a later look. Deciding probes are few
 * (only targets whose latest results disagree with their conclusion) and a target decides for a
 * threshold's rounds at most, so they cannot hold the others back for long; so are a failing
 * target's few rechecks after a repair of the cluster state. A target not probed
 * yet is not deciding: a new Site with hundreds of endpoints would otherwise take every turn
 * until all were probed.
 *
 * <p>Routine turns go earliest round's end first, a round ending an interval after the probe came
 * due: a Site probed every 5 s loses a round after 5 s of waiting, one probed every 30 s after 30,
 * so in a fleet of both the short intervals keep their rounds (and their {@code failureThreshold
 * × interval} for the first failure) while the long ones spend some of their slack. Where every
 * interval is the same this is the order the probes came due in. No Site waits for ever: its
 * round's end stays fixed while it waits, and once that end is nearer than the shortest interval,
 * every Site offered after it goes behind it. Equal round ends go in the order offered.
 *
 * <p>Not thread-safe: the scheduler holds its lock around every call.
 *
 * @param <S> a Site's probing state
 */
final class ProbeTurns<S> {
  private final LinkedHashSet<S> deciding = new LinkedHashSet<>();
  private final TreeSet<Routine<S>> routine = new TreeSet<>();
  private final Map<S, Routine<S>> routineBySite = new HashMap<>();
  private long offers;

  private record Routine<S>(long roundEndsNanos, long order, S site) implements Comparable<Routine<S>> {
    @Override
    public int compareTo(Routine<S> other) {
      // Nanosecond readings are compared by difference, as System.nanoTime() asks.
      int byEnd = Long.signum(roundEndsNanos - other.roundEndsNanos);
      return byEnd != 0 ? byEnd : Long.compare(order, other.order);
    }
  }

  /**
   * Puts {@code site} in line, at most once per line: a deciding Site at the back of its line, a
   * routine one by when its next probe's round ends ({@link System#nanoTime()} scale). Offered
   * again while in line, it keeps its place.
   */
  void offer(S site, boolean decidesAChange, long roundEndsNanos) {
    if (decidesAChange) {
      deciding.add(site);
    } else if (!routineBySite.containsKey(site)) {
      Routine<S> entry = new Routine<>(roundEndsNanos, offers++, site);
      routine.add(entry);
      routineBySite.put(site, entry);
    }
  }

  /** The Site whose turn it is, out of line; null when nobody waits. */
  S next() {
    Iterator<S> first = deciding.iterator();
    if (first.hasNext()) {
      S site = first.next();
      first.remove();
      return site;
    }
    Routine<S> earliest = routine.pollFirst();
    if (earliest == null) {
      return null;
    }
    routineBySite.remove(earliest.site());
    return earliest.site();
  }

  void remove(S site) {
    deciding.remove(site);
    Routine<S> entry = routineBySite.remove(site);
    if (entry != null) {
      routine.remove(entry);
    }
  }

  void clear() {
    deciding.clear();
    routine.clear();
    routineBySite.clear();
  }
}
