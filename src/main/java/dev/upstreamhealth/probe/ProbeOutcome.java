package dev.upstreamhealth.probe;

/** How a probe ended, before any judgement of its HTTP status. */
public enum ProbeOutcome {
  /** A complete HTTP status line and headers arrived; see {@link ProbeResult#statusCode()}. */
  RESPONDED("Responded"),
  /**
   * An http probe to the origin or the gateway was answered with a redirect (301, 302, 303, 307,
   * 308) to the very address it asked for, over https: a CDN that fetches the origin over http
   * while its visitors use https passes that redirect on to them, and they come back for the same
   * http fetch without end. {@link ProbeResult#statusCode()} is the redirect's status and
   * {@link ProbeResult#detail()} its {@code Location}.
   */
  REDIRECT_LOOP("RedirectLoop"),
  /**
   * The gateway's client allowlist refused the probe's own address with 403, while it admits the
   * CDN's ranges ({@link ForbiddenReading}): the origin is reached, what it serves stays unseen.
   * Or the gateway's load balancer or NetworkPolicies, admitting only the CDN's ranges, dropped the origin probe's
   * connection ({@link OriginReading#onlyTheCdnAdmitted}; status 0). Read so by the
   * Site's plan, never by a prober: metrics count the 403 or the timeout the prober saw.
   */
  ADDRESS_NOT_ADMITTED("AddressNotAdmitted"),
  /**
   * The gateway asks every visitor for credentials before the app (ingress-nginx's auth-type or
   * auth-url) and answered the probe, which has none, with 401: the origin is reached, what it
   * serves stays unseen. Read so from a 401 by the Site's plan, never by a prober: metrics count
   * the 401 the prober saw.
   */
  CREDENTIALS_REQUIRED("CredentialsRequired"),
  /** The TCP connection was actively refused (RST). */
  CONNECTION_REFUSED("ConnectionRefused"),
  /** No TCP connection within the timeout. */
  CONNECT_TIMEOUT("ConnectTimeout"),
  /**
   * The resolver answered that the name does not exist (NXDOMAIN, or no address of it), or there
   * is no route to the address.
   */
  UNREACHABLE("Unreachable"),
  /** The TLS handshake failed: no certificate, no common protocol or cipher, not TLS at all (a CDN's 525). */
  TLS_FAILED("TLSFailed"),
  /**
   * The server speaks only a protocol version the CDN offers and the probe's TLS library will not
   * (TLS 1.0 or 1.1 on the JDK's TLS, the fallback where BoringSSL does not load): the handshake
   * says nothing of the origin. Neither counts towards a fault nor clears one.
   */
  TLS_NOT_JUDGED("TLSNotJudged"),
  /**
   * The handshake could complete, but the certificate fails the check asked for: expired, not yet
   * valid, untrusted, self-signed, or not for the host (a CDN's 526).
   */
  CERTIFICATE_INVALID("CertificateInvalid"),
  /** Bytes arrived that are not a valid HTTP/1.x response. */
  MALFORMED_RESPONSE("MalformedResponse"),
  /** Connected (and handshaken), but no complete response head within the timeout. */
  RESPONSE_TIMEOUT("ResponseTimeout"),
  /** The peer closed or reset the connection before a response head arrived. */
  CONNECTION_CLOSED("ConnectionClosed"),
  /** A connect-only target (a gRPC port): the TCP connection was accepted, which is all that is asked. */
  CONNECTED("Connected"),
  /** The address is one the operator's probe policy keeps probes away from; nothing was sent. */
  NOT_PROBED("NotProbed"),
  /**
   * The server asked for a client certificate and turned the probe away without one (an alert
   * that says so: certificate_required, bad_certificate, handshake_failure; or nginx's 400 page "No
   * required SSL certificate was sent"): it is up and speaks TLS, and serves the CDN, which presents
   * one the probe does not have. No fault: what it serves is judged from the other probes. Any
   * other failure or 400 of a server that asked (optionally, as nginx's "optional" does on every
   * handshake) is read as ever.
   */
  CLIENT_CERTIFICATE_REQUIRED("ClientCertificateRequired"),
  /**
   * The name got no answer: the resolver failed ("Temporary failure in name resolution"), did not
   * answer within the timeout, or too many lookups were waiting already. Nothing was sent.
   */
  NAME_LOOKUP_FAILED("NameLookupFailed");

  private final String label;

  ProbeOutcome(String label) {
    this.label = label;
  }

  /**
   * Whether a probe that ended so says anything of its target. A name lookup that got no answer
   * does not: the resolver failed (the cluster's DNS), not the target, and the CDN looks the name
   * up through public DNS. Nor does a handshake in a protocol version the probe cannot offer. Such a
   * probe neither counts towards a fault nor clears one.
   */
  public boolean isEvidence() {
    return this != NAME_LOOKUP_FAILED && this != TLS_NOT_JUDGED;
  }

  /** PascalCase name shown in status and used as the metrics {@code result} label. */
  public String label() {
    return label;
  }
}
