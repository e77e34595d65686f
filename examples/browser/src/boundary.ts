/**
 * The decision-boundary view: the model's predicted probability of class 1 on a
 * grid over the disc, the training points (label-flipped ones ringed) and the true
 * boundary 1.5·x1 + sin(1.5·x2) = 0.
 */
import { type Dataset, DISC_RADIUS } from './data.js';
import { linearScale } from './scale.js';

/** Half-width of the square the view shows, in data units. */
export const EXTENT = DISC_RADIUS * 1.1;

/**
 * Centres of a `size × size` grid of cells over [−EXTENT, EXTENT]², row-major from the
 * top-left (x2 decreasing down the rows), as `[x1, x2, …]`.
 */
export function gridPoints(size: number): Float32Array {
  const out = new Float32Array(2 * size * size);
  const cell = (2 * EXTENT) / size;
  for (let row = 0; row < size; row++) {
    for (let col = 0; col < size; col++) {
      const k = 2 * (row * size + col);
      out[k] = -EXTENT + (col + 0.5) * cell;
      out[k + 1] = EXTENT - (row + 0.5) * cell;
    }
  }
  return out;
}

const CLASS0 = [33, 102, 172];
const CLASS1 = [214, 96, 77];

/**
 * Paints `probabilities` (P(class 1) per grid cell, from {@link gridPoints}) and the
 * training points on `canvas`.
 */
export function drawBoundary(
  canvas: HTMLCanvasElement,
  probabilities: Float32Array,
  size: number,
  train: Dataset,
): void {
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const w = canvas.width;
  const h = canvas.height;
  const image = ctx.createImageData(size, size);
  for (let i = 0; i < size * size; i++) {
    const p = probabilities[i]!;
    const [r, g, b] = p > 0.5 ? CLASS1 : CLASS0;
    const alpha = 40 + 150 * Math.abs(2 * p - 1);
    image.data.set([r!, g!, b!, alpha], 4 * i);
  }
  const scratch = document.createElement('canvas');
  scratch.width = size;
  scratch.height = size;
  scratch.getContext('2d')?.putImageData(image, 0, 0);
  ctx.clearRect(0, 0, w, h);
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, w, h);
  ctx.imageSmoothingEnabled = true;
  ctx.drawImage(scratch, 0, 0, w, h);

  const x = linearScale([-EXTENT, EXTENT], [0, w]);
  const y = linearScale([-EXTENT, EXTENT], [h, 0]);
  ctx.strokeStyle = 'rgba(0,0,0,0.35)';
  ctx.lineWidth = 1;
  ctx.beginPath();
  ctx.arc(x(0), y(0), x(DISC_RADIUS) - x(0), 0, 2 * Math.PI);
  ctx.stroke();

  // True boundary: x1 = −sin(1.5·x2)/1.5.
  ctx.setLineDash([5, 4]);
  ctx.strokeStyle = 'rgba(0,0,0,0.7)';
  ctx.beginPath();
  for (let k = 0; k <= 100; k++) {
    const x2 = -DISC_RADIUS + (2 * DISC_RADIUS * k) / 100;
    const x1 = -Math.sin(1.5 * x2) / 1.5;
    if (k === 0) ctx.moveTo(x(x1), y(x2));
    else ctx.lineTo(x(x1), y(x2));
  }
  ctx.stroke();
  ctx.setLineDash([]);

  const flipped = new Set(train.flipped);
  for (let i = 0; i < train.size; i++) {
    const [r, g, b] = train.y[i] === 1 ? CLASS1 : CLASS0;
    ctx.beginPath();
    ctx.arc(x(train.x[2 * i]!), y(train.x[2 * i + 1]!), flipped.has(i) ? 4 : 3, 0, 2 * Math.PI);
    ctx.fillStyle = `rgb(${r},${g},${b})`;
    ctx.fill();
    ctx.lineWidth = flipped.has(i) ? 2 : 0.8;
    ctx.strokeStyle = flipped.has(i) ? '#000' : '#fff';
    ctx.stroke();
  }
}
