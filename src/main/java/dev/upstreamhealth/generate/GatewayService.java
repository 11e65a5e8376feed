package dev.upstreamhealth.generate;

import java.util.List;

/** A LoadBalancer Service and its published addresses: the gateway of the routes that publish the same. */
public record GatewayService(String namespace, String name, List<String> addresses) {}
