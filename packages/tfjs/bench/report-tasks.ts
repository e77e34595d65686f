/** The report's sections of the bench tasks beyond the MLP steps: curvature probes, fast-wasm speed-up, convnet. */
import { ms, time } from './report-format.js';
import type { BenchResults } from './results.js';

/** The curvature probes' costs in gradient evaluations, and their raw task times. */
export function curvatureTable(results: BenchResults): string {
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

/** The plain steps with and without `enableFastWasmTraining`, and its speed-up factors. */
export function speedupTable(results: BenchResults): string {
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

/**
 * The convnet rows: each wrapper's step against the plain SGD step on wasm and cpu,
 * and the training kernels @flood/tfjs/wasm adds against the cpu backend's kernels.
 */
export function convnetSection(results: BenchResults): string {
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
