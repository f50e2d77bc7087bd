// The call pipeline every RPC goes through: faults, auth, contour check, rate limits, metadata, errors.
import { randomUUID } from 'node:crypto';
import { fromBinary, toBinary, create, type DescMessage, type Message } from '@bufbuild/protobuf';
import {
  Metadata,
  Server,
  ServerCredentials,
  status,
  type sendUnaryData,
  type ServerDuplexStream,
  type ServerUnaryCall,
  type ServerWritableStream,
  type MethodDefinition,
  type ServiceDefinition,
  type UntypedHandleCall,
} from '@grpc/grpc-js';
import { SandboxService } from '@/lib/tinvest/gen/sandbox_pb';
import type { EmulatorContext } from './context';
import { TinvestError, tinvestError } from './errors';
import type { Caller, Handler } from './rpc';
import { StreamSession } from './stream-session';
import { limitsOf, methodPath, type RateDecision } from './tariff-limits';

const THREE_MONTHS_MS = 92 * 86_400_000;

export type Contour = 'production' | 'sandbox';

function serializer(schema: DescMessage) {
  return {
    // Pre-encoded bytes (the firehose) pass through untouched.
    serialize: (value: unknown) => (value instanceof Uint8Array ? Buffer.from(value.buffer, value.byteOffset, value.byteLength) : Buffer.from(toBinary(schema, create(schema, value as Message)))),
    deserialize: (bytes: Buffer) => fromBinary(schema, bytes),
  };
}

function rateHeaders(md: Metadata, rate: RateDecision | null): void {
  if (!rate) return;
  md.set('x-ratelimit-limit', `${rate.limit}, ${rate.limit};w=60`);
  md.set('x-ratelimit-remaining', String(rate.remaining));
  md.set('x-ratelimit-reset', String(rate.resetSeconds));
}

function bump(record: Record<string, number>, key: string): void {
  record[key] = (record[key] ?? 0) + 1;
}

/** Resolves the bearer token for this contour or throws 40003. */
function authenticate(ctx: EmulatorContext, contour: Contour, handler: Handler, metadata: Metadata, trackingId: string): Caller {
  const header = metadata.get('authorization')[0];
  const match = typeof header === 'string' ? /^Bearer\s+(.+)$/i.exec(header.trim()) : null;
  const token = match?.[1] ? ctx.state.tokens.get(match[1].trim()) : undefined;
  const now = ctx.now();
  if (!token) throw tinvestError('40003');
  // A token T-Bank still knows (revoked, expired, wrong contour) is rejected after the user's budget is counted,
  // so its 40003 carries x-ratelimit-* trailers as observed live (investAPI#399).
  const rejected = () => Object.assign(tinvestError('40003'), { userId: token.userId });
  if (token.revoked || now - token.lastUsedAt > THREE_MONTHS_MS) throw rejected();
  const isSandboxToken = token.kind === 'sandbox';
  // Sandbox tokens work on the sandbox host and for SandboxService anywhere; prod tokens only on prod, never SandboxService.
  const allowed = isSandboxToken ? contour === 'sandbox' || handler.service.typeName === SandboxService.typeName : contour === 'production' && handler.service.typeName !== SandboxService.typeName;
  if (!allowed) throw rejected();
  const user = ctx.state.users.get(token.userId);
  if (!user) throw tinvestError('40003');
  token.lastUsedAt = now;
  const appName = metadata.get('x-app-name')[0];
  return { token, user, sandbox: isSandboxToken, trackingId, appName: typeof appName === 'string' ? appName : '', path: methodPath(handler.service, handler.method.name) };
}

function toStatus(ctx: EmulatorContext, error: unknown, trackingId: string, rate: RateDecision | null) {
  const err = error instanceof TinvestError ? error : tinvestError('70001');
  if (!(error instanceof TinvestError)) ctx.log(`internal error: ${(error as Error)?.stack ?? String(error)}`);
  const metadata = new Metadata();
  metadata.set('x-tracking-id', trackingId);
  metadata.set('message', err.message);
  rateHeaders(metadata, rate);
  bump(ctx.metrics.errors, err.code || status[err.grpcStatus]);
  return { code: err.grpcStatus, details: err.code, metadata };
}

function injected(ctx: EmulatorContext, handler: Handler, path: string): TinvestError | null {
  const rule = ctx.faults.takeFail(handler.method.name, path);
  return rule ? new TinvestError(rule.code, rule.details, rule.message ?? rule.details) : null;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function unaryCall(ctx: EmulatorContext, contour: Contour, handler: Handler & { kind: 'unary' }) {
  return async (call: ServerUnaryCall<Message, unknown>, callback: sendUnaryData<unknown>) => {
    const started = Date.now();
    const trackingId = randomUUID();
    const path = methodPath(handler.service, handler.method.name);
    bump(ctx.metrics.calls, handler.method.name);
    let rate: RateDecision | null = null;
    try {
      const delay = ctx.faults.takeDelay(handler.method.name, path);
      if (delay > 0) await sleep(delay);
      const fault = injected(ctx, handler, path);
      if (fault) throw fault;
      const caller = authenticate(ctx, contour, handler, call.metadata, trackingId);
      rate = ctx.limiter.take(caller.user.id, limitsOf(caller.user).unary, path, ctx.now());
      if (rate && !rate.allowed) throw tinvestError('80002');
      const response = await handler.run(call.request, caller);
      const headers = new Metadata();
      headers.set('x-tracking-id', trackingId);
      rateHeaders(headers, rate);
      headers.set('x-envoy-upstream-service-time', String(Date.now() - started));
      call.sendMetadata(headers);
      callback(null, create(handler.method.output, response));
    } catch (error) {
      const userId = (error as { userId?: string }).userId;
      const user = userId === undefined ? undefined : ctx.state.users.get(userId);
      if (!rate && user) rate = ctx.limiter.take(user.id, limitsOf(user).unary, path, ctx.now());
      callback(toStatus(ctx, error, trackingId, rate));
    }
  };
}

function openStream(ctx: EmulatorContext, contour: Contour, handler: Handler, call: ServerWritableStream<unknown, unknown> | ServerDuplexStream<unknown, unknown>): { caller: Caller; session: StreamSession } | null {
  const trackingId = randomUUID();
  const path = methodPath(handler.service, handler.method.name);
  bump(ctx.metrics.calls, handler.method.name);
  try {
    const fault = injected(ctx, handler, path);
    if (fault) throw fault;
    const caller = authenticate(ctx, contour, handler, call.metadata, trackingId);
    const limit = limitsOf(caller.user).streams.find((l) => l.streams.includes(path));
    if (limit && ctx.streams.countOpen(caller.user.id, limit.streams) >= limit.limit) throw tinvestError('80001');
    const headers = new Metadata();
    headers.set('x-tracking-id', trackingId);
    call.sendMetadata(headers);
    const session = new StreamSession(call, { userId: caller.user.id, tokenLabel: caller.token.label, path, method: handler.method.name, trackingId }, ctx.streams);
    return { caller, session };
  } catch (error) {
    call.emit('error', toStatus(ctx, error, trackingId, null));
    return null;
  }
}

/** Registers handlers on a grpc-js server for one contour. */
export function buildServer(ctx: EmulatorContext, contour: Contour, handlers: Handler[]): Server {
  const server = new Server({ 'grpc.max_receive_message_length': 16 * 1024 * 1024, 'grpc.max_send_message_length': 100 * 1024 * 1024 });
  const byService = new Map<string, Handler[]>();
  for (const h of handlers) byService.set(h.service.typeName, [...(byService.get(h.service.typeName) ?? []), h]);
  for (const list of byService.values()) {
    const definition: Record<string, MethodDefinition<unknown, unknown>> = {};
    const implementation: Record<string, UntypedHandleCall> = {};
    for (const h of list) {
      const input = serializer(h.method.input);
      const output = serializer(h.method.output);
      definition[h.method.name] = {
        path: `/${methodPath(h.service, h.method.name)}`,
        requestStream: h.kind === 'bidi',
        responseStream: h.kind !== 'unary',
        requestSerialize: input.serialize,
        requestDeserialize: input.deserialize,
        responseSerialize: output.serialize,
        responseDeserialize: output.deserialize,
        originalName: h.method.localName,
      };
      if (h.kind === 'unary') {
        implementation[h.method.name] = unaryCall(ctx, contour, h) as UntypedHandleCall;
      } else if (h.kind === 'server') {
        implementation[h.method.name] = ((call: ServerWritableStream<Message, unknown>) => {
          const opened = openStream(ctx, contour, h, call);
          if (opened) h.run(call.request, opened.caller, opened.session);
        }) as UntypedHandleCall;
      } else {
        implementation[h.method.name] = ((call: ServerDuplexStream<Message, unknown>) => {
          const opened = openStream(ctx, contour, h, call);
          if (!opened) return;
          const onMessage = h.run(opened.caller, opened.session);
          call.on('data', (req: Message) => {
            try {
              onMessage(req);
            } catch (error) {
              ctx.log(`stream handler error: ${(error as Error).stack ?? String(error)}`);
            }
          });
          call.on('end', () => opened.session.end());
        }) as UntypedHandleCall;
      }
    }
    server.addService(definition as ServiceDefinition, implementation);
  }
  return server;
}

/** Binds a server and resolves with the actual port. */
export function bindServer(server: Server, host: string, port: number, tls?: { certPem: string; keyPem: string }): Promise<number> {
  const credentials = tls ? ServerCredentials.createSsl(null, [{ cert_chain: Buffer.from(tls.certPem), private_key: Buffer.from(tls.keyPem) }], false) : ServerCredentials.createInsecure();
  return new Promise((resolve, reject) => server.bindAsync(`${host}:${port}`, credentials, (error, bound) => (error ? reject(error) : resolve(bound))));
}
