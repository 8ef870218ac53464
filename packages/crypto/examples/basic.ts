import {
  ecdhX,
  equalBytes,
  generatePrivateKey,
  keccak256,
  publicKey,
  recover,
  signRecoverable,
  verify,
} from '@ethp2p/crypto';
import { activeBackend } from '@ethp2p/crypto/backends';

const alice = generatePrivateKey();
const bob = generatePrivateKey();
const alicePub = publicKey(alice); // 64 bytes X‖Y

// Sign a 32-byte hash: 65 bytes r‖s‖v. Anyone can recover the signer's public key from it.
const hash = keccak256(new TextEncoder().encode('hello devp2p'));
const sig = signRecoverable(hash, alice);
console.log('backend:', activeBackend().name);
console.log('signer recovered:', equalBytes(recover(hash, sig), alicePub));
console.log('signature verifies:', verify(hash, sig.subarray(0, 64), alicePub));

// ECDH: both sides derive the same 32-byte x-coordinate.
const shared = ecdhX(alice, publicKey(bob));
console.log('shared secret agrees:', equalBytes(shared, ecdhX(bob, alicePub)));
