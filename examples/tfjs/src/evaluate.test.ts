import * as tf from '@tensorflow/tfjs-core';
// tfjs-core's Node bundle registers no gradients; tfjs-layers' bundle does.
import '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { crossEntropy } from './evaluate.js';

describe('crossEntropy', () => {
  it('matches the hand-computed mean of −log softmax at the label', () => {
    const logits = tf.tensor2d([
      [1, 2, 3],
      [0, 0, 1000],
    ]);
    const labels = tf.tensor2d([
      [0, 0, 1],
      [1, 0, 0],
    ]);
    const loss = crossEntropy(labels, logits);
    // Row 1: −log(e³/(e + e² + e³)); row 2: −log(1/(2 + e¹⁰⁰⁰)) ≈ 1000 (no overflow).
    const row1 = -Math.log(Math.exp(3) / (Math.exp(1) + Math.exp(2) + Math.exp(3)));
    expect(loss.dataSync()[0]).toBeCloseTo((row1 + 1000) / 2, 3);
    tf.dispose([logits, labels, loss]);
  });

  it('has gradient (softmax − y)/n with respect to the logits', () => {
    const logits = tf.tensor2d([[0.5, -1, 2]]);
    const labels = tf.tensor2d([[0, 1, 0]]);
    const g = tf.grad((z: tf.Tensor) => crossEntropy(labels, z))(logits);
    const e = [0.5, -1, 2].map(Math.exp);
    const total = e[0]! + e[1]! + e[2]!;
    const expected = e.map((v, i) => v / total - (i === 1 ? 1 : 0));
    Array.from(g.dataSync()).forEach((v, i) => {
      expect(v).toBeCloseTo(expected[i]!, 5);
    });
    tf.dispose([logits, labels, g]);
  });
});
