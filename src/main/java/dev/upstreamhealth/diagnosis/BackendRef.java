package dev.upstreamhealth.diagnosis;

/**
 * A route backend: a Service and its port, by number or by name (exactly one of the two is set).
 *
 * @param route which rule sends host to it, for messages ("Ingress web/shop path /api"); null
 *     when not known
 */
public record BackendRef(String namespace, String serviceName, Integer portNumber, String portName, String route) {

  public BackendRef(String namespace, String serviceName, Integer portNumber, String portName) {
    this(namespace, serviceName, portNumber, portName, null);
  }

  public String serviceKey() {
    return ObjectKey.of(namespace, serviceName);
  }

  public String portText() {
    return portNumber != null ? String.valueOf(portNumber) : portName != null ? portName : "(none)";
  }
}
