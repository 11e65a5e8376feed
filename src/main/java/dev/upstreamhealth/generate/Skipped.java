package dev.upstreamhealth.generate;

/** Something the generator saw and made no Site for, and why: printed to stderr for the user. */
public record Skipped(String what, String why) {
  @Override
  public String toString() {
    return "skipped " + what + ": " + why;
  }
}
