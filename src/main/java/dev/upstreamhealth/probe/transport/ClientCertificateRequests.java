package dev.upstreamhealth.probe.transport;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.Set;
import java.util.WeakHashMap;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * Notes the handshakes in which the server asked for a client certificate. The probes have none
 * to give: the one the CDN presents (Cloudflare's Authenticated Origin Pulls certificate, say) is
 * not theirs. An origin that demands it refuses them, with a failed handshake (Envoy, HAProxy,
 * Caddy) or a 400 "No required SSL certificate was sent" (nginx, ingress-nginx's
 * {@code auth-tls-verify-client}), while it serves the CDN; knowing it asked tells that refusal
 * from a broken origin. Both TLS engines ask the key manager when, and only when, the server
 * requests a certificate, and go on without one when it names none.
 */
final class ClientCertificateRequests extends X509ExtendedKeyManager {
  /**
   * Weak: a probe forgets its engine as it ends, and a server's request that comes in after that
   * (a handshake still unwinding on a probe given up on) must not keep the engine alive.
   */
  private final Set<SSLEngine> asked = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

  @Override
  public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
    if (engine != null) {
      asked.add(engine);
    }
    return null;
  }

  /** Whether the server asked for a certificate in this engine's handshake so far. */
  boolean askedIn(SSLEngine engine) {
    return engine != null && asked.contains(engine);
  }

  /** Whether the server asked for a certificate in this engine's handshake; forgets the engine either way. */
  boolean forget(SSLEngine engine) {
    return engine != null && asked.remove(engine);
  }

  @Override
  public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
    return null; // probes use engines only
  }

  @Override
  public String[] getClientAliases(String keyType, Principal[] issuers) {
    return null;
  }

  @Override
  public String[] getServerAliases(String keyType, Principal[] issuers) {
    return null;
  }

  @Override
  public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
    return null;
  }

  @Override
  public X509Certificate[] getCertificateChain(String alias) {
    return null;
  }

  @Override
  public PrivateKey getPrivateKey(String alias) {
    return null;
  }
}
