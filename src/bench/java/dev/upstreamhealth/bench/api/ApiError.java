package dev.upstreamhealth.bench.api;

/** An answer other than success, sent as a Kubernetes Status object. */
final class ApiError extends RuntimeException {
  final int code;
  final String reason;

  ApiError(int code, String reason, String message) {
    super(message, null, false, false);
    this.code = code;
    this.reason = reason;
  }

  static ApiError notFound(String what) {
    return new ApiError(404, "NotFound", what + " not found");
  }

  static ApiError conflict(String message) {
    return new ApiError(409, "Conflict", message);
  }

  static ApiError alreadyExists(String what) {
    return new ApiError(409, "AlreadyExists", what + " already exists");
  }

  static ApiError gone(String message) {
    return new ApiError(410, "Expired", message);
  }

  static ApiError badRequest(String message) {
    return new ApiError(400, "BadRequest", message);
  }
}
