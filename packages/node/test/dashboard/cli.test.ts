import { once } from 'node:events';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { run, testIo } from '../cli/helpers/run.ts';
import { httpCall } from '../rpc/helpers/clients.ts';
import { chainFixture } from './helpers.ts';

const fixture = chainFixture(2, 'ethp2p-dashboard-cli-');

/** `ethp2p node` on the fixture's chain in datadir `name`, loopback, no discovery. */
function flags(name: string): string[] {
  const { files, dir } = fixture;
  return [
    'node',
    '--genesis',
    files.genesisPath,
    '--chain',
    files.chainPath,
    '--datadir',
    join(dir, name),
    '--listen.ip',
    '127.0.0.1',
    '--port',
    '0',
    '--nodiscover',
    '--status.interval',
    '0',
  ];
}

describe('ethp2p node --http --dashboard', () => {
  it('serves the dashboard beside JSON-RPC on the HTTP port and closes it on the signal', async () => {
    const controller = new AbortController();
    const io = testIo({}, controller.signal);
    const exit = main([...flags('on'), '--http', '--http.port', '0', '--dashboard'], io);
    const url = /dashboard enabled.*?(http:\/\/127\.0\.0\.1:\d+\/)/;
    await Promise.race([
      io.stderr.waitFor((t) => url.test(t), AbortSignal.timeout(10_000)),
      exit.then((code) => Promise.reject(new Error(`exit ${code}: ${io.stderr.text}`))),
    ]);
    const page = (url.exec(io.stderr.text) as RegExpExecArray)[1] as string;
    const res = await fetch(page);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('<title>ethp2p node</title>');
    // JSON-RPC on the same port, and one log line naming the page.
    expect(await httpCall(page, 'net_listening')).toMatchObject({ result: true });
    expect(io.stderr.text.split('\n').filter((l) => l.includes(page))).toHaveLength(1);
    controller.abort(new Error('received SIGINT'));
    expect(await exit).toBe(0);
    await expect(fetch(page)).rejects.toThrow();
  });

  it('needs --http', async () => {
    const result = await run([...flags('no-http'), '--dashboard']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--dashboard needs --http');
  });

  it('fails with one line when the HTTP port is taken, and stops the node', async () => {
    const taken = createServer().listen(0, '127.0.0.1');
    await once(taken, 'listening');
    const port = (taken.address() as { port: number }).port;
    try {
      const result = await run([
        ...flags('taken'),
        '--http',
        '--http.port',
        String(port),
        '--dashboard',
      ]);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(
        `RPC port 127.0.0.1:${port} is in use; pick another with --http.port`,
      );
    } finally {
      taken.close();
    }
  });
});
