import { describe, expect, it } from 'vitest';
import {
  bytesToHex,
  ecdhX,
  hexToBytes,
  keccak256,
  publicKey,
  recover,
  signRecoverable,
} from '../src/index.ts';

// Keys from go-ethereum p2p/rlpx/rlpx_test.go (keyA) and crypto/ecies/ecies_test.go.
describe('noble backend smoke', () => {
  it('derives keyA public key, signs, recovers and does ECDH', () => {
    const priv = hexToBytes('49a7b37aa6f6645917e7b807e9d1c00d4fa71f18343b0d4122a4d2df64dd6fee');
    const pub = publicKey(priv);
    expect(bytesToHex(pub)).toBe(
      'fda1cff674c90c9a197539fe3dfb53086ace64f83ed7c6eabec741f7f381cc803e52ab2cd55d5569bce4347107a310dfd5f88a010cd2ffd1005ca406f1842877',
    );
    const hash = keccak256(new TextEncoder().encode('hello'));
    expect(bytesToHex(recover(hash, signRecoverable(hash, priv)))).toBe(bytesToHex(pub));
    const p1 = hexToBytes('7ebbc6a8358bc76dd73ebc557056702c8cfc34e5cfcd90eb83af0347575fd2ad');
    const p2 = hexToBytes('6a3d6396903245bba5837752b9e0348874e72db0c4e11e9c485a81b4ea4353b9');
    expect(bytesToHex(ecdhX(p1, publicKey(p2)))).toBe(
      '167ccc13ac5e8a26b131c3446030c60fbfac6aa8e31149d0869f93626a4cdf62',
    );
  });
});
