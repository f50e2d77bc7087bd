// Every UI string, per language. en.json is the reference; ru.json must have the same keys.
import type { Locale } from './locales';
import en from './messages/en.json';
import ru from './messages/ru.json';

export type Messages = typeof en;

export const MESSAGES: Record<Locale, Messages> = { en, ru };
