// Request size limits, shared by the node:http edge (lib/server/edge-guard.ts) and the route wrapper. Pure.

/** Request bodies, on every route: the JSON API needs far less, and nothing here takes uploads. */
export const MAX_BODY_BYTES = 64 * 1024;
/** The request target; a live stream of 256 long topics still fits. */
export const MAX_URL_BYTES = 32 * 1024;
/** Request line and headers together (node's own limit: past it node answers 431). */
export const MAX_HEADER_BYTES = 48 * 1024;
