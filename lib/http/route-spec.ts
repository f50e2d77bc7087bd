// What each route handler accepts, recorded by route() so the OpenAPI document (lib/http/openapi.ts)
// is built from the very schemas that validate requests. Pure: no server-only imports.
import type { z } from 'zod';

export interface RouteSpec {
  /** A permission from lib/auth/permissions.ts, or 'public'. */
  permission: string;
  body?: z.ZodType;
  query?: z.ZodType;
  params?: z.ZodType;
  /** Asks for a fresh second factor (step-up) from viewers who have one. */
  stepUp?: boolean;
}

const specs = new WeakMap<object, RouteSpec>();

/** Records the contract of a handler; route() calls this for every handler it makes. */
export function registerRouteSpec<H extends object>(handler: H, spec: RouteSpec): H {
  specs.set(handler, { permission: spec.permission, body: spec.body, query: spec.query, params: spec.params, stepUp: spec.stepUp });
  return handler;
}

/** The recorded contract of a handler, or undefined for handlers not made by route(). */
export function routeSpecOf(handler: unknown): RouteSpec | undefined {
  return typeof handler === 'function' ? specs.get(handler) : undefined;
}
