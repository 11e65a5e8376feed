package dev.upstreamhealth.probe.transport;

import java.security.cert.CertificateException;

/** A certificate rejection whose message says in plain words why, for status and Events. */
final class ExplainedCertificateException extends CertificateException {
  ExplainedCertificateException(String explanation, Throwable cause) {
    super(explanation, cause);
  }
}
