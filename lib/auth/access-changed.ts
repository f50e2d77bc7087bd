import 'server-only';
// "Someone's access may have narrowed": grants, tokens, roles and passwords announce it here, and
// whoever holds long-lived sessions (lib/http/live-access.ts) re-checks them. The mutations stay
// free of HTTP; the listeners sit on globalThis because the custom server and Next's bundles load
// their own copies of lib/ and a change made in one must reach streams served by the other.
import { logger } from '../log';

/** Re-checks the given users (undefined = everyone); may be slow, must not be trusted not to throw. */
export type AccessListener = (userIds?: string[]) => Promise<void> | void;

const globalForAccess = globalThis as unknown as { strongroomAccessListeners?: Map<string, AccessListener> };

function listeners(): Map<string, AccessListener> {
  return (globalForAccess.strongroomAccessListeners ??= new Map());
}

/** Registers `listener` under `name`; a second registration under the same name (another module copy) replaces the first. */
export function onAccessChanged(name: string, listener: AccessListener): void {
  listeners().set(name, listener);
}

/**
 * Announces that these users' access (undefined = anyone's) may have narrowed, and waits for the
 * listeners. Never throws: the change that called it is already committed.
 */
export async function accessChanged(userIds?: string[]): Promise<void> {
  await notify(userIds, null);
}

/** The same, for a change another instance announced (relayed by lib/cluster): the relay itself is skipped, so nothing echoes. */
export async function accessChangedElsewhere(userIds: string[] | undefined, relayName: string): Promise<void> {
  await notify(userIds, relayName);
}

async function notify(userIds: string[] | undefined, skip: string | null): Promise<void> {
  await Promise.all(
    [...listeners()].filter(([name]) => name !== skip).map(async ([name, listener]) => {
      try {
        await listener(userIds);
      } catch (error) {
        logger().error({ err: error, listener: name }, 'access re-check failed');
      }
    }),
  );
}
