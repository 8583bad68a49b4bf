// codegen/plugin-wire.json → generated/plugin-wire.ts and generated/native/plugin_wire.h: the layout of a
// packet record (doubles in a Float64Array, one record per prefetched or described packet), the bits of its
// Flags field, and the op codes of the intents a plugin batches on its tape. The GPAC thread writes and reads
// them in C++, the worker in TypeScript; one list keeps the two from drifting apart.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fail, ROOT } from '../ir.js';
import { bannerFrom, type EmittedFile } from './common.js';

export interface PluginWire {
  packetFields: string[];
  packetFlags: string[];
  tapeOps: string[];
}

export function loadPluginWire(): PluginWire {
  return JSON.parse(readFileSync(join(ROOT, 'codegen', 'plugin-wire.json'), 'utf8')) as PluginWire;
}

function checkNames(what: string, names: unknown): string[] {
  if (!Array.isArray(names) || names.length === 0) fail(`codegen/plugin-wire.json: ${what} must be a non-empty list`);
  const seen = new Set<string>();
  for (const n of names) {
    if (typeof n !== 'string' || !/^[A-Z][A-Za-z0-9]*$/.test(n)) fail(`codegen/plugin-wire.json: ${what}: ${JSON.stringify(n)} is not a PascalCase name`);
    if (seen.has(n)) fail(`codegen/plugin-wire.json: ${what}: ${n} is listed twice`);
    seen.add(n);
  }
  return names as string[];
}

export function emitPluginWire(wire: PluginWire): EmittedFile[] {
  const fields = checkNames('packetFields', wire.packetFields);
  const flags = checkNames('packetFlags', wire.packetFlags);
  const ops = checkNames('tapeOps', wire.tapeOps);
  if (flags.length > 31) fail('codegen/plugin-wire.json: packetFlags: at most 31 bits fit the Flags field');
  const ts = [
    bannerFrom('wire', 'ts', 'codegen/plugin-wire.json'),
    '// The plugin machinery\'s wire format (codegen/plugin-wire.json), shared with native/src through generated/native/plugin_wire.h.',
    '',
    '/** Layout of a packet record: offsets in a Float64Array; Fields is the record size. */',
    'export const Pck = {',
    ...fields.map((f, i) => `  ${f}: ${i},`),
    `  Fields: ${fields.length},`,
    '} as const;',
    '',
    '/** Bits of a record\'s Pck.Flags. */',
    'export const PckFlag = {',
    ...flags.map((f, i) => `  ${f}: ${2 ** i},`),
    '} as const;',
    '',
    '/** Op codes of the intents a plugin batches (PluginRuntime.tape): [op, a, b] triples, applied by the GPAC thread. */',
    'export const Tape = {',
    ...ops.map((o, i) => `  ${o}: ${i + 1},`),
    '} as const;',
    '',
  ].join('\n');
  const h = [
    bannerFrom('wire', 'c', 'codegen/plugin-wire.json'),
    '// The plugin machinery\'s wire format (codegen/plugin-wire.json), shared with src/plugin/native-worker.ts through',
    '// generated/plugin-wire.ts.',
    '#pragma once',
    '#include <cstdint>',
    '',
    'namespace gts {',
    '/** Layout of a packet record (doubles); kPckFields is the record size. */',
    `enum PckField : uint32_t { ${[...fields.map((f) => `kPck${f}`), 'kPckFields'].join(', ')} };`,
    '/** Bits of a record\'s kPckFlags. */',
    ...flags.map((f, i) => `constexpr uint32_t kFlag${f} = ${2 ** i};`),
    '/** Op codes of the batched intents: [op, a, b] triples. */',
    `enum TapeOp : int { ${ops.map((o, i) => `kTape${o} = ${i + 1}`).join(', ')} };`,
    '}  // namespace gts',
    '',
  ].join('\n');
  return [
    { path: 'generated/plugin-wire.ts', content: ts },
    { path: 'generated/native/plugin_wire.h', content: h },
  ];
}
