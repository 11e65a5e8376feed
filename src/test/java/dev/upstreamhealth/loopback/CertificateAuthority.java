package dev.upstreamhealth.loopback;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throwaway certificate authority, made in memory, for loopback TLS servers. A prober told to
 * trust {@link #certificate()} accepts the server certificates it {@link #issue issues}, so tests
 * and the demo exercise real certificate and host name verification without touching the JVM's
 * trust store.
 */
public final class CertificateAuthority {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final AtomicLong SERIALS = new AtomicLong(System.currentTimeMillis());
  private static final Duration VALIDITY = Duration.ofDays(2);

  private final X500Name name;
  private final KeyPair keys;
  private final X509Certificate certificate;

  private CertificateAuthority(X500Name name, KeyPair keys, X509Certificate certificate) {
    this.name = name;
    this.keys = keys;
    this.certificate = certificate;
  }

  public static CertificateAuthority create(String name) {
    KeyPair keys = newKeyPair();
    X500Name subject = new X500Name("CN=" + name);
    Instant now = Instant.now();
    return new CertificateAuthority(subject, keys, sign(subject, subject, keys, keys.getPrivate(), true, List.of(),
        now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(30))));
  }

  /** An intermediate authority this one signs, as a public CA issues server certificates from one. */
  public CertificateAuthority intermediate(String intermediateName) {
    KeyPair intermediateKeys = newKeyPair();
    X500Name subject = new X500Name("CN=" + intermediateName);
    Instant now = Instant.now();
    return new CertificateAuthority(subject, intermediateKeys, sign(subject, name, intermediateKeys, keys.getPrivate(),
        true, List.of(), now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(30))));
  }

  /** The certificate to hand to a prober as an extra trusted one. */
  public X509Certificate certificate() {
    return certificate;
  }

  /** This authority's certificate as PEM: a bundle for --probe-ca-file or another prober. */
  public String pem() {
    return pem(certificate);
  }

  /** A certificate as PEM, 64 characters a line. */
  public static String pem(X509Certificate certificate) {
    try {
      return "-----BEGIN CERTIFICATE-----\n"
          + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(certificate.getEncoded())
          + "\n-----END CERTIFICATE-----\n";
    } catch (CertificateEncodingException e) {
      throw new IllegalStateException("cannot encode " + certificate.getSubjectX500Principal(), e);
    }
  }

  /** A server certificate for the given DNS names (subject alternative names), signed by this authority. */
  public LoopbackCertificate issue(String... dnsNames) {
    Instant now = Instant.now();
    return issue(now.minus(Duration.ofHours(1)), now.plus(VALIDITY), dnsNames);
  }

  /** A server certificate valid from {@code notBefore} to {@code notAfter}: expired, not yet valid, soon expiring. */
  public LoopbackCertificate issue(Instant notBefore, Instant notAfter, String... dnsNames) {
    KeyPair serverKeys = newKeyPair();
    X509Certificate server = sign(new X500Name("CN=" + dnsNames[0]), name, serverKeys, keys.getPrivate(), false,
        Arrays.asList(dnsNames), notBefore, notAfter);
    return new LoopbackCertificate(serverKeys.getPrivate(), server, List.of(server, certificate));
  }

  /** A server certificate with an RSA key, as the suites without ECDSA (ECDHE-RSA-*, AES128-SHA) need. */
  public LoopbackCertificate issueRsa(String dnsName) {
    KeyPair serverKeys;
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048, RANDOM);
      serverKeys = generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JVM offers no RSA key pairs", e);
    }
    Instant now = Instant.now();
    X509Certificate server = sign(new X500Name("CN=" + dnsName), name, serverKeys, keys.getPrivate(), false,
        List.of(dnsName), now.minus(Duration.ofHours(1)), now.plus(VALIDITY));
    return new LoopbackCertificate(serverKeys.getPrivate(), server, List.of(server, certificate));
  }

  /** A certificate that vouches for itself, as a server set up without any authority presents. */
  public static LoopbackCertificate selfSigned(String hostName) {
    KeyPair keys = newKeyPair();
    X500Name subject = new X500Name("CN=" + hostName);
    Instant now = Instant.now();
    X509Certificate cert = sign(subject, subject, keys, keys.getPrivate(), false, List.of(hostName),
        now.minus(Duration.ofHours(1)), now.plus(VALIDITY));
    return new LoopbackCertificate(keys.getPrivate(), cert, List.of(cert));
  }

  private static X509Certificate sign(X500Name subject, X500Name issuer, KeyPair subjectKeys, PrivateKey issuerKey,
      boolean ca, List<String> dnsNames, Instant notBefore, Instant notAfter) {
    X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
        issuer,
        BigInteger.valueOf(SERIALS.incrementAndGet()),
        Date.from(notBefore),
        Date.from(notAfter),
        subject,
        subjectKeys.getPublic());
    try {
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
      builder.addExtension(Extension.keyUsage, true, ca
          ? new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign)
          : new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
      if (!dnsNames.isEmpty()) {
        GeneralName[] names = dnsNames.stream().map(n -> new GeneralName(GeneralName.dNSName, n)).toArray(GeneralName[]::new);
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
      }
      return new JcaX509CertificateConverter()
          .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey)));
    } catch (CertIOException | OperatorCreationException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot make a loopback certificate for " + subject, e);
    }
  }

  private static KeyPair newKeyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(256, RANDOM);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JVM offers no EC key pairs", e);
    }
  }
}
