// generated/abi.ts: which GPAC the bindings were generated from. The addon loader checks the library it
// finds against these numbers (src/discovery.ts checkAbi).
import type { GpacIR } from '../ir-types.js';
import { banner, type EmittedFile } from './common.js';

export function emitAbi(ir: GpacIR, irPath: string): EmittedFile[] {
  const { version, abi } = ir.gpac;
  const content = [
    banner('abi', 'ts'),
    '',
    `/** GPAC version the bindings were generated from (GPAC_VERSION). */`,
    `export const GPAC_VERSION = ${JSON.stringify(version)};`,
    `/** libgpac ABI the bindings were generated from (GPAC_VERSION_MAJOR/MINOR/MICRO). */`,
    `export const GPAC_ABI = { major: ${abi.major}, minor: ${abi.minor}, micro: ${abi.micro} } as const;`,
    `/** libgpac.py's names for GPAC_VERSION_MAJOR / GPAC_VERSION_MINOR (with this header's values, not libgpac.py's stale ones). */`,
    `export const GF_ABI_MAJOR = ${abi.major};`,
    `export const GF_ABI_MINOR = ${abi.minor};`,
    `/** The IR every file of generated/ comes from. */`,
    `export const GPAC_IR = ${JSON.stringify(irPath)};`,
    '',
  ].join('\n');
  return [{ path: 'generated/abi.ts', content }];
}
