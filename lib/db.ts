import 'server-only';
// The only PrismaClient. Which database it talks to is decided by lib/db/connect.ts.
import { env } from './env';
import { createAdapterFactory, databaseTarget } from './db/connect';
import { PrismaClient } from './generated/prisma/client';

export type { Prisma, Role } from './generated/prisma/client';

const globalForPrisma = globalThis as unknown as { strongroomPrisma?: PrismaClient };

/** The process-wide Prisma client. */
export function db(): PrismaClient {
  globalForPrisma.strongroomPrisma ??= new PrismaClient({ adapter: createAdapterFactory(databaseTarget(env())) });
  return globalForPrisma.strongroomPrisma;
}
