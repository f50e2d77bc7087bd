// The statement filter in T-API's terms, and the two filters T-API has no parameter for (direction and
// counterparty text), applied to each page. Pure: pages, the export and tests share it.
import type { TapiOperationDto } from '../tapi/dto';
import type { BusinessOperationDto, StatementFilterDto } from './dto';

const DAY_MS = 86_400_000;
/** The default period: the last 30 days, today included. */
export const DEFAULT_PERIOD_DAYS = 30;

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Fills the period: `to` defaults to today (UTC), `from` to 29 days before `to`. */
export function resolveFilter(input: { from?: string; to?: string; status?: StatementFilterDto['status']; direction?: StatementFilterDto['direction']; q?: string }, now: Date): StatementFilterDto {
  const today = day(now.getTime());
  const to = input.to ?? (input.from && input.from > today ? input.from : today);
  const from = input.from ?? day(Date.parse(`${to}T00:00:00Z`) - (DEFAULT_PERIOD_DAYS - 1) * DAY_MS);
  return { from, to, status: input.status ?? 'all', direction: input.direction ?? 'all', q: input.q ?? null };
}

/** T-API's period: `from` inclusive at the start of its day, `to` exclusive at the end of its day (UTC [?: T-API's zone rules]). */
export function upstreamPeriod(filter: StatementFilterDto): { from: string; to: string } {
  return { from: `${filter.from}T00:00:00Z`, to: day(Date.parse(`${filter.to}T00:00:00Z`) + DAY_MS) + 'T00:00:00Z' };
}

/** Whether an operation passes the filters T-API cannot apply: direction (the client already folds «Сredit») and counterparty text. */
export function matchesFilter(operation: TapiOperationDto, filter: Pick<StatementFilterDto, 'direction' | 'q'>): boolean {
  if (filter.direction !== 'all' && operation.direction !== filter.direction) return false;
  if (!filter.q) return true;
  const needle = filter.q.toLocaleLowerCase('ru');
  const party = operation.counterparty;
  return [party?.name, party?.inn, party?.account].some((text) => text?.toLocaleLowerCase('ru').includes(needle));
}

/** The operation as the page shows it: an allow-list of fields. */
export function toBusinessOperation(operation: TapiOperationDto): BusinessOperationDto {
  return {
    id: operation.operationId,
    date: operation.operationDate,
    status: operation.status,
    direction: operation.direction,
    amount: { amount: operation.accountAmount.amount, currency: operation.accountAmount.currency },
    counterpartyName: operation.counterparty?.name ?? null,
    counterpartyInn: operation.counterparty?.inn ?? null,
    counterpartyAccount: operation.counterparty?.account ?? null,
    purpose: operation.payPurpose ?? operation.description,
    documentNumber: operation.documentNumber,
  };
}
