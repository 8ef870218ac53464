/**
 * The crypto suite: per-operation time of every @ethp2p/crypto backend, side by side, with the
 * speedup over noble (the pure-JS reference).
 * @module
 */
import {
  BACKEND_NAMES,
  type BackendName,
  type CryptoBackend,
  loadBackend,
} from '@ethp2p/crypto/backends';
import { formatMicros, formatTable, microsPerOp, type TimingOptions } from './timing.ts';

/** Distinct inputs per operation, cycled, so no backend benefits from a repeated input. */
const INPUTS = 64;

const DEFAULT_TIMING: TimingOptions = { warmupMs: 40, durationMs: 250 };

/** One measured operation: a label and a factory that prepares inputs for a backend. */
interface Operation {
  readonly label: string;
  prepare(b: CryptoBackend, ref: CryptoBackend): (i: number) => unknown;
}

function pick<T>(items: readonly T[], i: number): T {
  return items[i % items.length] as T;
}

/** Keys, hashes and signatures made once with the reference backend. */
function fixtures(ref: CryptoBackend): {
  privs: Uint8Array[];
  pubs: Uint8Array[];
  hashes: Uint8Array[];
  sigs: Uint8Array[];
} {
  const privs = Array.from({ length: INPUTS }, () => ref.generatePrivateKey());
  const pubs = privs.map((p) => ref.publicKey(p));
  const hashes = privs.map((p) => ref.keccak256(p));
  const sigs = hashes.map((h, i) => ref.signRecoverable(h, pick(privs, i)));
  return { privs, pubs, hashes, sigs };
}

function keccakOf(size: number): Operation {
  const label = size >= 1024 ? `keccak256 ${size / 1024} KiB` : `keccak256 ${size} B`;
  return {
    label,
    prepare: (b) => {
      const data = Array.from({ length: 8 }, (_, k) => new Uint8Array(size).fill(k));
      return (i) => b.keccak256(pick(data, i));
    },
  };
}

function operations(fx: ReturnType<typeof fixtures>): Operation[] {
  return [
    { label: 'generatePrivateKey', prepare: (b) => () => b.generatePrivateKey() },
    { label: 'publicKey', prepare: (b) => (i) => b.publicKey(pick(fx.privs, i)) },
    {
      label: 'signRecoverable',
      prepare: (b) => (i) => b.signRecoverable(pick(fx.hashes, i), pick(fx.privs, i)),
    },
    { label: 'recover', prepare: (b) => (i) => b.recover(pick(fx.hashes, i), pick(fx.sigs, i)) },
    {
      label: 'verify',
      prepare: (b) => {
        const rs = fx.sigs.map((s) => s.subarray(0, 64));
        return (i) => b.verify(pick(fx.hashes, i), pick(rs, i), pick(fx.pubs, i));
      },
    },
    {
      label: 'ecdhX',
      prepare: (b) => (i) => b.ecdhX(pick(fx.privs, i), pick(fx.pubs, i + 1)),
    },
    keccakOf(32),
    keccakOf(1024),
    {
      label: 'keccak state update(32)+digest',
      prepare: (b) => {
        // Two MAC-like states used alternately, as an RLPx connection's egress and ingress.
        const states = [b.createKeccak256(), b.createKeccak256()];
        const chunk = new Uint8Array(32).fill(7);
        return (i) => pick(states, i).update(chunk).digest();
      },
    },
  ];
}

/**
 * Runs the crypto suite and prints its table.
 * @param timing per-operation warm-up and measuring time; the defaults keep the suite under ~10 s
 */
export async function runCryptoBench(timing: TimingOptions = DEFAULT_TIMING): Promise<string> {
  const loaded: CryptoBackend[] = [];
  for (const name of BACKEND_NAMES) {
    try {
      loaded.push(await loadBackend(name));
    } catch (err) {
      console.warn(`skipping ${name}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  const ref = loaded.find((b) => b.name === 'noble') as CryptoBackend;
  const fx = fixtures(ref);
  const others = loaded.filter((b) => b.name !== 'noble').map((b) => b.name);
  const header = [
    'operation (µs/op)',
    ...loaded.map((b) => b.name),
    ...others.map((n: BackendName) => `${n} vs noble`),
  ];
  const rows = operations(fx).map((op) => {
    const us = new Map(loaded.map((b) => [b.name, microsPerOp(op.prepare(b, ref), timing)]));
    const nobleUs = us.get('noble') ?? Number.NaN;
    return [
      op.label,
      ...loaded.map((b) => formatMicros(us.get(b.name) ?? Number.NaN)),
      ...others.map((n) => `${(nobleUs / (us.get(n) ?? Number.NaN)).toFixed(1)}x`),
    ];
  });
  const table = formatTable(header, rows);
  console.log(`crypto: @ethp2p/crypto backends, Node ${process.version} ${process.arch}\n`);
  console.log(table);
  console.log(
    '\nnoble is also what @ethereumjs/devp2p runs (through ethereum-cryptography), so the noble ' +
      'column is its cost per operation.',
  );
  return table;
}
