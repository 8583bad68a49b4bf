// A FileIO store in memory (libgpac.py's FileIO examples keep files in a dict the same way): everything GPAC
// writes through it stays in the plugin's worker, readable back through the same FileIO (a DASH session
// written, then played) or fetched by the owner with `fio.plugin.call('files')`.
//
//   const fio = await FileIO.create('live.mpd', './plugins/fileio-memory.ts');
//   fs.loadDst(fio.url + ':segdur=2');   // the manifest and every segment land in memory
//   await fs.run();
//   const files = await fio.plugin.call('files') as Map<string, Uint8Array>;
import { FileIOFactory } from '../src/plugin/index.js';

export interface MemoryStoreOptions {
  /** Files the store starts with (URL → bytes), e.g. to play content from memory. */
  files?: Map<string, Uint8Array>;
}

/** A growable byte array. */
class Bytes {
  data: Uint8Array = new Uint8Array(0);
  size = 0;
  constructor(init?: Uint8Array) {
    if (init) {
      this.data = init;
      this.size = init.length;
    }
  }
  write(at: number, src: Uint8Array): void {
    const end = at + src.length;
    if (end > this.data.length) {
      const grown = new Uint8Array(Math.max(end, this.data.length * 2, 64 * 1024));
      grown.set(this.data.subarray(0, this.size));
      this.data = grown;
    }
    this.data.set(src, at);
    this.size = Math.max(this.size, end);
  }
  view(): Uint8Array {
    return this.data.subarray(0, this.size);
  }
}

// One store per FileIO: each FileIO runs in a worker of its own, and every file it opens gets an instance.
const store = new Map<string, Bytes>();

export default class MemoryStore extends FileIOFactory {
  #file: Bytes | undefined;
  #pos = 0;

  constructor(options: MemoryStoreOptions = {}) {
    super();
    if (options.files && store.size === 0) for (const [url, bytes] of options.files) store.set(url, new Bytes(bytes));
  }

  /** For the owner (`fio.plugin.call('files')`): a copy of every file. */
  files(): Map<string, Uint8Array> {
    return new Map([...store].map(([url, b]) => [url, b.view().slice()]));
  }

  override exists(url: string): boolean {
    return store.has(url);
  }

  open(url: string, mode: string): boolean {
    if (mode.includes('r') && !mode.includes('+') && !store.has(url)) return false;
    let f = store.get(url);
    if (!f || mode.includes('w')) store.set(url, (f = new Bytes()));
    this.#file = f;
    this.#pos = mode.includes('a') ? f.size : 0;
    return true;
  }
  close(): void {
    this.#file = undefined;
  }
  read(buffer: Uint8Array): number {
    const f = this.#file!;
    const n = Math.max(0, Math.min(buffer.length, f.size - this.#pos));
    buffer.set(f.data.subarray(this.#pos, this.#pos + n));
    this.#pos += n;
    return n;
  }
  write(buffer: Uint8Array): number {
    this.#file!.write(this.#pos, buffer);
    this.#pos += buffer.length;
    return buffer.length;
  }
  seek(pos: number, whence: number): void {
    const base = whence === 1 ? this.#pos : whence === 2 ? this.#file!.size : 0;
    this.#pos = Math.max(0, base + pos);
  }
  tell(): number {
    return this.#pos;
  }
  eof(): boolean {
    return this.#pos >= this.#file!.size;
  }
}
