/**
 * A worker thread of the demo: sets up its own tfjs backend, then runs the
 * tasks it is sent (a pair's search or one method, {@link runTask}) and posts
 * progress and results back. Tasks are independent, so two workers use two cores.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { setupBackend } from './backend.js';
import type { Plan } from './plan.js';
import { runTask } from './seed-run.js';
import type { SeedTask, TaskResult } from './seed-tasks.js';

/** A message from the main thread (the main thread ends a worker with `terminate`). */
export type ToWorker = { type: 'task'; plan: Plan; task: SeedTask };

/** A message to the main thread. */
export type FromWorker =
  | { type: 'ready'; backend: string; fastWasm: boolean; note?: string }
  | { type: 'units'; units: number; label: string; seed: number }
  | { type: 'result'; result: TaskResult }
  | { type: 'error'; message: string };

const port = parentPort;
if (port) {
  const { backend, fastWasm } = workerData as { backend: 'wasm' | 'cpu'; fastWasm: boolean };
  const post = (m: FromWorker) => port.postMessage(m);
  const ready = setupBackend(backend, fastWasm).then((b) => {
    post({
      type: 'ready',
      backend: b.name,
      fastWasm: b.fastWasm,
      ...(b.note === undefined ? {} : { note: b.note }),
    });
  });
  port.on('message', (m: ToWorker) => {
    ready
      .then(() =>
        runTask(m.plan, m.task, (units, label) =>
          post({ type: 'units', units, label, seed: m.task.seed }),
        ),
      )
      .then((result) => post({ type: 'result', result }))
      .catch((error: unknown) =>
        post({
          type: 'error',
          message: error instanceof Error ? (error.stack ?? error.message) : String(error),
        }),
      );
  });
}
