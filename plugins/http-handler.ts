// An HTTP request handler for GPAC's httpout (libgpac.py's HTTPOutRequest, camelCased), showing its three
// modes: every request gets extra headers while GPAC serves it as usual; GET under `/mem/` is served by the
// plugin from its in-memory store (read()); PUT/POST under `/mem/` are received into it (write()). Paths
// under `forbidden` are refused with 403.
//
//   const fs = new FilterSession();
//   await fs.bindHttpHandler('./plugins/http-handler.ts', { options: { headers: ['X-Origin', 'edge-1'] } });
//   fs.load('httpout:port=8080:rdirs=/srv/www');
//   await fs.run();
import { HTTPOutRequest } from '../src/plugin/index.js';

export interface HttpHandlerOptions {
  /** Headers added to every reply (names at even indexes); default: X-Served-By: gpac-ts. */
  headers?: string[];
  /** Requests under this path are refused with 403; default '/private/'. */
  forbidden?: string;
}

const MEM = '/mem/';
/** What was uploaded under /mem/ (one store per plugin worker), and what GET there serves. */
const store = new Map<string, Uint8Array>();

export default class HttpHandler extends HTTPOutRequest {
  readonly #headers: string[];
  readonly #forbidden: string;
  #serving: Uint8Array | undefined; // GET: the body being sent
  #sent = 0;
  #upload: Uint8Array[] | undefined; // PUT/POST: the chunks received
  #name = '';

  constructor(options: HttpHandlerOptions = {}) {
    super();
    this.#headers = options.headers ?? ['X-Served-By', 'gpac-ts'];
    this.#forbidden = options.forbidden ?? '/private/';
  }

  /** For the owner (`plugin.call('files')`): what was uploaded. */
  files(): Map<string, Uint8Array> {
    return new Map(store);
  }

  override onRequest(method: string, url: string): void {
    this.headersOut = [...this.#headers];
    if (url.startsWith(this.#forbidden)) {
      this.reply = 403;
      this.body = 'forbidden';
    } else if (url.startsWith(MEM)) {
      this.#name = url.slice(MEM.length);
      if (method === 'GET' || method === 'HEAD') {
        const data = store.get(this.#name);
        if (!data) {
          this.reply = 404;
          this.body = 'not found';
        } else {
          this.#serving = data;
          this.reply = 200;
          this.headersOut.push('Content-Type', 'application/octet-stream'); // no Content-Length: httpout sends a body read() serves chunked
        }
      } else if (method === 'PUT' || method === 'POST') {
        this.#upload = [];
        this.reply = 201;
      } else {
        this.reply = 405;
        this.body = 'method not allowed';
      }
    }
    // reply 0 (the default): GPAC serves the URL from its own directories, with the headers added.
    this.send();
  }

  override read(buffer: Uint8Array): number {
    const data = this.#serving;
    if (!data) return 0;
    const n = Math.min(buffer.length, data.length - this.#sent);
    buffer.set(data.subarray(this.#sent, this.#sent + n));
    this.#sent += n;
    return n;
  }

  override write(chunk: Uint8Array | null): void {
    if (!this.#upload) return;
    if (chunk) {
      this.#upload.push(chunk.slice()); // the chunk is lent for the call
      return;
    }
    store.set(this.#name, Buffer.concat(this.#upload));
    this.#upload = undefined;
  }
}
