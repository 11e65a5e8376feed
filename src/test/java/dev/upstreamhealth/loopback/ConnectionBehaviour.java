package dev.upstreamhealth.loopback;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** Plays one {@link Behaviour} on one accepted connection (after TLS, if any). */
final class ConnectionBehaviour extends ChannelInboundHandlerAdapter {
  private static final int MAX_REQUEST_HEAD = 16 * 1024;
  private static final byte[] GARBAGE =
      "\u0000\u0001\u0002\u0003 this is not HTTP \u007f\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);

  private final Behaviour behaviour;
  private final Consumer<String> onRequest;
  private final StringBuilder requestHead = new StringBuilder();
  private boolean answered;
  private ScheduledFuture<?> drip;

  ConnectionBehaviour(Behaviour behaviour, Consumer<String> onRequest) {
    this.behaviour = behaviour;
    this.onRequest = onRequest;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    if (behaviour.kind() == Behaviour.Kind.CLOSE) {
      ctx.close();
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      if (answered || !(msg instanceof ByteBuf bytes)) {
        return; // the request body, or anything after the head, is not needed
      }
      requestHead.append(bytes.toString(StandardCharsets.ISO_8859_1));
      int end = requestHead.indexOf("\r\n\r\n");
      if (end < 0 && requestHead.length() < MAX_REQUEST_HEAD) {
        return;
      }
      answered = true;
      onRequest.accept(end < 0 ? requestHead.toString() : requestHead.substring(0, end));
      answer(ctx);
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (drip != null) {
      drip.cancel(false);
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close(); // a reset or a failed handshake: the client's problem to classify, not ours
  }

  private void answer(ChannelHandlerContext ctx) {
    switch (behaviour.kind()) {
      case RESPOND -> {
        String answer = response(behaviour.status(), behaviour.retryAfter(), behaviour.location());
        if (behaviour.delayMillis() > 0) {
          drip = ctx.executor().schedule(() -> ctx.writeAndFlush(ascii(answer))
              .addListener(ChannelFutureListener.CLOSE), behaviour.delayMillis(), TimeUnit.MILLISECONDS);
        } else {
          ctx.writeAndFlush(ascii(answer)).addListener(ChannelFutureListener.CLOSE);
        }
      }
      case GARBAGE -> ctx.writeAndFlush(Unpooled.wrappedBuffer(GARBAGE));
      case SLOW_HEADERS -> {
        ctx.writeAndFlush(ascii("HTTP/1.1 200 OK\r\n"));
        int[] line = {0};
        drip = ctx.executor().scheduleAtFixedRate(
            () -> ctx.writeAndFlush(ascii("X-Slow-" + line[0]++ + ": still coming\r\n")), 200, 200, TimeUnit.MILLISECONDS);
      }
      case ENDLESS_BODY -> {
        ctx.writeAndFlush(ascii("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n"));
        writeChunkForever(ctx);
      }
      case HUGE_HEADERS -> ctx.writeAndFlush(ascii(hugeHead(behaviour.status()))).addListener(ChannelFutureListener.CLOSE);
      case HEAD_OF_SIZE -> ctx.writeAndFlush(ascii(headOf(behaviour.status()))).addListener(ChannelFutureListener.CLOSE);
      case HANG, STALL_HANDSHAKE, CLOSE -> {
        // never answer
      }
    }
  }

  private static void writeChunkForever(ChannelHandlerContext ctx) {
    if (!ctx.channel().isActive()) {
      return;
    }
    String chunk = "x".repeat(8192);
    ctx.writeAndFlush(ascii(Integer.toHexString(chunk.length()) + "\r\n" + chunk + "\r\n")).addListener(f -> {
      if (f.isSuccess()) {
        ctx.executor().schedule(() -> writeChunkForever(ctx), 1, TimeUnit.MILLISECONDS);
      }
    });
  }

  private static String response(int status, String retryAfter, String location) {
    if (status >= 100 && status < 200) {
      // an interim answer alone is no response: follow it with the real one, as servers do
      return "HTTP/1.1 " + status + " " + HttpResponseStatus.valueOf(status).reasonPhrase() + "\r\n\r\n"
          + response(200, retryAfter, location);
    }
    String body = status + " " + HttpResponseStatus.valueOf(status).reasonPhrase() + " from a loopback server\n";
    return "HTTP/1.1 " + status + " " + HttpResponseStatus.valueOf(status).reasonPhrase() + "\r\n"
        + "Content-Type: text/plain\r\n"
        + "Content-Length: " + body.length() + "\r\n"
        + (retryAfter == null ? "" : "Retry-After: " + retryAfter + "\r\n")
        + (location == null ? "" : "Location: " + location + "\r\n")
        + "Connection: close\r\n"
        + "\r\n"
        + body;
  }

  private static String hugeHead(int kib) {
    StringBuilder head = new StringBuilder("HTTP/1.1 200 OK\r\n");
    for (int i = 0; head.length() < kib * 1024; i++) {
      head.append("X-Filler-").append(i).append(": ").append("f".repeat(100)).append("\r\n");
    }
    return head.append("Content-Length: 0\r\nConnection: close\r\n\r\n").toString();
  }

  /** A 200 without a body whose head is exactly {@code bytes} long: one header line takes up the room. */
  private static String headOf(int bytes) {
    String start = "HTTP/1.1 200 OK\r\n";
    String end = "Content-Length: 0\r\nConnection: close\r\n\r\n";
    String name = "X-Filler: ";
    int value = bytes - start.length() - end.length() - name.length() - 2;
    return start + name + "f".repeat(value) + "\r\n" + end;
  }

  private static ByteBuf ascii(String text) {
    return Unpooled.copiedBuffer(text, StandardCharsets.ISO_8859_1);
  }
}
