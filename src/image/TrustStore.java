import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;

/** Java's trust store from a PEM bundle: what Debian's ca-certificates-java does at install time. */
public class TrustStore {
  public static void main(String[] args) throws Exception {
    KeyStore store = KeyStore.getInstance("JKS");
    store.load(null, null);
    int count = 0;
    try (FileInputStream in = new FileInputStream(args[0])) {
      for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        X509Certificate x509 = (X509Certificate) certificate;
        store.setCertificateEntry("ca-" + (++count) + "-" + x509.getSubjectX500Principal().getName().hashCode(), x509);
      }
    }
    try (FileOutputStream out = new FileOutputStream(args[1])) {
      store.store(out, "changeit".toCharArray());
    }
    System.out.println("[image] trust store: " + count + " CA certificates");
  }
}
