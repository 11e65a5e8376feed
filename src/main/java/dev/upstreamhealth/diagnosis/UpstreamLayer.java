package dev.upstreamhealth.diagnosis;

import dev.upstreamhealth.api.Reason;
import dev.upstreamhealth.probe.ProbeFindings;
import dev.upstreamhealth.probe.ProbeLayer;
import dev.upstreamhealth.probe.ProbeOutcome;
import dev.upstreamhealth.probe.ProbeResult;
import dev.upstreamhealth.probe.ProbeTrace;
import dev.upstreamhealth.probe.TrackedProbe;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ServicePort;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * 502- and 503-style causes read from cluster state, one backend Service at a time. Pods that
 * will not serve again ({@link PodHealth#isGone}: being deleted, finished under a controller done
 * with them, a bare one-shot pod finished) never count as failing, nor for their ports; pods still
 * starting do not count against the Service's capacity.
 */
final class UpstreamLayer {
  /** Outcomes of a probe that found nothing accepting connections on its port (or was not sent). */
  private static final Set<ProbeOutcome> NO_CONNECTION = Set.of(ProbeOutcome.CONNECTION_REFUSED,
      ProbeOutcome.CONNECT_TIMEOUT, ProbeOutcome.UNREACHABLE, ProbeOutcome.NOT_PROBED);

  private UpstreamLayer() {}

  /** Adds what applies to each backend and returns its endpoint counts for status. */
  static List<UpstreamCount> assess(Snapshot s, Findings findings) {
    List<UpstreamCount> counts = new ArrayList<>();
    // The default backend's page stands in for the app's only while it is a page: once the origin
    // probe confirms an error answer, and the Site has no other backend it could come from, that
    // error is the app's outage as visitors get it, and the outage's cause is what to name.
    Fallback ingressFallback = s.backends().size() == 1 && s.probes().originAnswersAnError()
        ? Fallback.failing(s.fallback()) : Fallback.of(s.fallback());
    Set<BackendRef> cannotServe = s.viaHttpRoute() ? TrafficSplit.cannotServe(s) : Set.of();
    for (Backend backend : s.backends()) {
      // What answers in a backend's stead: ingress-nginx's default backend; for an HTTPRoute, the
      // other backends of a weighted split, or the rules a plain request reaches.
      Fallback fallback = s.viaHttpRoute()
          ? Fallback.ofShare(TrafficSplit.shareOnly(s.route().route(), backend.ref(), cannotServe)) : ingressFallback;
      String service = "Service " + backend.ref().serviceKey();
      String route = backend.ref().route() != null ? backend.ref().route() : s.routeDescription();
      if (backend.service() == null) {
        String missing = route + " sends " + s.spec().getHost() + " to " + service + ", which does not exist";
        findings.add(fallback.serves() ? Reason.PARTIAL_UPSTREAM_FAILURE : Reason.BACKEND_SERVICE_MISSING,
            missing + fallback.note());
        counts.add(new UpstreamCount(backend.ref().serviceKey(), 0, 0));
        continue;
      }
      if (backend.isExternalName()) {
        // A DNS alias: no pods, endpoints or target ports to judge; the probes through the gateway decide.
        counts.add(new UpstreamCount(backend.ref().serviceKey(), 0, 0, backend.externalName()));
        continue;
      }
      List<Pod> live = backend.pods().stream().filter(p -> !PodHealth.isGone(p)).toList();
      Set<String> starting = live.stream().filter(p -> PodHealth.isStarting(p, s.now()))
          .map(p -> p.getMetadata().getName()).collect(Collectors.toSet());
      String portName = servicePortName(backend, s);
      EndpointCount count = EndpointCount.of(backend.slices(), backend.pods(), starting, portName);
      // The pods whose crashes, image pulls and readiness speak for the app: not a Job's beside it
      // that no gateway sends to (a CronJob's run crash-looping while the app sleeps at zero).
      Set<String> offThePort = EndpointCount.offThePort(backend.slices(), live, portName);
      List<Pod> app = offThePort.isEmpty() ? live
          : live.stream().filter(p -> !offThePort.contains(p.getMetadata().getName())).toList();
      counts.add(new UpstreamCount(backend.ref().serviceKey(), count.ready(), count.total()));
      String suffix = "; backend of " + route;
      boolean viaIngress = !s.viaHttpRoute();
      // A port the Service lacks leaves ingress-nginx no endpoint either: the fallback answers.
      boolean noSuchPort = backend.servicePort(viaIngress).isEmpty();
      portMismatch(backend, viaIngress, route, s.probes(), s.backends().size() == 1).ifPresent(m -> (m.seenByProbes()
          ? findings.observedByProbes()
          : findings).add(noSuchPort && fallback.serves() ? Reason.PARTIAL_UPSTREAM_FAILURE : Reason.SERVICE_PORT_MISMATCH,
          m.message() + (noSuchPort ? fallback.note() : "")));
      // Named only when there is something to say of them: most backends of most Sites are fine.
      Supplier<String> pods = () -> "pods of " + service + PodOwners.phrase(app, backend.workloads());
      Optional<String> crashLooping = crashLooping(app, pods, s.now());
      Fallback whileNoneReady = viaIngress && s.fallback() != null && IngressNginx.sendsToClusterIp(s.ingress())
          && hasClusterIp(backend) ? Fallback.bypassed(s.fallback()) : fallback;
      if (count.noneReady() && whileNoneReady.serves()) {
        // Whatever stopped the endpoints, visitors get the fallback's page, which the origin probe judges.
        findings.add(Reason.PARTIAL_UPSTREAM_FAILURE, count + " endpoints of " + service + " ready"
            + crashLooping.map(m -> " (" + m + ")").orElse("") + fallback.note() + suffix);
        continue;
      }
      // kube-proxy sends a cluster IP's traffic to terminating endpoints that still serve when none
      // is ready, and so do some Gateway API data planes (Envoy Gateway, Cilium) with an HTTPRoute's
      // backend; a mesh's proxy in the gateway pods balancing it instead (linkerd-proxy) skips
      // them, and so do other data planes. Only the origin's page says which: while it serves, and
      // its latest probe too, the old pod of a single replica drained from its node or replaced
      // (Recreate) is still serving visitors. ingress-nginx sending to the endpoints itself reads
      // ready ones alone, and answers 503 at once.
      int draining = count.noneReady() && mayReachTerminating(s, backend, viaIngress) && s.probes().originServesStill()
          ? EndpointCount.servingWhileTerminating(backend.slices(), portName) : 0;
      if (draining > 0) {
        findings.add(Reason.PARTIAL_UPSTREAM_FAILURE, count + " endpoints of " + service + " ready"
            + crashLooping.map(m -> " (" + m + ")").orElse("") + (viaIngress
                ? "; the Ingress sends to the Service's cluster IP (service-upstream), and kube-proxy sends that to the "
                : "; the origin still answers: the gateway sends to the ")
            + draining + " terminating endpoint" + (draining == 1 ? "" : "s") + " still serving until "
            + (draining == 1 ? "it is" : "they are") + " gone" + suffix);
        continue;
      }
      String unserved = suffix + (count.noneReady() ? whileNoneReady.note() : "");
      crashLooping.ifPresent(m -> findings.add(Reason.UPSTREAM_CRASH_LOOPING, m + unserved));
      if (count.noneReady()) {
        String prefix = count + " endpoints of " + service + " ready; ";
        // Pods that crash or cannot start explain the missing endpoints: no 503 symptom besides.
        String owned = "pods" + PodOwners.phrase(app, backend.workloads());
        if (!cannotStart(app, owned, prefix, unserved, findings) && crashLooping.isEmpty()) {
          unavailable(backend, app, prefix, unserved, s.now(), findings);
        }
      }
      if (count.partial()) {
        findings.add(Reason.PARTIAL_UPSTREAM_FAILURE, count + " endpoints of " + service + " ready"
            + (count.starting() > 0 ? " (" + count.starting() + " starting)" : "")
            + notServing(live, starting, backend.workloads()) + suffix);
      }
    }
    return counts;
  }

  /**
   * What serves while a backend cannot: ingress-nginx's default-backend annotation (while a backend
   * has no endpoint, its Service or port missing or none ready, the location is sent to that
   * Service instead, but only if it has a ready endpoint itself; else ingress-nginx answers 503 as
   * it would without it), or for an HTTPRoute the backends and rules beside it.
   */
  private record Fallback(boolean serves, String note) {
    static Fallback of(Backend fallback) {
      if (fallback == null) {
        return new Fallback(false, "");
      }
      String service = fallback.ref().serviceKey();
      boolean ready = fallback.service() != null
          && EndpointCount.of(fallback.slices(), fallback.pods(), Set.of()).ready() > 0;
      return new Fallback(ready, ready ? "; ingress-nginx answers from default-backend Service " + service + " meanwhile"
          : "; default-backend Service " + service + " has no ready endpoint either");
    }

    /** The default backend answering, but with an error the origin probe confirmed: no page stands in. */
    static Fallback failing(Backend fallback) {
      Fallback answering = of(fallback);
      return answering.serves() ? new Fallback(false, answering.note() + ", with the error the origin answers")
          : answering;
    }

    /**
     * The default backend while the Ingress sends to each Service's cluster IP (ingress-nginx's
     * {@code service-upstream}): that address is the backend's one endpoint, ready pods or not, so
     * ingress-nginx never finds it without endpoints and never answers from the default backend;
     * visitors get its 502 for a connection nothing behind the cluster IP takes.
     */
    static Fallback bypassed(Backend fallback) {
      return new Fallback(false, "; ingress-nginx does not answer from default-backend Service "
          + fallback.ref().serviceKey() + " for it: the Ingress sends to the Service's cluster IP (service-upstream)");
    }

    /** A backend of an HTTPRoute that gets only a share of the requests ({@link TrafficSplit#shareOnly}). */
    static Fallback ofShare(Optional<String> share) {
      return new Fallback(share.isPresent(), share.orElse(""));
    }
  }

  /** Pods the kubelet cannot start: an image it cannot pull, a container it cannot create. */
  private static boolean cannotStart(List<Pod> live, String pods, String prefix, String suffix, Findings findings) {
    List<PodHealth.Waiting> pulls = live.stream().map(PodHealth::imagePullFailure).flatMap(Optional::stream).toList();
    if (!pulls.isEmpty()) {
      PodHealth.Waiting first = pulls.get(0);
      findings.add(Reason.IMAGE_PULL_FAILED, prefix + pulls.size() + "/" + live.size() + " " + pods
          + " cannot pull image \"" + first.image() + "\" (" + first + ")" + suffix);
    }
    List<PodHealth.Waiting> configs = live.stream().map(PodHealth::configError).flatMap(Optional::stream).toList();
    if (!configs.isEmpty()) {
      findings.add(Reason.CONTAINER_CONFIG_ERROR, prefix + configs.size() + "/" + live.size() + " " + pods
          + " cannot create their containers (" + configs.get(0) + ")" + suffix);
    }
    return !pulls.isEmpty() || !configs.isEmpty();
  }

  /** 503 causes of a backend with no ready endpoint, all that apply; catalogue order picks one. */
  private static void unavailable(Backend backend, List<Pod> live, String prefix, String suffix, Instant now,
      Findings findings) {
    Workloads workloads = backend.workloads();
    // What keeps the controller from creating pods, in its words, where no reason of its own applies.
    String cannotCreate = WorkloadState.cannotCreatePods(workloads, now).map(m -> "; " + m).orElse("");
    WorkloadState.scaledToZero(workloads, live).ifPresent(m -> findings.add(Reason.SCALED_TO_ZERO, prefix + m + suffix));
    WorkloadState.rolloutInProgress(workloads, backend.pods())
        .ifPresent(m -> findings.add(Reason.ROLLOUT_IN_PROGRESS, prefix + m + cannotCreate + suffix));
    List<String> unschedulable = live.stream().map(PodHealth::unschedulable).flatMap(Optional::stream).toList();
    // Pods that run and are not ready are what keeps the endpoints away; a replica waiting for a
    // node beside them (an HPA's, under load) is no cause of that, only worth naming.
    // A Job's or a one-shot pod with the app's labels running beside pods that cannot be
    // scheduled keeps no visitor served: the scheduler's words are still the cause.
    boolean someRunning = live.stream().filter(p -> !PodHealth.neverMeantToServe(p)).anyMatch(PodHealth::isRunning);
    if (!unschedulable.isEmpty() && !someRunning) {
      findings.add(Reason.PODS_UNSCHEDULABLE, prefix + pendingAsUnschedulable(unschedulable) + suffix);
    }
    String waiting = unschedulable.isEmpty() || !someRunning ? "" : "; " + pendingAsUnschedulable(unschedulable);
    WorkloadState.quotaExceeded(workloads, now).ifPresent(m -> findings.add(Reason.QUOTA_EXCEEDED, prefix + m + suffix));
    findings.add(Reason.NO_READY_ENDPOINTS, prefix + whyNoneReady(backend, live, now) + waiting + cannotCreate + suffix);
  }

  /** A Service with a cluster IP to send to: not headless ({@code None}), not without one. */
  private static boolean hasClusterIp(Backend backend) {
    String ip = backend.service().getSpec() == null ? null : backend.service().getSpec().getClusterIP();
    return ip != null && !ip.isBlank() && !"None".equals(ip);
  }

  /** Why the kubelet ended a finished pod, as its status says (", Evicted: The node was low on ..."). */
  private static String endedBecause(Pod pod) {
    String reason = pod.getStatus().getReason();
    String message = pod.getStatus().getMessage();
    return reason == null ? "" : ", " + reason + (message == null || message.isBlank() ? "" : ": " + message);
  }

  private static String whyNoneReady(Backend backend, List<Pod> live, Instant now) {
    long terminating = backend.pods().stream().filter(PodHealth::isTerminating).count();
    Optional<String> noPodYet = ScaleUpFromZero.noPodYet(backend.workloads());
    if (live.isEmpty() && noPodYet.isPresent()) {
      // Its selector is fine: the Deployment it selects has yet to create its pods.
      return noPodYet.get();
    }
    if (live.isEmpty()) {
      // A finished pod is still listed (kubectl get pods shows it Completed or Error): "no pod"
      // alone would send the reader looking for a selector typo.
      List<Pod> finished = backend.pods().stream().filter(p -> !PodHealth.isTerminating(p) && PodHealth.isFinished(p))
          .toList();
      String finishedNote = finished.isEmpty() ? "" : finished.size() + " finished, which never "
          + (finished.size() == 1 ? "serves" : "serve") + " again (pod " + finished.get(0).getMetadata().getName() + ": "
          + finished.get(0).getStatus().getPhase() + endedBecause(finished.get(0)) + ")";
      if (terminating > 0) {
        return "the Service's selector matches no pod but " + terminating + " terminating"
            + (finished.isEmpty() ? "" : " and " + finishedNote);
      }
      return "the Service's selector " + selector(backend)
          + (finished.isEmpty() ? " matches no pod" : " matches no running pod, only " + finishedNote);
    }
    long running = live.stream().filter(PodHealth::isRunning).count();
    String owners = PodOwners.phrase(live, backend.workloads());
    if (running == 0) {
      return "0 pods running of " + live.size() + " selected" + owners;
    }
    // A pod woken a moment ago (a scale-up from zero) is not ready yet, which is not failing.
    List<Pod> starting = live.stream().filter(p -> PodHealth.isRunning(p) && PodHealth.isStarting(p, now)).toList();
    if (starting.size() == running) {
      return running + " pod" + (running == 1 ? "" : "s") + " running, starting: not ready yet (pod "
          + starting.get(0).getMetadata().getName() + " " + age(starting.get(0), now) + ")" + owners;
    }
    List<String> heldNotReady = live.stream().filter(p -> PodHealth.isRunning(p) && !starting.contains(p))
        .map(PodHealth::notReadyThoughItsContainersAre).flatMap(Optional::stream).toList();
    // Every such pod held back with its containers ready: not the app's readiness probe, but a node
    // gone or a load balancer's gate not yet true.
    String why = !heldNotReady.isEmpty() && heldNotReady.size() == running - starting.size()
        ? heldNotReady.get(0) : "failing readiness";
    return running + " pod" + (running == 1 ? "" : "s") + " running, " + why
        + (starting.isEmpty() ? "" : " (" + starting.size() + " of them starting)") + owners;
  }

  /** A starting pod's "created 3s ago", and "started 30s ago" when its node took it later (it waited for one). */
  private static String age(Pod pod, Instant now) {
    Instant created = KubernetesTimestamps.parse(pod.getMetadata().getCreationTimestamp());
    Instant since = PodHealth.startingSince(pod);
    String started = "started " + secondsBefore(now, since) + " ago";
    if (created == null) {
      return started;
    }
    String age = "created " + secondsBefore(now, created) + " ago";
    return since.isAfter(created) ? age + ", " + started : age;
  }

  private static String secondsBefore(Instant now, Instant then) {
    return Math.max(0, Duration.between(then, now).toSeconds()) + "s";
  }

  private static String selector(Backend backend) {
    var spec = backend.service().getSpec();
    return spec == null || spec.getSelector() == null || spec.getSelector().isEmpty() ? "(none)" : spec.getSelector().toString();
  }

  /** What the not-ready pods that are not starting show, for the Degraded message. */
  private static String notServing(List<Pod> live, Set<String> starting, Workloads workloads) {
    return live.stream()
        .filter(p -> !PodHealth.isReady(p) && !starting.contains(p.getMetadata().getName()))
        .findFirst()
        .map(p -> "; pod " + p.getMetadata().getName() + " (" + PodOwners.of(p, workloads) + ") " + PodHealth.problem(p))
        .orElse("");
  }

  /**
   * Every pod that has run crashes. A replica that has not run yet (an HPA's, waiting for the node
   * a cluster autoscaler brings, or starting) is left out and named after: it would otherwise hide
   * the crash behind a 503 of its own, or behind "failing readiness". So is one running again after
   * its first crash ({@link PodHealth#runningAgainAfterFirstCrash}), which makes no loop alone.
   */
  private static Optional<String> crashLooping(List<Pod> live, Supplier<String> pods, Instant now) {
    // A ready pod has run and shows no crash, so not every pod crashes: the usual backend, said at once.
    if (live.stream().anyMatch(PodHealth::isReady)) {
      return Optional.empty();
    }
    Map<Boolean, List<Pod>> byNotRunYet = live.stream().collect(Collectors.partitioningBy(p -> PodHealth.hasNotRunYet(p, now)));
    List<Pod> notRunYet = byNotRunYet.get(true);
    Map<Boolean, List<Pod>> byFirstCrash = byNotRunYet.get(false).stream()
        .collect(Collectors.partitioningBy(p -> PodHealth.runningAgainAfterFirstCrash(p, now)));
    // Left out only beside a pod that crashed again after a restart: two replicas that each exited
    // once at boot (their database coming up) are no loop.
    boolean aPeerLoops = byFirstCrash.get(false).stream().anyMatch(p -> PodHealth.crashedAgainAfterARestart(p, now));
    List<Pod> afterFirstCrash = aPeerLoops ? byFirstCrash.get(true) : List.of();
    List<Pod> run = aPeerLoops ? byFirstCrash.get(false) : byNotRunYet.get(false);
    if (run.isEmpty()) {
      return Optional.empty();
    }
    List<String> causes = run.stream()
        .map(p -> PodHealth.crashCause(p).or(() -> PodHealth.restartingAfterCrash(p, now)))
        .flatMap(Optional::stream).toList();
    if (causes.size() < run.size()) {
      return Optional.empty();
    }
    String state = run.stream().anyMatch(PodHealth::isBackingOff) ? "are in CrashLoopBackOff"
        : run.stream().anyMatch(p -> PodHealth.crashCause(p).isEmpty()) ? "keep crashing and restarting"
        : "have terminated in error";
    return Optional.of(run.size() + "/" + run.size() + " " + pods.get() + " " + state + " (" + causes.get(0) + ")"
        + afterFirstCrash(afterFirstCrash) + notRunYet(notRunYet));
  }

  /**
   * Whether the gateway's traffic may reach a backend's terminating endpoints: through the
   * Service's cluster IP (ingress-nginx's service-upstream), or through an HTTPRoute whose data
   * plane may send to them. Only for a Site with this one backend: with more, the origin's page may
   * come from another.
   */
  private static boolean mayReachTerminating(Snapshot s, Backend backend, boolean viaIngress) {
    return viaIngress ? IngressNginx.servesThroughClusterIp(s.ingress()) && hasClusterIp(backend)
        : s.backends().size() == 1;
  }

  /** The replicas left out of the crash loop because they crashed only once yet. */
  private static String afterFirstCrash(List<Pod> pods) {
    return pods.isEmpty() ? "" : "; " + pods.size() + " more pod" + (pods.size() == 1 ? " is" : "s are")
        + " running again after a first crash, not ready";
  }

  /** The replicas left out of the crash loop, in the scheduler's words where it has them. */
  private static String notRunYet(List<Pod> pods) {
    if (pods.isEmpty()) {
      return "";
    }
    List<String> unschedulable = pods.stream().map(PodHealth::unschedulable).flatMap(Optional::stream).toList();
    String more = "; " + pods.size() + " more pod" + (pods.size() == 1 ? " is " : "s are ");
    if (unschedulable.isEmpty()) {
      return more + "still starting";
    }
    return more + (unschedulable.size() == pods.size() ? "" : "still starting or ") + "Pending as Unschedulable: "
        + unschedulable.get(0);
  }

  /** "2 pods are Pending as Unschedulable: 0/3 nodes are available: ...", the scheduler's first words. */
  private static String pendingAsUnschedulable(List<String> unschedulable) {
    return unschedulable.size() + " pod" + (unschedulable.size() == 1 ? " is" : "s are")
        + " Pending as Unschedulable: " + unschedulable.get(0);
  }

  /**
   * A port that does not fit, in words, and whether probes are what show it (a numeric targetPort
   * nothing answers on): such a finding survives a restart as the probes' verdicts do.
   */
  record PortMismatch(String message, boolean seenByProbes) {
    static Optional<PortMismatch> ofState(String message) {
      return Optional.of(new PortMismatch(message, false));
    }
  }

  /**
   * The route's port must be a Service port, and its targetPort a port the pods declare.
   *
   * @param onlyBackend whether this is the Site's one backend, so that the origin's page, or its
   *     502, can only have come from it
   */
  static Optional<PortMismatch> portMismatch(Backend backend, boolean viaIngress, String route, ProbeFindings probes,
      boolean onlyBackend) {
    BackendRef ref = backend.ref();
    List<ServicePort> ports = backend.service().getSpec() == null
        ? List.of() : IngressRoutes.nullSafe(backend.service().getSpec().getPorts());
    Optional<ServicePort> port = backend.servicePort(viaIngress);
    String service = "Service " + ref.serviceKey();
    if (port.isEmpty()) {
      String known = String.join(", ", ports.stream()
          .map(p -> p.getName() == null ? String.valueOf(p.getPort()) : p.getName() + "/" + p.getPort()).toList());
      return PortMismatch.ofState(route + " uses port " + ref.portText() + " of " + service
          + ", which has " + (known.isEmpty() ? "no ports" : "ports " + known));
    }
    // A one-shot pod (a helm test's wget) or a Job's (a migration) declares no ports of the app's,
    // even while it runs.
    List<Pod> pods = backend.pods().stream().filter(p -> !PodHealth.isGone(p) && !PodHealth.neverMeantToServe(p)).toList();
    if (pods.isEmpty()) {
      return Optional.empty();
    }
    IntOrString target = port.get().getTargetPort();
    // Native sidecars serve ports too: a targetPort one of them declares is no mismatch.
    List<ContainerPort> declared = pods.stream()
        .flatMap(p -> PodHealth.servingContainers(p).stream())
        .flatMap(c -> IngressRoutes.nullSafe(c.getPorts()).stream())
        .toList();
    if (target != null && target.getStrVal() != null) {
      String name = target.getStrVal();
      if (declared.stream().noneMatch(cp -> name.equals(cp.getName()))) {
        return PortMismatch.ofState(service + " targetPort \"" + name + "\" matches no container port of its "
            + pods.size() + " pod" + (pods.size() == 1 ? "" : "s") + "; backend of " + route);
      }
      return Optional.empty();
    }
    int number = target != null && target.getIntVal() != null ? target.getIntVal() : port.get().getPort();
    if (pods.stream().allMatch(p -> contradicts(p, number)) && nothingListens(backend, probes, number, onlyBackend)) {
      String have = String.join(", ", declared.stream().map(cp -> String.valueOf(cp.getContainerPort())).distinct().toList());
      return Optional.of(new PortMismatch(service + " targetPort " + number + " matches no container port of its pods"
          + " (they declare " + have + ") and nothing answers there; backend of " + route, true));
    }
    return Optional.empty();
  }

  /**
   * Whether the evidence says nothing listens on the numeric targetPort the declared ports rule
   * out. Declared ports are informational (an app may listen on a port it never declares: gRPC, a
   * slow answer, a TLS listener), so they never decide alone. Some endpoint must be ready: with
   * none, the gateway answers for itself and what keeps them unready is the cause. The origin must
   * not be serving the page where this is the Site's one backend: then something answers there.
   * And the probes must show it: the upstream probes of that port refused (a timeout, or a probe a
   * policy kept from being sent, is no proof: a NetworkPolicy admitting only the gateway does that
   * to a listening app), none got a connection, and one has concluded; where none probes it
   * ({@code probe.upstreams} false), the origin's confirmed 502 that the gateway wrote itself, as
   * it does when the connection to the upstream is refused, for the Site's one backend.
   */
  private static boolean nothingListens(Backend backend, ProbeFindings probes, int port, boolean onlyBackend) {
    if (EndpointCount.of(backend.slices(), backend.pods()).noneReady()) {
      return false;
    }
    if (onlyBackend && probes.originServes()) {
      return false;
    }
    List<TrackedProbe> origin = onlyBackend ? probes.layer(ProbeLayer.ORIGIN) : List.of();
    List<TrackedProbe> onPort = probes.layer(ProbeLayer.UPSTREAM).stream()
        .filter(p -> backend.ref().serviceKey().equals(p.target().service()) && p.target().port() == port)
        .toList();
    if (onPort.isEmpty()) {
      return origin.stream().anyMatch(o -> o.confirmedFailure() && o.confirmed().responded()
          && o.confirmed().statusCode() == 502 && o.confirmed().trace().answeredBy() == ProbeTrace.AnswerSource.GATEWAY);
    }
    List<TrackedProbe> concluded = onPort.stream().filter(TrackedProbe::isConfirmed).toList();
    return onPort.stream().noneMatch(p -> accepted(p.last()) || accepted(p.confirmed())) && !concluded.isEmpty()
        && concluded.stream().allMatch(p -> p.confirmed().outcome() == ProbeOutcome.CONNECTION_REFUSED);
  }

  /** Whether something accepted the probe's connection: any outcome but these. */
  private static boolean accepted(ProbeResult r) {
    return r != null && !NO_CONNECTION.contains(r.outcome());
  }

  /**
   * Whether a pod's declared ports rule out a numeric targetPort. Declaring container ports is
   * optional and one container's ports say nothing of another's: a mesh or metrics sidecar that
   * declares its own port beside an app that declares none does not mean the app does not listen.
   * So only a pod whose every serving container declares ports, none of them the number, does.
   */
  private static boolean contradicts(Pod pod, int number) {
    List<Container> serving = PodHealth.servingContainers(pod);
    return !serving.isEmpty()
        && serving.stream().allMatch(c -> !IngressRoutes.nullSafe(c.getPorts()).isEmpty())
        && serving.stream().flatMap(c -> c.getPorts().stream())
            .noneMatch(cp -> cp.getContainerPort() != null && cp.getContainerPort() == number);
  }

  /** The name of the Service port the route sends to ("" when unnamed), or null when it is not known. */
  private static String servicePortName(Backend backend, Snapshot s) {
    return backend.servicePort(!s.viaHttpRoute()).map(p -> p.getName() == null ? "" : p.getName()).orElse(null);
  }
}
