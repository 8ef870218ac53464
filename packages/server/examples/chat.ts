// A custom subprotocol, `chat/1`, with two messages, run by two servers on loopback.
import { generatePrivateKey } from '@ethp2p/crypto';
import {
  DiscReason,
  decodeMsg,
  type MsgReadWriter,
  PeerError,
  type Protocol,
  type ProtocolPeer,
  Server,
  sendItems,
} from '@ethp2p/server';

// Codes are relative to the protocol; the server places them after the base protocol's 16.
const SAY = 0; // [text]
const HEARD = 1; // [text]: an acknowledgement that repeats what was heard

type OnHeard = (peer: ProtocolPeer, text: string) => void;

class Chat implements Protocol {
  readonly name = 'chat';
  readonly version = 1;
  readonly length = 2;
  readonly #onHeard: OnHeard;

  constructor(onHeard: OnHeard) {
    this.#onHeard = onHeard;
  }

  // Runs once per connected peer that speaks chat/1; the peer stays up while it runs.
  async run(peer: ProtocolPeer, rw: MsgReadWriter): Promise<void> {
    await sendItems(rw, SAY, `hello, I am ${peer.inbound ? 'the listener' : 'the dialer'}`);
    for (;;) {
      const msg = await rw.readMsg(); // rejects when the peer goes away, which ends run()
      const [text] = decodeMsg(msg);
      if (!(text instanceof Uint8Array)) {
        throw new PeerError(DiscReason.ProtocolError, 'chat: expected [text]');
      }
      if (msg.code === SAY) await sendItems(rw, HEARD, text);
      else this.#onHeard(peer, new TextDecoder().decode(text));
    }
  }
}

let onAliceHeard: (text: string) => void = () => {};
const aliceHeard = new Promise<string>((resolve) => {
  onAliceHeard = resolve;
});
const alice = new Server({
  privateKey: generatePrivateKey(),
  name: 'alice',
  protocols: [new Chat((_peer, text) => onAliceHeard(text))],
});
const bob = new Server({
  privateKey: generatePrivateKey(),
  name: 'bob',
  protocols: [new Chat(() => {})],
});

await alice.start(); // listens on 127.0.0.1, port chosen by the OS
await bob.start();
bob.addPeer(alice.self()); // a static peer: dialed now and redialed whenever it drops

console.log('bob confirmed to alice:', await aliceHeard);
console.log(
  'alice sees:',
  alice.peersInfo().map((p) => `${p.name} [${p.caps.join(', ')}]`),
);
await bob.stop(); // bob says Disconnect(ClientQuitting) to alice
await alice.stop();
console.log('peers after stop:', alice.peerCount() + bob.peerCount());
