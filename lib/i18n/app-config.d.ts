// Types next-intl's keys against en.json, so a missing or misspelt key fails typecheck.
import type { Messages } from './messages';
import type { Locale } from './locales';

declare module 'next-intl' {
  interface AppConfig {
    Locale: Locale;
    Messages: Messages;
  }
}
