package dev.upstreamhealth.loopback;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SniHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.util.Mapping;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLException;

/**
 * A real TCP (optionally TLS) server on a loopback address that stands in for a load balancer,
 * gateway or pod, and misbehaves on demand. Linux routes all of 127.0.0.0/8 to the loopback
 * interface, so each stand-in can have its own 127.0.0.x address, like distinct hosts.
 *
 * <p>The behaviour can be switched at any time; it applies to connections accepted afterwards.
 */
public final class LoopbackServer implements AutoCloseable {
  /** Shared by all loopback servers: they are cheap stand-ins, not the thing under test. */
  private static final EventLoopGroup EVENT_LOOPS =
      new NioEventLoopGroup(2, new DefaultThreadFactory("loopback-server", true));

  private final String address;
  private volatile SslContext tls;
  private final Channel listener;
  private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
  private final AtomicInteger accepted = new AtomicInteger();
  private final AtomicInteger requests = new AtomicInteger();
  private final AtomicInteger open = new AtomicInteger();
  private final AtomicInteger maxOpen = new AtomicInteger();
  private volatile Behaviour behaviour;
  private volatile String lastServerName;
  private volatile String lastRequestHead;

  private LoopbackServer(String address, int port, SslContext tls, Behaviour behaviour) {
    this.address = address;
    this.tls = tls;
    this.behaviour = behaviour;
    ServerBootstrap bootstrap = new ServerBootstrap()
        .group(EVENT_LOOPS)
        .channel(NioServerSocketChannel.class)
        .option(ChannelOption.SO_REUSEADDR, true)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            accepted(ch);
          }
        });
    try {
      this.listener = bootstrap.bind(new InetSocketAddress(InetAddress.getByName(address), port)).sync().channel();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on " + address + ":" + port, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while binding " + address + ":" + port, e);
    }
  }

  /** A plain HTTP server on {@code address:port} (port 0: any free port, see {@link #port()}). */
  public static LoopbackServer http(String address, int port, Behaviour behaviour) {
    return new LoopbackServer(address, port, null, behaviour);
  }

  /** An HTTPS server that presents {@code certificate} to every client, whatever name it asks for. */
  public static LoopbackServer https(String address, int port, LoopbackCertificate certificate, Behaviour behaviour) {
    return new LoopbackServer(address, port, serverTls(certificate), behaviour);
  }

  /**
   * An HTTPS server that asks every client for a certificate, as an origin locked to its CDN does
   * (Cloudflare's Authenticated Origin Pulls): {@code required}, a handshake without one fails;
   * else the handshake completes and {@code behaviour} answers (nginx's 400, say).
   */
  public static LoopbackServer httpsAskingForClientCertificate(String address, int port, LoopbackCertificate certificate,
      boolean required, Behaviour behaviour) {
    return new LoopbackServer(address, port, serverTls(certificate, required ? ClientAuth.REQUIRE : ClientAuth.OPTIONAL),
        behaviour);
  }

  /** From now on present {@code certificate} (https servers only), e.g. to fix or break a site's TLS. */
  public void present(LoopbackCertificate certificate) {
    if (tls == null) {
      throw new IllegalStateException(this + " speaks plain HTTP; make it with https(...)");
    }
    tls = serverTls(certificate);
  }

  private static SslContext serverTls(LoopbackCertificate certificate) {
    return serverTls(certificate, ClientAuth.NONE);
  }

  private static SslContext serverTls(LoopbackCertificate certificate, ClientAuth clientAuth) {
    try {
      return SslContextBuilder.forServer(certificate.key(), certificate.chain()).sslProvider(SslProvider.JDK)
          .clientAuth(clientAuth).trustManager(InsecureTrustManagerFactory.INSTANCE).build();
    } catch (SSLException e) {
      throw new IllegalStateException("cannot set up TLS with the certificate for "
          + certificate.certificate().getSubjectX500Principal(), e);
    }
  }

  /**
   * A port on {@code address} where nothing listens right now, so connecting is refused. Another
   * process could take it in the meantime; on a loopback alias of its own that is very unlikely.
   */
  public static int unusedPort(String address) {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(address))) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot find a free port on " + address, e);
    }
  }

  public String address() {
    return address;
  }

  public int port() {
    return ((InetSocketAddress) listener.localAddress()).getPort();
  }

  public boolean isTls() {
    return tls != null;
  }

  public Behaviour behaviour() {
    return behaviour;
  }

  public void behave(Behaviour behaviour) {
    this.behaviour = behaviour;
  }

  /** Connections accepted since start: one per probe. */
  public int acceptedConnections() {
    return accepted.get();
  }

  /** Requests whose head was read completely. */
  public int requests() {
    return requests.get();
  }

  public int openConnections() {
    return open.get();
  }

  /** The most connections that were open at the same time. */
  public int maxOpenConnections() {
    return maxOpen.get();
  }

  /** The server name (SNI) the last TLS client asked for, or null. */
  public String lastServerName() {
    return lastServerName;
  }

  /** The last request's line and headers as received, or null. */
  public String lastRequestHead() {
    return lastRequestHead;
  }

  @Override
  public void close() {
    listener.close().syncUninterruptibly();
    connections.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
  }

  @Override
  public String toString() {
    return (isTls() ? "https" : "http") + " loopback server " + address + ":" + port() + " (" + behaviour + ")";
  }

  private void accepted(SocketChannel channel) {
    accepted.incrementAndGet();
    int nowOpen = open.incrementAndGet();
    maxOpen.accumulateAndGet(nowOpen, Math::max);
    connections.add(channel);
    channel.closeFuture().addListener(f -> open.decrementAndGet());

    Behaviour current = behaviour;
    SslContext tls = this.tls;
    if (tls != null) {
      if (current.kind() == Behaviour.Kind.STALL_HANDSHAKE) {
        return; // read the ClientHello and never answer it
      }
      channel.pipeline().addLast(new SniHandler((Mapping<String, SslContext>) serverName -> {
        lastServerName = serverName;
        return tls;
      }));
    }
    channel.pipeline().addLast(new ConnectionBehaviour(current, this::requestRead));
  }

  private void requestRead(String head) {
    lastRequestHead = head;
    requests.incrementAndGet();
  }
}
