package dev.upstreamhealth.it;

import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * The CRUD API server with faults on demand: answers matching requests with an error status a
 * given number of times, and records every request it serves.
 */
final class FaultInjectingDispatcher extends KubernetesCrudDispatcher {
  record Seen(String method, String path, String userAgent) {}

  private record Fault(Predicate<RecordedRequest> matches, int status, AtomicInteger remaining, Duration delay,
      java.time.Instant until, boolean applied) {
    Fault(Predicate<RecordedRequest> matches, int status, AtomicInteger remaining, Duration delay) {
      this(matches, status, remaining, delay, null, false);
    }

    Fault(Predicate<RecordedRequest> matches, int status, AtomicInteger remaining, Duration delay, java.time.Instant until) {
      this(matches, status, remaining, delay, until, false);
    }

    boolean applies(RecordedRequest request) {
      if (!matches.test(request)) {
        return false;
      }
      return until != null ? java.time.Instant.now().isBefore(until) : remaining.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
    }
  }

  private final List<Fault> faults = new CopyOnWriteArrayList<>();
  private final List<Seen> seen = new CopyOnWriteArrayList<>();
  private final AtomicInteger injected = new AtomicInteger();

  /** The next {@code times} requests that match are answered with {@code status}. */
  void fail(Predicate<RecordedRequest> matches, int status, int times) {
    faults.add(new Fault(matches, status, new AtomicInteger(times), null));
  }

  /** Every request that matches is answered with {@code status} for {@code window} from now. */
  void failFor(Predicate<RecordedRequest> matches, int status, Duration window) {
    faults.add(new Fault(matches, status, new AtomicInteger(), null, java.time.Instant.now().plus(window)));
  }

  /**
   * The next {@code times} requests that match are carried out, and answered {@code status}: the
   * write is stored, but its answer is lost on the way (a proxy's timeout, a dropped connection).
   */
  void applyThenFail(Predicate<RecordedRequest> matches, int status, int times) {
    faults.add(new Fault(matches, status, new AtomicInteger(times), null, null, true));
  }

  /** The next {@code times} requests that match are answered as usual, but only after {@code delay}. */
  void slow(Predicate<RecordedRequest> matches, Duration delay, int times) {
    faults.add(new Fault(matches, 0, new AtomicInteger(times), delay));
  }

  int injected() {
    return injected.get();
  }

  List<Seen> seen() {
    return List.copyOf(seen);
  }

  static Predicate<RecordedRequest> statusWrite() {
    return r -> r.getPath().contains("/sites/") && r.getPath().contains("/status")
        && !"GET".equals(r.getMethod());
  }

  /** Creating an Event, in any namespace. */
  static Predicate<RecordedRequest> eventCreate() {
    return r -> "POST".equals(r.getMethod()) && r.getPath().contains("/events");
  }

  private static String reason(int status) {
    return switch (status) {
      case 409 -> "Conflict";
      case 410 -> "Expired";
      case 403 -> "Forbidden";
      default -> "InternalError";
    };
  }

  static Predicate<RecordedRequest> watchOf(String resource) {
    return r -> "GET".equals(r.getMethod()) && r.getPath().contains("/" + resource + "?") && r.getPath().contains("watch=true");
  }

  /** A list or watch of this resource (plural, e.g. "services"), in any namespace. */
  static Predicate<RecordedRequest> listOrWatchOf(String resource) {
    return r -> "GET".equals(r.getMethod()) && r.getPath().contains("/" + resource + "?");
  }

  static Predicate<RecordedRequest> anyRequest() {
    return r -> true;
  }

  /** What a real API server tells JOSDK before it runs for a Lease: that it may use Leases. */
  private static final String LEASE_RULES = """
      {"apiVersion":"authorization.k8s.io/v1","kind":"SelfSubjectRulesReview","spec":{},
       "status":{"incomplete":false,"nonResourceRules":[],"resourceRules":[
         {"apiGroups":["coordination.k8s.io"],"resources":["leases"],"verbs":["create","update","get"]}]}}
      """;

  /** What it tells of an account that may not use Leases (a role without the Lease rules). */
  private static final String NO_RULES = """
      {"apiVersion":"authorization.k8s.io/v1","kind":"SelfSubjectRulesReview","spec":{},
       "status":{"incomplete":false,"nonResourceRules":[],"resourceRules":[]}}
      """;

  private volatile boolean leasesDenied;

  /** From now on JOSDK is told that it may not use Leases, and refuses to start with leader election. */
  void denyLeases() {
    leasesDenied = true;
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    seen.add(new Seen(request.getMethod(), request.getPath(), request.getHeader("User-Agent")));
    if ("POST".equals(request.getMethod()) && request.getPath().endsWith("/selfsubjectrulesreviews")) {
      return new MockResponse().setResponseCode(201).setBody(leasesDenied ? NO_RULES : LEASE_RULES);
    }
    for (Fault fault : faults) {
      if (fault.applies(request)) {
        injected.incrementAndGet();
        if (fault.delay != null) {
          return super.dispatch(request).setBodyDelay(fault.delay);
        }
        if (fault.applied) {
          super.dispatch(request);
        }
        return new MockResponse().setResponseCode(fault.status)
            .setBody("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"code\":" + fault.status
                + ",\"reason\":\"" + reason(fault.status) + "\"}");
      }
    }
    return super.dispatch(request);
  }
}
