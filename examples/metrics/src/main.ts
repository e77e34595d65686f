#!/usr/bin/env node
/** Entry point: `node dist/main.js [--out DIR] [--epochs N] [--flood B] [--seed N] [--backend NAME] [--help]`. */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import cliProgress from 'cli-progress';
import { type CliOptions, HELP, parseCli } from './cli.js';
import { runExperiment } from './report.js';

async function main(): Promise<void> {
  let options: CliOptions;
  try {
    options = parseCli(process.argv.slice(2));
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${HELP}`);
    process.exitCode = 2;
    return;
  }
  if (options.help) {
    console.log(HELP);
    return;
  }
  if (!(await tf.setBackend(options.backend))) {
    console.error(`the ${options.backend} backend failed to start; using cpu`);
    await tf.setBackend('cpu');
  }
  await tf.ready();
  const bar = new cliProgress.SingleBar(
    { format: '{model} |{bar}| epoch {value}/{total}  loss {loss}', hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  let current = '';
  const result = await runExperiment({
    out: options.out,
    epochs: options.epochs,
    flood: options.flood,
    seed: options.seed,
    onEpoch: (label, epoch, epochs, loss) => {
      if (label !== current) {
        current = label;
        bar.start(epochs, 0, { model: label.padEnd(16), loss: '-' });
      }
      bar.update(epoch, { model: label.padEnd(16), loss: loss.toFixed(4) });
      if (epoch === epochs) bar.stop();
    },
    onMeasure: (label) => console.log(`measuring ${label} …`),
  });
  console.log(`\nbackend: ${tf.getBackend()}\n`);
  console.log(result.table);
  console.log(`\nwrote ${result.files.svg} and ${result.files.json}`);
}

await main();
