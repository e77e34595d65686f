/**
 * The page: picks a backend, then trains a plain and a flooded model side by side,
 * one full-batch step per epoch, updating the numbers, the loss charts and the
 * decision boundaries as it goes. `[data-testid=status]` reads `done` when the run
 * has finished; `[data-testid=final-loss]` holds the flooded run's training loss.
 */
import { enableFastWasmTraining } from '@flood/tfjs/wasm';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { type BackendChoice, chooseBackend } from './backend.js';
import { drawBoundary, gridPoints } from './boundary.js';
import { LossChart } from './chart.js';
import { makeSplit } from './data.js';
import { BASES, floodSetup, METHODS, plainSetup } from './methods.js';
import { type DataTensors, type EpochStats, Run, toTensors } from './run.js';
import { floodProp, parseSettings, type Settings } from './settings.js';

const GRID = 60;
const BOUNDARY_EVERY = 20;
const MODEL_SEED = 7;

function byId<T extends HTMLElement>(id: string): T {
  const node = document.getElementById(id);
  if (!node) throw new Error(`missing #${id}`);
  return node as T;
}

function setText(id: string, value: string): void {
  byId(id).textContent = value;
}

function num(value: number, digits = 4): string {
  return Number.isFinite(value) ? value.toFixed(digits) : String(value);
}

const status = (text: string): void => setText('status', text);

const split = makeSplit({ train: 200, test: 2000, noise: 0.1, seed: 1 });
const grid = gridPoints(GRID);
const trainChart = new LossChart('training loss (noisy labels)', 1);
const testChart = new LossChart('test loss (clean labels)', 1);
byId('train-chart').append(trainChart.svg);
byId('test-chart').append(testChart.svg);

function fillControls(s: Settings): void {
  const method = byId<HTMLSelectElement>('method');
  method.replaceChildren(
    ...Object.entries(METHODS).map(([key, m]) => new Option(m.label, key, false, key === s.method)),
  );
  const base = byId<HTMLSelectElement>('base');
  base.replaceChildren(
    ...Object.entries(BASES).map(([key, b]) => new Option(b.label, key, false, key === s.base)),
  );
  byId<HTMLInputElement>('level').value = String(s.level);
  byId<HTMLInputElement>('epochs').value = String(s.epochs);
}

function controlsQuery(): string {
  const form = new FormData(byId<HTMLFormElement>('controls'));
  const q = new URLSearchParams();
  q.set('b', String(form.get('level')));
  q.set('method', String(form.get('method')));
  q.set('base', String(form.get('base')));
  q.set('epochs', String(form.get('epochs')));
  return `?${q}`;
}

function showStats(side: 'plain' | 'flood', s: EpochStats, run: Run): void {
  setText(`${side}-ms`, num(run.elapsedMs / run.history.length, 1));
  setText(`${side}-train`, num(s.trainLoss));
  setText(`${side}-test`, num(s.testLoss));
  setText(`${side}-acc`, num(s.testAccuracy, 3));
  setText(`${side}-train-acc`, num(s.trainAccuracy, 3));
}

function drawCharts(plain: Run, flood: Run): void {
  const series = (pick: (s: EpochStats) => number) => [
    { label: 'plain', color: '#4a4a4a', values: plain.history.map(pick) },
    { label: 'flooding', color: '#1b7f5c', values: flood.history.map(pick) },
  ];
  trainChart.draw(series((s) => s.trainLoss));
  testChart.draw(series((s) => s.testLoss));
}

async function drawBoundaries(plain: Run, flood: Run): Promise<void> {
  drawBoundary(byId('plain-boundary'), await plain.probabilities(grid), GRID, split.train);
  drawBoundary(byId('flood-boundary'), await flood.probabilities(grid), GRID, split.train);
}

let pendingFrame = 0;

/** Redraws the charts at the next animation frame (at most once per frame). */
function scheduleCharts(plain: Run, flood: Run): void {
  cancelAnimationFrame(pendingFrame);
  pendingFrame = requestAnimationFrame(() => drawCharts(plain, flood));
}

const nextTask = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

let generation = 0;

/** Trains both runs with `settings`; a later call makes an earlier one stop. */
async function train(settings: Settings): Promise<void> {
  const mine = ++generation;
  const started = performance.now();
  status('running');
  setText('flood-level', String(settings.level));
  const reference = { value: settings.level, label: `b = ${settings.level}` };
  trainChart.reset(settings.epochs, reference);
  testChart.reset(settings.epochs, reference);
  const tensorsBefore = tf.memory().numTensors;
  const plainSide = plainSetup(settings.base);
  const floodSide = floodSetup(settings.base, settings.method, settings.level);
  const plain = new Run(plainSide, MODEL_SEED);
  const flood = new Run(floodSide, MODEL_SEED);
  const trainData: DataTensors = toTensors(split.train);
  const testData: DataTensors = toTensors(split.test);
  try {
    for (let epoch = 0; epoch < settings.epochs; epoch++) {
      if (mine !== generation) return;
      showStats('plain', await plain.epoch(trainData, testData), plain);
      showStats('flood', await flood.epoch(trainData, testData), flood);
      const prop = floodProp(flood.history.map((s) => s.ascended));
      setText('flood-prop', num(prop, 2));
      scheduleCharts(plain, flood);
      if (epoch % BOUNDARY_EVERY === 0 || epoch === settings.epochs - 1) {
        await drawBoundaries(plain, flood);
      }
      setText('elapsed', `epoch ${epoch + 1}/${settings.epochs}`);
      await nextTask();
    }
    cancelAnimationFrame(pendingFrame);
    drawCharts(plain, flood);
    // Final training losses as plain numbers (6 significant digits) for automation.
    const final = (run: Run) =>
      String(Number(run.history[run.history.length - 1]!.trainLoss.toPrecision(6)));
    setText('flood-train', final(flood));
    setText('plain-train', final(plain));
    setText('elapsed', `${((performance.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    plain.dispose();
    flood.dispose();
    for (const t of [trainData.x, trainData.y, testData.x, testData.y]) t.dispose();
  }
  // Tensors left behind by the whole run (models, optimizers, data): should be 0.
  setText('leaked', String(tf.memory().numTensors - tensorsBefore));
  status('done');
}

function showBackend(choice: BackendChoice, extra: string[]): void {
  setText('backend', choice.name);
  const short = (note: string) => (note.length > 70 ? `${note.slice(0, 69)}…` : note);
  const notes = [
    ...(choice.forced ? ['forced by ?backend='] : []),
    ...extra,
    ...choice.skipped.map(short),
  ];
  setText('backend-note', notes.length ? `(${notes.join('; ')})` : '');
}

async function start(): Promise<void> {
  const settings = parseSettings(location.search);
  fillControls(settings);
  status('choosing backend');
  const choice = await chooseBackend(location.search);
  // On wasm, route transposed matMuls (most of back-propagation) through XNNPACK's fast
  // path; ?fastwasm=0 keeps the stock kernels, for comparison.
  if (choice.name === 'wasm' && new URLSearchParams(location.search).get('fastwasm') !== '0') {
    enableFastWasmTraining();
    showBackend(choice, ['fast wasm matMul kernels on']);
  } else {
    showBackend(choice, []);
  }
  byId<HTMLFormElement>('controls').addEventListener('submit', (event) => {
    event.preventDefault();
    train(parseSettings(controlsQuery())).catch(fail);
  });
  await train(settings);
}

function fail(error: unknown): void {
  status(`error: ${error instanceof Error ? error.message : String(error)}`);
  console.error(error);
}

start().catch(fail);
