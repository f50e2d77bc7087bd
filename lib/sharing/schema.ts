// Input shapes for shares. Pure: the creation form and the route handlers read the same rules.
import { z } from 'zod';
import { safeText, uuidSegment } from '../http/schema-primitives';
import { fieldMessage } from '../i18n/field-message';

/** No share lives longer than this; every share must name its end. */
export const MAX_SHARE_DAYS = 90;
export const MAX_WATCHLIST = 20;
export const MAX_RECIPIENTS = 50;

export const SHARE_SUBJECTS = ['overview', 'account', 'watchlist'] as const;
export const SHARE_AUDIENCES = ['members', 'team_link', 'public_link'] as const;
export type ShareSubject = (typeof SHARE_SUBJECTS)[number];
export type ShareAudience = (typeof SHARE_AUDIENCES)[number];

const instrumentUid = z.string().regex(/^[0-9a-zA-Z_-]{1,64}$/, fieldMessage('errors.input.id', 'Not a valid id.'));

export const createShareSchema = z
  .object({
    title: safeText(120).refine((value) => value.trim().length > 0, fieldMessage('errors.shares.titleRequired', 'Give the share a title.')),
    subject: z.enum(SHARE_SUBJECTS),
    tokenId: uuidSegment.optional(),
    accountId: z.string().regex(/^[0-9A-Za-z_-]{1,64}$/, fieldMessage('errors.input.id', 'Not a valid id.')).optional(),
    instrumentUids: z
      .array(instrumentUid)
      .refine((uids) => uids.length <= MAX_WATCHLIST, fieldMessage('errors.shares.watchlistTooLong', `At most ${MAX_WATCHLIST} instruments.`, { max: MAX_WATCHLIST }))
      .optional(),
    audience: z.enum(SHARE_AUDIENCES),
    recipientIds: z.array(uuidSegment).max(MAX_RECIPIENTS).optional(),
    percentagesOnly: z.boolean(),
    /** Whole days from now, 1 to MAX_SHARE_DAYS. */
    expiresInDays: z
      .number()
      .refine((days) => Number.isInteger(days) && days >= 1 && days <= MAX_SHARE_DAYS, fieldMessage('errors.shares.expiryRange', `Choose 1 to ${MAX_SHARE_DAYS} days.`, { max: MAX_SHARE_DAYS })),
  })
  .superRefine((input, context) => {
    if (input.subject === 'account' && (!input.tokenId || !input.accountId)) {
      context.addIssue({ code: 'custom', path: ['accountId'], ...fieldMessage('errors.shares.accountRequired', 'Choose the account to share.') });
    }
    if (input.subject === 'watchlist' && !input.instrumentUids?.length) {
      context.addIssue({ code: 'custom', path: ['instrumentUids'], ...fieldMessage('errors.shares.watchlistRequired', 'Add at least one instrument.') });
    }
    if (input.audience === 'members' && !input.recipientIds?.length) {
      context.addIssue({ code: 'custom', path: ['recipientIds'], ...fieldMessage('errors.shares.recipientsRequired', 'Choose at least one team member.') });
    }
    // T-Invest's terms forbid passing market data on to the public: public links are portfolio snapshots in percent only.
    if (input.audience === 'public_link' && input.subject === 'watchlist') {
      context.addIssue({ code: 'custom', path: ['audience'], ...fieldMessage('errors.shares.publicWatchlist', 'A watchlist is market data, which may not be shown to the public.') });
    }
    if (input.audience === 'public_link' && !input.percentagesOnly) {
      context.addIssue({ code: 'custom', path: ['percentagesOnly'], ...fieldMessage('errors.shares.publicPercentOnly', 'A public link shows percentages only.') });
    }
  });
export type CreateShareInput = z.infer<typeof createShareSchema>;

export const shareIdParamsSchema = z.object({ id: uuidSegment });
