/**
 * keccak-256 for the settlement tree, as a WebAssembly module this file assembles at
 * start-up: keccak-f[1600] with every round unrolled, hashing whole batches of fixed 32-
 * and 64-byte messages (all leaves, then every inner node) in one call each. A million-leaf
 * tree is three million permutations; as three million calls into a general-purpose
 * hasher (hash-wasm) it took ~5 s, here ~1.8 s, which keeps a million-account epoch well
 * under its 10 s target. Written by hand because no npm package hashes batches; the tests
 * check it against hash-wasm and OpenZeppelin's StandardMerkleTree on random inputs.
 */
// ---------------------------------------------------------------------------------------
// keccak-256 in WebAssembly, for fixed 32- and 64-byte messages (one block each).
// ---------------------------------------------------------------------------------------

export type KeccakInstance = {
  memory: WebAssembly.Memory;
  /** For each 64-byte message at `from`: keccak256(keccak256(message)) → 32 bytes at `to`. */
  hashLeaves(from: number, to: number, count: number): void;
  /** Copies hash order[k] (of the hashes at `from`) to `lastTo − 32·k`. */
  placeLeaves(from: number, lastTo: number, orderAt: number, count: number): void;
  /** For i = last … stop: node i = keccak256(sorted(node 2i+1, node 2i+2)), nodes at `nodesAt`. */
  hashInner(nodesAt: number, last: number, stop: number): void;
};

/** Bytes 0–191: the 24 round constants; 256–287: scratch for a leaf's first hash. */
const ROUND_CONSTANTS_AT = 0;
const SCRATCH_AT = 256;
export const DATA_START = 1024;
const WASM_PAGE = 65_536;

let keccakModule: WebAssembly.Module | undefined;

/** A fresh instance (its memory is freed with the tree) with at least `bytes` of memory. */
export function instantiateKeccak(bytes: number): KeccakInstance {
  keccakModule ??= new WebAssembly.Module(assembleKeccakModule());
  const instance = new WebAssembly.Instance(keccakModule, {});
  const exports = instance.exports as unknown as Omit<KeccakInstance, "memory"> & {
    memory: WebAssembly.Memory;
  };
  const pages = Math.ceil(bytes / WASM_PAGE);
  const have = exports.memory.buffer.byteLength / WASM_PAGE;
  if (pages > have) exports.memory.grow(pages - have);
  return exports;
}

/** Keccak's ρ offsets by lane (x + 5y) and ι constants, derived as FIPS 202 defines them. */
function keccakConstants(): { rho: number[]; roundConstants: bigint[] } {
  const rho = new Array<number>(25).fill(0);
  for (let t = 0, x = 1, y = 0; t < 24; t++) {
    rho[x + 5 * y] = (((t + 1) * (t + 2)) / 2) % 64;
    [x, y] = [y, (2 * x + 3 * y) % 5];
  }
  const rc = (t: number): number => {
    let r = 1;
    for (let i = 0; i < t % 255; i++) {
      r <<= 1;
      if (r & 0x100) r ^= 0x171;
    }
    return r & 1;
  };
  const roundConstants = Array.from({ length: 24 }, (_, round) => {
    let value = 0n;
    for (let j = 0; j <= 6; j++) {
      if (rc(j + 7 * round)) value |= 1n << BigInt(2 ** j - 1);
    }
    return value;
  });
  return { rho, roundConstants };
}

function uleb(value: number): number[] {
  const out: number[] = [];
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value !== 0) byte |= 0x80;
    out.push(byte);
  } while (value !== 0);
  return out;
}

function sleb(value: bigint): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = Number(value & 0x7fn);
    value >>= 7n;
    const done = (value === 0n && (byte & 0x40) === 0) || (value === -1n && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}

const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];
const name = (text: string): number[] => vec([...Buffer.from(text)].map((b) => [b]));

// The few WebAssembly opcodes the module uses.
const op = {
  block: [0x02, 0x40],
  loop: [0x03, 0x40],
  if: [0x04, 0x40],
  else: [0x05],
  end: [0x0b],
  br: (depth: number) => [0x0c, ...uleb(depth)],
  brIf: (depth: number) => [0x0d, ...uleb(depth)],
  call: (fn: number) => [0x10, ...uleb(fn)],
  get: (local: number) => [0x20, ...uleb(local)],
  set: (local: number) => [0x21, ...uleb(local)],
  tee: (local: number) => [0x22, ...uleb(local)],
  i32Load: (offset: number) => [0x28, 2, ...uleb(offset)],
  i64Load: (offset: number) => [0x29, 3, ...uleb(offset)],
  i32Load8: (offset: number) => [0x2d, 0, ...uleb(offset)],
  i64Store: (offset: number) => [0x37, 3, ...uleb(offset)],
  i32: (value: number) => [0x41, ...sleb(BigInt(value))],
  i64: (value: bigint) => [0x42, ...sleb(BigInt.asIntN(64, value))],
  i32Eqz: [0x45],
  i32Ne: [0x47],
  i32LtS: [0x48],
  i32LtU: [0x49],
  i32Add: [0x6a],
  i32Sub: [0x6b],
  i32Shl: [0x74],
  i64And: [0x83],
  i64Xor: [0x85],
  i64Rotl: [0x89],
};

/**
 * The module: memory (exported), then
 *   0 hash(a, b, to): keccak256 of the 32 bytes at a, or (b ≠ 0) of a's 32 bytes then b's;
 *   1 hashLeaves, 2 placeLeaves, 3 hashInner (see KeccakInstance).
 * Memory is little-endian, as Keccak's lanes are, so each lane is one i64 load.
 */
function assembleKeccakModule(): Uint8Array<ArrayBuffer> {
  const { rho, roundConstants } = keccakConstants();

  // hash(a, b, to): params 0–2; locals: 3 round (i32), 4–28 state, 29–33 C, 34 D, 35–59 B.
  const [A, Bp, TO, ROUND] = [0, 1, 2, 3];
  const S = (lane: number) => 4 + lane;
  const C = (x: number) => 29 + x;
  const D = 34;
  const B = (lane: number) => 35 + lane;
  const hash: number[] = [];
  for (let lane = 0; lane < 4; lane++) {
    hash.push(...op.get(A), ...op.i64Load(lane * 8), ...op.set(S(lane)));
  }
  hash.push(...op.get(Bp), ...op.i32Eqz, ...op.if);
  hash.push(...op.i64(1n), ...op.set(S(4)));
  hash.push(...op.else);
  for (let lane = 0; lane < 4; lane++) {
    hash.push(...op.get(Bp), ...op.i64Load(lane * 8), ...op.set(S(4 + lane)));
  }
  hash.push(...op.i64(1n), ...op.set(S(8)));
  hash.push(...op.end);
  // The last byte of the 136-byte rate block carries the final padding bit.
  hash.push(...op.i64(1n << 63n), ...op.set(S(16)));
  hash.push(...op.loop);
  for (let x = 0; x < 5; x++) {
    hash.push(...op.get(S(x)));
    for (let y = 1; y < 5; y++) hash.push(...op.get(S(x + 5 * y)), ...op.i64Xor);
    hash.push(...op.set(C(x)));
  }
  for (let x = 0; x < 5; x++) {
    hash.push(...op.get(C((x + 4) % 5)), ...op.get(C((x + 1) % 5)), ...op.i64(1n), ...op.i64Rotl);
    hash.push(...op.i64Xor, ...op.set(D));
    for (let y = 0; y < 5; y++) {
      hash.push(...op.get(S(x + 5 * y)), ...op.get(D), ...op.i64Xor, ...op.set(S(x + 5 * y)));
    }
  }
  for (let x = 0; x < 5; x++) {
    for (let y = 0; y < 5; y++) {
      const to = B(y + 5 * ((2 * x + 3 * y) % 5));
      hash.push(...op.get(S(x + 5 * y)));
      if (rho[x + 5 * y] !== 0) hash.push(...op.i64(BigInt(rho[x + 5 * y]!)), ...op.i64Rotl);
      hash.push(...op.set(to));
    }
  }
  for (let y = 0; y < 5; y++) {
    for (let x = 0; x < 5; x++) {
      hash.push(...op.get(B(x + 5 * y)));
      hash.push(...op.get(B(((x + 1) % 5) + 5 * y)), ...op.i64(-1n), ...op.i64Xor);
      hash.push(...op.get(B(((x + 2) % 5) + 5 * y)), ...op.i64And, ...op.i64Xor);
      hash.push(...op.set(S(x + 5 * y)));
    }
  }
  hash.push(...op.get(S(0)), ...op.get(ROUND), ...op.i32(3), ...op.i32Shl);
  hash.push(...op.i64Load(ROUND_CONSTANTS_AT), ...op.i64Xor, ...op.set(S(0)));
  hash.push(...op.get(ROUND), ...op.i32(1), ...op.i32Add, ...op.tee(ROUND));
  hash.push(...op.i32(24), ...op.i32LtU, ...op.brIf(0), ...op.end);
  for (let lane = 0; lane < 4; lane++) {
    hash.push(...op.get(TO), ...op.get(S(lane)), ...op.i64Store(lane * 8));
  }
  const hashLocals = [
    [1, 0x7f],
    [56, 0x7e],
  ];

  // hashLeaves(from, to, count)
  const [FROM, TO2, COUNT] = [0, 1, 2];
  const hashLeaves = [
    ...op.block,
    ...op.get(COUNT),
    ...op.i32Eqz,
    ...op.brIf(0),
    ...op.loop,
    ...op.get(FROM),
    ...op.get(FROM),
    ...op.i32(32),
    ...op.i32Add,
    ...op.i32(SCRATCH_AT),
    ...op.call(0),
    ...op.i32(SCRATCH_AT),
    ...op.i32(0),
    ...op.get(TO2),
    ...op.call(0),
    ...op.get(FROM),
    ...op.i32(64),
    ...op.i32Add,
    ...op.set(FROM),
    ...op.get(TO2),
    ...op.i32(32),
    ...op.i32Add,
    ...op.set(TO2),
    ...op.get(COUNT),
    ...op.i32(1),
    ...op.i32Sub,
    ...op.tee(COUNT),
    ...op.brIf(0),
    ...op.end,
    ...op.end,
  ];

  // placeLeaves(from, lastTo, orderAt, count); local 4: the source address.
  const [PFROM, PTO, PORDER, PCOUNT, SRC] = [0, 1, 2, 3, 4];
  const placeLeaves = [...op.block, ...op.get(PCOUNT), ...op.i32Eqz, ...op.brIf(0), ...op.loop];
  placeLeaves.push(...op.get(PFROM), ...op.get(PORDER), ...op.i32Load(0));
  placeLeaves.push(...op.i32(5), ...op.i32Shl, ...op.i32Add, ...op.set(SRC));
  for (let lane = 0; lane < 4; lane++) {
    placeLeaves.push(...op.get(PTO), ...op.get(SRC), ...op.i64Load(lane * 8));
    placeLeaves.push(...op.i64Store(lane * 8));
  }
  placeLeaves.push(...op.get(PTO), ...op.i32(32), ...op.i32Sub, ...op.set(PTO));
  placeLeaves.push(...op.get(PORDER), ...op.i32(4), ...op.i32Add, ...op.set(PORDER));
  placeLeaves.push(...op.get(PCOUNT), ...op.i32(1), ...op.i32Sub, ...op.tee(PCOUNT));
  placeLeaves.push(...op.brIf(0), ...op.end, ...op.end);

  // hashInner(nodesAt, i, stop); locals 3 left, 4 right, 5 k, 6 l, 7 r.
  const [NODES, I, STOP, LEFT, RIGHT, K, L, R] = [0, 1, 2, 3, 4, 5, 6, 7];
  const hashInner = [...op.block, ...op.get(I), ...op.get(STOP), ...op.i32LtS, ...op.brIf(0)];
  hashInner.push(...op.loop);
  // left = nodes + (2i + 1)·32 = nodes + i·64 + 32; right = left + 32
  hashInner.push(...op.get(NODES), ...op.get(I), ...op.i32(6), ...op.i32Shl, ...op.i32Add);
  hashInner.push(...op.i32(32), ...op.i32Add, ...op.tee(LEFT));
  hashInner.push(...op.i32(32), ...op.i32Add, ...op.set(RIGHT));
  // The first differing byte decides; equal nodes keep left first.
  hashInner.push(...op.i32(0), ...op.set(K), ...op.block, ...op.loop);
  hashInner.push(...op.get(LEFT), ...op.get(K), ...op.i32Add, ...op.i32Load8(0), ...op.set(L));
  hashInner.push(...op.get(RIGHT), ...op.get(K), ...op.i32Add, ...op.i32Load8(0), ...op.set(R));
  hashInner.push(...op.get(L), ...op.get(R), ...op.i32Ne, ...op.brIf(1));
  hashInner.push(...op.get(K), ...op.i32(1), ...op.i32Add, ...op.tee(K));
  hashInner.push(...op.i32(32), ...op.i32LtU, ...op.brIf(0), ...op.end, ...op.end);
  // to = nodes + i·32
  const target = [...op.get(NODES), ...op.get(I), ...op.i32(5), ...op.i32Shl, ...op.i32Add];
  hashInner.push(...op.get(R), ...op.get(L), ...op.i32LtU, ...op.if);
  hashInner.push(...op.get(RIGHT), ...op.get(LEFT), ...target, ...op.call(0));
  hashInner.push(...op.else);
  hashInner.push(...op.get(LEFT), ...op.get(RIGHT), ...target, ...op.call(0));
  hashInner.push(...op.end);
  hashInner.push(...op.get(I), ...op.i32(1), ...op.i32Sub, ...op.tee(I));
  hashInner.push(...op.get(STOP), ...op.i32LtS, ...op.i32Eqz, ...op.brIf(0), ...op.end, ...op.end);

  const i32 = 0x7f;
  const types = [
    [0x60, ...vec([[i32], [i32], [i32]]), ...vec([])],
    [0x60, ...vec([[i32], [i32], [i32], [i32]]), ...vec([])],
  ];
  const body = (locals: number[][], code: number[]) => {
    const content = [...vec(locals), ...code, ...op.end];
    return [...uleb(content.length), ...content];
  };
  const roundConstantBytes = Buffer.alloc(24 * 8);
  roundConstants.forEach((value, i) => roundConstantBytes.writeBigUInt64LE(value, i * 8));
  const bytes = [
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vec(types)),
    ...section(3, vec([[0], [0], [1], [0]])),
    ...section(5, vec([[0x00, 1]])),
    ...section(
      7,
      vec([
        [...name("memory"), 0x02, 0],
        [...name("hashLeaves"), 0x00, 1],
        [...name("placeLeaves"), 0x00, 2],
        [...name("hashInner"), 0x00, 3],
      ]),
    ),
    ...section(
      10,
      vec([
        body(hashLocals, hash),
        body([], hashLeaves),
        body([[1, i32]], placeLeaves),
        body([[5, i32]], hashInner),
      ]),
    ),
    ...section(
      11,
      vec([
        [
          0x00,
          ...op.i32(ROUND_CONSTANTS_AT),
          ...op.end,
          ...vec([...roundConstantBytes].map((b) => [b])),
        ],
      ]),
    ),
  ];
  return new Uint8Array(bytes);
}
