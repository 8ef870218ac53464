/**
 * The datagrams one shard sends to another in a window, packed into one `ArrayBuffer` (so a
 * window's traffic crosses threads as one transferred buffer, not one cloned object per datagram),
 * and read back in delivery order: by arrival time, then sender index, then sequence number.
 * @module
 */

/** A datagram between nodes of different shards. */
export interface CrossDatagram {
  /** Virtual time it arrives: send time plus latency and jitter. */
  readonly arrivalMs: number;
  /** Index of the sending node. */
  readonly sender: number;
  /** The sending shard's running count of bridged datagrams: orders a sender's datagrams. */
  readonly seq: number;
  /** Index of the receiving node. */
  readonly receiver: number;
  readonly fromPort: number;
  readonly toPort: number;
  readonly data: Uint8Array;
}

/** arrival f64, sender u32, seq u32, receiver u32, fromPort u16, toPort u16, length u16. */
const HEADER_BYTES = 26;
const INITIAL_BYTES = 16 * 1024;

/** Collects datagrams into one growing buffer; {@link BatchWriter.take} hands it over. */
export class BatchWriter {
  #bytes = new Uint8Array(INITIAL_BYTES);
  #view = new DataView(this.#bytes.buffer);
  #at = 0;
  #count = 0;
  #minArrivalMs = Number.POSITIVE_INFINITY;

  /** Datagrams waiting in the batch. */
  get count(): number {
    return this.#count;
  }

  /** The earliest arrival in the batch (`Infinity` when empty). */
  get minArrivalMs(): number {
    return this.#minArrivalMs;
  }

  /** @throws {RangeError} when the data is longer than 65,535 bytes */
  push(d: CrossDatagram): void {
    if (d.data.length > 0xffff) {
      throw new RangeError(`data: expected at most 65535 bytes, got ${d.data.length}`);
    }
    this.#reserve(HEADER_BYTES + d.data.length);
    const v = this.#view;
    const at = this.#at;
    v.setFloat64(at, d.arrivalMs);
    v.setUint32(at + 8, d.sender);
    v.setUint32(at + 12, d.seq);
    v.setUint32(at + 16, d.receiver);
    v.setUint16(at + 20, d.fromPort);
    v.setUint16(at + 22, d.toPort);
    v.setUint16(at + 24, d.data.length);
    this.#bytes.set(d.data, at + HEADER_BYTES);
    this.#at = at + HEADER_BYTES + d.data.length;
    this.#count++;
    if (d.arrivalMs < this.#minArrivalMs) this.#minArrivalMs = d.arrivalMs;
  }

  /** The batch so far as a buffer of its own (`undefined` when empty); the writer starts over. */
  take(): ArrayBuffer | undefined {
    if (this.#at === 0) return undefined;
    const out = this.#bytes.buffer.slice(0, this.#at);
    this.#at = 0;
    this.#count = 0;
    this.#minArrivalMs = Number.POSITIVE_INFINITY;
    return out;
  }

  #reserve(bytes: number): void {
    if (this.#at + bytes <= this.#bytes.length) return;
    let size = this.#bytes.length * 2;
    while (size < this.#at + bytes) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(this.#bytes.subarray(0, this.#at));
    this.#bytes = grown;
    this.#view = new DataView(grown.buffer);
  }
}

/**
 * Every datagram of `batches`, in delivery order: arrival time, then sender, then sequence. Each
 * datagram's data is a copy (a receiver may keep it without holding the whole batch).
 * @throws {RangeError} on a truncated batch
 */
export function readBatches(batches: readonly ArrayBuffer[]): CrossDatagram[] {
  const out: CrossDatagram[] = [];
  for (const buffer of batches) {
    const v = new DataView(buffer);
    const bytes = new Uint8Array(buffer);
    for (let at = 0; at < buffer.byteLength; ) {
      if (at + HEADER_BYTES > buffer.byteLength) throw new RangeError('batch: truncated header');
      const length = v.getUint16(at + 24);
      const end = at + HEADER_BYTES + length;
      if (end > buffer.byteLength) throw new RangeError('batch: truncated datagram');
      out.push({
        arrivalMs: v.getFloat64(at),
        sender: v.getUint32(at + 8),
        seq: v.getUint32(at + 12),
        receiver: v.getUint32(at + 16),
        fromPort: v.getUint16(at + 20),
        toPort: v.getUint16(at + 22),
        data: bytes.slice(at + HEADER_BYTES, end),
      });
      at = end;
    }
  }
  return out.sort(deliveryOrder);
}

/** By arrival time, then sender index, then sequence. */
export function deliveryOrder(a: CrossDatagram, b: CrossDatagram): number {
  return a.arrivalMs - b.arrivalMs || a.sender - b.sender || a.seq - b.seq;
}
