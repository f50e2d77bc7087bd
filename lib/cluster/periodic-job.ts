import 'server-only';
// A background job that runs every `everyMs`, once per cluster (one instance takes each period's turn; every
// instance in single mode or while Redis is away). Runs never overlap: the next is scheduled when one ends.
import { logger } from '../log';
import { takeJobTurn, clusterNode } from './cluster-node';

export interface PeriodicJob {
  stop(): void;
}

const JOBS = Symbol.for('strongroom.cluster.periodic-jobs');
/** On globalThis: a second start of the same job (a reloaded module) replaces the first instead of doubling it. */
const running = (): Map<string, PeriodicJob> => ((globalThis as { [JOBS]?: Map<string, PeriodicJob> })[JOBS] ??= new Map());

export function startPeriodicJob(name: string, everyMs: number, run: () => Promise<void>, { firstRunAfterMs = everyMs } = {}): PeriodicJob {
  running().get(name)?.stop();
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  const tick = async () => {
    try {
      if (await takeJobTurn(clusterNode(), name, everyMs)) await run();
    } catch (error) {
      logger().error({ err: error, job: name }, 'background job failed');
    } finally {
      if (!stopped) timer = setTimeout(() => void tick(), everyMs).unref();
    }
  };
  timer = setTimeout(() => void tick(), firstRunAfterMs).unref();
  const job: PeriodicJob = {
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      if (running().get(name) === job) running().delete(name);
    },
  };
  running().set(name, job);
  return job;
}
