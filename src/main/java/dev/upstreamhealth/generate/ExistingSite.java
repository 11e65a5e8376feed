package dev.upstreamhealth.generate;

import dev.upstreamhealth.api.SiteRef;

/** A Site already in the cluster: its host needs no new one, and its name is taken. */
public record ExistingSite(SiteRef site, String host) {}
