// IR → generated/hook-structs.ts: the TS types of the GPAC structs a hook plugin's native side snapshots for
// its worker (native/src/hook/hook_value.cc, structToHook): DASH qualities and statistics. The kind rule is
// structToHook's, from the IR's C types: integers and doubles → number (64-bit ones too: sizes and
// microseconds, far below 2^53), Bool → boolean, char * → string | null, fractions → Fraction; other
// pointers are GPAC memory and left out. The public types of src/hook/ are built from these.
import { StructureKind } from 'ts-morph';
import type { GpacIR } from '../ir-types.js';
import { banner, newProject, type EmittedFile } from './common.js';
import { camel, EventEmitError, Types } from './events.js';

/** Structs snapshotted for hook plugins (each must also be in native-api.json's `reflect`). */
export const HOOK_STRUCTS = ['GF_DASHQualityInfo', 'GF_DASHCustomAlgoInfo', 'GF_DASHDownloadStats'] as const;

export function emitHookStructs(ir: GpacIR, reflect: readonly string[]): EmittedFile[] {
  const types = new Types(ir);
  const project = newProject();
  const sf = project.createSourceFile('/generated/hook-structs.ts', '');
  sf.addImportDeclaration({ isTypeOnly: true, moduleSpecifier: './value-types.js', namedImports: ['Fraction'] });
  for (const name of HOOK_STRUCTS) {
    if (!reflect.includes(name)) throw new EventEmitError(`hook struct ${name} is not in native-api.json's reflect list`);
    const s = types.struct(name, `hook struct ${name}`);
    const props = [];
    for (const f of s.fields!) {
      if (f.bits !== null) continue;
      const t = types.field(f.type, `${name}.${f.name}`);
      if (!t || t.read === 'bigint | null') continue;
      const type = t.read === 'bigint' ? 'number' : t.read === 'Fraction64' ? null : t.read;
      if (type === null) continue;
      props.push({ name: camel(f.name), type, docs: [{ description: `C field \`${f.name}\`.` }] });
    }
    sf.addInterface({
      kind: StructureKind.Interface,
      isExported: true,
      name,
      docs: [{ description: `${name} as a hook plugin's worker receives it (pointers left out).` }],
      properties: props,
    });
  }
  sf.formatText({ indentSize: 2, convertTabsToSpaces: true });
  const head = banner('hook-structs', 'ts', ir.gpac.version);
  return [{ path: 'generated/hook-structs.ts', content: `${head}\n// GPAC structs snapshotted for hook plugins' workers (native/src/hook/hook_value.cc).\n\n${sf.getFullText()}` }];
}
