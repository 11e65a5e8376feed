package dev.upstreamhealth.probe.transport;

import dev.upstreamhealth.probe.AddressGate;
import dev.upstreamhealth.probe.CertificateCheck;
import dev.upstreamhealth.probe.ProbeLayer;
import dev.upstreamhealth.probe.ProbeOutcome;
import dev.upstreamhealth.probe.ProbeResult;
import dev.upstreamhealth.probe.ProbeTarget;
import dev.upstreamhealth.probe.ProbeTrace;
import dev.upstreamhealth.probe.Prober;
import dev.upstreamhealth.probe.ProxyProtocol;
import dev.upstreamhealth.probe.Scheme;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.OpenSslSessionContext;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.util.NetUtil;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Probes over real sockets with Netty: one HTTP/1.1 GET, read up to the response head, close.
 * A few event-loop threads serve all probes; no thread waits for any one of them.
 */
public final class NettyProber implements Prober {
  static final int MAX_INITIAL_LINE = 4096;
  /**
   * The largest response head read. Large CSP and preload headers and a few cookies make heads of
   * tens of KiB that a CDN passes on (the limits CDNs publish run from 16 to 128 KiB): below this
   * bound a large head is no fault of the origin's, and nothing larger is buffered.
   */
  static final int MAX_HEADER_SIZE = 128 * 1024;
  private static final int MAX_CHUNK = 8192;
  private static final String USER_AGENT = "upstream-health-operator";
  /**
   * BoringSSL where its native library loads (the image, linux-x86_64): a probe makes a full
   * handshake every time, as the CDN's first connection does, and the JDK's costs several times
   * more CPU. Elsewhere the JDK's own TLS, which judges certificates the same way: both hand the
   * chain to {@link ExplainingTrustManager}.
   */
  static final SslProvider TLS_PROVIDER = OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
  /**
   * Linux's epoll through Netty's native transport where it loads (the image): each probe is a
   * connection opened and closed, and the native transport makes fewer system calls and less
   * garbage for that than the JDK's selector, which is the fallback.
   */
  static final boolean NATIVE_EPOLL = Epoll.isAvailable();

  private final EventLoopGroup eventLoops;
  private final ThreadPoolExecutor nameLookups;
  /** Shared by both contexts: which handshakes a server asked a client certificate in. */
  private final ClientCertificateRequests clientCertificates = new ClientCertificateRequests();
  /** As the CDN connects to origins: its protocols and cipher suites ({@link TlsOffer}). */
  private final SslContext strictTls;
  private final SslContext anyCertificateTls;
  /** As the gateway connects to its upstreams: its protocols, a wider list of suites. */
  private final SslContext strictGatewayTls;
  private final SslContext anyCertificateGatewayTls;
  /**
   * The CDN's suites BoringSSL lacks, on the JDK's TLS, for a second try of a handshake that found
   * no common suite (null when there is nothing to add): paid only by origins that fail the first.
   */
  private final SslContext strictMissingSuitesTls;
  private final SslContext anyCertificateMissingSuitesTls;
  private final Set<ProbeAttempt> inFlight = ConcurrentHashMap.newKeySet();
  private final AddressGate gate;
  private static final int LOOKUP_BACKLOG = 1024;
  private volatile boolean closed;

  /**
   * Trusts, for strict certificate checks, the JVM's public roots, Cloudflare's Origin CA roots and
   * {@code extraTrusted} (the {@code --probe-ca-file} bundle), and connects only to addresses
   * {@code gate} lets through: a name is judged by what it resolves to, since a Site can name a
   * host that resolves to a metadata or internal address.
   */
  public NettyProber(Collection<X509Certificate> extraTrusted, AddressGate gate) {
    this.gate = gate;
    List<X509Certificate> trusted = new ArrayList<>(ProbeTrust.cloudflareOriginCa());
    trusted.addAll(extraTrusted);
    X509ExtendedTrustManager strict = strictTrust(trusted);
    List<String> cdn = TlsOffer.cdnCiphers(TLS_PROVIDER);
    List<String> gateway = TlsOffer.gatewayCiphers(TLS_PROVIDER);
    this.strictTls = tls(TLS_PROVIDER, cdn, strict, clientCertificates);
    this.anyCertificateTls = tls(TLS_PROVIDER, cdn, null, clientCertificates);
    this.strictGatewayTls = tls(TLS_PROVIDER, gateway, strict, clientCertificates);
    this.anyCertificateGatewayTls = tls(TLS_PROVIDER, gateway, null, clientCertificates);
    List<String> missing = TLS_PROVIDER == SslProvider.JDK ? List.of()
        : TlsOffer.cdnCiphers(SslProvider.JDK).stream().filter(TlsOffer.cdnCiphersMissing(TLS_PROVIDER)::contains).toList();
    this.strictMissingSuitesTls = missing.isEmpty() ? null : tls(SslProvider.JDK, missing, strict, clientCertificates);
    this.anyCertificateMissingSuitesTls = missing.isEmpty() ? null
        : tls(SslProvider.JDK, missing, null, clientCertificates);
    DefaultThreadFactory loopThreads = new DefaultThreadFactory("probe", true);
    this.eventLoops = NATIVE_EPOLL ? new EpollEventLoopGroup(2, loopThreads) : new NioEventLoopGroup(2, loopThreads);
    // Name lookups through the JVM's resolver block, so they get their own small pool rather than
    // an event loop; probe targets are mostly IP addresses that need no lookup at all.
    // Bounded: with a slow resolver, probes beyond the backlog end at once (no evidence, like the
    // slow lookups themselves) instead of queueing without end.
    this.nameLookups = new ThreadPoolExecutor(4, 4, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(LOOKUP_BACKLOG),
        new DefaultThreadFactory("probe-name-lookup", true));
    this.nameLookups.allowCoreThreadTimeOut(true);
  }

  /** Which TLS library the probes' handshakes run on, for the start-up log. */
  public static String tlsLibrary() {
    return TLS_PROVIDER == SslProvider.OPENSSL ? OpenSsl.versionString() : "the JDK's TLS";
  }

  /** Which socket transport the probes use, for the start-up log. */
  public static String transport() {
    return NATIVE_EPOLL ? "native epoll" : "the JDK's selector";
  }

  @Override
  public CompletableFuture<ProbeResult> probe(ProbeTarget target) {
    return start(new ProbeAttempt(target, inFlight::remove));
  }

  private CompletableFuture<ProbeResult> start(ProbeAttempt attempt) {
    if (closed) {
      attempt.failed(new ProbeFailure(ProbeOutcome.CONNECTION_CLOSED, "prober is shut down"));
      return attempt.result();
    }
    inFlight.add(attempt);
    EventLoop loop = eventLoops.next();
    try {
      // All of a probe's start happens on its event loop, handed over in one task: the caller is
      // the scheduler's timer thread, and every task handed to a sleeping loop wakes it.
      loop.execute(() -> begin(attempt, loop));
    } catch (Throwable t) {
      attempt.failed(t); // e.g. the event loops shut down under us: still a result, never an exception
    }
    return attempt.result();
  }

  private void begin(ProbeAttempt attempt, EventLoop loop) {
    try {
      // From when the probe began, not from now: time spent waiting for a busy loop is the probe's.
      attempt.deadline(loop.schedule(attempt::deadlinePassed, attempt.nanosToDeadline(), TimeUnit.NANOSECONDS));
      resolve(attempt, loop);
    } catch (Throwable t) {
      attempt.failed(t);
    }
  }

  private void resolve(ProbeAttempt attempt, EventLoop loop) {
    String address = unbracketed(attempt.target().address());
    byte[] literal = NetUtil.createByteArrayFromIpAddressString(address);
    if (literal != null) {
      try {
        connectToNext(attempt, loop, new AddressesToTry(address, List.of(InetAddress.getByAddress(literal))));
      } catch (UnknownHostException e) {
        attempt.failed(e);
      }
      return;
    }
    if (isReservedInvalid(address)) {
      // RFC 6761: names under .invalid never resolve, and resolvers should say so without asking anyone.
      attempt.failed(FailureClassifier.doesNotResolve(attempt.target()));
      return;
    }
    CompletableFuture<List<InetAddress>> lookup;
    try {
      lookup = CompletableFuture.supplyAsync(() -> attempt.isFinished() ? null : lookUp(address), nameLookups);
    } catch (RejectedExecutionException busy) {
      // Our own backlog, not an answer about the name: no evidence about the target.
      attempt.failed(FailureClassifier.lookupFailed(attempt.target(), LOOKUP_BACKLOG + " name lookups waiting already"));
      return;
    }
    lookup.whenComplete((resolved, error) -> {
      if (error != null) {
        attempt.failed(error);
      } else if (resolved != null && !attempt.isFinished()) {
        loop.execute(() -> connectToNext(attempt, loop, new AddressesToTry(address, resolved)));
      }
    });
  }

  /** Connects to the next address of the target's; when none is left, the probe has failed. */
  private void connectToNext(ProbeAttempt attempt, EventLoop loop, AddressesToTry addresses) {
    connectToNext(attempt, loop, addresses, null);
  }

  /** @param tlsOverride the context to handshake with instead of the target's own, or null */
  private void connectToNext(ProbeAttempt attempt, EventLoop loop, AddressesToTry addresses, SslContext tlsOverride) {
    if (attempt.isFinished()) {
      return;
    }
    ProbeTarget target = attempt.target();
    InetAddress ip = addresses.next();
    Optional<String> refusal = gate.refusal(ip, target.port());
    if (refusal.isPresent()) {
      String resolved = target.address().equals(ip.getHostAddress()) || unbracketed(target.address()).equals(ip.getHostAddress())
          ? target.address() : target.address() + " (" + ip.getHostAddress() + ")";
      addresses.turnedAway(ip, new ProbeFailure(ProbeOutcome.NOT_PROBED, "not probed: " + resolved + " is " + refusal.get()));
      if (addresses.hasNext()) {
        connectToNext(attempt, loop, addresses, tlsOverride);
      } else {
        attempt.failed(addresses.exhausted());
      }
      return;
    }
    attempt.enter(ProbePhase.CONNECTING);
    Bootstrap bootstrap = new Bootstrap()
        .group(loop)
        .channel(NATIVE_EPOLL ? EpollSocketChannel.class : NioSocketChannel.class)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, addresses.connectTimeoutMillis(attempt.nanosToDeadline()))
        .handler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            if (target.proxyProtocol() != ProxyProtocol.NONE) {
              ch.pipeline().addLast("proxy-protocol", new ProxyHeader(target.proxyProtocol()));
            }
            if (target.isConnectOnly()) {
              return;
            }
            if (target.scheme() == Scheme.HTTPS) {
              SslHandler tls = tlsHandler(ch, target, tlsOverride);
              attempt.handshakesWith(tls.engine(), clientCertificates);
              ch.pipeline().addLast("tls", tls);
            }
            ch.pipeline().addLast("start", new ResponseStartCheck(attempt));
            ch.pipeline().addLast("http", new HttpClientCodec(MAX_INITIAL_LINE, MAX_HEADER_SIZE, MAX_CHUNK));
            ch.pipeline().addLast("head", new ResponseHeadReader(attempt, MAX_INITIAL_LINE, MAX_HEADER_SIZE));
          }
        });
    ChannelFuture registered = bootstrap.register();
    Channel ch = registered.channel();
    attempt.attach(ch);
    // Listened to before the connect starts. A loopback connect can complete inside connect()
    // itself, and the pipeline learns the channel is active (a TLS handler sends its ClientHello)
    // right after the promise's listeners have run: a listener added after connect() returned
    // would write a PROXY header behind the ClientHello, and take a write the closed connection
    // refused for a failure before the handshake.
    ChannelPromise connecting = ch.newPromise();
    connecting.addListener(done -> {
      if (!done.isSuccess()) {
        connectFailed(attempt, loop, addresses, ip, done.cause());
        return;
      }
      ProxyHeader.writeFirst(ch);
      attempt.connectedTo(endpoint((InetSocketAddress) ch.remoteAddress()));
      if (target.isConnectOnly()) {
        attempt.connected();
        return;
      }
      SslHandler tlsHandler = ch.pipeline().get(SslHandler.class);
      if (tlsHandler == null) {
        sendRequest(attempt, ch);
        return;
      }
      attempt.enter(ProbePhase.HANDSHAKING);
      tlsHandler.handshakeFuture().addListener(handshake -> {
        presentedCertificate(tlsHandler).ifPresent(attempt::presented);
        if (handshake.isSuccess()) {
          sendRequest(attempt, ch);
        } else if (tlsOverride == null && !attempt.isFinished() && missingSuites(target) != null
            && !clientCertificates.askedIn(tlsHandler.engine())
            && FailureClassifier.noCommonCipherSuite(handshake.cause())) {
          attempt.firstHandshakeFailed(handshake.cause());
          tryTheMissingSuites(attempt, loop, ch, ip);
        } else {
          attempt.failed(handshake.cause());
        }
      });
    });
    registered.addListener(done -> {
      if (!done.isSuccess()) {
        attempt.failed(done.cause());
        return;
      }
      ch.connect(new InetSocketAddress(ip, target.port()), connecting).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
    });
  }

  /**
   * The first handshake found no suite in common, and BoringSSL lacks some the CDN offers: once
   * more with only those, on the JDK's TLS, before it counts as the CDN's 525. The first
   * connection goes quietly: its close is no answer of this probe's.
   */
  private void tryTheMissingSuites(ProbeAttempt attempt, EventLoop loop, Channel first, InetAddress ip) {
    first.pipeline().remove("start");
    first.pipeline().replace("head", "head", new ChannelInboundHandlerAdapter() {
      @Override
      public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // the first handshake's failure, already judged
      }
    });
    first.close();
    connectToNext(attempt, loop, new AddressesToTry(attempt.target().address(), List.of(ip)),
        missingSuites(attempt.target()));
  }

  /** The context with the CDN's suites the probes' TLS library lacks, for an origin or gateway probe; else null. */
  private SslContext missingSuites(ProbeTarget target) {
    if (target.layer() == ProbeLayer.UPSTREAM) {
      return null;
    }
    return target.certificateCheck() == CertificateCheck.STRICT ? strictMissingSuitesTls : anyCertificateMissingSuitesTls;
  }

  private void connectFailed(ProbeAttempt attempt, EventLoop loop, AddressesToTry addresses, InetAddress ip,
      Throwable cause) {
    ProbeFailure failure = FailureClassifier.classify(cause, ProbePhase.CONNECTING, attempt.target());
    if (!AddressesToTry.triesAnother(failure.outcome())) {
      attempt.failed(failure);
      return;
    }
    addresses.connectFailed(ip, failure);
    if (addresses.hasNext() && attempt.nanosToDeadline() > 0) {
      connectToNext(attempt, loop, addresses);
    } else {
      attempt.failed(addresses.exhausted());
    }
  }

  private void sendRequest(ProbeAttempt attempt, Channel ch) {
    if (attempt.isFinished()) {
      return;
    }
    attempt.enter(ProbePhase.AWAITING_HEAD);
    ch.writeAndFlush(request(attempt.target(), ((InetSocketAddress) ch.localAddress()).getAddress()))
        .addListener(written -> {
      if (!written.isSuccess()) {
        attempt.failed(written.cause());
      }
    });
  }

  /** The GET a probe sends; {@code self} is the probe's own address on the connection. */
  static FullHttpRequest request(ProbeTarget target, InetAddress self) {
    FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, requestPath(target));
    request.headers()
        .set(HttpHeaderNames.HOST, hostHeader(target))
        .set(HttpHeaderNames.USER_AGENT, USER_AGENT)
        .set(HttpHeaderNames.ACCEPT, "*/*");
    String selfText = self == null ? "" : withoutZone(self.getHostAddress());
    target.headers().forEach((name, value) ->
        request.headers().set(name, ProbeTarget.CONNECTION_ADDRESS.equals(value) ? selfText : value));
    request.headers().set(HttpHeaderNames.CONNECTION, "close");
    return request;
  }

  /** The path and query the GET asks for. */
  static String requestPath(ProbeTarget target) {
    return target.path().isEmpty() ? "/" : target.path();
  }

  /**
   * {@code Host: <host>}, never with a port: the CDN and the gateway send the bare host on every
   * port, and a route or virtual host matched against "host:8443" would not be the one they reach.
   */
  static String hostHeader(ProbeTarget target) {
    return target.host().indexOf(':') >= 0 && !target.host().startsWith("[")
        ? "[" + target.host() + "]"
        : target.host();
  }

  private static Optional<ProbeTrace.PresentedCertificate> presentedCertificate(SslHandler handler) {
    try {
      Certificate[] chain = handler.engine().getSession().getPeerCertificates();
      if (chain.length > 0 && chain[0] instanceof X509Certificate leaf) {
        return Optional.of(new ProbeTrace.PresentedCertificate(leaf.getSubjectX500Principal().getName(),
            leaf.getIssuerX500Principal().getName(), leaf.getNotBefore().toInstant(), leaf.getNotAfter().toInstant()));
      }
    } catch (SSLPeerUnverifiedException | RuntimeException notPresented) {
      // no certificate was accepted (a strict check refused it, or the handshake never got that far)
    }
    return Optional.empty();
  }

  private static String endpoint(InetSocketAddress address) {
    String host = withoutZone(address.getAddress().getHostAddress());
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
  }

  private static String withoutZone(String address) {
    int zone = address.indexOf('%');
    return zone < 0 ? address : address.substring(0, zone);
  }

  private SslHandler tlsHandler(SocketChannel ch, ProbeTarget target, SslContext override) {
    boolean strict = target.certificateCheck() == CertificateCheck.STRICT;
    SslContext tls = override != null ? override
        : target.layer() == ProbeLayer.UPSTREAM ? (strict ? strictGatewayTls : anyCertificateGatewayTls)
        : strict ? strictTls : anyCertificateTls;
    SslHandler handler = tls.newHandler(ch.alloc(), target.host(), target.port());
    // Our own deadline decides when a stalled handshake gives up, so there is one clock, not two.
    handler.setHandshakeTimeoutMillis(0);
    if (NetUtil.createByteArrayFromIpAddressString(target.host()) == null && !engineSendsSni(target.host())) {
      SSLEngine engine = handler.engine();
      SSLParameters parameters = engine.getSSLParameters();
      try {
        // A CDN's origin always gets SNI, a name without a dot too.
        parameters.setServerNames(List.of(new SNIHostName(target.host())));
      } catch (IllegalArgumentException notAHostName) {
        // leave SNI out; host name verification will say what is wrong
      }
      engine.setSSLParameters(parameters);
    }
    return handler;
  }

  /**
   * Both engines send SNI by themselves for the peer host they are made with when it has a dot
   * inside (Netty's BoringSSL engine and the JDK's alike): setting it again would only repeat
   * the name's IDNA check and re-apply every cipher suite, on every handshake.
   */
  private static boolean engineSendsSni(String host) {
    return host.indexOf('.') > 0 && !host.endsWith(".");
  }

  /**
   * A client context offering {@link TlsOffer#PROTOCOLS} and {@code ciphers}; {@code strict} judges
   * the certificate, null lets any pass once the handshake completes (the CDN's "Full" mode; it is
   * still recorded).
   */
  private static SslContext tls(SslProvider provider, List<String> ciphers, X509ExtendedTrustManager strict,
      ClientCertificateRequests clientCertificates) {
    try {
      SslContextBuilder builder = SslContextBuilder.forClient()
          .sslProvider(provider)
          .protocols(TlsOffer.PROTOCOLS)
          .ciphers(ciphers, SupportedCipherSuiteFilter.INSTANCE)
          .keyManager(clientCertificates);
      if (strict == null) {
        builder.trustManager(InsecureTrustManagerFactory.INSTANCE);
      } else {
        builder.trustManager(strict).endpointIdentificationAlgorithm("HTTPS");
      }
      return withoutResumption(builder.build());
    } catch (SSLException e) {
      throw new IllegalStateException("cannot set up TLS for probes", e);
    }
  }

  /**
   * Turns BoringSSL's client session cache off. A resumed session skips the server's certificate,
   * so a certificate that expired or was replaced since the last probe would go unseen for as
   * long as the session lives (hours, renewed for days); every probe makes a full handshake
   * instead, as the CDN's first connection does. The JDK's TLS has no such switch:
   * {@link ProbeAttempt} forgets each session as its probe ends.
   */
  private static SslContext withoutResumption(SslContext tls) {
    if (tls.sessionContext() instanceof OpenSslSessionContext openSsl) {
      openSsl.setSessionCacheEnabled(false);
    }
    return tls;
  }

  private static X509ExtendedTrustManager strictTrust(Collection<X509Certificate> extraTrusted) {
    try {
      TrustManagerFactory defaults = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      defaults.init((KeyStore) null);
      KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
      anchors.load(null, null);
      int i = 0;
      for (X509Certificate ca : x509(defaults).getAcceptedIssuers()) {
        anchors.setCertificateEntry("default-" + i++, ca);
      }
      for (X509Certificate extra : extraTrusted) {
        anchors.setCertificateEntry("extra-" + i++, extra);
      }
      TrustManagerFactory combined = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      combined.init(anchors);
      return new ExplainingTrustManager(new RememberingTrustManager(x509(combined), System::currentTimeMillis));
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot set up TLS verification for probes", e);
    }
  }

  private static X509ExtendedTrustManager x509(TrustManagerFactory factory) {
    for (TrustManager manager : factory.getTrustManagers()) {
      if (manager instanceof X509ExtendedTrustManager x509) {
        return x509;
      }
    }
    throw new IllegalStateException("the JVM offers no X.509 trust manager");
  }

  private static List<InetAddress> lookUp(String name) {
    try {
      return List.of(InetAddress.getAllByName(name));
    } catch (UnknownHostException e) {
      throw new CompletionException(e);
    }
  }

  private static boolean isReservedInvalid(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    if (lower.endsWith(".")) {
      lower = lower.substring(0, lower.length() - 1);
    }
    return lower.equals("invalid") || lower.endsWith(".invalid");
  }

  private static String unbracketed(String address) {
    return address.startsWith("[") && address.endsWith("]") ? address.substring(1, address.length() - 1) : address;
  }

  /** Ends every probe still running (each gets a result) and stops the event loops. */
  @Override
  public void close() {
    closed = true;
    for (ProbeAttempt attempt : List.copyOf(inFlight)) {
      attempt.failed(new ProbeFailure(ProbeOutcome.CONNECTION_CLOSED, "prober is shut down"));
    }
    eventLoops.shutdownGracefully(0, 500, TimeUnit.MILLISECONDS).awaitUninterruptibly(2, TimeUnit.SECONDS);
    nameLookups.shutdownNow();
  }
}
