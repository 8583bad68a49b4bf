// The event field types (codegen/emit/events.ts) from the committed IR: each member struct of union
// __gf_filter_event typed as the native reflection reads and writes it (gpac_reflect.h's rule).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { emitEventTypes } from '../../codegen/emit/events.js';
import { ROOT } from '../../codegen/ir.js';
import type { GpacIR } from '../../codegen/ir-types.js';
import { interfaceMembers } from './_interfaces.js';

const ir = JSON.parse(readFileSync(join(ROOT, 'codegen', 'ir', 'gpac-26.08-DEV.json'), 'utf8')) as GpacIR;
const events = (JSON.parse(readFileSync(join(ROOT, 'codegen', 'native-api.json'), 'utf8')) as { events: Record<string, string> }).events;

describe('event field types', () => {
  const text = emitEventTypes(ir, events)[0]!.content;

  it('types each field from its C type: C strings, u8, u64, Bool, fractions', () => {
    const seg = interfaceMembers(text, 'GF_FEVT_SegmentSize');
    expect(seg.get('segUrl')).toBe('string | null');
    expect(seg.get('base64Version')).toBe('string | null'); // const char *, not a Bool
    expect(seg.get('isInit')).toBe('number'); // u8
    expect(seg.get('mediaRangeStart')).toBe('bigint'); // u64
    const frag = interfaceMembers(text, 'GF_FEVT_FragmentSize');
    expect(frag.get('size')).toBe('bigint'); // u64
    expect(frag.get('isLast')).toBe('boolean'); // Bool
    expect(frag.get('duration')).toBe('Fraction64');
    expect(interfaceMembers(text, 'GF_FEVT_FragmentSizeInit').get('duration')).toBe('Fraction64Input');
    expect(interfaceMembers(text, 'GF_FEVT_PlayInit').get('hintFirstDts')).toBe('number | bigint');
    // The event's own members are not fields.
    expect(interfaceMembers(text, 'GF_FEVT_Play').has('onPid')).toBe(false);
    expect(interfaceMembers(text, 'GF_FEVT_Play').has('type')).toBe(false);
  });

  it('maps every GF_FEVT_* of native-api.json to its member, and merges shared field names', () => {
    const byType = interfaceMembers(text, 'FilterEventFieldsByType');
    expect(byType.size).toBe(Object.keys(events).length);
    expect(byType.get('GF_FEVT_STOP')).toBe('GF_FEVT_Play');
    expect(byType.get('GF_FEVT_SEGMENT_SIZE')).toBe('GF_FEVT_SegmentSize');
    expect(interfaceMembers(text, 'FilterEventMembers').get('segSize')).toBe('GF_FEVT_SegmentSize');
    // Pointers other than char * are read as addresses and cannot be written.
    expect(interfaceMembers(text, 'FilterEventAnyFields').get('objectManager')).toBe('bigint | null');
    expect(interfaceMembers(text, 'FilterEventAnyInit').has('objectManager')).toBe(false);
  });

  it('refuses a GF_FEVT_* mapped to no member of the union, naming it', () => {
    expect(() => emitEventTypes(ir, { ...events, GF_FEVT_PLAY: 'nosuch' })).toThrow(/GF_FEVT_PLAY → nosuch is not a member of union __gf_filter_event/);
  });
});
