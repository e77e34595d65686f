/** Renders `docs/benchmarks.md` from one run's results. */
import { readFileSync } from 'node:fs';
import type { BenchResults, StepResult, SuiteResult } from './results.js';
import type { Summary } from './stats.js';

const ms = (x: number) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
const time = (s: Summary) => `${ms(s.median)} (${ms(s.iqr)})`;
const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(2);

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

function curvatureTable(results: BenchResults): string {
  const rows = results.curvature.map(
    (c) =>
      `| ${c.backend} | ${c.model} | ${ms(c.freshGradientMs)} | ${ms(c.gradientMs)} | ` +
      `${c.hvp.toFixed(2)} ${c.hvp <= 2.1 ? '✅' : '❌'} | ${c.hvpInFixedUnits.toFixed(2)} | ` +
      `${c.exactHvp?.toFixed(2) ?? '–'} | ${c.exactHvpInFixedUnits?.toFixed(2) ?? '–'} | ` +
      `${c.lanczosStep?.toFixed(2) ?? '–'} | ${c.hutchinsonProbe?.toFixed(2) ?? '–'} |`,
  );
  const raw = results.curvature.flatMap((c) =>
    Object.entries(c.tasks).map(([name, s]) => `| ${c.backend} | ${name} | ${time(s)} |`),
  );
  return (
    '| backend | model | 1 gradient evaluation at new θ, ms | at a fixed θ, ms | 1 HVP (target ≤ 2.1) | 1 HVP in fixed-θ units | 1 exact HVP | 1 exact HVP in fixed-θ units | 1 Lanczos step | 1 Hutchinson probe |\n' +
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n' +
    `${rows.join('\n')}\n\n` +
    'Costs in gradient evaluations at new parameters (median of the task ÷ median of one ' +
    '`evaluate(δ)`, whose `θ + δ` is a new tensor on every call, as at the two points of a ' +
    'central-difference product and at every training step). A gradient at a fixed θ is ' +
    'cheaper on wasm because the backend reuses its packing of the weight matrices while ' +
    'the same tensors come back (see the analysis); the HVP is also given in those units. ' +
    'The HVP is a central difference (2 gradients; `@flood/metrics` adds a second one at ' +
    'twice the step as its reliability check, so its Lanczos steps and probes cost 4 on ' +
    'this finite-difference objective); the exact HVP is double backprop through ' +
    '`withSecondOrderGradients` (what `modelObjective` and `variablesObjective` offer by ' +
    'default), on the same network with a max-shifted cross-entropy. ' +
    'A Lanczos step or Hutchinson probe is the difference between runs with 4 and 2 ' +
    'iterations/probes, divided by 2, so fixed costs cancel.\n\n' +
    '| backend | task | median ms (IQR) |\n|---|---|---:|\n' +
    `${raw.join('\n')}\n`
  );
}

function speedupTable(results: BenchResults): string {
  const rows = results.speedup.flatMap((r) =>
    Object.entries(r.tasks).map(
      ([name, s]) => `| ${r.backend} | ${r.model} | ${name} | ${time(s)} |`,
    ),
  );
  const factors = results.speedup.map(
    (r) =>
      `- ${r.backend}, ${r.model}: tfjs-core step **${r.coreSpeedup.toFixed(2)}×** faster, ` +
      `tfjs-layers step **${r.layersSpeedup.toFixed(2)}×** faster.`,
  );
  return (
    '| backend | model | plain SGD step | median ms (IQR) |\n|---|---|---|---:|\n' +
    `${rows.join('\n')}\n\n${factors.join('\n')}\n`
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

/**
 * The convnet rows: each wrapper's step against the plain SGD step on wasm and cpu,
 * and the training kernels @flood/tfjs/wasm adds against the cpu backend's kernels.
 */
function convnetSection(results: BenchResults): string {
  const runs = results.convnet ?? [];
  if (runs.length === 0) return '';
  const byBackend = new Map(runs.map((r) => [r.backend, r]));
  const backends = [...byBackend.keys()];
  const first = runs[0]!;
  const methods = first.steps.map((s) => s.method);
  const head =
    `| method | ${backends.map((b) => `${b} ms/step (IQR) | ${b} × plain [95 % CI]`).join(' | ')} |\n` +
    `|---|${backends.map(() => '---:|---:').join('|')}|\n`;
  const stepRows = methods.map((method) => {
    const cells = backends.map((b) => {
      const step = byBackend.get(b)?.steps.find((s) => s.method === method);
      if (step === undefined) return '– | –';
      const ratio =
        step.method === 'plain'
          ? '1'
          : `${step.ratio.toFixed(2)} [${step.ratioInterval[0].toFixed(2)}, ${step.ratioInterval[1].toFixed(2)}] (${step.pairs} pairs)`;
      return `${time(step.time)} | ${ratio}`;
    });
    return `| ${method} | ${cells.join(' | ')} |`;
  });
  const kernelNames = Object.keys(first.kernels);
  const wasm = byBackend.get('wasm');
  const cpu = byBackend.get('cpu');
  const kernelRows = kernelNames.map((name) => {
    const w = wasm?.kernels[name];
    const c = cpu?.kernels[name];
    const factor = w && c ? `${(c.median / w.median).toFixed(0)}×` : '–';
    return `| ${name} | ${w ? time(w) : '–'} | ${c ? time(c) : '–'} | ${factor} |`;
  });
  return `## Convnet on wasm and cpu

${first.model}; ${first.parameters.toLocaleString('en')} parameters, batch ${first.batch}, tfjs-layers, \`tf.train.sgd(${results.settings.sgdLearningRate})\` base, softmax cross-entropy. Each wrapper's \`minimize\` is timed in pairs with the plain step on the same model and backend (as above; fewer pairs on cpu, whose steps take seconds). Wasm runs with \`enableFastWasmTraining()\`, which also registers the convolution-filter, depthwise and \`UnsortedSegmentSum\` gradients that tfjs-backend-wasm 4.22 lacks (without them this model cannot train on wasm at all) and replaces its faulty \`MaxPoolGrad\`. A ratio from 1 or 2 pairs (cpu) is indicative only.

${head}${stepRows.join('\n')}

Training kernels added by \`@flood/tfjs/wasm\` (batch ${first.batch}), one call, against the cpu backend's own kernel:

| kernel and shape | wasm ms (IQR) | cpu ms (IQR) | wasm speed-up |
|---|---:|---:|---:|
${kernelRows.join('\n')}
`;
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
