import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Socket } from 'node:net';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectionCap, openFilesLimit } from '../../apps/api/src/http/connection-cap';
import type { ApiProcess } from './api-process';
import { kill, startApi } from './api-process';

/*
 * Past the open-files limit every accept fails and each client sees a reset, with nothing logged
 * (issue 18). The server holds at most MAX_CONNECTIONS connections, fewer when the open-files
 * limit leaves less room: one over it is closed at once, and the refusal is logged.
 */

jest.setTimeout(60_000);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A connection, and whether the server closed it within `ms` of opening. */
function openAndWatch(port: number, ms: number): Promise<{ socket: Socket; closed: boolean }> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const timer = setTimeout(() => resolve({ socket, closed: false }), ms);
    const closed = () => {
      clearTimeout(timer);
      resolve({ socket, closed: true });
    };
    socket.once('close', closed);
    socket.once('error', () => undefined);
  });
}

describe('the connections a server holds', () => {
  it('never leave fewer than 128 descriptors of the open-files limit for the store and the logs', () => {
    expect(connectionCap(10_000, 20_000)).toBe(10_000);
    expect(connectionCap(10_000, 1_024)).toBe(896);
    expect(connectionCap(50, 1_024)).toBe(50);
    expect(connectionCap(10_000, 100)).toBe(16);
    expect(connectionCap(10_000, undefined)).toBe(10_000);
  });

  it('read the soft open-files limit of the process', () => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-limits-'));
    const limits = join(dir, 'limits');
    writeFileSync(
      limits,
      [
        'Limit                     Soft Limit           Hard Limit           Units     ',
        'Max processes             95577                95577                processes ',
        'Max open files            1024                 524288               files     ',
      ].join('\n'),
    );
    expect(openFilesLimit(limits)).toBe(1024);
    expect(openFilesLimit(join(dir, 'missing'))).toBeUndefined();
    rmSync(dir, { recursive: true, force: true });
  });

  describe('when more clients connect than the server holds', () => {
    let dir: string;
    let api: ApiProcess;
    const sockets: Socket[] = [];

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'parley-cap-'));
      api = await startApi(join(dir, 'parley.db'), 3, { MAX_CONNECTIONS: '20' });
    });

    afterAll(async () => {
      for (const socket of sockets) socket.destroy();
      await kill(api, 'SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    });

    it('closes the ones over the cap at once, logs the refusal once, and serves again when they go', async () => {
      const port = Number(new URL(api.baseUrl).port);
      const held = await Promise.all(Array.from({ length: 20 }, () => openAndWatch(port, 1_000)));
      sockets.push(...held.map((h) => h.socket));
      expect(held.filter((h) => h.closed)).toHaveLength(0);
      const over = await Promise.all(Array.from({ length: 10 }, () => openAndWatch(port, 2_000)));
      sockets.push(...over.map((h) => h.socket));
      expect(over.filter((h) => h.closed)).toHaveLength(10);
      await sleep(200);
      const refusals = api.output().match(/refusing connections: 20 are open/g) ?? [];
      expect(refusals).toHaveLength(1);
      for (const socket of sockets) socket.destroy();
      await sleep(300);
      const answer = await fetch(`${api.baseUrl}/health`);
      expect(answer.status).toBe(200);
    });
  });
});
