package dev.upstreamhealth.probe.transport;

import dev.upstreamhealth.probe.ProbeOutcome;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The addresses a probe's name resolved to, tried in turn as the CDN tries them: a connection
 * that cannot be made to one address (refused, timed out, no route) goes on to the next, and
 * only when none takes it is the probe a failure. A load balancer's name (an AWS NLB in three
 * zones) or an origin name with several A records serves visitors as long as one address
 * accepts; probing the first address alone would read one dead zone as the whole origin down.
 * Anything after a connection is made (the handshake, the answer) is that address's verdict.
 * Used on one event loop only.
 */
final class AddressesToTry {
  private final String name;
  private final List<InetAddress> addresses;
  private final List<String> failures = new ArrayList<>();
  private int next;
  private ProbeFailure mostTellingFailure;
  private ProbeFailure lastTurnedAway;

  AddressesToTry(String name, List<InetAddress> addresses) {
    this.name = name;
    this.addresses = List.copyOf(addresses);
  }

  boolean hasNext() {
    return next < addresses.size();
  }

  InetAddress next() {
    return addresses.get(next++);
  }

  /**
   * The connect timeout for the address about to be tried: what is left of the probe's time,
   * shared by the addresses still to try, so that one that drops packets leaves the others theirs.
   * Of several, the last ends a little before the probe's own deadline, so that its timeout, and
   * not the deadline, ends the probe: the failures of the addresses before it are then counted.
   */
  int connectTimeoutMillis(long nanosToDeadline) {
    int left = addresses.size() - next + 1;
    long usable = addresses.size() > 1 ? Math.max(0, nanosToDeadline - BEFORE_THE_DEADLINE) : nanosToDeadline;
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, TimeUnit.NANOSECONDS.toMillis(usable / left)));
  }

  private static final long BEFORE_THE_DEADLINE = TimeUnit.MILLISECONDS.toNanos(20);

  /** Whether a failure to connect lets the CDN go on to another address of the name. */
  static boolean triesAnother(ProbeOutcome outcome) {
    return outcome == ProbeOutcome.CONNECTION_REFUSED
        || outcome == ProbeOutcome.CONNECT_TIMEOUT
        || outcome == ProbeOutcome.UNREACHABLE;
  }

  /** Notes that no connection could be made to {@code address}. */
  void connectFailed(InetAddress address, ProbeFailure failure) {
    failures.add(address.getHostAddress() + " " + failure.outcome().label());
    if (mostTellingFailure == null || telling(failure) > telling(mostTellingFailure)) {
      mostTellingFailure = failure;
    }
  }

  /**
   * How much a failure says of the origin: a refusal is its own answer; a timeout, that it takes
   * no connection from here; no route, least, as it can be the probe's own network (an IPv6
   * address of a dual-stack name, from a pod of an IPv4-only cluster).
   */
  private static int telling(ProbeFailure failure) {
    return switch (failure.outcome()) {
      case CONNECTION_REFUSED -> 3;
      case CONNECT_TIMEOUT -> 2;
      default -> 1;
    };
  }

  /** Notes that the probe policy kept the probe away from {@code address}. */
  void turnedAway(InetAddress address, ProbeFailure failure) {
    failures.add(address.getHostAddress() + " " + failure.outcome().label());
    lastTurnedAway = failure;
  }

  /**
   * What the probe ends with when no address took it: the most telling failure to connect (an
   * address the probe policy kept it from says nothing of the origin), naming every address
   * tried when there was more than one.
   */
  ProbeFailure exhausted() {
    ProbeFailure last = mostTellingFailure != null ? mostTellingFailure : lastTurnedAway;
    if (addresses.size() < 2) {
      return last;
    }
    return new ProbeFailure(last.outcome(), last.detail() + "; no address of " + name + " took the connection ("
        + failures.stream().collect(Collectors.joining(", ")) + ")");
  }
}
