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
      '--full --dataset fashion --noise 0,0.2 --seeds 4 --out r --epochs 7 --examples 300 --workers 1 --seed 3 --backend cpu --no-fast-wasm --help'.split(
        ' ',
      ),
    );
    expect(a).toEqual({
      preset: 'full',
      dataset: 'fashion',
      noise: [0, 0.2],
      seeds: 4,
      out: 'r',
      epochs: 7,
      examples: 300,
      workers: 1,
      seed: 3,
      backend: 'cpu',
      fastWasm: false,
      help: true,
    });
    expect(parseArgs(['--noise', '0']).noise).toEqual([0]);
  });

  it('rejects unknown flags, missing values and bad numbers with the flag named', () => {
    expect(() => parseArgs(['--fast'])).toThrow(/unknown option '--fast'/);
    expect(() => parseArgs(['--out'])).toThrow(/--out needs a value/);
    expect(() => parseArgs(['--epochs', '0'])).toThrow(/--epochs must be a positive integer/);
    expect(() => parseArgs(['--dataset', 'sinusoid'])).toThrow(/--dataset must be/);
    expect(() => parseArgs(['--noise', '0.95'])).toThrow(/--noise must be rates in \[0, 0.9\]/);
    expect(() => parseArgs(['--noise', '0.2,x'])).toThrow(/--noise/);
    expect(() => parseArgs(['--seeds', '-1'])).toThrow(/--seeds needs a value|--seeds must/);
  });
});
