package dev.upstreamhealth.probe;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The roots a strict certificate check trusts besides the JVM's public ones: what Cloudflare's
 * Full (strict) mode trusts (its Origin CA roots, shipped with the operator) and the bundle the
 * operator is given ({@code --probe-ca-file}).
 */
public final class ProbeTrust {
  /** Cloudflare's Origin CA roots, RSA and ECC; see {@code trust/README.md} beside them for source and expiry. */
  static final List<String> CLOUDFLARE_ORIGIN_CA = List.of(
      "/trust/cloudflare-origin-ca-rsa-root.pem", "/trust/cloudflare-origin-ca-ecc-root.pem");

  private ProbeTrust() {}

  /** Cloudflare's Origin CA roots as shipped in the jar. */
  public static List<X509Certificate> cloudflareOriginCa() {
    List<X509Certificate> out = new ArrayList<>();
    for (String resource : CLOUDFLARE_ORIGIN_CA) {
      try (InputStream in = ProbeTrust.class.getResourceAsStream(resource)) {
        if (in == null) {
          throw new IllegalStateException("the jar lacks " + resource);
        }
        out.addAll(parse(in, resource));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + resource, e);
      }
    }
    return out;
  }

  /**
   * The certificates of a PEM bundle.
   *
   * @throws IllegalArgumentException with a message for the user when the file cannot be used
   */
  public static List<X509Certificate> bundle(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      List<X509Certificate> certificates = parse(in, file.toString());
      if (certificates.isEmpty()) {
        throw new IllegalArgumentException(file + " holds no PEM certificate");
      }
      return certificates;
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private static List<X509Certificate> parse(InputStream in, String source) throws IOException {
    try {
      Collection<? extends Certificate> all =
          CertificateFactory.getInstance("X.509").generateCertificates(in);
      List<X509Certificate> out = new ArrayList<>();
      all.forEach(c -> out.add((X509Certificate) c));
      return out;
    } catch (CertificateException e) {
      throw new IllegalArgumentException(source + " is not a PEM certificate bundle: " + e.getMessage(), e);
    }
  }
}
