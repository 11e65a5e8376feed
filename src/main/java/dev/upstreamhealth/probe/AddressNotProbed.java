package dev.upstreamhealth.probe;

import java.io.IOException;

/** A name resolved to an address the operator's policy keeps probes away from. */
final class AddressNotProbed extends IOException {
  AddressNotProbed(String message) {
    super(message);
  }
}
