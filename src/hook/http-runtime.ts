// The worker side of an HTTP request handler: one instance of the plugin's class per request httpout
// receives, and the native side's calls (native/src/hook/http_handler.cc) mapped onto it. onRequest's call
// settles once the instance has called send() — now, or later — so that send() runs on httpout's thread,
// which waits meanwhile (its gf_httpout_send_request may not be called from another thread).
import { SEND, type HTTPOutRequest } from './http-request.js';
import { after, describe, type HookRequestFn, type HookRuntime } from './runtime.js';

export class HttpRuntime implements HookRuntime {
  readonly methods = ['onRequest', 'throttle', 'read', 'write', 'close'];
  /** The instance made first, for the owner's HookPlugin.call(); it serves no request. */
  readonly instance: HTTPOutRequest;
  readonly #Cls: new (options: unknown) => HTTPOutRequest;
  readonly #options: unknown;
  readonly #requests = new Map<number, HTTPOutRequest>();

  constructor(Cls: new (options: unknown) => HTTPOutRequest, options: unknown) {
    this.#Cls = Cls;
    this.#options = options;
    this.instance = new Cls(options);
  }

  #req(id: number, method: string): HTTPOutRequest {
    const r = this.#requests.get(id);
    if (!r) throw new Error(`${method}: no request ${id}`);
    return r;
  }

  call(method: string, args: unknown[], request: HookRequestFn): unknown {
    switch (method) {
      case 'onRequest': {
        const [id, m, url, authCode, headers] = args as [number, string, string, number, string[]];
        const req = new this.#Cls(this.#options);
        this.#requests.set(id, req);
        let sent!: () => void;
        const sentPromise = new Promise<void>((resolve) => (sent = resolve));
        let done = false;
        req[SEND] = () => {
          if (done) throw new Error('send(): already called for this request');
          if (typeof req.reply !== 'number' || !Number.isInteger(req.reply) || req.reply < 0)
            throw new TypeError(`send(): reply must be an HTTP status code, or 0 to let GPAC serve the request; received ${describe(req.reply)}`);
          if (!Array.isArray(req.headersOut) || req.headersOut.some((h) => typeof h !== 'string'))
            throw new TypeError('send(): headersOut must be an array of strings (names at even indexes, values at odd ones)');
          if (req.body !== undefined && typeof req.body !== 'string') throw new TypeError(`send(): body must be a string, received ${describe(req.body)}`);
          request('send', {
            id,
            reply: req.reply,
            body: req.body ?? null,
            headers: req.headersOut,
            read: typeof req.read === 'function',
            write: typeof req.write === 'function',
            throttle: typeof req.throttle === 'function',
          });
          done = true;
          sent();
        };
        return after(req.onRequest(m, url, authCode, headers), () => sentPromise);
      }
      case 'throttle': {
        const [id, done, total] = args as [number, number, number];
        return after(this.#req(id, method).throttle!(done, total), (us) => {
          if (typeof us !== 'number' || !(us >= 0)) throw new TypeError(`throttle() must return a delay in microseconds (0 for none), received ${describe(us)}`);
          return us;
        });
      }
      case 'read': {
        const [id, buf] = args as [number, Uint8Array];
        return after(this.#req(id, method).read!(buf), (n) => {
          if (typeof n !== 'number' || !Number.isInteger(n) || n > buf.length)
            throw new TypeError(`read() must return the bytes written into the buffer (0..${buf.length}, 0 at the end, negative for "not yet"), received ${describe(n)}`);
          return n;
        });
      }
      case 'write': {
        const [id, chunk] = args as [number, Uint8Array | null];
        return after(this.#req(id, method).write!(chunk), () => undefined);
      }
      case 'close': {
        const [id, reason] = args as [number, number];
        const req = this.#requests.get(id);
        this.#requests.delete(id);
        if (req) req[SEND] = undefined;
        return req?.close ? after(req.close(reason), () => undefined) : undefined;
      }
      default:
        throw new Error(`GPAC called ${method}(), which an HTTP handler does not have`);
    }
  }
}
