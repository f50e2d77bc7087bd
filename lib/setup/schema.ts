// The first-run form as the API reads it: the owner's account and the setup code from the server log. Pure.
import { z } from 'zod';
import { setupSchema } from '../auth/schema';

/** The code is checked by claimSetup(), after "already set up" (409), so a late visitor hears that first. */
export const claimSetupSchema = setupSchema.extend({ code: z.string().max(64).optional() });
export type ClaimSetupInput = z.infer<typeof claimSetupSchema>;
