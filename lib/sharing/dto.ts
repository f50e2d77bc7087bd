// What lib/sharing hands out. The shared views are their own shapes, built field by field from the
// sharer's data (to-share-dto.ts): nothing reaches a share viewer unless it is named here. No token
// id, no token label, no access level, no account id beyond the share's own.
import type { ShareAudience, ShareSubject } from './schema';

/** A share as its owner manages it. */
export interface ShareDto {
  id: string;
  title: string;
  subject: ShareSubject;
  /** The shared account's name (account shares), as the owner sees it now; null when no longer visible. */
  accountName: string | null;
  instrumentCount: number;
  audience: ShareAudience;
  percentagesOnly: boolean;
  recipients: { id: string; name: string; email: string }[];
  expiresAt: string;
  createdAt: string;
  revokedAt: string | null;
  expired: boolean;
  lastViewedAt: string | null;
  lastViewerLabel: string | null;
  /** The most recent views (one per viewer per hour), newest first. */
  views: { viewerLabel: string; at: string }[];
}

/** The answer to creating a share or rotating its link: the link is shown this once and never again. */
export interface ShareCreatedDto {
  share: ShareDto;
  /** Absolute link for team and public links; null for member shares (they open at /shared/[id]). */
  url: string | null;
}

/** A share offered to the viewer by a team member. */
export interface ReceivedShareDto {
  id: string;
  title: string;
  subject: ShareSubject;
  sharedBy: string;
  expiresAt: string;
}

export interface SharedSliceDto {
  label: string;
  /** Percent of the whole, 2 places. */
  percent: string;
  /** Roubles; absent from percentages-only shares. */
  value?: string;
}

export interface SharedOverviewDto {
  kind: 'overview';
  dailyChangePercent: string | null;
  expectedYieldPercent: string | null;
  allocation: { byType: SharedSliceDto[]; byCurrency: SharedSliceDto[]; byAccount: SharedSliceDto[] };
  accounts: { name: string; type: string; weightPercent: string | null; dailyChangePercent: string | null; expectedYieldPercent: string | null; value?: string | null }[];
  /** Roubles; absent from percentages-only shares. */
  total?: string;
  dailyChange?: string;
  expectedYield?: string;
  partial: boolean;
}

export interface SharedPositionDto {
  name: string;
  ticker: string;
  instrumentType: string;
  /** Percent of the account's value; null when the position is held in another currency than the total. */
  weightPercent: string | null;
  expectedYieldPercent: string | null;
  quantity?: string;
  value?: { amount: string; currency: string } | null;
  expectedYield?: { amount: string; currency: string } | null;
}

export interface SharedAccountDto {
  kind: 'account';
  name: string;
  type: string;
  dailyChangePercent: string | null;
  expectedYieldPercent: string | null;
  positions: SharedPositionDto[];
  total?: { amount: string; currency: string } | null;
  dailyChange?: { amount: string; currency: string } | null;
  cash?: { currency: string; available: string; blocked: string }[];
}

export interface SharedInstrumentDto {
  name: string;
  ticker: string;
  kind: string;
  /** Last day's close against the one before, percent, 2 places. */
  dayChangePercent: string | null;
  /** Last close in money per unit; absent from percentages-only shares. */
  lastPrice?: { amount: string; currency: string } | null;
}

export interface SharedWatchlistDto {
  kind: 'watchlist';
  instruments: SharedInstrumentDto[];
}

export type SharedContentDto = SharedOverviewDto | SharedAccountDto | SharedWatchlistDto;

/** What a share viewer gets: the share's own facts and the content, or why there is none. */
export interface SharedViewDto {
  title: string;
  sharedBy: string;
  audience: ShareAudience;
  percentagesOnly: boolean;
  expiresAt: string;
  /** When the content was read. */
  asOf: string;
  content: SharedContentDto | null;
  /** Why there is no content: the sharer can no longer see it, or T-Bank could not be read. */
  unavailable: null | 'no_longer_visible' | 'upstream';
}
