// Stateless, seeded noise: a hash of (seed, keys) rather than a generator, so a model can draw the noise of any
// moment in any order and get the same answer every time.

/** Mix 32 bits (the finaliser of MurmurHash3). */
function mix(h: number): number {
  let x = h | 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

/**
 * A number in [0, 1) determined by a seed and integer keys (for example a sample's index): the same inputs always
 * give the same number, different inputs numbers that look independent.
 */
export function seededNoise(seed: number, ...keys: readonly number[]): number {
  let h = mix(seed ^ 0x9e3779b9);
  for (const k of keys) h = mix(h ^ mix((k | 0) + 0x7f4a7c15) ^ Math.floor(k / 0x1_0000_0000));
  return h / 0x1_0000_0000;
}

/** A 32-bit seed from a string (FNV-1a), e.g. to give each VM of a fleet its own noise. */
export function seedFrom(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
