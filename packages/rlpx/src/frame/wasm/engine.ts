/**
 * The loader of the frame-MAC WebAssembly module and the one place that moves MAC contexts in
 * and out of its memory. One instance serves every MAC of the thread: a context (keccak state,
 * cached digest, AES round keys) lives in a JS-owned buffer and is copied into the module when a
 * call needs it and another context is loaded, and its changing part copied back out when
 * another context takes the module. Nothing is allocated in the module per connection, so
 * nothing there can leak: a dropped context is garbage like any other buffer.
 * @module
 */
import {
  CTX_BYTES,
  CTX_ROUND_KEYS,
  CTX_STATE_BYTES,
  INPUT,
  INPUT_BYTES,
  OUT,
  SCRATCH,
} from './layout.ts';
import { FRAME_MAC_WASM_BASE64 } from './module.ts';

/** The part of the `WebAssembly` global used here (@types/node 20 does not declare it). */
interface WebAssemblyApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { readonly exports: object };
}

/** The module's exports (see `scripts/frame-mac-wat.ts`). */
interface FrameMacExports {
  readonly memory: { readonly buffer: ArrayBuffer };
  absorb(n: number): void;
  digest(): void;
  expandKey(): void;
  encryptBlock(): void;
  macHeader(): void;
  macFrame(n: number): void;
}

/** A MAC context: the bytes the module works on for one keccak state (and one AES key). */
export class MacContext {
  /** Laid out as `CTX` in `layout.ts`; valid whenever this context is not the loaded one. */
  readonly bytes: Uint8Array = new Uint8Array(CTX_BYTES);
}

/** The module instance and which context its memory holds. */
class Engine {
  readonly #exports: FrameMacExports;
  /** The whole memory; it never grows, so this view stays valid. */
  readonly #mem: Uint8Array;
  #loaded: MacContext | null = null;

  constructor() {
    const bytes = Uint8Array.from(atob(FRAME_MAC_WASM_BASE64), (c) => c.charCodeAt(0));
    const wasm = (globalThis as unknown as { WebAssembly: WebAssemblyApi }).WebAssembly;
    const instance = new wasm.Instance(new wasm.Module(bytes), {});
    this.#exports = instance.exports as unknown as FrameMacExports;
    this.#mem = new Uint8Array(this.#exports.memory.buffer);
  }

  /** Makes `ctx` the loaded context, saving the one it replaces. */
  #load(ctx: MacContext): void {
    const loaded = this.#loaded;
    if (loaded === ctx) return;
    if (loaded !== null) loaded.bytes.set(this.#mem.subarray(0, CTX_STATE_BYTES));
    this.#mem.set(ctx.bytes, 0);
    this.#loaded = ctx;
  }

  /** Saves the loaded context into its buffer, so that its bytes can be copied. */
  sync(ctx: MacContext): void {
    if (this.#loaded === ctx) ctx.bytes.set(this.#mem.subarray(0, CTX_STATE_BYTES));
  }

  /** Absorbs `data` into `ctx`'s keccak state. */
  absorb(ctx: MacContext, data: Uint8Array): void {
    this.#load(ctx);
    for (let at = 0; at < data.length; at += INPUT_BYTES) {
      const piece = data.subarray(at, at + INPUT_BYTES);
      this.#mem.set(piece, INPUT);
      this.#exports.absorb(piece.length);
    }
  }

  /** keccak-256 of `ctx`'s state, leaving the state usable: a fresh 32-byte array. */
  digest(ctx: MacContext): Uint8Array {
    this.#load(ctx);
    this.#exports.digest();
    return this.#mem.slice(SCRATCH, SCRATCH + 32);
  }

  /** Loads `ctx`, puts `input` at `INPUT` and runs `fn` of the module on it. */
  #run(ctx: MacContext, input: Uint8Array, fn: () => void): void {
    this.#load(ctx);
    this.#mem.set(input, INPUT);
    fn();
  }

  /** Expands a 32-byte AES-256 key into `ctx`. */
  setKey(ctx: MacContext, key: Uint8Array): void {
    this.#run(ctx, key, this.#exports.expandKey);
    // Round keys are not part of the state copied back, so keep them now.
    ctx.bytes.set(this.#mem.subarray(CTX_ROUND_KEYS, CTX_BYTES), CTX_ROUND_KEYS);
  }

  /** AES-256 of one 16-byte block under `ctx`'s key: a fresh 16-byte array. */
  encryptBlock(ctx: MacContext, block: Uint8Array): Uint8Array {
    this.#run(ctx, block, this.#exports.encryptBlock);
    return this.#mem.slice(OUT, OUT + 16);
  }

  /**
   * The header MAC of a 16-byte header ciphertext. Returns a view of module memory, valid until
   * the next call into the engine.
   */
  macHeader(ctx: MacContext, headerCt: Uint8Array): Uint8Array {
    this.#run(ctx, headerCt, this.#exports.macHeader);
    return this.#mem.subarray(OUT, OUT + 16);
  }

  /**
   * The frame MAC of a frame body ciphertext. Returns a view of module memory, valid until the
   * next call into the engine.
   */
  macFrame(ctx: MacContext, frameCt: Uint8Array): Uint8Array {
    this.#load(ctx);
    const mem = this.#mem;
    const exports = this.#exports;
    let at = 0;
    // All but the last piece are plain absorbs; the last one ends with the MAC steps.
    for (; frameCt.length - at > INPUT_BYTES; at += INPUT_BYTES) {
      mem.set(frameCt.subarray(at, at + INPUT_BYTES), INPUT);
      exports.absorb(INPUT_BYTES);
    }
    const last = at === 0 ? frameCt : frameCt.subarray(at);
    mem.set(last, INPUT);
    exports.macFrame(last.length);
    return mem.subarray(OUT, OUT + 16);
  }
}

let engine: Engine | undefined;

/** The thread's engine, instantiated (synchronously) on first use. */
export function frameMacEngine(): Engine {
  engine ??= new Engine();
  return engine;
}

export type { Engine as FrameMacEngine };
