// The worker side of a FileIO plugin: one instance of the plugin's class per file GPAC opens, and the
// native side's calls (native/src/hook/file_io.cc) mapped onto it.
import type { FileIOFactory } from './file-io.js';
import { after, describe, type HookRuntime } from './runtime.js';

export class FileIORuntime implements HookRuntime {
  readonly methods = ['open', 'close', 'read', 'write', 'seek', 'tell', 'eof', 'exists'];
  readonly #Cls: new (options: unknown) => FileIOFactory;
  readonly #options: unknown;
  /** The factory itself (libgpac.py's FileIO object): asked whether files exist, and the owner's calls. */
  readonly instance: FileIOFactory;
  readonly #files = new Map<number, FileIOFactory>();
  #next = 1;

  constructor(Cls: new (options: unknown) => FileIOFactory, options: unknown) {
    this.#Cls = Cls;
    this.#options = options;
    this.instance = new Cls(options);
  }

  #file(id: number, method: string): FileIOFactory {
    const f = this.#files.get(id);
    if (!f) throw new Error(`${method}: no open file ${id}`);
    return f;
  }

  call(method: string, args: unknown[]): unknown {
    switch (method) {
      case 'exists':
        return after(this.instance.exists?.(args[0] as string) ?? false, (v) => v === true);
      case 'open': {
        const [url, mode] = args as [string, string];
        const f = new this.#Cls(this.#options);
        return after(f.open(url, mode), (ok) => {
          if (ok === false) throw new Error(`open(${JSON.stringify(url)}, ${JSON.stringify(mode)}) returned false`);
          const id = this.#next++;
          this.#files.set(id, f);
          return id;
        });
      }
      case 'close': {
        const id = args[0] as number;
        const f = this.#file(id, method);
        this.#files.delete(id);
        return after(f.close(), () => undefined);
      }
      case 'read': {
        // GPAC's read-ahead block, lent for this call: the plugin fills it in place.
        const [id, buf] = args as [number, Uint8Array];
        return after(this.#file(id, method).read(buf), (n) => {
          if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > buf.length)
            throw new TypeError(`read() must return the bytes read (0..${buf.length}), received ${describe(n)}`);
          return n;
        });
      }
      case 'write': {
        const [id, data] = args as [number, Uint8Array];
        return after(this.#file(id, method).write(data), (n) => {
          if (n !== data.length) throw new Error(`write() wrote ${describe(n)} of ${data.length} bytes`);
          return n;
        });
      }
      case 'seek': {
        const [id, pos, whence] = args as [number, number, number];
        const f = this.#file(id, method);
        return after(f.seek(pos, whence), () => f.tell());
      }
      case 'tell':
        return this.#file(args[0] as number, method).tell();
      case 'eof':
        return after(this.#file(args[0] as number, method).eof(), (v) => v === true);
      default:
        throw new Error(`GPAC called ${method}(), which a FileIO does not have`);
    }
  }
}
