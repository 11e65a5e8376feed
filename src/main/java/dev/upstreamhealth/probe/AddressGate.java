package dev.upstreamhealth.probe;

import java.net.InetAddress;
import java.util.Optional;

/**
 * Decides, with the address a name resolved to, whether a probe may connect. Judged at connect
 * time: a name can resolve to a metadata or internal address whatever it looks like in a spec.
 */
@FunctionalInterface
public interface AddressGate {
  /** Empty when the probe may connect, else the rule that refuses it, e.g. "loopback (127.0.0.0/8)". */
  Optional<String> refusal(InetAddress address);

  /**
   * The same, knowing the port the probe connects to: some addresses are refused on some ports
   * only (a control-plane node's API server, etcd and kubelet ports, where its other ports may
   * serve the origin). Without an override, the port changes nothing.
   */
  default Optional<String> refusal(InetAddress address, int port) {
    return refusal(address);
  }
}
