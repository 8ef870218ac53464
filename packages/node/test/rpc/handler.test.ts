import { describe, expect, it } from 'vitest';
import { RpcConnection } from '../../src/rpc/connection.ts';
import { RpcError } from '../../src/rpc/errors.ts';
import { RpcHandler } from '../../src/rpc/handler.ts';
import { optional, STRING_PARAM } from '../../src/rpc/params.ts';
import { RpcRegistry, rpcMethod, rpcSubscription } from '../../src/rpc/registry.ts';

const NUMBER_PARAM = {
  optional: false,
  parse: (value: unknown) =>
    typeof value === 'number' ? { value } : { error: `expected a number, got ${typeof value}` },
};

/** A registry like geth's `rpc/testservice_test.go`: `test_echo(string, int)` and friends. */
function testRegistry(): RpcRegistry {
  return new RpcRegistry()
    .method(
      'test',
      'echo',
      rpcMethod([STRING_PARAM, NUMBER_PARAM], ([s, i]) => ({ String: s, Int: i, Args: null })),
    )
    .method(
      'test',
      'noArgsRets',
      rpcMethod([], () => undefined),
    )
    .method(
      'test',
      'optional',
      rpcMethod([optional(STRING_PARAM)], ([s]) => s ?? 'none'),
    )
    .method('test', 'throwsString', {
      call: () => {
        throw 'not an error';
      },
    })
    .method(
      'test',
      'fails',
      rpcMethod([], () => {
        throw new Error('it failed');
      }),
    )
    .method(
      'test',
      'bigint',
      rpcMethod([], () => 1n),
    )
    .method(
      'test',
      'big',
      rpcMethod([], () => 'x'.repeat(100)),
    )
    .subscription(
      'test',
      'counter',
      rpcSubscription([NUMBER_PARAM], (emit, [n]) => {
        for (let i = 1; i <= n; i++) emit(i);
        return () => {};
      }),
    );
}

function handler(options: { batchItemLimit?: number; batchResponseMaxBytes?: number } = {}) {
  return new RpcHandler({ registry: testRegistry(), ...options });
}

async function answer(h: RpcHandler, text: string, conn = new RpcConnection()): Promise<unknown> {
  const out = await h.handle(text, conn);
  return out === undefined ? undefined : JSON.parse(out);
}

// Request/response pairs from go-ethereum rpc/testdata/*.js (geth's test vectors, as data).
const GETH_VECTORS: readonly (readonly [string, string, string | undefined])[] = [
  [
    'invalid-badversion',
    '{"jsonrpc":"2.1","id":1,"method":"test_echo","params":["x", 3]}',
    '{"jsonrpc":"2.0","id":1,"error":{"code":-32600,"message":"invalid request"}}',
  ],
  [
    'invalid-badversion (number)',
    '{"jsonrpc":2.0,"id":1,"method":"test_echo","params":["x", 3]}',
    '{"jsonrpc":"2.0","id":1,"error":{"code":-32600,"message":"invalid request"}}',
  ],
  [
    'invalid-badversion (missing)',
    '{"id":1,"method":"test_echo","params":["x", 3]}',
    '{"jsonrpc":"2.0","id":1,"error":{"code":-32600,"message":"invalid request"}}',
  ],
  [
    'invalid-nonobj',
    '1',
    '{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"invalid request"}}',
  ],
  [
    'invalid-nonobj (null)',
    'null',
    '{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"invalid request"}}',
  ],
  [
    'invalid-badid',
    '{"id":[],"method":"test_foo"}',
    '{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"invalid request"}}',
  ],
  [
    'invalid-badid (object)',
    '{"id":{},"method":"test_foo"}',
    '{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"invalid request"}}',
  ],
  [
    'invalid-idonly',
    '{"jsonrpc":"2.0","id":1}',
    '{"jsonrpc":"2.0","id":1,"error":{"code":-32600,"message":"invalid request"}}',
  ],
  [
    'invalid-batch (empty)',
    '[]',
    '{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"empty batch"}}',
  ],
  [
    'invalid-batch (junk)',
    '[1,2]',
    '[{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"invalid request"}},{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"invalid request"}}]',
  ],
  [
    'invalid-batch (mixed)',
    '[{"jsonrpc":"2.0","id":1,"method":"test_echo","params":["foo",1]},55,{"jsonrpc":"2.0","id":2,"method":"unknown_method"},{"foo":"bar"}]',
    '[{"jsonrpc":"2.0","id":1,"result":{"String":"foo","Int":1,"Args":null}},{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"invalid request"}},{"jsonrpc":"2.0","id":2,"error":{"code":-32601,"message":"the method unknown_method does not exist/is not available"}},{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"invalid request"}}]',
  ],
  [
    'reqresp-nomethod',
    '{"jsonrpc": "2.0", "id": 2, "method": "invalid_method", "params": [2, 3]}',
    '{"jsonrpc":"2.0","id":2,"error":{"code":-32601,"message":"the method invalid_method does not exist/is not available"}}',
  ],
  [
    'reqresp-paramsnull',
    '{"jsonrpc":"2.0","method":"test_noArgsRets","params":null,"id":3}',
    '{"jsonrpc":"2.0","id":3,"result":null}',
  ],
  [
    'reqresp-batch (notifications only)',
    '[{"jsonrpc":"2.0","method":"test_echo","params":["x",99]}]',
    undefined,
  ],
  [
    'reqresp-batch',
    '[{"jsonrpc":"2.0","id":2,"method":"test_echo","params":[]}, {"jsonrpc":"2.0","id": 3,"method":"test_echo","params":["x",3]}]',
    '[{"jsonrpc":"2.0","id":2,"error":{"code":-32602,"message":"missing value for required argument 0"}},{"jsonrpc":"2.0","id":3,"result":{"String":"x","Int":3,"Args":null}}]',
  ],
];

describe('RpcHandler', () => {
  it.each(GETH_VECTORS)('answers like geth: %s', async (_name, request, response) => {
    const got = await answer(handler(), request);
    expect(got).toEqual(response === undefined ? undefined : JSON.parse(response));
  });

  it('answers malformed JSON with -32700 and a null ID', async () => {
    for (const text of ["'f", '{"jsonrpc":"2.0"', '', '\u0000', '[{]']) {
      const got = (await answer(handler(), text)) as { id: unknown; error: { code: number } };
      expect(got.id).toBeNull();
      expect(got.error.code).toBe(-32700);
    }
  });

  it('checks params: too many, wrong type, named params, optional ones', async () => {
    const h = handler();
    const call = (method: string, params: unknown) =>
      answer(h, JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }));
    expect(await call('test_echo', ['x', 1, 2])).toMatchObject({
      error: { code: -32602, message: 'too many arguments, want at most 2' },
    });
    expect(await call('test_echo', [1, 1])).toMatchObject({
      error: { code: -32602, message: 'invalid argument 0: expected a string, got a number' },
    });
    expect(await call('test_echo', { s: 'x' })).toMatchObject({
      error: { code: -32602, message: 'non-array args' },
    });
    expect(await call('test_echo', 'x')).toMatchObject({
      error: { code: -32600, message: 'invalid request' },
    });
    expect(await call('test_optional', [])).toMatchObject({ result: 'none' });
    expect(await call('test_optional', [null])).toMatchObject({ result: 'none' });
    expect(await call('test_optional', ['a'])).toMatchObject({ result: 'a' });
  });

  it('maps method failures: Error to -32000, RpcError to its code, the rest to -32603', async () => {
    const h = handler();
    const call = (method: string) => answer(h, JSON.stringify({ jsonrpc: '2.0', id: 'a', method }));
    expect(await call('test_fails')).toEqual({
      jsonrpc: '2.0',
      id: 'a',
      error: { code: -32000, message: 'it failed' },
    });
    expect(await call('test_throwsString')).toMatchObject({
      error: { code: -32603, message: 'method handler crashed' },
    });
    expect(await call('test_bigint')).toMatchObject({ id: 'a', error: { code: -32603 } });
    expect(new RpcError(-32602, 'bad').toJson()).toEqual({ code: -32602, message: 'bad' });
  });

  it('runs notifications without answering them', async () => {
    expect(await answer(handler(), '{"jsonrpc":"2.0","method":"test_fails"}')).toBeUndefined();
    expect(await answer(handler(), '{"jsonrpc":"2.0","method":"nope_nope"}')).toBeUndefined();
  });

  // go-ethereum rpc/testdata/invalid-batch-toolarge.js, with the item limit at 4.
  it('answers a batch past the item limit with one error carrying the first call ID', async () => {
    const h = handler({ batchItemLimit: 4 });
    const note = '{"jsonrpc":"2.0","method":"test_echo","params":["x",99]}';
    const call = '{"jsonrpc":"2.0","id":3,"method":"test_echo","params":["x",99]}';
    expect(await answer(h, `[${[note, note, note, note, note].join(',')}]`)).toEqual([
      { jsonrpc: '2.0', id: null, error: { code: -32600, message: 'batch too large' } },
    ]);
    expect(await answer(h, `[${[note, call, note, note, note].join(',')}]`)).toEqual([
      { jsonrpc: '2.0', id: 3, error: { code: -32600, message: 'batch too large' } },
    ]);
    expect(await answer(h, `[${[call, call, call, call].join(',')}]`)).toHaveLength(4);
  });

  it('answers the calls after the response size limit with -32003', async () => {
    const h = handler({ batchResponseMaxBytes: 150 });
    const calls = [1, 2, 3, 4].map((id) => ({ jsonrpc: '2.0', id, method: 'test_big' }));
    const got = (await answer(h, JSON.stringify(calls))) as { id: number; error?: unknown }[];
    expect(got.map((r) => r.id)).toEqual([1, 2, 3, 4]);
    expect(got[0]).toMatchObject({ result: 'x'.repeat(100) });
    expect(got[1]).toMatchObject({ result: 'x'.repeat(100) });
    expect(got[2]).toMatchObject({ error: { code: -32003, message: 'response too large' } });
    expect(got[3]).toMatchObject({ error: { code: -32003, message: 'response too large' } });
  });

  it('never rejects, whatever the input', async () => {
    const h = handler();
    const inputs = ['{"__proto__":{"x":1},"jsonrpc":"2.0","id":1,"method":"test_echo"}', '"x"'];
    inputs.push(`${'['.repeat(5000)}${']'.repeat(5000)}`, '{"jsonrpc":"2.0","id":1,"method":"_"}');
    for (const text of inputs)
      await expect(h.handle(text, new RpcConnection())).resolves.toBeTypeOf('string');
  });
});

describe('subscriptions', () => {
  // go-ethereum rpc/testdata/subscription.js: the ID first, then the items in order.
  it('sends the ID first, then the items as <namespace>_subscription notifications', async () => {
    const sent: string[] = [];
    const conn = new RpcConnection((text) => sent.push(text));
    const h = handler();
    const reply = await answer(
      h,
      '{"jsonrpc":"2.0","id":1,"method":"test_subscribe","params":["counter",3]}',
      conn,
    );
    const id = (reply as { result: string }).result;
    expect(id).toMatch(/^0x[0-9a-f]{32}$/);
    expect(sent).toEqual([]);
    conn.activate();
    expect(sent.map((s) => JSON.parse(s))).toEqual(
      [1, 2, 3].map((result) => ({
        jsonrpc: '2.0',
        method: 'test_subscription',
        params: { subscription: id, result },
      })),
    );
    expect(conn.subscriptionCount).toBe(1);
    const unsub = (sub: unknown) =>
      answer(
        h,
        JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'test_unsubscribe', params: [sub] }),
        conn,
      );
    expect(await unsub(id)).toMatchObject({ result: true });
    expect(await unsub(id)).toMatchObject({
      error: { code: -32000, message: 'subscription not found' },
    });
    expect(conn.subscriptionCount).toBe(0);
  });

  it('refuses subscriptions without notifications, unknown names and bad params', async () => {
    const h = handler();
    const sub = (params: unknown, conn: RpcConnection) =>
      answer(h, JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'test_subscribe', params }), conn);
    expect(await sub(['counter', 1], new RpcConnection())).toMatchObject({
      error: { code: -32601, message: 'notifications not supported' },
    });
    const ws = new RpcConnection(() => {});
    expect(await sub(['nope'], ws)).toMatchObject({
      error: { code: -32601, message: 'no "nope" subscription in test namespace' },
    });
    expect(await sub([], ws)).toMatchObject({ error: { code: -32602 } });
    expect(await sub({ a: 1 }, ws)).toMatchObject({ error: { code: -32602 } });
    expect(await sub(['counter', 'x'], ws)).toMatchObject({ error: { code: -32602 } });
    expect(ws.subscriptionCount).toBe(0);
  });

  it('caps the subscriptions of one connection', async () => {
    const h = handler();
    const conn = new RpcConnection(() => {});
    const batch = Array.from({ length: 130 }, (_, i) => ({
      jsonrpc: '2.0',
      id: i,
      method: 'test_subscribe',
      params: ['counter', 0],
    }));
    const got = (await answer(h, JSON.stringify(batch), conn)) as { error?: { code: number } }[];
    expect(got.filter((r) => r.error === undefined)).toHaveLength(128);
    expect(got[129]).toMatchObject({ error: { code: -32000 } });
    conn.close();
    expect(conn.subscriptionCount).toBe(0);
    expect(conn.canNotify).toBe(false);
  });
});
