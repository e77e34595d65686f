/**
 * A worker thread of the demo: sets up its own tfjs backend, then trains the
 * (noise, seed) tasks it is sent with {@link runSeed} and posts progress and
 * results back. Seeds are independent, so two workers use two cores.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { setupBackend } from './backend.js';
import type { Plan } from './plan.js';
import { runSeed } from './seed-run.js';

/** A message from the main thread. */
export type ToWorker = { type: 'task'; plan: Plan; noise: number; seed: number } | { type: 'stop' };

/** A message to the main thread. */
export type FromWorker =
  | { type: 'ready'; backend: string; fastWasm: boolean; note?: string }
  | { type: 'units'; units: number; label: string; seed: number }
  | { type: 'result'; result: Awaited<ReturnType<typeof runSeed>> }
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
    if (m.type === 'stop') {
      // Ends this thread only (the wasm module would keep its event loop alive).
      process.exit(0);
    }
    ready
      .then(() =>
        runSeed(m.plan, m.noise, m.seed, (units, label) =>
          post({ type: 'units', units, label, seed: m.seed }),
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
