package dev.upstreamhealth.probe.transport;

import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** Netty probers for tests, which probe their own servers on 127.0.0.x: no address is refused. */
public final class NettyProbers {
  private NettyProbers() {}

  /** Trusts, for strict certificate checks, what every operator trusts and {@code extraTrusted}. */
  public static NettyProber anyAddress(X509Certificate... extraTrusted) {
    return anyAddress(List.of(extraTrusted));
  }

  public static NettyProber anyAddress(Collection<X509Certificate> extraTrusted) {
    return new NettyProber(extraTrusted, address -> Optional.empty());
  }
}
