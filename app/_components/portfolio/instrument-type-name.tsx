// "Shares", "Bonds", … for an instrument type or a portfolio total's key.
import { useTranslations } from 'next-intl';

const KNOWN = ['share', 'bond', 'etf', 'currency', 'futures', 'option', 'sp', 'shares', 'bonds', 'currencies', 'options', 'structuredNotes'] as const;

export function useTypeName(): (type: string) => string {
  const t = useTranslations('markets.type');
  return (type) => (KNOWN.includes(type as (typeof KNOWN)[number]) ? t(type as (typeof KNOWN)[number]) : t('other'));
}
