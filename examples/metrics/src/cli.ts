/** Command-line options of the metrics example. */
import { parseArgs } from 'node:util';

/** What the user asked for. */
export interface CliOptions {
  /** Print the help and exit. */
  help: boolean;
  /** Output directory for the SVG chart and the JSON results. */
  out: string;
  /** Full-batch training epochs per model. */
  epochs: number;
  /** The flood level `b` of the flooded model. */
  flood: number;
  /** Seed of the data, the initial weights and the metrics' probes. */
  seed: number;
  /** The tfjs backend. */
  backend: 'cpu' | 'wasm';
}

/** The `--help` text. */
export const HELP = `flood metrics example: does flooding find flatter minima?

Usage: pnpm --filter @flood/example-metrics start [-- options]
       node dist/main.js [options]

Trains the same ReLU MLP (2-64-64-1, logistic loss, Adam) twice on Ishida et
al.'s Sinusoid2d data (100 training points, 10% of labels flipped), once plainly
and once with flooding (|L - b| + b), from the same initial weights. Then measures
both with @flood/metrics on the training objective: gradient norm, the top 3
Hessian eigenvalues (Lanczos), the Hessian trace (Hutchinson, with its standard
error), SAM rho-sharpness, Keskar's epsilon-sharpness and a 1-D filter-normalised
loss landscape. Prints a table and writes <out>/metrics.svg (landscape and
metrics side by side) and <out>/metrics.json.

Options:
  --out DIR        output directory (default: out)
  --epochs N       full-batch training epochs per model, integer >= 1 (default: 500)
  --flood B        flood level b > 0 of the flooded model (default: 0.25)
  --seed N         seed of data, weights and probes, integer >= 0 (default: 1)
  --backend NAME   tfjs backend: wasm or cpu (default: wasm)
  -h, --help       show this help
`;

/**
 * Parses `argv` (without the node and script paths); throws RangeError on bad
 * values. A leading `--` (as `pnpm start -- --help` passes it) is ignored.
 */
export function parseCli(argv: readonly string[]): CliOptions {
  const { values } = parseArgs({
    args: argv[0] === '--' ? argv.slice(1) : [...argv],
    options: {
      help: { type: 'boolean', short: 'h', default: false },
      out: { type: 'string', default: 'out' },
      epochs: { type: 'string', default: '500' },
      flood: { type: 'string', default: '0.25' },
      seed: { type: 'string', default: '1' },
      backend: { type: 'string', default: 'wasm' },
    },
    strict: true,
    allowPositionals: false,
  });
  const epochs = Number(values.epochs);
  const flood = Number(values.flood);
  const seed = Number(values.seed);
  if (!(Number.isInteger(epochs) && epochs >= 1)) {
    throw new RangeError(`--epochs must be an integer >= 1, got ${values.epochs}`);
  }
  if (!(Number.isFinite(flood) && flood > 0)) {
    throw new RangeError(`--flood must be a finite number > 0, got ${values.flood}`);
  }
  if (!(Number.isInteger(seed) && seed >= 0 && seed < 2 ** 32)) {
    throw new RangeError(`--seed must be an integer in [0, 2^32), got ${values.seed}`);
  }
  if (values.backend !== 'cpu' && values.backend !== 'wasm') {
    throw new RangeError(`--backend must be 'cpu' or 'wasm', got ${values.backend}`);
  }
  if (!values.out) throw new RangeError('--out must be a non-empty directory name');
  return { help: values.help, out: values.out, epochs, flood, seed, backend: values.backend };
}
