// Typed handler constructors: services are written against generated descriptors, then type-erased for the server.
import type { DescMethod, DescService, Message, MessageInitShape, MessageShape, DescMessage } from '@bufbuild/protobuf';
import type { ScenarioUser } from './scenario';
import type { TokenState } from './state';
import type { StreamSession } from './stream-session';

/** Who is calling, resolved once per call by the server pipeline. */
export interface Caller {
  token: TokenState;
  user: ScenarioUser;
  /** The token is a sandbox token: the call sees sandbox accounts only. */
  sandbox: boolean;
  trackingId: string;
  appName: string;
  path: string;
}

type Method<I extends DescMessage, O extends DescMessage> = DescMethod & { input: I; output: O };

export type Handler =
  | { kind: 'unary'; service: DescService; method: DescMethod; run: (req: Message, caller: Caller) => Promise<MessageInitShape<DescMessage>> }
  | { kind: 'server'; service: DescService; method: DescMethod; run: (req: Message, caller: Caller, out: StreamSession) => void }
  | { kind: 'bidi'; service: DescService; method: DescMethod; run: (caller: Caller, out: StreamSession) => (req: Message) => void };

/** A unary RPC implementation. */
export function unary<I extends DescMessage, O extends DescMessage>(
  service: DescService,
  method: Method<I, O>,
  run: (req: MessageShape<I>, caller: Caller) => MessageInitShape<O> | Promise<MessageInitShape<O>>,
): Handler {
  return { kind: 'unary', service, method, run: async (req, caller) => (await run(req as MessageShape<I>, caller)) as MessageInitShape<DescMessage> };
}

/** A server-streaming RPC implementation; it owns the session until it ends. */
export function serverStream<I extends DescMessage, O extends DescMessage>(
  service: DescService,
  method: Method<I, O>,
  run: (req: MessageShape<I>, caller: Caller, out: StreamSession<MessageInitShape<O>>) => void,
): Handler {
  return { kind: 'server', service, method, run: (req, caller, out) => run(req as MessageShape<I>, caller, out as StreamSession<MessageInitShape<O>>) };
}

/** A bidi RPC implementation: returns the handler for each client message. */
export function bidiStream<I extends DescMessage, O extends DescMessage>(
  service: DescService,
  method: Method<I, O>,
  run: (caller: Caller, out: StreamSession<MessageInitShape<O>>) => (req: MessageShape<I>) => void,
): Handler {
  return {
    kind: 'bidi',
    service,
    method,
    run: (caller, out) => {
      const onMessage = run(caller, out as StreamSession<MessageInitShape<O>>);
      return (req) => onMessage(req as MessageShape<I>);
    },
  };
}
