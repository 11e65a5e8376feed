package dev.upstreamhealth.probe;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * One HTTP/1.1 GET to make: connect to {@code address:port}, send {@code Host: host} (never with a
 * port) and SNI {@code host} for https, request {@code path}, give up after {@code timeout}.
 *
 * @param service for upstream targets the Service "namespace/name" the endpoint belongs to, for
 *     the gateway its Service, else empty
 * @param proxyProtocol the PROXY header sent before anything else, as the load balancer would
 * @param certificateCheck how a https server's certificate is judged
 * @param headers further request headers, e.g. the X-Forwarded-* a gateway adds; the value
 *     {@link #CONNECTION_ADDRESS} stands for the probe's own address on the connection
 * @param connectOnly when not empty, only the TCP connection is checked and this says why (a gRPC
 *     port speaks no HTTP/1.1)
 */
public record ProbeTarget(
    ProbeLayer layer,
    String address,
    int port,
    Scheme scheme,
    String host,
    String path,
    Duration timeout,
    String service,
    ProxyProtocol proxyProtocol,
    CertificateCheck certificateCheck,
    Map<String, String> headers,
    String connectOnly) {

  /** A header value replaced by the probe's own IP address on the connection (what a gateway's $remote_addr is). */
  public static final String CONNECTION_ADDRESS = "$remote_addr";

  public ProbeTarget {
    Objects.requireNonNull(layer, "layer");
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(scheme, "scheme");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(timeout, "timeout");
    service = service == null ? "" : service;
    proxyProtocol = proxyProtocol == null ? ProxyProtocol.NONE : proxyProtocol;
    certificateCheck = certificateCheck == null ? CertificateCheck.STRICT : certificateCheck;
    headers = headers == null ? Map.of() : Map.copyOf(headers);
    connectOnly = connectOnly == null ? "" : connectOnly;
  }

  /** A plain GET without PROXY header or extra headers, judging certificates strictly. */
  public ProbeTarget(ProbeLayer layer, String address, int port, Scheme scheme, String host, String path,
      Duration timeout, String service) {
    this(layer, address, port, scheme, host, path, timeout, service, ProxyProtocol.NONE, CertificateCheck.STRICT,
        Map.of(), "");
  }

  public ProbeTarget withProxyProtocol(ProxyProtocol version) {
    return new ProbeTarget(layer, address, port, scheme, host, path, timeout, service, version, certificateCheck,
        headers, connectOnly);
  }

  public ProbeTarget withCertificateCheck(CertificateCheck check) {
    return new ProbeTarget(layer, address, port, scheme, host, path, timeout, service, proxyProtocol, check,
        headers, connectOnly);
  }

  public ProbeTarget withHeaders(Map<String, String> extra) {
    return new ProbeTarget(layer, address, port, scheme, host, path, timeout, service, proxyProtocol,
        certificateCheck, extra, connectOnly);
  }

  /** Only a TCP connect check, for {@code why} (shown with the result). */
  public ProbeTarget connectOnly(String why) {
    return new ProbeTarget(layer, address, port, scheme, host, path, timeout, service, proxyProtocol,
        certificateCheck, headers, why);
  }

  public boolean isConnectOnly() {
    return !connectOnly.isEmpty();
  }

  /** What the probe connects to, e.g. {@code https://203.0.113.7:443/healthz}. */
  public String url() {
    String hostPart = address.indexOf(':') >= 0 ? "[" + address + "]" : address;
    return (isConnectOnly() ? "tcp" : scheme.label()) + "://" + hostPart + ":" + port + (isConnectOnly() ? "" : path);
  }

  /**
   * Identity of the target across plans: the same key keeps its probe history. How the request
   * is made (headers, PROXY header, certificate check) is not part of it: a changed manner is
   * applied from the next probe on.
   */
  public String key() {
    return layer.label() + " " + url() + " host=" + host;
  }

  /**
   * What {@link #key()} says, as a value made of the target's own fields: a Site's probe history
   * is kept under it for as long as it probes, and a record of shared fields is a fraction of the
   * text.
   */
  public Identity identity() {
    return new Identity(layer, address, port, isConnectOnly() ? null : scheme, isConnectOnly() ? "" : path, host);
  }

  /** See {@link #identity()}; the scheme and path are left out for a connect-only check, as in {@link #url()}. */
  public record Identity(ProbeLayer layer, String address, int port, Scheme scheme, String path, String host) {}
}
