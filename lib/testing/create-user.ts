// Test fixture: a user row inserted directly, with a real argon2id hash of `password`.
import { hashPassword } from '../auth/password';
import type { RoleName } from '../auth/permissions';
import { db } from '../db';

let counter = 0;

export interface TestUser {
  id: string;
  email: string;
  name: string;
  role: RoleName;
  sessionVersion: number;
  password: string;
}

export async function createUser(role: RoleName, options: { email?: string; name?: string; password?: string; disabled?: boolean; mustChangePassword?: boolean } = {}): Promise<TestUser> {
  counter += 1;
  const password = options.password ?? 'correct horse battery';
  const user = await db().user.create({
    data: {
      email: options.email ?? `${role}${counter}@example.test`,
      name: options.name ?? `${role[0]!.toUpperCase()}${role.slice(1)} ${counter}`,
      role,
      passwordHash: await hashPassword(password),
      disabledAt: options.disabled ? new Date() : null,
      mustChangePassword: options.mustChangePassword ?? false,
    },
  });
  return { id: user.id, email: user.email, name: user.name, role: user.role, sessionVersion: user.sessionVersion, password };
}
