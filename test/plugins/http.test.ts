// HTTP request handler plugins on GPAC's httpout (src/hook/http-request.ts, native/src/hook/http_handler.cc),
// with a real client (Node's fetch, and raw TCP for paths fetch would normalise) on 127.0.0.1, through the
// example handler plugins/http-handler.ts: headers added while GPAC serves its files, a body served by the
// plugin, uploads received by it, a 403; failures through test/plugins/fixtures/http-faulty.ts.
import { connect } from 'node:net';
import { mkdirSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import { describeGpac, itGpac } from '../helpers/gpac.js';
import { tmpDir } from '../helpers/tmp.js';
import { FilterSession } from '../../src/session/session.js';
import { GpacError } from '../../src/errors.js';
import type { HookPlugin, HookPluginOptions } from '../../src/hook/load.js';
import { fixture, plugin } from './_plugins.js';
import { freePort } from '../helpers/net.js';

const HANDLER = plugin('http-handler.ts');
const FAULTY = fixture('http-faulty.ts');

interface Server {
  base: string;
  port: number;
  root: string;
  hook: HookPlugin;
  /** Aborts the session and gives how run() ended (undefined: it resolved). */
  stop(): Promise<unknown>;
}

/** httpout serving `root/www` (GPAC's own files) with the handler bound; `bindVia` 'filter' uses f.bind(). */
async function serve(threads: number, spec = HANDLER, opts: HookPluginOptions = {}, bindVia: 'session' | 'filter' = 'session'): Promise<Server> {
  const dir = tmpDir('gpac-ts-http-');
  mkdirSync(dir.file('www/sub'), { recursive: true });
  writeFileSync(dir.file('www/pub.txt'), 'public file\n');
  writeFileSync(dir.file('secret.txt'), 'secret outside the served folder\n');
  const port = await freePort();
  const fs = new FilterSession({ threads });
  // block_size: httpout reads one block of an upload per scheduling round; at its default (10 kB) uploads
  // crawl (~200 kB/s here, with or without a handler).
  // maxc/maxp: httpout's defaults (100 connections, 6 per peer) reset the connections of 200 concurrent
  // requests from one client.
  const desc = `httpout:port=${port}:ifce=127.0.0.1:rdirs=${dir.file('www')}:block_size=262144:maxc=0:maxp=0`;
  let hook: HookPlugin;
  if (bindVia === 'session') {
    hook = await fs.bindHttpHandler(spec, opts);
    fs.load(desc);
  } else {
    hook = await fs.load(desc).bind(spec, opts);
  }
  let ended: unknown;
  const running = fs.run().then(
    () => undefined,
    (e: unknown) => (ended = e),
  );
  const base = `http://127.0.0.1:${port}`;
  // Ready once it accepts connections (a request would reach the handler, which may be the one failing).
  for (let i = 0; ; i++) {
    try {
      await new Promise<void>((resolve, reject) => {
        const s = connect(port, '127.0.0.1', () => {
          s.destroy();
          resolve();
        });
        s.on('error', reject);
      });
      break;
    } catch (e) {
      if (i > 100) throw e;
      await new Promise((r) => setTimeout(r, 30));
    }
  }
  return {
    base,
    port,
    root: dir.path,
    hook,
    async stop() {
      fs.abort();
      await running;
      fs.close();
      return ended;
    },
  };
}

/** One request on its own connection, the path sent as it is (fetch would resolve `..`): status and body. */
function rawGet(port: number, path: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1', () => s.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`));
    let data = '';
    s.setEncoding('latin1');
    const done = () => {
      s.destroy();
      resolve({ status: Number(/^HTTP\/1\.\d (\d+)/.exec(data)?.[1] ?? 0), text: data });
    };
    s.on('data', (d: string) => {
      data += d;
      const head = data.indexOf('\r\n\r\n');
      const len = /content-length: (\d+)/i.exec(data);
      if (head >= 0 && len && data.length >= head + 4 + Number(len[1])) done();
    });
    s.on('end', done);
    s.on('error', reject);
    s.setTimeout(5000, done);
  });
}

/** A streamed (chunked) upload: httpout ends an upload handed to a plugin only at the last chunk (gpac-issues.md). */
function chunked(data: Uint8Array, chunk = 1 << 20): { body: ReadableStream<Uint8Array>; duplex: 'half' } {
  return {
    body: new ReadableStream({
      start(c) {
        for (let o = 0; o < data.length; o += chunk) c.enqueue(data.subarray(o, o + chunk));
        c.close();
      },
    }),
    duplex: 'half',
  };
}

describeGpac('HTTP request handler plugins', () => {
  for (const threads of [0, 4]) {
    itGpac(`GPAC serves its file and the plugin's headers arrive (threads ${threads})`, async () => {
      const srv = await serve(threads);
      try {
        const r = await fetch(`${srv.base}/pub.txt`);
        expect(r.status).toBe(200);
        expect(r.headers.get('x-served-by')).toBe('gpac-ts');
        expect(await r.text()).toBe('public file\n');
      } finally {
        expect(await srv.stop()).toBeUndefined();
      }
    });

    itGpac(`a PUT of 6 MB is received whole by the plugin, and the body it serves back is byte-identical (threads ${threads})`, async () => {
      const srv = await serve(threads);
      try {
        const data = randomBytes(6_000_000);
        const put = await fetch(`${srv.base}/mem/upload.bin`, { method: 'PUT', ...chunked(data) } as RequestInit);
        expect(put.status).toBe(201);
        const files = (await srv.hook.call('files')) as Map<string, Uint8Array>;
        expect(Buffer.from(files.get('upload.bin')!).equals(data)).toBe(true);
        const get = await fetch(`${srv.base}/mem/upload.bin`);
        expect(get.status).toBe(200);
        expect(get.headers.get('x-served-by')).toBe('gpac-ts');
        expect(Buffer.from(await get.arrayBuffer()).equals(data)).toBe(true);
      } finally {
        expect(await srv.stop()).toBeUndefined();
      }
    });

    itGpac(`the plugin's 403 for a forbidden path, and paths outside the served folder refused (threads ${threads})`, async () => {
      const srv = await serve(threads);
      try {
        const r = await fetch(`${srv.base}/private/report.txt`);
        expect(r.status).toBe(403);
        expect(await r.text()).toBe('forbidden');
        for (const p of ['/../secret.txt', '/sub/../../secret.txt', '/%2e%2e/secret.txt', '/%2E%2E%2Fsecret.txt', '/..%2fsecret.txt']) {
          const res = await rawGet(srv.port, p);
          expect(res.status, p).toBeGreaterThanOrEqual(400);
          expect(res.text, p).not.toMatch(/secret outside/);
        }
        expect((await rawGet(srv.port, '/sub/../pub.txt')).text).toMatch(/public file/); // inside: served
      } finally {
        expect(await srv.stop()).toBeUndefined();
      }
    });

    itGpac(`200 concurrent requests are all answered correctly (threads ${threads})`, async () => {
      const srv = await serve(threads);
      try {
        const blobs = Array.from({ length: 10 }, (_, i) => randomBytes(20_000 + i * 1000));
        for (const [i, b] of blobs.entries()) expect((await fetch(`${srv.base}/mem/b${i}`, { method: 'PUT', ...chunked(b) } as RequestInit)).status).toBe(201);
        const results = await Promise.all(
          Array.from({ length: 200 }, async (_, i) => {
            const kind = i % 3;
            const url = kind === 0 ? '/pub.txt' : kind === 1 ? `/mem/b${i % 10}` : `/private/${i}`;
            const r = await fetch(srv.base + url);
            const body = Buffer.from(await r.arrayBuffer());
            if (kind === 0) return r.status === 200 && body.toString() === 'public file\n' && r.headers.get('x-served-by') === 'gpac-ts';
            if (kind === 1) return r.status === 200 && body.equals(blobs[i % 10]!);
            return r.status === 403;
          }),
        );
        expect(results.filter((ok) => !ok).length).toBe(0);
        expect(srv.hook.stats().calls).toBeGreaterThanOrEqual(200);
      } finally {
        expect(await srv.stop()).toBeUndefined();
      }
    });

    itGpac(`send() called later, from a timer after onRequest returned, answers the request (threads ${threads})`, async () => {
      const srv = await serve(threads, FAULTY, { options: { method: 'onRequest', how: 'late' } });
      try {
        const r = await fetch(`${srv.base}/pub.txt`);
        expect(r.status).toBe(200);
        expect(r.headers.get('x-late')).toBe('yes');
        expect(await r.text()).toBe('public file\n');
      } finally {
        expect(await srv.stop()).toBeUndefined();
      }
    });
  }

  itGpac('bound with f.bind() on the httpout filter, as in GPAC\'s howto', async () => {
    const srv = await serve(0, HANDLER, { options: { headers: ['X-Origin', 'edge-1'] } }, 'filter');
    try {
      const r = await fetch(`${srv.base}/pub.txt`);
      expect(r.headers.get('x-origin')).toBe('edge-1');
    } finally {
      expect(await srv.stop()).toBeUndefined();
    }
  });
});

describeGpac('HTTP request handler failures', () => {
  const named = (callback: string) => new RegExp(`HTTP handler 'http-faulty' \\(.*http-faulty\\.ts\\), ${callback}\\(\\)`);
  for (const threads of [0, 4]) {
    itGpac(`an onRequest that throws: the client gets 500, the session owner the plugin's error and stack (threads ${threads})`, async () => {
      const srv = await serve(threads, FAULTY, { options: { method: 'onRequest', how: 'throw' } });
      let err: unknown;
      try {
        const r = await fetch(`${srv.base}/pub.txt`);
        expect(r.status).toBe(500);
      } finally {
        err = await srv.stop();
      }
      expect(err).toBeInstanceOf(GpacError);
      const e = err as GpacError;
      expect(e.message).toMatch(named('onRequest'));
      expect(e.message).toMatch(/HandlerFailure: handler broke in onRequest/);
      expect(e.stack).toMatch(/http-faulty\.ts/);
      expect(e.file).toMatch(/http-faulty\.ts$/);
    });

    itGpac(`an onRequest that never sends times out, naming the plugin and the callback (threads ${threads})`, async () => {
      const srv = await serve(threads, FAULTY, { options: { method: 'onRequest', how: 'hang' }, timeoutMs: 300 });
      let err: unknown;
      try {
        expect((await fetch(`${srv.base}/pub.txt`)).status).toBe(500);
      } finally {
        err = await srv.stop();
      }
      expect((err as Error).message).toMatch(named('onRequest'));
      expect((err as Error).message).toMatch(/did not return within 300 ms/);
    });

    itGpac(`a read() that rejects ends the session with its error (threads ${threads})`, async () => {
      const srv = await serve(threads, FAULTY, { options: { method: 'read', how: 'reject' } });
      let err: unknown;
      try {
        await fetch(`${srv.base}/mem/x`, { method: 'PUT', ...chunked(randomBytes(1000)) } as RequestInit);
        await fetch(`${srv.base}/mem/x`).then((r) => r.arrayBuffer()).catch(() => undefined);
      } finally {
        err = await srv.stop();
      }
      expect((err as Error).message).toMatch(named('read'));
      expect((err as Error).message).toMatch(/handler rejected read/);
    });

    itGpac(`a worker that exits in onRequest ends the session with an error, and the process lives on (threads ${threads})`, async () => {
      const srv = await serve(threads, FAULTY, { options: { method: 'onRequest', how: 'exit' } });
      let err: unknown;
      try {
        expect((await fetch(`${srv.base}/pub.txt`)).status).toBe(500);
      } finally {
        err = await srv.stop();
      }
      expect((err as Error).message).toMatch(/http-faulty/);
      expect((err as Error).message).toMatch(/worker is exiting|worker exited|worker is gone/);
    });
  }
});
