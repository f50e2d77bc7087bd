// Helpers for tests against a T-Invest nobody here wrote: a nice-grpc server built from the npm SDK's own
// service definitions (tinkoff-invest-api), answering only what a test gives it.
import { ServerError, Status, type CallContext } from 'nice-grpc';

/** Every method of a service: the given ones, the rest answering UNIMPLEMENTED (streams too). */
export function implement(definition: { methods: Record<string, { responseStream: boolean }> }, given: Record<string, unknown>): never {
  const impl: Record<string, unknown> = { ...given };
  for (const [name, method] of Object.entries(definition.methods)) {
    const unimplemented = () => new ServerError(Status.UNIMPLEMENTED, 'Method not implemented');
    impl[name] ??= method.responseStream
      ? async function* () {
          yield* [];
          throw unimplemented();
        }
      : async () => {
          throw unimplemented();
        };
  }
  return impl as never;
}

/** The bearer token a call carries. */
export const tokenOf = (ctx: CallContext) => (ctx.metadata.get('authorization') ?? '').replace(/^Bearer /, '');
