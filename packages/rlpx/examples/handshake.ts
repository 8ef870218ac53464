// An RLPx handshake between an initiator and a recipient, purely in memory: auth, ack, and the
// session secrets both sides derive from them.
import { equalBytes, generatePrivateKey, publicKey } from '@ethp2p/crypto';
import { createAck, createAuth, deriveSecrets, readAck, readAuth } from '@ethp2p/rlpx/handshake';

const initiatorKey = generatePrivateKey();
const recipientKey = generatePrivateKey();

// The initiator knows the recipient's public key (from its enode URL) and sends an EIP-8 auth.
const auth = createAuth({ privateKey: initiatorKey, remotePublicKey: publicKey(recipientKey) });
console.log('auth packet:', auth.packet.length, 'bytes');

// The recipient learns who is calling, and answers in the same format (EIP-8 here).
const received = readAuth(recipientKey, auth.packet);
console.log(
  'initiator identified:',
  equalBytes(received.initiatorPublicKey, publicKey(initiatorKey)),
);
const ack = createAck({ remotePublicKey: received.initiatorPublicKey, legacy: !received.eip8 });

const answer = readAck(initiatorKey, ack.packet);
console.log('ack packet:', ack.packet.length, 'bytes, version', answer.version);

// Both sides derive the frame secrets from the two nonces, ephemeral keys and packets.
const common = {
  initiatorNonce: auth.nonce,
  recipientNonce: ack.nonce,
  authPacket: auth.packet,
  ackPacket: ack.packet,
};
const mine = deriveSecrets({
  ...common,
  initiator: true,
  localEphemeralKey: auth.ephemeralKey,
  remoteEphemeralPublicKey: answer.remoteEphemeralPublicKey,
});
const theirs = deriveSecrets({
  ...common,
  initiator: false,
  localEphemeralKey: ack.ephemeralKey,
  remoteEphemeralPublicKey: received.remoteEphemeralPublicKey,
});
console.log(
  'secrets match:',
  equalBytes(mine.aesSecret, theirs.aesSecret) && equalBytes(mine.macSecret, theirs.macSecret),
);
console.log(
  'egress MAC = remote ingress MAC:',
  equalBytes(mine.egressMac.digest(), theirs.ingressMac.digest()),
);
