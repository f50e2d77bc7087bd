// Test support: a terse OperationDto builder for the analytics tests (not part of the public surface).
import type { OperationDto, OperationStateName, OperationTypeName } from '@/lib/tinvest/dto';

export interface TestOperationInput {
  id: string;
  type: OperationTypeName;
  /** ISO time. */
  at: string | null;
  /** Signed payment as a decimal string. */
  payment?: string;
  currency?: string;
  instrumentUid?: string;
  quantity?: number | bigint;
  price?: string;
  parentId?: string;
  state?: OperationStateName;
  instrumentType?: string;
}

/** An OperationDto shaped like lib/tinvest's mapping of the emulator's operations. */
export function testOperation(input: TestOperationInput): OperationDto {
  const currency = input.currency ?? 'RUB';
  return {
    id: input.id,
    parentOperationId: input.parentId ?? '',
    type: input.type,
    description: input.type,
    state: input.state ?? 'executed',
    at: input.at,
    instrumentUid: input.instrumentUid ?? '',
    figi: '',
    ticker: null,
    instrumentType: input.instrumentType ?? (input.instrumentUid ? 'share' : ''),
    payment: input.payment === undefined ? null : { amount: input.payment, currency },
    price: input.price === undefined ? null : { amount: input.price, currency },
    commission: null,
    quantity: String(input.quantity ?? 0),
    quantityRest: '0',
    trades: [],
    cursor: null,
  };
}
