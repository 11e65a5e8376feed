package dev.upstreamhealth.generate;

/** A Site already in the cluster: its host needs no new one, and its name is taken. */
public record ExistingSite(String namespace, String name, String host) {}
