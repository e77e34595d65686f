import { describe, expect, it } from 'vitest';
import { EXTENT, gridPoints } from './boundary.js';

describe('gridPoints', () => {
  it('gives the cell centres row by row from the top-left', () => {
    const g = gridPoints(2);
    const h = EXTENT / 2;
    // cells of width EXTENT: centres at ±EXTENT/2; row 0 is the top (x2 > 0)
    expect(Array.from(g)).toEqual([-h, h, h, h, -h, -h, h, -h].map(Math.fround));
    expect(gridPoints(5).length).toBe(50);
  });
});
