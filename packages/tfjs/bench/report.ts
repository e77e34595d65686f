/** Renders `docs/benchmarks.md` from one run's results. */
import { readFileSync } from 'node:fs';
import { mib, time } from './report-format.js';
import { convnetSection, curvatureTable, speedupTable } from './report-tasks.js';
import type { BenchResults, StepResult, SuiteResult } from './results.js';

/**
 * `met` (median ratio within the target), `missed` (the whole 95 % interval
 * above it) or `unresolved` (the interval straddles it, or too few pairs for one).
 */
export function outcome(step: StepResult): 'met' | 'missed' | 'unresolved' | undefined {
  if (step.target === undefined) return undefined;
  if (step.ratio <= step.target) return 'met';
  // Fewer than 3 pairs (the cpu backend on the large model): no interval to speak of.
  if (step.pairs < 3) return 'unresolved';
  return step.ratioInterval[0] > step.target ? 'missed' : 'unresolved';
}

const SYMBOL = { met: '✅', missed: '❌', unresolved: '≈' } as const;

/** `[lo, hi]`, the 95 % interval of a step's ratio (none for fewer than 3 pairs). */
function interval(s: StepResult): string {
  if (s.method === 'plain' || s.pairs < 3) return '';
  return `[${s.ratioInterval[0].toFixed(2)}, ${s.ratioInterval[1].toFixed(2)}]`;
}

function verdict(step: StepResult): string {
  const o = outcome(step);
  return o === undefined ? '' : `≤ ${step.target} ${SYMBOL[o]}`;
}

function suiteTable(suite: SuiteResult): string {
  const head =
    `### ${suite.backend}, ${suite.model} (${suite.parameters.toLocaleString('en')} parameters, ` +
    `${mib(suite.parameterBytes)} MiB; batch ${suite.batch}` +
    `${suite.fastWasmTraining ? '; enableFastWasmTraining on' : ''})\n\n` +
    'Each step alternates call by call with the plain step of its base; the ratio is the median ' +
    'of the per-pair ratios, with its 95 % bootstrap confidence interval. ✅: the median is within ' +
    'the target; ❌: the whole interval is above it; ≈: the interval straddles it (not resolved by this run).\n\n' +
    '| step | pairs | median ms (IQR) | ratio to plain [95 % CI] | target | peak extra MiB | extra vs plain, parameter copies | kernels | elements written / parameters |\n' +
    '|---|---:|---:|---:|---|---:|---:|---:|---:|\n';
  const rows = suite.steps.map(
    (s) =>
      `| ${s.name} | ${s.pairs || '–'} | ${time(s.time)} | ${s.ratio.toFixed(3)} ${interval(s)} | ` +
      `${verdict(s)} | ${s.peakExtraBytes === undefined ? '–' : mib(s.peakExtraBytes)} | ` +
      `${s.extraParameterCopies?.toFixed(2) ?? '–'} | ${s.kernels ?? '–'} | ` +
      `${s.elementsPerParameter?.toFixed(1) ?? '–'} |`,
  );
  const versusHand = (['sgd', 'adam'] as const)
    .map((base) => {
      const wrapper = suite.steps.find((s) => s.name === `${base} flooding`);
      const hand = suite.steps.find((s) => s.name === `${base} hand-written flooding`);
      return wrapper && hand
        ? `${base} ${(wrapper.time.median / hand.time.median).toFixed(3)}`
        : undefined;
    })
    .filter((x) => x !== undefined);
  const note = versusHand.length
    ? `\nThe \`flooding\` wrapper against the hand-written flooding step (ratio of medians): ` +
      `${versusHand.join(', ')}.\n`
    : '';
  return `${head}${rows.join('\n')}\n${note}`;
}

function kernelTable(results: BenchResults): string {
  const suite = results.suites[0];
  if (!suite) return '';
  const rows = suite.steps
    .filter((s) => s.method !== 'plain')
    .map((s) => `| ${s.name} | ${s.kernels ?? '–'} | ${s.kernelsVsPlain ?? '–'} |`);
  return (
    `Kernel launches of one step beyond the plain step of the same base (${suite.backend}, ${suite.model}; ` +
    'from `tf.profile`, so independent of machine load):\n\n' +
    '| step | kernels | launches that differ from plain |\n|---|---:|---|\n' +
    `${rows.join('\n')}\n`
  );
}

function targetSummary(results: BenchResults): string {
  const rows: string[] = [];
  const count = { met: 0, missed: 0, unresolved: 0 };
  for (const suite of results.suites) {
    for (const s of suite.steps) {
      const o = outcome(s);
      if (o === undefined) continue;
      count[o]++;
      if (o === 'met') continue;
      rows.push(
        `| ${suite.backend} | ${suite.model} | ${s.name} | ${s.ratio.toFixed(3)} ${interval(s)} | ` +
          `${s.target} | ${SYMBOL[o]} |`,
      );
    }
  }
  const total = count.met + count.missed + count.unresolved;
  const others = rows.length
    ? `\n\nNot met in this run:\n\n| backend | model | step | ratio [95 % CI] | target | |\n|---|---|---|---:|---:|---|\n${rows.join('\n')}`
    : '';
  return (
    `Time targets in this run: **${count.met} of ${total} met**, ${count.missed} missed ` +
    `(the whole 95 % interval above the target), ${count.unresolved} not resolved ` +
    `(the interval straddles the target).${others}\n`
  );
}

/** Bytes of device scalars a step may hold beyond its parameter-sized buffers (norms, signs). */
const SCALAR_SLACK_BYTES = 1024;

function memorySummary(results: BenchResults): string {
  const twoPass = new Set(['backstitch', 'gradient penalty', 'SAM', 'ASAM']);
  const worst = results.suites
    .flatMap((suite) => suite.steps.filter((s) => twoPass.has(s.method)).map((s) => ({ suite, s })))
    .filter(({ s }) => s.extraParameterCopies !== undefined)
    .reduce((a, b) => ((b.s.extraParameterCopies ?? 0) > (a.s.extraParameterCopies ?? 0) ? b : a));
  const copies = worst.s.extraParameterCopies ?? Number.NaN;
  const beyond = (copies - 2) * worst.suite.parameterBytes;
  const ok = beyond <= SCALAR_SLACK_BYTES;
  const detail =
    beyond > 0 && ok
      ? `: 2 copies plus ${Math.round(beyond)} bytes of device scalars (norms, step sizes)`
      : '';
  return (
    `Memory target (two-pass methods: extra peak memory over the plain step ≤ 2 parameter copies): ` +
    `${ok ? '✅ met' : '❌ missed'}; the largest is ${copies.toFixed(2)} copies ` +
    `(${worst.s.name}, ${worst.suite.backend}, ${worst.suite.model})${detail}.\n`
  );
}

const BROWSER_START = '<!-- browser-bench -->';
const BROWSER_END = '<!-- /browser-bench -->';

/**
 * The browser bench's section of the current docs/benchmarks.md (written by
 * `pnpm bench:browser`, between its markers), so a re-render keeps it; '' if none.
 */
function browserSection(startMarker = BROWSER_START, endMarker = BROWSER_END): string {
  let current: string;
  try {
    current = readFileSync(new URL('../../../docs/benchmarks.md', import.meta.url), 'utf8');
  } catch {
    return '';
  }
  const start = current.indexOf(startMarker);
  const end = current.indexOf(endMarker);
  return start >= 0 && end > start ? `\n${current.slice(start, end + endMarker.length)}\n` : '';
}

/** The whole report; the hand-written analysis (`bench/analysis.md`) is appended verbatim. */
export function renderMarkdown(results: BenchResults): string {
  const m = results.machine;
  const analysis = readFileSync(new URL('../bench/analysis.md', import.meta.url), 'utf8');
  return `# Benchmarks

Generated by \`${results.command}\` on ${results.date}: ${results.durationSeconds} s wall-clock, ${results.cpuSeconds} s of CPU time (the wall-clock time on an idle machine; the budget is 5 minutes).
Do not edit by hand: edit \`packages/tfjs/bench/\` and re-run. Raw numbers: [benchmarks.json](./benchmarks.json).

**Machine:** ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB; ${m.platform}; Node ${m.node}; tfjs ${m.tfjs}.
Load average (1/5/15 min) at start ${m.loadAverageStart.map((x) => x.toFixed(2)).join('/')}, at end ${m.loadAverageEnd.map((x) => x.toFixed(2)).join('/')}: the machine is shared, so absolute times move between runs (and within one, by up to ±30 % over seconds); ratios are taken between adjacent calls of the same run.

**Clock.** ${results.clock === 'cpu' ? "Times are the CPU time (user + system, `process.cpuUsage()`) this process spent per call: tfjs's cpu and wasm backends compute synchronously on the calling thread, so this is the work of the step, unaffected by other jobs competing for the cores (wall-clock time on a loaded machine measures the scheduler). Node runs with `--single-threaded` (V8's garbage collector and compiler work on the main thread, so no helper thread's work is charged to whichever call happens to run) and `--expose-gc`. `BENCH_CLOCK=wall` times wall-clock instead." : 'Times are wall-clock (`performance.now()`).'}

**What is measured.** One \`minimize\` call of each optimizer on a fixed batch (one process). "plain" is the base optimizer's own \`minimize\` (\`tf.train.sgd(${results.settings.sgdLearningRate})\` or \`tf.train.adam(${results.settings.adamLearningRate})\`); every wrapper is timed against the plain step of its own base optimizer, same model, backend and run, in pairs of adjacent calls (which goes first alternates; a full garbage collection, untimed, every 8 pairs) — the machine's speed drifts over seconds, which adjacent calls feel alike. "hand-written flooding" is what a user could write without this library: \`tf.variableGrads\` of \`|L − b| + b\` handed to the base optimizer, no non-finite guard. The curvature and speed-up tasks are timed with tinybench in interleaved rounds. The model is an MLP in tfjs-core ops (\`matMul\` + bias + ReLU, softmax cross-entropy), batch ${results.settings.batch}. Memory is the peak, during one step, of the bytes of distinct tensor buffers alive beyond those alive before the step (activations, gradients, probe copies, optimizer temporaries), tracked by hooking the engine's \`trackTensor\`/\`disposeTensor\`. Unlike \`tf.memory().numBytes\` and \`tf.profile().peakBytes\`, which count every tensor, a \`clone\` (an alias of the same buffer) is not counted as a copy. Not measured on cpu for the large model (time budget; the footprint does not depend on the backend's speed). Wasm runs with \`enableFastWasmTraining()\` on (the setting users should use; its own effect is measured separately below).

## Targets

${targetSummary(results)}
${memorySummary(results)}
## Optimizer steps

${results.suites.map(suiteTable).join('\n')}
## Where the time goes

${kernelTable(results)}
## Curvature probes (gradient-evaluation units)

${curvatureTable(results)}
## \`enableFastWasmTraining()\` on a full training step

${speedupTable(results)}
${convnetSection(results)}
${analysis}${browserSection()}${browserSection('<!-- plain-after-bench -->', '<!-- /plain-after-bench -->')}`;
}
