// HTTP request handlers: libgpac.py's HTTPOutRequest, bound to an httpout filter (`fs.bindHttpHandler(spec)`,
// or `f.bind(spec)` on httpout). Each request httpout receives gets a new instance of the plugin's class in
// its worker (http-runtime.ts; the native side is native/src/hook/http_handler.cc), whose onRequest decides:
//   - let GPAC serve it: `send()` with `reply` 0, optionally adding `headersOut` (or naming a file in `body`);
//   - refuse it: `reply` = 403 …, `body` a short text;
//   - serve a GET body itself: `reply` 200 and a `read(buffer)` method;
//   - receive a PUT/POST body: `reply` 200 … and a `write(chunk)` method.
import type { Maybe } from './runtime.js';

/** @internal How the runtime gives each instance its send(). */
export const SEND = Symbol('gpac-ts.HTTPOutRequest.send');

/** The optional methods of a request handler (libgpac.py's HTTPOutRequest): defining one asks httpout to call it. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export interface HTTPOutRequest {
  /** Called as the body is sent (`done` of `total` bytes): a delay in microseconds before the next block, or 0. */
  throttle?(done: number, total: number): Maybe<number>;
  /** Fills `buffer` (httpout's block, lent for the call) with the next bytes of the body the plugin serves;
   *  returns the bytes written, 0 at the end, or a negative number for "nothing yet, ask again". */
  read?(buffer: Uint8Array): Maybe<number>;
  /** A chunk of the PUT/POST body (lent for the call: copy what you keep), or null at its end. */
  write?(chunk: Uint8Array | null): Maybe<void>;
  /** The request is over: `reason` 1 (GF_EOS) when it completed, else a GF_Err (the client went away …). */
  close?(reason: number): Maybe<void>;
}

// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export abstract class HTTPOutRequest {
  /** Reply code: 0 lets httpout serve the resource as usual; else the code sent (with `body`, `read` or `write`). */
  reply = 0;
  /** With `reply` 0, a file to serve instead of the URL's; otherwise the reply's body, as text. */
  body: string | undefined = undefined;
  /** Headers to add: names at even indexes, values at odd ones (libgpac.py's headers_out). */
  headersOut: string[] = [];
  /** @internal */
  [SEND]: (() => void) | undefined;

  /**
   * A request: its method ('GET', 'PUT' …), URL (decoded, from the root of the server), httpout's
   * authentication verdict (200 identified or no credentials needed, 401 none given, 403 refused) and
   * headers (names at even indexes). Call `send()` now or later: httpout's thread waits for it (timeoutMs).
   * The default lets GPAC serve the request.
   */
  onRequest(_method: string, _url: string, _authCode: number, _headers: string[]): Maybe<void> {
    this.send();
  }

  /** Sends the reply as set in `reply`, `body` and `headersOut`: once per request. */
  send(): void {
    const send = this[SEND];
    if (!send) throw new Error('send(): this request handler is not serving a request');
    send();
  }
}
Object.defineProperty(HTTPOutRequest, Symbol.for('gpac-ts.HTTPOutRequest'), { value: true });
