package dev.upstreamhealth.loopback;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;

/**
 * A port where new TCP connections are never completed: the stand-in for a firewall that drops
 * packets, on loopback. It listens with the smallest backlog, never accepts, and fills the accept
 * queue itself; Linux then drops further SYNs, so a client's connect times out.
 */
public final class UnansweredListener implements AutoCloseable {
  private static final int FILL_ATTEMPTS = 16;
  private static final int FILL_CONNECT_TIMEOUT_MILLIS = 200;

  private final ServerSocket listener;
  private final List<Socket> fillers = new ArrayList<>();

  private UnansweredListener(ServerSocket listener) {
    this.listener = listener;
  }

  public static UnansweredListener open(String address) {
    try {
      UnansweredListener blackhole = new UnansweredListener(new ServerSocket(0, 1, InetAddress.getByName(address)));
      blackhole.fillAcceptQueue();
      return blackhole;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open an unanswered listener on " + address, e);
    }
  }

  public int port() {
    return listener.getLocalPort();
  }

  private void fillAcceptQueue() throws IOException {
    for (int i = 0; i < FILL_ATTEMPTS; i++) {
      Socket socket = new Socket();
      try {
        socket.connect(new InetSocketAddress(listener.getInetAddress(), port()), FILL_CONNECT_TIMEOUT_MILLIS);
        fillers.add(socket);
      } catch (SocketTimeoutException full) {
        socket.close();
        return; // the queue is full: SYNs are being dropped now
      }
    }
    close();
    throw new IOException("the accept queue of " + listener.getLocalSocketAddress() + " never filled up");
  }

  @Override
  public void close() {
    for (Socket socket : fillers) {
      try {
        socket.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
    try {
      listener.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }
}
