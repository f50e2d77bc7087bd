'use client';
// Positions change on trades and cash movements (PositionsStream); the table's names, prices and yields
// come from the server, so a change re-renders the page rather than patching rows in the browser.
import { useRefreshOnChange } from '../live';

/** The server's GetPortfolio/GetPositions cache lives 3 s (lib/portfolio/upstream.ts): refresh after it. */
const AFTER_CACHE_MS = 3_500;

export function RefreshOnPositions({ topics }: { topics: readonly string[] }) {
  useRefreshOnChange(topics, AFTER_CACHE_MS);
  return null;
}
