package dev.upstreamhealth.diagnosis;

/**
 * An Ingress backend: a Service in the Ingress's namespace and its port, by number or by name
 * (exactly one of the two is set).
 */
public record BackendRef(String namespace, String serviceName, Integer portNumber, String portName) {

  public String serviceKey() {
    return namespace + "/" + serviceName;
  }

  public String portText() {
    return portNumber != null ? String.valueOf(portNumber) : portName != null ? portName : "(none)";
  }
}
