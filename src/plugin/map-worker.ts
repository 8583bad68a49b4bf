// The piscina worker of ParallelMapFilter: imports the map module once (registering tsx's loader first when
// it is TypeScript) and maps each payload in the SharedArrayBuffer it is handed. A returned array is moved
// back (transferred, not copied); nothing returned means the buffer itself was transformed in place.
import { workerData } from 'node:worker_threads';
import { Piscina } from 'piscina';
import { checkMapFunction, type MapFunction, type MapTask, type MapWorkerData } from './map-types.js';

let loaded: Promise<MapFunction> | undefined;

function load(): Promise<MapFunction> {
  const data = workerData as MapWorkerData;
  loaded ??= (async () => {
    if (data.tsx) ((await import(data.tsx)) as { register(): void }).register();
    const mod = (await import(data.mapUrl)) as { default?: unknown };
    return checkMapFunction(mod.default, data.mapUrl);
  })();
  return loaded;
}

export default async function mapTask(task: MapTask): Promise<Uint8Array | undefined> {
  const fn = await load();
  const data = new Uint8Array(task.buf, 0, task.size);
  const out = await fn(data, task.info);
  if (out === undefined || out === data) return undefined;
  if (!(out instanceof Uint8Array)) throw new TypeError(`map module ${(workerData as MapWorkerData).mapUrl}: the map function returned ${typeof out}, expected a Uint8Array or nothing`);
  // A view of the shared buffer cannot be moved: copy it (e.g. a subarray of `data`).
  if (out.buffer === task.buf) return out.slice();
  return Piscina.move(out) as unknown as Uint8Array;
}
