package dev.upstreamhealth.diagnosis;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.networking.v1.IPBlock;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Whether the NetworkPolicies that select the gateway pods let the CDN in. Traffic from the CDN
 * is external, so only {@code ipBlock} peers (or a rule with no peers) can admit it.
 */
public final class NetworkPolicyAdmission {
  private NetworkPolicyAdmission() {}

  /** The port the CDN's traffic reaches a gateway pod on: a number, or a container port name. */
  public record PodPort(Integer number, String name) {
    @Override
    public String toString() {
      return number != null ? String.valueOf(number) : name;
    }
  }

  /**
   * A message naming the policies when they select the gateway pods and admit none of the
   * ranges on the port; empty when at least one range gets in or no policy isolates the pods.
   */
  public static Optional<String> blocked(List<NetworkPolicy> policies, List<Pod> gatewayPods,
      List<Cidr> cdnRanges, PodPort port) {
    // A gateway pod on the node's network (ingress-nginx on bare metal) takes the CDN's connections
    // whatever the policies say, and a range let in anywhere is no block.
    if (cdnRanges.isEmpty() || gatewayPods.isEmpty() || gatewayPods.stream().anyMatch(NetworkPolicyAdmission::onHostNetwork)) {
      return Optional.empty();
    }
    List<NetworkPolicy> isolating = isolating(policies, gatewayPods);
    if (isolating.isEmpty()) {
      return Optional.empty();
    }
    for (Cidr range : cdnRanges) {
      for (NetworkPolicy policy : isolating) {
        for (NetworkPolicyIngressRule rule : IngressRoutes.nullSafe(policy.getSpec().getIngress())) {
          if (admitsSource(rule, range) && admitsPort(rule, port, gatewayPods)) {
            return Optional.empty();
          }
        }
      }
    }
    String names = String.join(", ", isolating.stream().map(ObjectKey::of).toList());
    return Optional.of("NetworkPolic" + (isolating.size() == 1 ? "y " : "ies ") + names
        + " select the gateway pods and admit none of spec.cdn.sourceRanges ("
        + String.join(", ", cdnRanges.stream().map(Cidr::toString).toList()) + ") on port " + port);
  }

  /**
   * The policies that select any of the pods and restrict what connects to them. A pod on the
   * node's network is left out: NetworkPolicy does not govern it ("in the most common case,
   * hostNetwork pods are ignored by podSelectors", the Kubernetes documentation says; Calico,
   * Cilium and the cloud CNIs ignore them), so a default-deny in its namespace keeps nobody out.
   */
  public static List<NetworkPolicy> isolating(List<NetworkPolicy> policies, List<Pod> pods) {
    List<Pod> governed = pods.stream().filter(pod -> !onHostNetwork(pod)).toList();
    return policies.stream()
        .filter(NetworkPolicyAdmission::restrictsIngress)
        .filter(p -> governed.stream().anyMatch(pod -> LabelSelectors.matches(
            p.getSpec().getPodSelector(), pod.getMetadata().getLabels())))
        .toList();
  }

  private static boolean onHostNetwork(Pod pod) {
    return pod.getSpec() != null && Boolean.TRUE.equals(pod.getSpec().getHostNetwork());
  }

  private static boolean restrictsIngress(NetworkPolicy policy) {
    if (policy.getSpec() == null) {
      return false;
    }
    List<String> types = policy.getSpec().getPolicyTypes();
    // Without policyTypes a policy always restricts ingress (and egress only if it has egress rules).
    return types == null || types.isEmpty() || types.contains("Ingress");
  }

  /**
   * Whether some of the CDN's range gets in: an ipBlock that overlaps it, where the overlap is not
   * wholly carved out by an {@code except}. "Admits none" is the fault; a partly admitted range is
   * not one (the CDN's other addresses still connect).
   */
  private static boolean admitsSource(NetworkPolicyIngressRule rule, Cidr range) {
    List<NetworkPolicyPeer> from = rule.getFrom();
    if (from == null || from.isEmpty()) {
      return true;
    }
    for (NetworkPolicyPeer peer : from) {
      IPBlock block = peer.getIpBlock();
      if (block == null || block.getCidr() == null) {
        continue;
      }
      try {
        Cidr allowed = Cidr.parse(block.getCidr());
        if (!allowed.overlaps(range)) {
          continue;
        }
        // Two CIDR blocks that overlap are nested: their overlap is the smaller one.
        Cidr overlap = allowed.containsAll(range) ? range : allowed;
        boolean carvedOut = IngressRoutes.nullSafe(block.getExcept()).stream()
            .anyMatch(except -> Cidr.parse(except).containsAll(overlap));
        if (!carvedOut) {
          return true;
        }
      } catch (IllegalArgumentException malformedPolicy) {
        // The API server validates ipBlock; a malformed one admits nothing, as it would not apply.
      }
    }
    return false;
  }

  static boolean admitsPort(NetworkPolicyIngressRule rule, PodPort port, List<Pod> pods) {
    List<NetworkPolicyPort> ports = rule.getPorts();
    if (ports == null || ports.isEmpty()) {
      return true;
    }
    Integer number = port.number() != null ? port.number() : containerPortNumber(pods, port.name());
    for (NetworkPolicyPort p : ports) {
      if (p.getProtocol() != null && !"TCP".equals(p.getProtocol())) {
        continue;
      }
      IntOrString allowed = p.getPort();
      if (allowed == null) {
        return true;
      }
      if (allowed.getIntVal() != null && number != null) {
        int end = p.getEndPort() == null ? allowed.getIntVal() : p.getEndPort();
        if (number >= allowed.getIntVal() && number <= end) {
          return true;
        }
      } else if (allowed.getStrVal() != null) {
        if (allowed.getStrVal().equals(port.name())
            || (number != null && number.equals(containerPortNumber(pods, allowed.getStrVal())))) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Whether the isolating policies may admit, on {@code port}, a connection from inside the
   * cluster, as the operator's probes come (from a pod's address, or a node's): a rule open to
   * every source, to pods or namespaces, or to a block that overlaps a cluster-internal range or
   * holds one of {@code pods}' own addresses. The last is for pod networks outside the private
   * ranges (GKE's privately used public ranges, global IPv6 pod addresses): a block admitting the
   * gateway pods' own network admits the operator's pods on it too.
   */
  static boolean mayAdmitFromInside(List<NetworkPolicy> isolating, PodPort port, List<Pod> pods) {
    List<Cidr> podAddresses = addressesOf(pods);
    for (NetworkPolicy policy : isolating) {
      for (NetworkPolicyIngressRule rule : IngressRoutes.nullSafe(policy.getSpec().getIngress())) {
        if (!admitsPort(rule, port, pods)) {
          continue;
        }
        List<NetworkPolicyPeer> from = IngressRoutes.nullSafe(rule.getFrom());
        if (from.isEmpty() || from.stream().anyMatch(peer -> mayBeInside(peer, podAddresses))) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean mayBeInside(NetworkPolicyPeer peer, List<Cidr> podAddresses) {
    if (peer.getPodSelector() != null || peer.getNamespaceSelector() != null) {
      return true;
    }
    IPBlock block = peer.getIpBlock();
    if (block == null || block.getCidr() == null) {
      return false;
    }
    try {
      Cidr allowed = Cidr.parse(block.getCidr());
      return SourceAllowlist.namesClusterInternal(List.of(allowed)) || podAddresses.stream()
          .anyMatch(pod -> allowed.containsAll(pod) && IngressRoutes.nullSafe(block.getExcept()).stream()
              .noneMatch(except -> Cidr.parse(except).containsAll(pod)));
    } catch (IllegalArgumentException malformedPolicy) {
      return false;
    }
  }

  /** The pods' primary addresses (the cache keeps no other), each as a block of one. */
  private static List<Cidr> addressesOf(List<Pod> pods) {
    List<Cidr> addresses = new ArrayList<>();
    for (Pod pod : pods) {
      // A pod gone (an evicted one keeps its address) no longer says where the pods are.
      String ip = pod.getStatus() == null || PodHealth.isGone(pod) ? null : pod.getStatus().getPodIP();
      try {
        if (ip != null) {
          addresses.add(Cidr.parse(ip));
        }
      } catch (IllegalArgumentException notAnAddress) {
        // The kubelet writes an address; a cache holding anything else learns nothing from it.
      }
    }
    return addresses;
  }

  static Integer containerPortNumber(List<Pod> pods, String name) {
    if (name == null) {
      return null;
    }
    return pods.stream()
        .filter(pod -> pod.getSpec() != null)
        .flatMap(pod -> IngressRoutes.nullSafe(pod.getSpec().getContainers()).stream())
        .flatMap(c -> IngressRoutes.nullSafe(c.getPorts()).stream())
        .filter(cp -> name.equals(cp.getName()))
        // A named port without a number (the API server refuses one, a cache may still hold it)
        // names nothing; findFirst would throw on it.
        .map(cp -> cp.getContainerPort())
        .filter(Objects::nonNull)
        .findFirst()
        .orElse(null);
  }
}
