/**
 * The schedulers example's entry point: `node dist/main.js [--out DIR] [--help]`.
 * See `--help` and README.md.
 */
import { runExample, summary } from './app.js';
import { HELP, parseCli } from './cli.js';

try {
  const options = parseCli(process.argv.slice(2));
  if (options.help) {
    process.stdout.write(HELP);
  } else {
    const result = await runExample({
      out: options.out,
      train: { epochs: options.epochs, seed: options.seed },
      adaptive: { patience: options.patience, fraction: options.fraction },
    });
    process.stdout.write(`${summary(result)}\n`);
  }
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n\n${HELP}`);
  process.exitCode = 1;
}
