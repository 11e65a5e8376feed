package dev.upstreamhealth.probe.transport;

import java.net.Socket;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Verifies server certificates with the JDK's own PKIX trust manager (chain and host name), and
 * when it refuses one, rethrows with a reason a person can act on: "self-signed", "does not
 * match host", "expired". The JDK's own messages ("PKIX path building failed…") say none of that.
 */
final class ExplainingTrustManager extends DelegatingTrustManager {
  ExplainingTrustManager(X509ExtendedTrustManager verifier) {
    super(verifier);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    try {
      verifier.checkServerTrusted(chain, authType, engine);
    } catch (CertificateException e) {
      throw new ExplainedCertificateException(explain(e, chain, engine == null ? null : engine.getPeerHost()), e);
    }
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    try {
      verifier.checkServerTrusted(chain, authType, socket);
    } catch (CertificateException e) {
      throw new ExplainedCertificateException(explain(e, chain, null), e);
    }
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    try {
      verifier.checkServerTrusted(chain, authType);
    } catch (CertificateException e) {
      throw new ExplainedCertificateException(explain(e, chain, null), e);
    }
  }

  static String explain(CertificateException e, X509Certificate[] chain, String host) {
    X509Certificate leaf = chain == null || chain.length == 0 ? null : chain[0];
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof CertificateExpiredException) {
        return leafExpired(leaf) ? expired(leaf) : "certificate chain contains an expired certificate";
      }
      if (t instanceof CertificateNotYetValidException) {
        return leafNotYetValid(leaf) ? notYetValid(leaf) : "certificate chain contains a certificate not yet valid";
      }
      if (t instanceof CertPathValidatorException v && v.getReason() == CertPathValidatorException.BasicReason.EXPIRED) {
        return leafExpired(leaf) ? expired(leaf) : "certificate chain contains an expired certificate";
      }
      if (t instanceof CertPathValidatorException v && v.getReason() == CertPathValidatorException.BasicReason.NOT_YET_VALID) {
        return leafNotYetValid(leaf) ? notYetValid(leaf) : "certificate chain contains a certificate not yet valid";
      }
    }
    String message = String.valueOf(e.getMessage());
    if (message.startsWith("No subject alternative") || message.startsWith("No name matching")) {
      return "certificate names " + namesOf(leaf) + ", not host " + host;
    }
    if (message.contains("PKIX path") || message.contains("certification path")) {
      if (leaf == null) {
        return "certificate not trusted: no certificate";
      }
      X509Certificate top = topOfSent(chain);
      if (top == leaf && selfSigned(leaf)) {
        return "certificate not trusted: self-signed (" + leaf.getSubjectX500Principal().getName() + ")";
      }
      String issuer = top.getIssuerX500Principal().getName();
      if (top == leaf && noPathToATrustedAuthority(e)) {
        // A server that sends only its own certificate (cert.pem where fullchain.pem belongs) under
        // a public CA's intermediate: the CDN does not fetch the missing one either, and refuses it.
        return "certificate not trusted: issuer " + issuer + " is not a trusted authority, and the server sends no"
            + " certificate of it: if it is an intermediate authority, serve the full chain (the CDN does not fetch"
            + " a missing intermediate)";
      }
      return "certificate not trusted: issuer " + issuer + " is not a trusted authority";
    }
    return "certificate rejected: " + message;
  }

  /**
   * Whether the JDK found no path from the certificate to a trusted authority at all, rather than
   * refusing one it found (a weak key or signature algorithm, a signature that does not verify).
   */
  private static boolean noPathToATrustedAuthority(CertificateException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (String.valueOf(t.getMessage()).contains("unable to find valid certification path")) {
        return true;
      }
    }
    return false;
  }

  /** The certificate the chain the server sends leads up to from its own: each next one issued the one before. */
  private static X509Certificate topOfSent(X509Certificate[] chain) {
    X509Certificate top = chain[0];
    for (int step = 1; step < chain.length && !selfSigned(top); step++) {
      X509Certificate current = top;
      X509Certificate issuer = null;
      for (X509Certificate candidate : chain) {
        if (candidate != current && candidate.getSubjectX500Principal().equals(current.getIssuerX500Principal())) {
          issuer = candidate;
          break;
        }
      }
      if (issuer == null) {
        break;
      }
      top = issuer;
    }
    return top;
  }

  private static boolean selfSigned(X509Certificate certificate) {
    return certificate.getSubjectX500Principal().equals(certificate.getIssuerX500Principal());
  }

  private static boolean leafExpired(X509Certificate leaf) {
    return leaf != null && leaf.getNotAfter().toInstant().isBefore(Instant.now());
  }

  private static boolean leafNotYetValid(X509Certificate leaf) {
    return leaf != null && leaf.getNotBefore().toInstant().isAfter(Instant.now());
  }

  private static String expired(X509Certificate leaf) {
    return "certificate expired on " + leaf.getNotAfter().toInstant() + " (" + leaf.getSubjectX500Principal().getName() + ")";
  }

  private static String notYetValid(X509Certificate leaf) {
    return "certificate not yet valid: valid from " + leaf.getNotBefore().toInstant()
        + " (" + leaf.getSubjectX500Principal().getName() + ")";
  }

  /** "[a.example.com, *.example.com]", or the subject when the certificate lists no names. */
  private static String namesOf(X509Certificate leaf) {
    if (leaf == null) {
      return "[]";
    }
    List<String> names = new ArrayList<>();
    try {
      Collection<List<?>> alternatives = leaf.getSubjectAlternativeNames();
      if (alternatives != null) {
        alternatives.forEach(entry -> names.add(String.valueOf(entry.get(1))));
      }
    } catch (CertificateParsingException ignored) {
      // the names are only decoration for the message
    }
    return names.isEmpty() ? "[" + leaf.getSubjectX500Principal().getName() + "]" : names.toString();
  }
}
