package dev.upstreamhealth.probe.transport;

import dev.upstreamhealth.probe.ProxyProtocol;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerAdapter;
import io.netty.channel.ChannelHandlerContext;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * Writes the PROXY protocol header (HAProxy's spec, v1 text or v2 binary) first thing on a new
 * connection, before any TLS: what a load balancer speaking PROXY protocol sends the gateway.
 * The source is the probe's own end of the connection.
 *
 * <p>It sits nearest the socket, and the header is written from its place once the connection is
 * made, before the pipeline learns the channel is active (when a TLS handler would start its
 * handshake), so nothing can go out ahead of it.
 */
final class ProxyHeader extends ChannelHandlerAdapter {
  private static final byte[] V2_SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};

  private final ProxyProtocol version;

  ProxyHeader(ProxyProtocol version) {
    this.version = version;
  }

  /** Called when the connection is made; a no-op on a channel without this handler. */
  static void writeFirst(Channel ch) {
    ChannelHandlerContext ctx = ch.pipeline().context(ProxyHeader.class);
    if (ctx == null) {
      return;
    }
    ProxyHeader header = (ProxyHeader) ctx.handler();
    ctx.writeAndFlush(encode(ctx.alloc(), header.version, (InetSocketAddress) ch.localAddress(),
        (InetSocketAddress) ch.remoteAddress()));
    ch.pipeline().remove(header);
  }

  static ByteBuf encode(ByteBufAllocator alloc, ProxyProtocol version, InetSocketAddress source,
      InetSocketAddress destination) {
    boolean ipv4 = source.getAddress() instanceof Inet4Address;
    if (version == ProxyProtocol.V1) {
      String line = "PROXY " + (ipv4 ? "TCP4 " : "TCP6 ") + text(source) + " " + text(destination) + " "
          + source.getPort() + " " + destination.getPort() + "\r\n";
      return alloc.buffer().writeBytes(line.getBytes(StandardCharsets.US_ASCII));
    }
    byte[] src = source.getAddress().getAddress();
    byte[] dst = destination.getAddress().getAddress();
    ByteBuf out = alloc.buffer(16 + 2 * src.length + 4);
    out.writeBytes(V2_SIGNATURE);
    out.writeByte(0x21); // version 2, command PROXY
    out.writeByte(ipv4 ? 0x11 : 0x21); // TCP over IPv4 or IPv6
    out.writeShort(2 * src.length + 4);
    out.writeBytes(src).writeBytes(dst);
    out.writeShort(source.getPort()).writeShort(destination.getPort());
    return out;
  }

  private static String text(InetSocketAddress address) {
    String host = address.getAddress().getHostAddress();
    int zone = host.indexOf('%');
    return zone < 0 ? host : host.substring(0, zone);
  }
}
