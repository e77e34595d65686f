#!/usr/bin/env node
/** Entry point: `node dist/main.js [--out DIR] [--start EPS] [--levels N] [--help]`. */
import { HELP, parseCli } from './cli.js';
import { writeReport } from './report.js';

async function main(): Promise<void> {
  let options: ReturnType<typeof parseCli>;
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
  const report = await writeReport(options.out, { start: options.start, levels: options.levels });
  console.log(report.text);
  console.log(`wrote ${report.files.svg} and ${report.files.json}`);
}

await main();
