/**
 * Command-line flags of the demo. Parsing is a pure function so it is tested
 * without spawning a process.
 */

/** Which data set the demo trains on. */
export type DatasetName = 'mnist' | 'fashion';

/** Which preset of sizes, seeds and epochs. */
export type Preset = 'quick' | 'full';

/** The parsed command line. */
export interface DemoArgs {
  /** `quick` (default: minutes) or `full` (more data, seeds and noise levels: hours). */
  readonly preset: Preset;
  /** `mnist` (default) or `fashion` (Fashion-MNIST). */
  readonly dataset: DatasetName;
  /** Symmetric label-noise rates of the training and validation labels (overrides the preset). */
  readonly noise?: readonly number[];
  /** Number of seeds (overrides the preset). */
  readonly seeds?: number;
  /** First seed; the runs use seed, seed + 1, … (default 1). */
  readonly seed: number;
  /** Directory the HTML report and JSON results are written to (default `out`). */
  readonly out: string;
  /** Overrides the preset's number of epochs. */
  readonly epochs?: number;
  /** Overrides the preset's number of labelled examples (before the 80:20 split). */
  readonly examples?: number;
  /** Worker threads training seeds in parallel (default: 2, capped by the CPU count). */
  readonly workers?: number;
  /** tfjs backend: `wasm` (default) or `cpu`. */
  readonly backend: 'wasm' | 'cpu';
  /** Use `@flood/tfjs/wasm`'s `enableFastWasmTraining()` on wasm (default true; `--no-fast-wasm`). */
  readonly fastWasm: boolean;
  /** Print `--help` and exit. */
  readonly help: boolean;
}

/** The `--help` text. */
export const USAGE = `Usage: node dist/demo.js [options]

Trains an MLP on MNIST (or Fashion-MNIST) whose training and validation labels
carry symmetric label noise, with plain Adam, early stopping, flooding (b chosen
on the noisy validation split from a grid holding the noisy-label entropy),
iFlood, SAM, backstitch and the gradient penalty, over several seeds; prints
each method's clean test accuracy with a 95 % interval and a verdict computed
from the paired differences, and writes an HTML report.

Options:
  --quick              2 000 images, 3 seeds, 40 % noise: about 3½ minutes on 2 idle cores (default)
  --full               5 seeds, noise 40 / 0 / 20 %, GSAM, LookSAM, adaptive level (see README)
  --dataset NAME       mnist (default) or fashion
  --noise R[,R…]       label-noise rate(s) in [0, 0.9] (default: the preset's)
  --seeds N            number of seeds (default: 3 quick, 5 full)
  --seed N             first seed (default: 1)
  --epochs N           override the preset's number of epochs
  --examples N         override the preset's number of labelled examples (split 80:20)
  --workers N          worker threads the tasks run on (default: 2, at most the CPU count)
  --out DIR            where report.html and results.json go (default: out)
  --backend NAME       wasm (default) or cpu
  --no-fast-wasm       do not turn on @flood/tfjs/wasm's enableFastWasmTraining() on wasm
  --help               show this text
`;

function positiveInteger(flag: string, value: string | undefined): number {
  const n = Number(value);
  if (value === undefined || !Number.isInteger(n) || n < 1) {
    throw new RangeError(`${flag} must be a positive integer, got ${value}`);
  }
  return n;
}

function noiseList(value: string): number[] {
  const rates = value.split(',').map((s) => Number(s.trim()));
  for (const r of rates) {
    if (!(Number.isFinite(r) && r >= 0 && r <= 0.9)) {
      throw new RangeError(`--noise must be rates in [0, 0.9] separated by commas, got '${value}'`);
    }
  }
  return rates;
}

/** Parses `argv` (without the node and script paths). Unknown flags throw a RangeError. */
export function parseArgs(argv: readonly string[]): DemoArgs {
  let preset: Preset = 'quick';
  let dataset: DatasetName = 'mnist';
  let out = 'out';
  let seed = 1;
  let backend: 'wasm' | 'cpu' = 'wasm';
  let help = false;
  let fastWasm = true;
  const optional: {
    noise?: number[];
    seeds?: number;
    epochs?: number;
    examples?: number;
    workers?: number;
  } = {};
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const value = () => {
      const v = argv[i + 1];
      if (v === undefined || v.startsWith('--')) throw new RangeError(`${flag} needs a value`);
      i++;
      return v;
    };
    switch (flag) {
      case '--quick':
        preset = 'quick';
        break;
      case '--full':
        preset = 'full';
        break;
      case '--dataset': {
        const v = value();
        if (v !== 'mnist' && v !== 'fashion') {
          throw new RangeError(`--dataset must be 'mnist' or 'fashion', got '${v}'`);
        }
        dataset = v;
        break;
      }
      case '--noise':
        optional.noise = noiseList(value());
        break;
      case '--seeds':
        optional.seeds = positiveInteger(flag, value());
        break;
      case '--seed':
        seed = positiveInteger(flag, value());
        break;
      case '--out':
        out = value();
        break;
      case '--epochs':
        optional.epochs = positiveInteger(flag, value());
        break;
      case '--examples':
        optional.examples = positiveInteger(flag, value());
        break;
      case '--workers':
        optional.workers = positiveInteger(flag, value());
        break;
      case '--backend': {
        const v = value();
        if (v !== 'wasm' && v !== 'cpu') {
          throw new RangeError(`--backend must be 'wasm' or 'cpu', got '${v}'`);
        }
        backend = v;
        break;
      }
      case '--no-fast-wasm':
        fastWasm = false;
        break;
      case '--help':
      case '-h':
        help = true;
        break;
      default:
        throw new RangeError(`unknown option '${flag}' (see --help)`);
    }
  }
  return { preset, dataset, out, seed, backend, fastWasm, help, ...optional };
}
