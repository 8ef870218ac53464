import { RlpxError } from '@ethp2p/rlpx';
import { describe, expect, it } from 'vitest';
import { DiscReason, discReasonForError, MsgError, PeerError } from '../src/index.ts';

describe('discReasonForError', () => {
  it.each([
    ['a PeerError keeps its reason', new PeerError(DiscReason.TooManyPeers), 0x04],
    [
      'a remote Disconnect keeps its reason',
      new PeerError(DiscReason.UselessPeer, undefined, { remoteRequested: true }),
      0x03,
    ],
    ['an invalid message', new PeerError(DiscReason.ProtocolError, 'invalid message'), 0x02],
    ['an RLPx read timeout', new RlpxError('TIMEOUT', 'rlpx read timed out'), 0x01],
    ['a closed connection', new RlpxError('CLOSED', 'connection closed'), 0x01],
    ['a bad frame MAC', new RlpxError('BAD_FRAME_MAC', 'bad frame MAC'), 0x01],
    ['a local invalid code', new MsgError('INVALID_CODE', 'invalid message code'), 0x10],
    ['a subprotocol error', new Error('boom'), 0x10],
    ['a thrown string', 'boom', 0x10],
    ['undefined', undefined, 0x10],
  ])('%s', (_what, err, reason) => {
    expect(discReasonForError(err)).toBe(reason);
  });
});

describe('PeerError', () => {
  it('carries the reason, its name as code and geth text as message', () => {
    const cause = new Error('inner');
    const err = new PeerError(DiscReason.AlreadyConnected, undefined, {
      remoteRequested: true,
      cause,
    });
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe('PeerError');
    expect(err.code).toBe('AlreadyConnected');
    expect(err.message).toBe('already connected');
    expect(err.reason).toBe(DiscReason.AlreadyConnected);
    expect(err.remoteRequested).toBe(true);
    expect(err.cause).toBe(cause);
  });
});
