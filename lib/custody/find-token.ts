import 'server-only';
// Reads tokens as a viewer may see them: managers see all, others only tokens granted to them.
// A token the viewer may not see is "not found", so its existence is not revealed.
import { db, type Prisma } from '../db';
import { AppError } from '../errors';
import { isManager, TOKEN_QUERY, toTokenDto, type TokenRow, type ViewerRef } from './to-token-dto';
import type { TokenDto } from './dto';

type Tx = Prisma.TransactionClient;

export const TOKEN_NOT_FOUND = 'Token not found.';

/** The where-clause limiting tokens to those the viewer may see. */
export function visibleTo(viewer: ViewerRef): Prisma.TokenWhereInput {
  return isManager(viewer) ? {} : { grants: { some: { userId: viewer.id } } };
}

/** One visible token row, or a 404. */
export async function findVisibleToken(viewer: ViewerRef, id: string, tx: Tx = db()): Promise<TokenRow> {
  const row = await tx.token.findFirst({ ...TOKEN_QUERY, where: { id, ...visibleTo(viewer) } });
  if (!row) throw new AppError('not_found', TOKEN_NOT_FOUND, { messageKey: 'errors.tokens.notFound' });
  return row;
}

/** Maps rows for a viewer, resolving who used each token last. */
export async function toTokenDtos(rows: TokenRow[], viewer: ViewerRef, tx: Tx = db(), now = new Date()): Promise<TokenDto[]> {
  const ids = [...new Set(rows.map((row) => row.lastUsedByUserId).filter((id): id is string => id !== null))];
  const people = ids.length ? await tx.user.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } }) : [];
  const names = new Map(people.map((person) => [person.id, person.name]));
  return rows.map((row) => toTokenDto(row, viewer, names, now));
}

/** A token's DTO as the viewer sees it (reads through `tx` inside a transaction). */
export async function tokenDtoFor(viewer: ViewerRef, id: string, tx: Tx = db()): Promise<TokenDto> {
  const [dto] = await toTokenDtos([await findVisibleToken(viewer, id, tx)], viewer, tx);
  return dto!;
}
