package dev.upstreamhealth.bench;

import dev.upstreamhealth.loopback.Behaviour;
import dev.upstreamhealth.loopback.CertificateAuthority;
import dev.upstreamhealth.loopback.LoopbackCertificate;
import dev.upstreamhealth.loopback.LoopbackServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * How the fleet's origins answer: plain HTTP (the default, as in every table so far), or, with
 * {@code -Dbench.originScheme=https}, HTTPS under a certificate for {@code *.example.com} from a
 * CA of the bench's that the operator is told to trust ({@code --probe-ca-file}), so each origin
 * probe is a full handshake with the certificate checked strictly, as most CDNs reach origins.
 * The pods stay plain HTTP, as upstreams behind ingress-nginx usually are.
 */
final class BenchOrigins {
  private static final String WILDCARD = "*.example.com";
  /** Made on first use, with the CA file beside it. */
  private static LoopbackCertificate certificate;

  private BenchOrigins() {
  }

  static boolean https() {
    return "https".equals(System.getProperty("bench.originScheme", "http"));
  }

  /** The Site's spec.origin.scheme: empty for the default (plain HTTP). */
  static String scheme() {
    return https() ? "https" : "";
  }

  /** Where the bench's origin CA is written, for the operator's --probe-ca-file. */
  static Path caFile() {
    return Path.of(System.getProperty("bench.out", "target/bench")).resolve("origin-ca.pem");
  }

  /** What every operator the bench starts is told besides its own options: the CA, for https origins. */
  static List<String> operatorArgs() {
    return https() ? List.of("--probe-ca-file", caFile().toAbsolutePath().toString()) : List.of();
  }

  /** A server for one origin address ({@code port} 0: any free one), answering 200: http or https, as chosen. */
  static LoopbackServer server(String ip, int port) {
    return https() ? LoopbackServer.https(ip, port, certificate(), Behaviour.status(200))
        : LoopbackServer.http(ip, port, Behaviour.status(200));
  }

  private static synchronized LoopbackCertificate certificate() {
    if (certificate == null) {
      CertificateAuthority ca = CertificateAuthority.create("bench origin CA");
      try {
        Files.createDirectories(caFile().getParent());
        Files.writeString(caFile(), ca.pem());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      certificate = ca.issue(WILDCARD);
    }
    return certificate;
  }
}
