package dev.upstreamhealth.diagnosis;

/** Ready and total endpoints of one backend Service, for status. */
public record UpstreamCount(String service, int ready, int total) {}
