// What the second-factor endpoints accept. Pure.
import { z } from 'zod';
import { SECOND_FACTOR_POLICIES } from './policy';

/** A WebAuthn response as @simplewebauthn/browser produces it; its contents are checked by the library. */
const webAuthnResponse = z.looseObject({ id: z.string().min(1).max(2048), rawId: z.string().max(2048), type: z.literal('public-key'), response: z.looseObject({ clientDataJSON: z.string().max(65_536) }) });

/** Proof of a second factor: an app code, a recovery code, or a passkey assertion. */
export const factorProofSchema = z.discriminatedUnion('method', [
  z.object({ method: z.literal('totp'), code: z.string().trim().min(1).max(12) }),
  z.object({ method: z.literal('recovery'), code: z.string().trim().min(1).max(24) }),
  z.object({ method: z.literal('passkey'), response: webAuthnResponse }),
]);
export type FactorProof = z.infer<typeof factorProofSchema>;

export const factorNameSchema = z.string().trim().min(1).max(60);

export const confirmTotpSchema = z.object({ factorId: z.uuid(), code: z.string().trim().min(1).max(12), name: factorNameSchema });
export type ConfirmTotpInput = z.infer<typeof confirmTotpSchema>;

export const addPasskeySchema = z.object({ name: factorNameSchema, response: webAuthnResponse });
export type AddPasskeyInput = z.infer<typeof addPasskeySchema>;

export const factorIdParams = z.object({ id: z.uuid() });
export const memberIdParams = z.object({ id: z.uuid() });

export const signInTicketSchema = z.object({ ticket: z.string().min(1).max(1024) });

export const secondFactorPolicySchema = z.object({ policy: z.enum(SECOND_FACTOR_POLICIES) });
export type SecondFactorPolicyInput = z.infer<typeof secondFactorPolicySchema>;
