// A FileIO store backed by a directory: the files GPAC opens through it are files under `root`, reached
// with Node's fs/promises (every method async: GPAC's thread waits for each). URLs are resolved inside
// `root` and one that leaves it (`../x`, an absolute path elsewhere) is refused, so a manifest cannot make
// GPAC write outside the store.
//
//   const fio = await FileIO.create('live.mpd', './plugins/fileio-directory.ts', { options: { root: '/srv/dash' } });
//   fs.loadDst(fio.url + ':segdur=2');   // /srv/dash/live.mpd and its segments
import { mkdir, open, stat, type FileHandle } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { FileIOFactory } from '../src/plugin/index.js';

export interface DirectoryStoreOptions {
  /** The directory holding the files (made when missing). */
  root: string;
}

export default class DirectoryStore extends FileIOFactory {
  readonly #root: string;
  #fh: FileHandle | undefined;
  #pos = 0;
  #size = 0;

  constructor(options: DirectoryStoreOptions) {
    super();
    if (!options || typeof options.root !== 'string') throw new TypeError('fileio-directory: options.root (a directory) is required');
    this.#root = resolve(options.root);
  }

  /** The file `url` names under the root; throws for one outside it. */
  #path(url: string): string {
    const p = resolve(this.#root, url.replace(/^file:\/\//, ''));
    const rel = relative(this.#root, p);
    if (rel.startsWith('..') || isAbsolute(rel)) throw new Error(`fileio-directory: ${url} is outside ${this.#root}`);
    return p;
  }

  override async exists(url: string): Promise<boolean> {
    try {
      return (await stat(this.#path(url))).isFile();
    } catch {
      return false;
    }
  }

  async open(url: string, mode: string): Promise<void> {
    const path = this.#path(url);
    if (/[wa]/.test(mode)) await mkdir(dirname(path), { recursive: true });
    // fopen's modes are fs.open's flags ('rb' → 'r': Node has no text mode).
    this.#fh = await open(path, mode.replace('b', ''));
    this.#size = (await this.#fh.stat()).size;
    this.#pos = mode.includes('a') ? this.#size : 0;
  }
  async close(): Promise<void> {
    await this.#fh?.close();
    this.#fh = undefined;
  }
  async read(buffer: Uint8Array): Promise<number> {
    const { bytesRead } = await this.#fh!.read(buffer, 0, buffer.length, this.#pos);
    this.#pos += bytesRead;
    return bytesRead;
  }
  async write(buffer: Uint8Array): Promise<number> {
    let done = 0;
    while (done < buffer.length) done += (await this.#fh!.write(buffer, done, buffer.length - done, this.#pos + done)).bytesWritten;
    this.#pos += done;
    this.#size = Math.max(this.#size, this.#pos);
    return done;
  }
  seek(pos: number, whence: number): void {
    this.#pos = Math.max(0, (whence === 1 ? this.#pos : whence === 2 ? this.#size : 0) + pos);
  }
  tell(): number {
    return this.#pos;
  }
  eof(): boolean {
    return this.#pos >= this.#size;
  }
}
