/** Command-line options of the schedulers example. */
import { parseArgs } from 'node:util';
import { DEFAULT_ADAPTIVE } from './adaptive-study.js';
import { DEFAULT_TRAIN } from './train.js';

/** What the user asked for. */
export interface CliOptions {
  /** Print the help and exit. */
  help: boolean;
  /** Output directory for the SVG chart and the JSON data. */
  out: string;
  /** Training epochs of the recorded runs. */
  epochs: number;
  /** Seed of the data and the weights. */
  seed: number;
  /** The adaptive level's patience (epochs). */
  patience: number;
  /** The adaptive level's fraction of the training loss. */
  fraction: number;
}

/** The `--help` text. */
export const HELP = `flood schedulers example: the schedules of @flood/schedulers as one SVG chart

Usage: pnpm --filter @flood/example-schedulers start [-- options]
       node dist/main.js [options]

Draws flood-level warm-ups (linear and cosine), backstitch ratio schedules,
join/piecewiseConstant, and the adaptive flood level driven by a real loss curve:
a small MLP trained in plain JavaScript (full-batch Adam, seeded) on the flooding
paper's sinusoid data with 10% flipped labels, until it overfits. The adaptive
level is fed that run's per-epoch losses (open loop), and a second run floods at
the adaptive level while it is set (closed loop). Writes <out>/schedules.svg and
<out>/loss-curves.json, and prints where the level changed.

Options:
  --out DIR        output directory (default: out)
  --epochs N       training epochs, integer >= 10 (default: ${DEFAULT_TRAIN.epochs})
  --seed N         seed of data and weights, integer in [0, 2^32) (default: ${DEFAULT_TRAIN.seed})
  --patience N     epochs without validation improvement before b is set, integer >= 1 (default: ${DEFAULT_ADAPTIVE.patience})
  --fraction F     b = F × training loss at the plateau, in (0, 1] (default: ${DEFAULT_ADAPTIVE.fraction})
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
      epochs: { type: 'string', default: String(DEFAULT_TRAIN.epochs) },
      seed: { type: 'string', default: String(DEFAULT_TRAIN.seed) },
      patience: { type: 'string', default: String(DEFAULT_ADAPTIVE.patience) },
      fraction: { type: 'string', default: String(DEFAULT_ADAPTIVE.fraction) },
    },
    strict: true,
    allowPositionals: false,
  });
  const integer = (name: string, text: string, min: number): number => {
    const n = Number(text);
    if (!(Number.isInteger(n) && n >= min)) {
      throw new RangeError(`--${name} must be an integer >= ${min}, got ${text}`);
    }
    return n;
  };
  const seed = integer('seed', values.seed, 0);
  if (seed >= 2 ** 32) {
    throw new RangeError(`--seed must be an integer in [0, 2^32), got ${values.seed}`);
  }
  const fraction = Number(values.fraction);
  if (!(fraction > 0 && fraction <= 1)) {
    throw new RangeError(`--fraction must be a number in (0, 1], got ${values.fraction}`);
  }
  if (!values.out) throw new RangeError('--out must be a non-empty directory name');
  return {
    help: values.help,
    out: values.out,
    epochs: integer('epochs', values.epochs, 10),
    seed,
    patience: integer('patience', values.patience, 1),
    fraction,
  };
}
