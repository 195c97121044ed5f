/**
 * A small seeded random number generator (sfc32, seeded through a string hash), so the
 * browser and the server draw exactly the same numbers from the same seed. Integers
 * only: every game rule built on it stays bit-for-bit reproducible on any JS engine.
 */
export type Rng = {
  /** A uint32. */
  next(): number;
  /** An integer in [0, n). */
  int(n: number): number;
};

function hashSeed(seed: string): [number, number, number, number] {
  // cyrb128: four 32-bit lanes from the seed's characters.
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < seed.length; i++) {
    const k = seed.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  return [(h1 ^ h2 ^ h3 ^ h4) >>> 0, (h2 ^ h1) >>> 0, (h3 ^ h1) >>> 0, (h4 ^ h1) >>> 0];
}

export function createRng(seed: string): Rng {
  let [a, b, c, d] = hashSeed(seed);
  const next = () => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
  // Warm up: the first outputs of a freshly seeded sfc32 are poorly mixed.
  for (let i = 0; i < 12; i++) next();
  return {
    next,
    int: (n) => {
      if (!Number.isInteger(n) || n <= 0 || n > 0x1_0000_0000) throw new RangeError(`int(${n})`);
      return next() % n;
    },
  };
}
