package dev.upstreamhealth.diagnosis;

/**
 * Ready and total endpoints of one backend Service, for status.
 *
 * @param externalName the DNS name an ExternalName Service aliases, else null
 */
public record UpstreamCount(String service, int ready, int total, String externalName) {

  public UpstreamCount(String service, int ready, int total) {
    this(service, ready, total, null);
  }
}
