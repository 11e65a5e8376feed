package dev.upstreamhealth.probe.transport;

/** How far one probe got; a timeout or a closed connection means something different in each. */
enum ProbePhase {
  RESOLVING,
  CONNECTING,
  HANDSHAKING,
  AWAITING_HEAD
}
