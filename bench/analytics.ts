// Analytics build cost for one long account: 20,000 operations over ten years, 50 instruments, daily prices.
// Measures what lib/history does on a view after a sync (ledger → holdings → FIFO → values → returns,
// income, costs): the first full build, and the rebuild after one more operation (lib/history recomputes
// in memory from the stored operations; only upstream fetches are incremental). Reports wall time, CPU time
// and heap; the upstream calls and the database are not part of it (see docs/PERFORMANCE.md).
//   npm run bench:analytics [-- --operations 20000 --runs 5]
import { buildFifo, buildHoldings, buildLedger, costReport, incomeReport, moneyWeightedReturn, timeWeightedReturn, valueSeries, type Day, type Money } from '@/lib/analytics';
import { testOperation } from '@/lib/analytics/test-operation';
import type { OperationDto } from '@/lib/tinvest/dto';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const OPERATIONS = arg('operations', 20_000);
const RUNS = arg('runs', 5);
const START = Date.UTC(2016, 0, 1);
const TODAY: Day = '2025-12-31';

function history(count: number): OperationDto[] {
  let state = 42;
  const random = () => (state = (state * 48271) % 2147483647) / 2147483647;
  const operations: OperationDto[] = [];
  const held = new Map<string, bigint>();
  for (let i = 0; operations.length < count; i++) {
    const at = new Date(START + Math.floor((i / count) * 3650 * 86_400_000)).toISOString();
    if (i % 40 === 0) {
      operations.push(testOperation({ id: `in${i}`, type: 'input', at, payment: '100000' }));
      continue;
    }
    const uid = `uid-${Math.floor(random() * 50)}`;
    const quantity = BigInt(1 + Math.floor(random() * 20));
    const have = held.get(uid) ?? 0n;
    const sell = random() < 0.35 && have >= quantity;
    held.set(uid, have + (sell ? -quantity : quantity));
    const payment = (Number(quantity) * 100.5).toFixed(2);
    operations.push(testOperation({ id: `t${i}`, type: sell ? 'sell' : 'buy', at, instrumentUid: uid, quantity, price: '100.5', payment: sell ? payment : `-${payment}` }));
    operations.push(testOperation({ id: `f${i}`, type: 'broker_fee', at, instrumentUid: uid, parentId: `t${i}`, payment: '-0.30' }));
    if (i % 97 === 0) operations.push(testOperation({ id: `d${i}`, type: 'dividend', at, instrumentUid: uid, payment: '120.00' }));
  }
  return operations;
}

const price = (uid: string, day: Day): Money => ({ nanos: BigInt(90 + ((uid.length * 7 + Number(day.slice(8, 10))) % 30)) * 1_000_000_000n, currency: 'RUB' });

function build(operations: OperationDto[]) {
  const ledger = buildLedger(operations);
  const holdings = buildHoldings(ledger, { to: TODAY });
  const fifo = buildFifo(ledger);
  const series = valueSeries(holdings, price, () => null);
  const range = { from: series[0]!.day, to: TODAY };
  return { series: series.length, books: fifo.books.size, twr: timeWeightedReturn(series, range).total, xirr: moneyWeightedReturn(series, range).rate, income: incomeReport(ledger).byMonth.length, costs: costReport(ledger).length };
}

function measure(label: string, operations: OperationDto[]) {
  const wall: number[] = [];
  const cpu: number[] = [];
  let result: ReturnType<typeof build> | undefined;
  for (let run = 0; run < RUNS; run++) {
    const t = performance.now();
    const c = process.cpuUsage();
    result = build(operations);
    const used = process.cpuUsage(c);
    wall.push(performance.now() - t);
    cpu.push((used.user + used.system) / 1000);
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  console.log(`${label}: median ${median(wall).toFixed(0)} ms wall, ${median(cpu).toFixed(0)} ms CPU over ${RUNS} runs (first ${wall[0]!.toFixed(0)} ms); ${result!.series} days, ${result!.books} instruments`);
}

const operations = history(OPERATIONS);
console.log(`${operations.length} operations, ${START ? new Date(START).toISOString().slice(0, 10) : ''} → ${TODAY}`);
globalThis.gc?.();
const before = process.memoryUsage();
measure('full build', operations);
const late = testOperation({ id: 'late', type: 'buy', at: '2020-06-15T10:00:00Z', instrumentUid: 'uid-3', quantity: 1n, price: '100', payment: '-100' });
measure('after one more (late) operation', [...operations, late]);
const after = process.memoryUsage();
console.log(`heap used ${((after.heapUsed - before.heapUsed) / 2 ** 20).toFixed(0)} MiB more than before the builds; RSS ${(after.rss / 2 ** 20).toFixed(0)} MiB`);
