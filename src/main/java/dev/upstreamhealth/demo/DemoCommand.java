package dev.upstreamhealth.demo;

import java.util.List;

/** {@code demo [--once]}: the real operator on an embedded API server with sample Sites. */
public final class DemoCommand {
  private DemoCommand() {}

  /** Returns the process exit code. */
  public static int run(List<String> args) {
    throw new UnsupportedOperationException("demo is being built");
  }
}
