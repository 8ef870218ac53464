/**
 * Fake NAT gateways on loopback for the NAT tests: a NAT-PMP responder and a STUN responder,
 * each on an OS-picked UDP port, recording what they were asked.
 */
import { createSocket, type Socket } from 'node:dgram';
import { once } from 'node:events';

/** A UDP responder on 127.0.0.1 (OS-picked port) answering each datagram with `reply`. */
abstract class FakeUdpServer {
  readonly #socket: Socket;

  protected constructor(socket: Socket) {
    this.#socket = socket;
    socket.on('message', (msg, from) => {
      const out = this.reply(new Uint8Array(msg));
      if (out !== undefined) socket.send(out, from.port, from.address);
    });
  }

  get port(): number {
    return this.#socket.address().port;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.#socket.close(() => resolve()));
  }

  /** The answer to `req`, or undefined for none. */
  protected abstract reply(req: Uint8Array): Uint8Array | undefined;
}

async function bindLoopback(): Promise<Socket> {
  const socket = createSocket('udp4');
  socket.bind(0, '127.0.0.1');
  await once(socket, 'listening');
  return socket;
}

/** A request the fake NAT-PMP gateway received. */
export interface PmpRequest {
  readonly op: number;
  readonly internalPort: number;
  readonly externalPort: number;
  readonly lifetimeS: number;
}

/** How the fake answers: the default is a well-formed success; a function can return garbage. */
export type PmpBehaviour = 'ok' | 'silent' | { readonly answer: (req: Uint8Array) => Uint8Array };

/** A NAT-PMP gateway (RFC 6886) on 127.0.0.1 reporting `externalIp`, mapping `portOffset` away. */
export class FakePmpGateway extends FakeUdpServer {
  readonly requests: PmpRequest[] = [];
  behaviour: PmpBehaviour = 'ok';
  externalIp = '203.0.113.7';
  /** Added to the requested external port in answers (0: the gateway grants what is asked). */
  portOffset = 0;

  static async start(): Promise<FakePmpGateway> {
    return new FakePmpGateway(await bindLoopback());
  }

  /** The mapping requests with a non-zero lifetime (adds and renewals). */
  get adds(): PmpRequest[] {
    return this.requests.filter((r) => r.op !== 0 && r.lifetimeS > 0);
  }

  /** The mapping requests with lifetime 0 (deletions). */
  get deletes(): PmpRequest[] {
    return this.requests.filter((r) => r.op !== 0 && r.lifetimeS === 0);
  }

  protected override reply(req: Uint8Array): Uint8Array | undefined {
    const reqView = new DataView(req.buffer, req.byteOffset, req.byteLength);
    const full = req.length >= 12;
    this.requests.push({
      op: req[1] ?? -1,
      internalPort: full ? reqView.getUint16(4) : 0,
      externalPort: full ? reqView.getUint16(6) : 0,
      lifetimeS: full ? reqView.getUint32(8) : 0,
    });
    const b = this.behaviour;
    if (b === 'silent') return undefined;
    if (b !== 'ok') return b.answer(req);
    const op = req[1] ?? 0;
    const out = new Uint8Array(op === 0 ? 12 : 16);
    const view = new DataView(out.buffer);
    out[1] = op + 128;
    view.setUint32(4, 1234);
    if (op === 0) {
      out.set(this.externalIp.split('.').map(Number), 8);
      return out;
    }
    const ext = reqView.getUint16(6);
    view.setUint16(8, reqView.getUint16(4));
    view.setUint16(10, ext === 0 ? 0 : ext + this.portOffset);
    view.setUint32(12, reqView.getUint32(8));
    return out;
  }
}

/** A STUN server (RFC 5389) on 127.0.0.1 answering binding requests with `mapped`. */
export class FakeStunServer extends FakeUdpServer {
  requests = 0;
  mapped = { ip: '198.51.100.20', port: 40000 };
  /** Replaces the answer (garbage, errors); undefined for none. */
  answer: ((req: Uint8Array) => Uint8Array | undefined) | undefined;

  static async start(): Promise<FakeStunServer> {
    return new FakeStunServer(await bindLoopback());
  }

  protected override reply(req: Uint8Array): Uint8Array | undefined {
    this.requests++;
    return this.answer === undefined ? this.#success(req) : this.answer(req);
  }

  /** A binding success with XOR-MAPPED-ADDRESS for the request's transaction. */
  #success(req: Uint8Array): Uint8Array {
    const out = new Uint8Array(32);
    const view = new DataView(out.buffer);
    view.setUint16(0, 0x0101);
    view.setUint16(2, 12);
    out.set(req.subarray(4, 20), 4);
    view.setUint16(20, 0x0020);
    view.setUint16(22, 8);
    out[25] = 0x01;
    view.setUint16(26, this.mapped.port ^ 0x2112);
    const ip = this.mapped.ip.split('.').map(Number);
    for (let i = 0; i < 4; i++) out[28 + i] = (ip[i] ?? 0) ^ (out[4 + i] ?? 0);
    return out;
  }
}
