package dev.upstreamhealth.diagnosis;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.regex.Pattern;

/** An IPv4 or IPv6 block, parsed without any name lookup. */
public record Cidr(BigInteger first, BigInteger last, int bits, String text) {
  private static final Pattern ADDRESS_CHARACTERS = Pattern.compile("[0-9a-fA-F:.]+");
  private static final Pattern DOTTED_QUAD = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  /**
   * Parses "203.0.113.0/24" or "2400:cb00::/32"; a bare address is a single-address block.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  public static Cidr parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("empty CIDR");
    }
    String s = text.strip();
    int slash = s.indexOf('/');
    String addressPart = slash < 0 ? s : s.substring(0, slash);
    if (!ADDRESS_CHARACTERS.matcher(addressPart).matches()
        || (!addressPart.contains(":") && !DOTTED_QUAD.matcher(addressPart).matches())) {
      throw new IllegalArgumentException("\"" + text + "\" is not an IP address or CIDR");
    }
    // InetAddress resolves an IPv4-shaped text it cannot parse (999.1.1.1) as a host name: reject it here.
    if (!addressPart.contains(":") && Arrays.stream(addressPart.split("\\.")).anyMatch(o -> Integer.parseInt(o) > 255)) {
      throw new IllegalArgumentException("\"" + text + "\" is not an IP address or CIDR");
    }
    byte[] bytes;
    try {
      // A literal only: the checks above rule out names, so this never resolves anything.
      bytes = InetAddress.getByName(addressPart).getAddress();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("\"" + text + "\" is not an IP address or CIDR");
    }
    int width = bytes.length * 8;
    int prefix;
    try {
      prefix = slash < 0 ? width : Integer.parseInt(s.substring(slash + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("\"" + text + "\" has no numeric prefix length");
    }
    if (prefix < 0 || prefix > width) {
      throw new IllegalArgumentException("\"" + text + "\" has a prefix length outside 0-" + width);
    }
    BigInteger value = new BigInteger(1, bytes);
    BigInteger hostMask = BigInteger.ONE.shiftLeft(width - prefix).subtract(BigInteger.ONE);
    BigInteger first = value.andNot(hostMask);
    return new Cidr(first, first.or(hostMask), width, s);
  }

  /**
   * The one-address block of an address already resolved: no text to parse. Each probe's address
   * is judged this way before it connects (ProbeAddressPolicy), where parsing its text again cost
   * a tenth of the probe threads' time.
   */
  public static Cidr of(InetAddress address) {
    byte[] bytes = address.getAddress();
    // The system resolver hands an AAAA answer of ::ffff:a.b.c.d over as a 16-byte address, where a
    // literal becomes IPv4: judged as the IPv4 address it reaches, as its parsed text would be.
    if (isIpv4Mapped(bytes)) {
      bytes = Arrays.copyOfRange(bytes, 12, 16);
    }
    BigInteger value = new BigInteger(1, bytes);
    return new Cidr(value, value, bytes.length * 8, address.getHostAddress());
  }

  private static boolean isIpv4Mapped(byte[] bytes) {
    if (bytes.length != 16 || bytes[10] != (byte) 0xff || bytes[11] != (byte) 0xff) {
      return false;
    }
    for (int i = 0; i < 10; i++) {
      if (bytes[i] != 0) {
        return false;
      }
    }
    return true;
  }

  /** Whether every address of {@code other} lies in this block (same family only). */
  public boolean containsAll(Cidr other) {
    return bits == other.bits && first.compareTo(other.first) <= 0 && last.compareTo(other.last) >= 0;
  }

  public boolean overlaps(Cidr other) {
    return bits == other.bits && first.compareTo(other.last) <= 0 && other.first.compareTo(last) <= 0;
  }

  @Override
  public String toString() {
    return text;
  }
}
