// The throttle key of a user's factor attempts: apart from their password's. Pure.

/** Passed to the sign-in throttle in place of an email. */
export function factorThrottleKey(userId: string): string {
  return `\0second-factor\0${userId}`;
}
