// Every UI string, per language. en*.json is the reference; ru*.json must have the same keys.
// Features keep their strings in their own files (top-level namespaces never overlap), so
// parallel work on different features never edits the same catalogue.
import type { Locale } from './locales';
import enAnalytics from './messages/en.analytics.json';
import enBusiness from './messages/en.business.json';
import enCluster from './messages/en.cluster.json';
import enCore from './messages/en.json';
import enErrors from './messages/en.errors.json';
import enLive from './messages/en.live.json';
import enMarkets from './messages/en.markets.json';
import enTapiTokens from './messages/en.tapi-tokens.json';
import enShares from './messages/en.shares.json';
import enSecondFactor from './messages/en.second-factor.json';
import enSso from './messages/en.sso.json';
import enTeamAccess from './messages/en.team-access.json';
import enTokens from './messages/en.tokens.json';
import ruAnalytics from './messages/ru.analytics.json';
import ruBusiness from './messages/ru.business.json';
import ruCluster from './messages/ru.cluster.json';
import ruCore from './messages/ru.json';
import ruErrors from './messages/ru.errors.json';
import ruLive from './messages/ru.live.json';
import ruMarkets from './messages/ru.markets.json';
import ruTapiTokens from './messages/ru.tapi-tokens.json';
import ruShares from './messages/ru.shares.json';
import ruSecondFactor from './messages/ru.second-factor.json';
import ruSso from './messages/ru.sso.json';
import ruTeamAccess from './messages/ru.team-access.json';
import ruTokens from './messages/ru.tokens.json';

const en = { ...enCore, ...enErrors, ...enTokens, ...enMarkets, ...enLive, ...enTapiTokens, ...enBusiness, ...enShares, ...enSso, ...enSecondFactor, ...enTeamAccess, ...enCluster, ...enAnalytics };
export type Messages = typeof en;

export const MESSAGES: Record<Locale, Messages> = { en, ru: { ...ruCore, ...ruErrors, ...ruTokens, ...ruMarkets, ...ruLive, ...ruTapiTokens, ...ruBusiness, ...ruShares, ...ruSso, ...ruSecondFactor, ...ruTeamAccess, ...ruCluster, ...ruAnalytics } as Messages };

type Leaves<T, Prefix extends string> = { [K in keyof T & string]: T[K] extends string ? `${Prefix}${K}` : Leaves<T[K], `${Prefix}${K}.`> }[keyof T & string];

/** A message under `errors`, as AppError and zod issues name it; a typo fails typecheck. */
export type ErrorKey = Leaves<Messages['errors'], 'errors.'>;

/** ICU values for an error message. Never a token value. */
export type ErrorValues = Record<string, string | number>;
