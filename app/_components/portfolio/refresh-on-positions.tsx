'use client';
// Positions change on trades and cash movements (PositionsStream); the table's names, prices and yields
// come from the server, so a change re-renders the page rather than patching rows in the browser.
import { useCallback } from 'react';
import type { HubPayload } from '@/lib/hub/dto';
import { positionsSignature } from '@/lib/hub/merge-positions';
import { useRefreshOnChange } from '../live';

/** The server's GetPortfolio/GetPositions cache lives 3 s (lib/portfolio/upstream.ts): refresh after it. */
const AFTER_CACHE_MS = 3_500;

/** `signature`: positionsSignature() of what the page shows (one account); a first snapshot unlike it refreshes too. */
export function RefreshOnPositions({ topics, signature }: { topics: readonly string[]; signature?: string | null }) {
  const rendered = useCallback((value: HubPayload) => value.type !== 'initial_positions' || !signature || positionsSignature(value.positions) === signature, [signature]);
  useRefreshOnChange(topics, AFTER_CACHE_MS, signature ? rendered : undefined);
  return null;
}
