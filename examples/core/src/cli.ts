/** Command-line options of the core example. */
import { parseArgs } from 'node:util';

/** What the user asked for. */
export interface CliOptions {
  /** Print the help and exit. */
  help: boolean;
  /** Output directory for the SVG chart and the JSON rows. */
  out: string;
  /** The largest ε. */
  start: number;
  /** How many ε, each half the previous. */
  levels: number;
}

/** The `--help` text. */
export const HELP = `flood core example: the seed's equivalences, checked numerically

Usage: pnpm --filter @flood/example-core start [options]
       node dist/main.js [options]

For a descent/ascent pair of gradient steps (backstitch at rates ε1 > ε2, and
flooding at equal rates ε), compares the parameters after the pair with the
seed's prediction (gradient descent on L + λ‖∇L‖², resp. on ‖∇L‖² with step
ε²/2) on a quadratic, a quartic and logistic regression, for ε halving from
--start. Prints a table of ε, error and its order (≈ 3 where the equivalence
is second order; error ~1e-16 where it is exact), and writes
<out>/equivalences.svg (log-log chart) and <out>/equivalences.json (the rows).

Options:
  --out DIR       output directory (default: out)
  --start EPS     largest step size ε, > 0 (default: 0.1)
  --levels N      number of step sizes, integer >= 2 (default: 6)
  -h, --help      show this help
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
      start: { type: 'string', default: '0.1' },
      levels: { type: 'string', default: '6' },
    },
    strict: true,
    allowPositionals: false,
  });
  const start = Number(values.start);
  const levels = Number(values.levels);
  if (!(Number.isFinite(start) && start > 0)) {
    throw new RangeError(`--start must be a finite number > 0, got ${values.start}`);
  }
  if (!(Number.isInteger(levels) && levels >= 2)) {
    throw new RangeError(`--levels must be an integer >= 2, got ${values.levels}`);
  }
  if (!values.out) throw new RangeError('--out must be a non-empty directory name');
  return { help: values.help, out: values.out, start, levels };
}
