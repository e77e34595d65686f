import { describe, expect, it } from 'vitest';
import { parseArgs } from './cli.js';

describe('parseArgs', () => {
  it('defaults to the quick MNIST run on wasm into out/', () => {
    expect(parseArgs([])).toEqual({
      preset: 'quick',
      dataset: 'mnist',
      out: 'out',
      seed: 1,
      backend: 'wasm',
      fastWasm: true,
      help: false,
    });
  });

  it('reads every flag', () => {
    const a = parseArgs(
      '--full --dataset sinusoid --out r --epochs 7 --examples 300 --seed 3 --backend cpu --no-fast-wasm --help'.split(
        ' ',
      ),
    );
    expect(a).toEqual({
      preset: 'full',
      dataset: 'sinusoid',
      out: 'r',
      epochs: 7,
      examples: 300,
      seed: 3,
      backend: 'cpu',
      fastWasm: false,
      help: true,
    });
  });

  it('rejects unknown flags, missing values and bad numbers with the flag named', () => {
    expect(() => parseArgs(['--fast'])).toThrow(/unknown option '--fast'/);
    expect(() => parseArgs(['--out'])).toThrow(/--out needs a value/);
    expect(() => parseArgs(['--epochs', '0'])).toThrow(/--epochs must be a positive integer/);
    expect(() => parseArgs(['--dataset', 'cifar'])).toThrow(/--dataset must be/);
  });
});
