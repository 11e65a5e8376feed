package dev.upstreamhealth.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The JDK's messages for a failed lookup, as it words them on Linux (glibc, musl) and elsewhere. */
class NameLookupsTest {
  @ParameterizedTest
  @ValueSource(strings = {
      "lb.shop.example: Name or service not known", // glibc EAI_NONAME: NXDOMAIN
      "lb.shop.example: No address associated with hostname", // glibc EAI_NODATA: the name has no A/AAAA
      "lb.shop.example: Name does not resolve", // musl
      "lb.shop.example: nodename nor servname provided, or not known", // macOS, BSD
      "Unable to resolve host lb.shop.example in hosts file /etc/probe-hosts", // the JDK with -Djdk.net.hosts.file
  })
  void theResolversAnswerThatTheNameDoesNotExistSaysSo(String message) {
    assertThat(NameLookups.saysNoSuchName(new UnknownHostException(message))).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "lb.shop.example: Temporary failure in name resolution", // glibc EAI_AGAIN: no answer (CoreDNS down, a timeout)
      "lb.shop.example: Non-recoverable failure in name resolution", // glibc EAI_FAIL: SERVFAIL, REFUSED
      "lb.shop.example: Try again", // musl EAI_AGAIN
      "lb.shop.example: System error",
      "lb.shop.example", // the JDK's cache of a failed lookup (networkaddress.cache.negative.ttl): no reason
      "Unable to resolve host lb.shop.example as hosts file /etc/probe-hosts not found",
      "",
  })
  void aLookupThatGotNoAnswerSaysNothingOfTheName(String message) {
    assertThat(NameLookups.saysNoSuchName(new UnknownHostException(message))).isFalse();
  }

  @Test
  void noMessageSaysNothingOfTheName() {
    assertThat(NameLookups.saysNoSuchName(new UnknownHostException())).isFalse();
  }
}
