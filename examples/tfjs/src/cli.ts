/**
 * Command-line flags of the demo. Parsing is a pure function so it is tested
 * without spawning a process.
 */

/** Which data set the demo trains on. */
export type DatasetName = 'mnist' | 'sinusoid';

/** Which preset of sizes and epochs. */
export type Preset = 'quick' | 'full';

/** The parsed command line. */
export interface DemoArgs {
  /** `quick` (default, subsampled, minutes) or `full` (the paper's protocol as far as a CPU allows). */
  readonly preset: Preset;
  /** `mnist` (default) or `sinusoid`. */
  readonly dataset: DatasetName;
  /** Directory the HTML report and JSON results are written to (default `out`). */
  readonly out: string;
  /** Overrides the preset's number of epochs. */
  readonly epochs?: number;
  /** Overrides the preset's number of labelled examples (before the 80:20 split). */
  readonly examples?: number;
  /** Base seed of data, initial weights and batch order (default 1). */
  readonly seed: number;
  /** tfjs backend: `wasm` (default) or `cpu`. */
  readonly backend: 'wasm' | 'cpu';
  /** Use `@flood/tfjs/wasm`'s `enableFastWasmTraining()` on wasm (default true; `--no-fast-wasm`). */
  readonly fastWasm: boolean;
  /** Print `--help` and exit. */
  readonly help: boolean;
}

/** The `--help` text. */
export const USAGE = `Usage: node dist/demo.js [options]

Trains one model with plain SGD, flooding (flood level b picked on a validation
split), backstitch, an explicit gradient-norm penalty and SAM, from the same
initial weights and batch order, and writes an HTML report with the loss curves.

Options:
  --quick              subsampled data, few epochs: a few minutes on 2 cores (default)
  --full               the paper's protocol as far as a CPU allows: hours (see README)
  --dataset NAME       mnist (default) or sinusoid (Ishida et al.'s 2-D toy, 10% label noise)
  --out DIR            where report.html and results.json go (default: out)
  --epochs N           override the preset's number of epochs
  --examples N         override the preset's number of labelled examples (split 80:20)
  --seed N             base seed for data, weights and batch order (default: 1)
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

/** Parses `argv` (without the node and script paths). Unknown flags throw a RangeError. */
export function parseArgs(argv: readonly string[]): DemoArgs {
  let preset: Preset = 'quick';
  let dataset: DatasetName = 'mnist';
  let out = 'out';
  let epochs: number | undefined;
  let examples: number | undefined;
  let seed = 1;
  let backend: 'wasm' | 'cpu' = 'wasm';
  let help = false;
  let fastWasm = true;
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
        if (v !== 'mnist' && v !== 'sinusoid') {
          throw new RangeError(`--dataset must be 'mnist' or 'sinusoid', got '${v}'`);
        }
        dataset = v;
        break;
      }
      case '--out':
        out = value();
        break;
      case '--epochs':
        epochs = positiveInteger(flag, value());
        break;
      case '--examples':
        examples = positiveInteger(flag, value());
        break;
      case '--seed':
        seed = positiveInteger(flag, value());
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
  return {
    preset,
    dataset,
    out,
    seed,
    backend,
    fastWasm,
    help,
    ...(epochs === undefined ? {} : { epochs }),
    ...(examples === undefined ? {} : { examples }),
  };
}
