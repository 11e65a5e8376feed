package dev.upstreamhealth.loopback;

import java.time.Duration;
import java.util.Locale;

/**
 * What a {@link LoopbackServer} does with each new connection: the healthy and broken ways a load
 * balancer, gateway or pod answers.
 *
 * @param status the HTTP status sent by {@link Kind#RESPOND}
 * @param retryAfter the {@code Retry-After} value sent with it, or null for none
 * @param delayMillis how long {@link Kind#RESPOND} waits before answering: a slow upstream
 * @param location the {@code Location} sent with it, or null for none
 */
public record Behaviour(Kind kind, int status, String retryAfter, long delayMillis, String location) {
  public Behaviour(Kind kind, int status, String retryAfter) {
    this(kind, status, retryAfter, 0);
  }

  public Behaviour(Kind kind, int status, String retryAfter, long delayMillis) {
    this(kind, status, retryAfter, delayMillis, null);
  }

  public enum Kind {
    /** Answer {@code status} (and {@code Retry-After}) with a short body, then close. */
    RESPOND,
    /** Send bytes that are not HTTP and keep the connection open. */
    GARBAGE,
    /** Accept (and for TLS finish the handshake), read the request, never answer. */
    HANG,
    /** Accept and close at once, before reading anything. */
    CLOSE,
    /** Send a status line, then one header line every 200 ms, never finishing the head. */
    SLOW_HEADERS,
    /** Answer 200 with a chunked body that never ends. */
    ENDLESS_BODY,
    /** Answer 200 with about {@code status} KiB of headers. */
    HUGE_HEADERS,
    /** Answer 200 with a head (status line, headers, blank line) of exactly {@code status} bytes. */
    HEAD_OF_SIZE,
    /** TLS servers: accept the connection but never answer the ClientHello. */
    STALL_HANDSHAKE
  }

  public static Behaviour status(int status) {
    return new Behaviour(Kind.RESPOND, status, null);
  }

  public static Behaviour status(int status, String retryAfter) {
    return new Behaviour(Kind.RESPOND, status, retryAfter);
  }

  /** Answers the redirect {@code status} to {@code location}. */
  public static Behaviour redirect(int status, String location) {
    return new Behaviour(Kind.RESPOND, status, null, 0, location);
  }

  /** Answers {@code status}, but only after {@code delay}: an upstream that is slow, not down. */
  public static Behaviour slowly(int status, Duration delay) {
    return new Behaviour(Kind.RESPOND, status, null, delay.toMillis());
  }

  public static Behaviour garbage() {
    return new Behaviour(Kind.GARBAGE, 0, null);
  }

  public static Behaviour hang() {
    return new Behaviour(Kind.HANG, 0, null);
  }

  public static Behaviour closeImmediately() {
    return new Behaviour(Kind.CLOSE, 0, null);
  }

  public static Behaviour slowHeaders() {
    return new Behaviour(Kind.SLOW_HEADERS, 0, null);
  }

  public static Behaviour endlessBody() {
    return new Behaviour(Kind.ENDLESS_BODY, 0, null);
  }

  /** A 200 whose head is about {@code kib} KiB of headers. */
  public static Behaviour hugeHeaders(int kib) {
    return new Behaviour(Kind.HUGE_HEADERS, kib, null);
  }

  /** A 200 whose head, from its status line to the blank line, is exactly {@code bytes} bytes (at least 64). */
  public static Behaviour headOf(int bytes) {
    if (bytes < 64) {
      throw new IllegalArgumentException("a head of " + bytes + " bytes cannot hold its own lines");
    }
    return new Behaviour(Kind.HEAD_OF_SIZE, bytes, null);
  }

  public static Behaviour stallHandshake() {
    return new Behaviour(Kind.STALL_HANDSHAKE, 0, null);
  }

  @Override
  public String toString() {
    if (kind != Kind.RESPOND) {
      return kind.name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }
    return status + (retryAfter == null ? "" : " with Retry-After: " + retryAfter)
        + (location == null ? "" : " to " + location)
        + (delayMillis == 0 ? "" : " after " + delayMillis + " ms");
  }
}
