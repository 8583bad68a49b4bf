// Runs GPAC's own `inspect` filter (through the `gpac` CLI, independent of our binding) on a media file and
// parses its XML dump into per-PID facts and per-packet timing, so tests can check an output file against
// its source packet by packet without trusting the code under test.
//
// Command: gpac -i FILE inspect:deep:xml:mode=MODE:log=OUT.xml
//   deep  -> one <Packet .../> element per packet (dts, cts, dur, sap, size, CRC32 of the payload ...)
//   xml   -> one <PIDConfigure .../> element per PID (re)configuration, all properties as attributes
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { gpacCliPath, INSTALL_HINT } from './gpac.js';
import { tmpDir } from './tmp.js';

export interface InspectPacket {
  /** Inspect's PID index (matches InspectPid.pid), not the stream ID. */
  pid: number;
  /** 1-based packet number within its PID. */
  number: number;
  /** null when GPAC prints N/A (no timestamp). */
  dts: number | null;
  cts: number | null;
  dur: number;
  size: number;
  sap: number;
  /** 'complete' | 'start' | 'end' | 'continuation' | 'interface' */
  framing: string;
  /** CRC32 of the payload as GPAC prints it (e.g. 0x0D4B36D5); null when the packet has no data. */
  crc: string | null;
  /** Every attribute as printed, including packet properties. */
  attrs: Record<string, string>;
}

export interface InspectPid {
  /** Inspect's PID index. */
  pid: number;
  /** PID name, e.g. V1 / A2. */
  name: string;
  /** ID property (track ID / stream ID), null when absent. */
  id: number | null;
  /** StreamType property as GPAC names it: Visual, Audio, Text ... */
  streamType: string;
  /** CodecID property as GPAC names it, e.g. 'MPEG-4 AVC|H264 Video', 'MPEG-4 AAC Audio'. */
  codec: string;
  timescale: number;
  /** Properties of the last configuration, as printed. */
  props: Record<string, string>;
  /** How many PIDConfigure elements this PID had (1 unless reconfigured). */
  configureCount: number;
  packets: InspectPacket[];
  packetCount: number;
  /** Sum of packet sizes in bytes. */
  totalSize: number;
  /** max(cts + dur) - min(cts) over the packets, in `timescale` units (0 without packets). */
  duration: number;
  /** duration / timescale. */
  durationSeconds: number;
}

export interface InspectResult {
  file: string;
  /** Ordered by inspect PID index. */
  pids: InspectPid[];
}

export type InspectMode = 'pck' | 'frame' | 'blk' | 'raw';

export interface InspectOptions {
  /** inspect's `mode`: 'pck' (default) dumps packets as the demuxer emits them, 'frame' forces a reframer. */
  mode?: InspectMode;
  /** Extra arguments placed before `-i` on the gpac command line (e.g. ['-threads=0']). */
  gpacArgs?: string[];
  timeoutMs?: number;
}

const XML_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function unescapeXml(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|amp|lt|gt|quot|apos);/g, (_, e: string) => {
    if (e.startsWith('#x')) return String.fromCodePoint(parseInt(e.slice(2), 16));
    if (e.startsWith('#')) return String.fromCodePoint(parseInt(e.slice(1), 10));
    return XML_ENTITIES[e] ?? _;
  });
}

interface XmlElement {
  name: string;
  attrs: Record<string, string>;
}

/** The start tags of the dump (PIDConfigure, Packet, ...). Attributes are scanned one by one rather than
 *  with `[^>]*` because property values may contain '>'. Later duplicates of a name keep the first value. */
function* startTags(xml: string): Generator<XmlElement> {
  const tagRe = /<([A-Za-z][\w.-]*)/g;
  const attrRe = /\s*([A-Za-z_][\w.:-]*)="([^"]*)"/y;
  for (let m = tagRe.exec(xml); m; m = tagRe.exec(xml)) {
    const attrs: Record<string, string> = {};
    attrRe.lastIndex = tagRe.lastIndex;
    for (let a = attrRe.exec(xml); a; a = attrRe.exec(xml)) {
      const key = a[1] as string;
      if (!(key in attrs)) attrs[key] = unescapeXml(a[2] as string);
      tagRe.lastIndex = attrRe.lastIndex;
    }
    yield { name: m[1] as string, attrs };
  }
}

function int(el: XmlElement, key: string, where: string): number {
  const raw = el.attrs[key];
  const v = raw === undefined ? NaN : parseInt(raw, 10);
  if (!Number.isSafeInteger(v)) throw new Error(`inspect XML: ${where}: attribute ${key}="${raw}" is not a safe integer`);
  return v;
}

function ts(el: XmlElement, key: string, where: string): number | null {
  return el.attrs[key] === 'N/A' ? null : int(el, key, where);
}

/** Parses the XML written by `inspect:deep:xml`. Exported for tests of the parser itself. */
export function parseInspectXml(xml: string): InspectPid[] {
  const pids = new Map<number, InspectPid>();
  for (const el of startTags(xml)) {
    if (el.name === 'PIDConfigure') {
      const pid = int(el, 'PID', 'PIDConfigure');
      const prev = pids.get(pid);
      const timescale = el.attrs.Timescale !== undefined ? int(el, 'Timescale', `PIDConfigure PID=${pid}`) : (prev?.timescale ?? 1000);
      const entry: InspectPid = {
        pid,
        name: el.attrs.name ?? '',
        id: el.attrs.ID !== undefined ? int(el, 'ID', `PIDConfigure PID=${pid}`) : null,
        streamType: el.attrs.StreamType ?? '',
        codec: el.attrs.CodecID ?? '',
        timescale,
        props: el.attrs,
        configureCount: (prev?.configureCount ?? 0) + 1,
        packets: prev?.packets ?? [],
        packetCount: 0,
        totalSize: 0,
        duration: 0,
        durationSeconds: 0,
      };
      pids.set(pid, entry);
    } else if (el.name === 'Packet') {
      const where = `Packet number=${el.attrs.number ?? '?'} PID=${el.attrs.PID ?? '?'}`;
      if (el.attrs.PCR !== undefined) continue; // PCR-only line (inspect:pcr), not a media packet
      const pid = int(el, 'PID', where);
      const owner = pids.get(pid);
      if (!owner) throw new Error(`inspect XML: ${where} comes before any PIDConfigure for PID ${pid}`);
      owner.packets.push({
        pid,
        number: int(el, 'number', where),
        dts: ts(el, 'dts', where),
        cts: ts(el, 'cts', where),
        dur: int(el, 'dur', where),
        size: el.attrs.size !== undefined ? int(el, 'size', where) : 0,
        // sap may be printed as "4 (prol)": the leading number is the SAP type.
        sap: parseInt(el.attrs.sap ?? '0', 10),
        framing: el.attrs.framing ?? '',
        crc: el.attrs.CRC32 ?? null,
        attrs: el.attrs,
      });
    }
  }
  for (const p of pids.values()) {
    p.packetCount = p.packets.length;
    p.totalSize = p.packets.reduce((s, k) => s + k.size, 0);
    let min = Infinity;
    let max = -Infinity;
    for (const k of p.packets) {
      if (k.cts === null) continue;
      min = Math.min(min, k.cts);
      max = Math.max(max, k.cts + k.dur);
    }
    p.duration = max > min ? max - min : 0;
    p.durationSeconds = p.duration / p.timescale;
  }
  return [...pids.values()].sort((a, b) => a.pid - b.pid);
}

function runGpac(args: string[], timeoutMs: number): Promise<void> {
  const bin = gpacCliPath;
  if (!bin) return Promise.reject(new Error(`inspect: the gpac CLI was not found on PATH or in GPAC_HOME/bin. ${INSTALL_HINT}`));
  return new Promise((resolve, reject) => {
    execFile(bin, args, { timeout: timeoutMs, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      if (err) {
        reject(new Error(`inspect: \`gpac ${args.join(' ')}\` failed (${err.message.split('\n')[0]}); stderr:\n${stderr}\nstdout:\n${stdout}`));
      } else resolve();
    });
  });
}

/** Runs GPAC's inspect filter on `file` and returns every PID with every packet. */
export async function inspect(file: string, opts: InspectOptions = {}): Promise<InspectResult> {
  const dir = tmpDir('gpac-ts-inspect-');
  try {
    const out = dir.file('inspect.xml');
    const mode = opts.mode ?? 'pck';
    await runGpac([...(opts.gpacArgs ?? []), '-i', file, `inspect:deep:xml:mode=${mode}:log=${out}`], opts.timeoutMs ?? 60_000);
    const xml = readFileSync(out, 'utf8');
    if (!xml.includes('</GPACInspect>')) throw new Error(`inspect: ${out} for ${file} is truncated (no </GPACInspect>)`);
    return { file, pids: parseInspectXml(xml) };
  } finally {
    dir.cleanup();
  }
}

export type PacketField = 'dts' | 'cts' | 'dur' | 'size' | 'sap' | 'crc' | 'framing';

export interface NormalizeOptions extends InspectOptions {
  /** Fields kept per packet (default dts, cts, dur, size, sap, crc). */
  fields?: PacketField[];
  /** Rescale dts/cts/dur to this timescale (rounded), to compare containers with different timescales. */
  timescale?: number;
  /** Subtract the first packet's dts from dts and cts (containers such as MPEG-2 TS add an offset). */
  rebase?: boolean;
}

export interface NormalizedStream {
  streamType: string;
  codec: string;
  timescale: number;
  packets: Array<Partial<Record<PacketField, number | string | null>>>;
}

const DEFAULT_FIELDS: PacketField[] = ['dts', 'cts', 'dur', 'size', 'sap', 'crc'];

/** Streams of `file` in a form meant for `expect(a).toEqual(b)`: ordered by stream type then ID (not by
 *  inspect's PID index, which depends on connection order), with no file-specific names or paths. */
export async function inspectPackets(file: string, opts: NormalizeOptions = {}): Promise<NormalizedStream[]> {
  const { pids } = await inspect(file, opts);
  const fields = opts.fields ?? DEFAULT_FIELDS;
  const ordered = [...pids].sort((a, b) => a.streamType.localeCompare(b.streamType) || (a.id ?? 0) - (b.id ?? 0));
  return ordered.map((p) => {
    const scale = opts.timescale ?? p.timescale;
    const rescale = (v: number | null): number | null => (v === null ? null : Math.round((v * scale) / p.timescale));
    const base = opts.rebase ? (p.packets[0]?.dts ?? p.packets[0]?.cts ?? 0) : 0;
    return {
      streamType: p.streamType,
      codec: p.codec,
      timescale: scale,
      packets: p.packets.map((k) => {
        const full: Record<PacketField, number | string | null> = {
          dts: rescale(k.dts === null ? null : k.dts - base),
          cts: rescale(k.cts === null ? null : k.cts - base),
          dur: rescale(k.dur),
          size: k.size,
          sap: k.sap,
          crc: k.crc,
          framing: k.framing,
        };
        const out: Partial<Record<PacketField, number | string | null>> = {};
        for (const f of fields) out[f] = full[f];
        return out;
      }),
    };
  });
}
