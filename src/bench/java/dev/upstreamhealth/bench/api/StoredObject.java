package dev.upstreamhealth.bench.api;

import java.util.Map;

/** One object as served: its JSON, and what lists and watches select it by. */
record StoredObject(String namespace, String name, long resourceVersion, Map<String, String> labels, byte[] json) {
}
