package dev.upstreamhealth.demo;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** Whether stdout is a terminal, and how wide it is. */
final class Terminal {
  static final String CLEAR = "\033[H\033[2J";
  private static final int DEFAULT_WIDTH = 160;

  private Terminal() {}

  static boolean isInteractive() {
    return System.console() != null;
  }

  /** $COLUMNS if exported, else what stty says of the controlling terminal, else 160. */
  static int width() {
    String columns = System.getenv("COLUMNS");
    if (columns != null && columns.strip().matches("\\d+")) {
      return Integer.parseInt(columns.strip());
    }
    if (isInteractive() && new File("/dev/tty").canRead()) {
      try {
        Process stty = new ProcessBuilder("stty", "size").redirectInput(new File("/dev/tty"))
            .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(stty.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (stty.waitFor(1, TimeUnit.SECONDS) && out.matches("\\d+ \\d+")) {
          return Integer.parseInt(out.split(" ")[1]);
        }
      } catch (IOException e) {
        return DEFAULT_WIDTH;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return DEFAULT_WIDTH;
  }
}
