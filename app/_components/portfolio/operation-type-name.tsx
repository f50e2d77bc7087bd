// "Buy", "Dividend", … for an operation type; one of the filter's types, or "other".
import { useTranslations } from 'next-intl';
import { OPERATION_TYPE_FILTERS } from '@/lib/portfolio/schema';

type Named = (typeof OPERATION_TYPE_FILTERS)[number];

export function useOperationTypeName(): (type: string) => string {
  const t = useTranslations('operations');
  return (type) => ((OPERATION_TYPE_FILTERS as readonly string[]).includes(type) ? t(`typeName.${type as Named}`) : t('typeName.other'));
}
