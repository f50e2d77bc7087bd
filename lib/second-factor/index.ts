import 'server-only';
// Second factors for password sign-ins: authenticator apps (TOTP), passkeys (WebAuthn) and one-time
// recovery codes; the team policy that requires them; step-up before dangerous actions; resets.
export { addPasskey, confirmTotp, listMyFactors, regenerateRecoveryCodes, removeMyFactor, startPasskeyEnrolment, startTotpEnrolment } from './account-factors';
export { completeSignIn, signInPasskeyOptions } from './complete-sign-in';
export type { EnrolledDto, MyFactorsDto, RecoveryCodesDto, SecondFactorDto, TotpEnrolmentDto } from './dto';
export { mustEnrolSecondFactor } from './enrolment-gate';
export { factorMethodsOf, type FactorMethod } from './factor-methods';
export { resetMemberFactors } from './reset-factors';
export { resetFactorsAsOperator } from './reset-factors-as-operator';
export { requireFreshFactor, stepUp, stepUpPasskeyOptions } from './step-up';
export { listTeamFactors, type MemberFactorsDto, type TeamFactorsDto } from './team-factors';
export { getSecondFactorPolicy, readSecondFactorPolicy, setSecondFactorPolicy } from './team-policy';
export { issueTicket } from './ticket';
