package dev.upstreamhealth.probe;

import java.time.Duration;
import java.util.Objects;

/**
 * One HTTP/1.1 GET to make: connect to {@code address:port}, send {@code Host: host} (and SNI
 * {@code host} for https), request {@code path}, give up after {@code timeout}.
 *
 * @param service for upstream targets the Service "namespace/name" the endpoint belongs to, else empty
 */
public record ProbeTarget(
    ProbeLayer layer,
    String address,
    int port,
    Scheme scheme,
    String host,
    String path,
    Duration timeout,
    String service) {

  public ProbeTarget {
    Objects.requireNonNull(layer, "layer");
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(scheme, "scheme");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(timeout, "timeout");
    service = service == null ? "" : service;
  }

  /** What the probe connects to, e.g. {@code https://203.0.113.7:443/healthz}. */
  public String url() {
    String hostPart = address.indexOf(':') >= 0 ? "[" + address + "]" : address;
    return scheme.label() + "://" + hostPart + ":" + port + path;
  }

  /** Identity of the target across plans: the same key keeps its probe history. */
  public String key() {
    return layer.label() + " " + url() + " host=" + host;
  }
}
