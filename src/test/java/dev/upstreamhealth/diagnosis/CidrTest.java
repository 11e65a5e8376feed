package dev.upstreamhealth.diagnosis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet6Address;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CidrTest {
  @ParameterizedTest
  @CsvSource({"10.1.2.3, 10.1.2.3", "2001:db8::7, 2001:db8::7", "::ffff:169.254.169.254, 169.254.169.254",
      "fe80::1%1, fe80::1"})
  void aResolvedAddressIsTheSameBlockAsItsTextParsed(String address, String asText) throws Exception {
    Cidr resolved = Cidr.of(InetAddress.getByName(address));
    Cidr parsed = Cidr.parse(asText);

    assertThat(resolved.first()).isEqualTo(parsed.first());
    assertThat(resolved.last()).isEqualTo(parsed.last());
    assertThat(resolved.bits()).isEqualTo(parsed.bits());
  }

  @Test
  void anIpv4MappedAnswerOfTheResolverIsTheIpv4AddressItReaches() throws Exception {
    // What the system resolver returns for an AAAA record of ::ffff:169.254.169.254: 16 bytes,
    // not converted to IPv4 as a literal is.
    byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, (byte) 169, (byte) 254, (byte) 169, (byte) 254};
    InetAddress answer = Inet6Address.getByAddress(null, mapped, -1);

    Cidr resolved = Cidr.of(answer);

    assertThat(resolved.bits()).isEqualTo(32);
    assertThat(Cidr.parse("169.254.169.254/32").containsAll(resolved)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"999.1.1.1", "10.0.0.0/33", "shop.example.com", "10.0.0", "", "::1/129"})
  void whatIsNoAddressOrBlockIsNamed(String text) {
    assertThatThrownBy(() -> Cidr.parse(text)).isInstanceOf(IllegalArgumentException.class);
  }
}
