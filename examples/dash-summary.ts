// What a DASH packaging run wrote, read back from disk: the manifest's representations, and for each its
// init segment and media segments (found by turning the SegmentTemplate into a file pattern), sizes and
// numbering. `checkDash` lists what is wrong, so the example reports facts it verified, not hopes.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface RepresentationSummary {
  id: string;
  mimeType: string | null;
  codecs: string | null;
  /** Init segment file name (relative to the manifest), null when the template has none. */
  init: string | null;
  initBytes: number | null;
  /** Media segment file names, in segment-number order. */
  segments: string[];
  /** Segment numbers parsed from the names ($Number$ templates), in order. */
  numbers: number[];
  segmentBytes: number;
}

export interface DashSummary {
  manifest: string;
  manifestBytes: number;
  /** mediaPresentationDuration in seconds, null when absent (live manifests). */
  durationS: number | null;
  representations: RepresentationSummary[];
  /** Manifest + every init and media segment. */
  totalBytes: number;
}

type Attrs = Record<string, string>;

function attributes(text: string): Attrs {
  const out: Attrs = {};
  for (const m of text.matchAll(/([\w:]+)="([^"]*)"/g)) out[m[1]!] = m[2]!.replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"');
  return out;
}

/** ISO 8601 duration (PT0H0M3.000S) → seconds. */
export function isoDurationSeconds(text: string): number | null {
  const m = /^P(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(text);
  if (!m) return null;
  const [d, h, min, s] = [m[1], m[2], m[3], m[4]].map((x) => (x ? Number(x) : 0)) as [number, number, number, number];
  return d * 86400 + h * 3600 + min * 60 + s;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A SegmentTemplate `media` string → a file-name pattern; group 1 is the segment number when there is one. */
export function templatePattern(template: string, rep: Attrs): RegExp {
  let re = '';
  let numbered = false;
  const parts = template.split(/(\$[^$]*\$)/);
  for (const p of parts) {
    if (p === '$$') re += '\\$';
    else if (/^\$Number(%0\d+d)?\$$/.test(p)) {
      re += numbered ? '\\d+' : '(\\d+)';
      numbered = true;
    } else if (/^\$Time(%0\d+d)?\$$/.test(p)) re += '\\d+';
    else if (p === '$RepresentationID$') re += escapeRegExp(rep.id ?? '');
    else if (p === '$Bandwidth$') re += escapeRegExp(rep.bandwidth ?? '');
    else re += escapeRegExp(p);
  }
  return new RegExp(`^${re}$`);
}

function expandInit(template: string, rep: Attrs): string {
  return template.replace(/\$(RepresentationID|Bandwidth)\$/g, (_, k: string) => (k === 'RepresentationID' ? (rep.id ?? '') : (rep.bandwidth ?? ''))).replace(/\$\$/g, '$');
}

function size(path: string): number | null {
  try {
    return statSync(path).size;
  } catch {
    return null;
  }
}

/** Reads the manifest at `mpdPath` and the files it names. Throws when the manifest is missing or not an MPD. */
export function summarizeDash(mpdPath: string): DashSummary {
  if (!existsSync(mpdPath)) throw new Error(`${mpdPath}: the manifest was not written`);
  const xml = readFileSync(mpdPath, 'utf8');
  const mpd = /<MPD\b([^>]*)>/.exec(xml);
  if (!mpd) throw new Error(`${mpdPath}: no <MPD> element (${xml.length} bytes read)`);
  const dir = dirname(mpdPath);
  const files = readdirSync(dir);
  const duration = attributes(mpd[1]!).mediaPresentationDuration;

  const reps: RepresentationSummary[] = [];
  let setTemplate: Attrs | undefined;
  let setAttrs: Attrs = {};
  let open: { attrs: Attrs; template: Attrs | undefined } | undefined;
  const finish = (r: { attrs: Attrs; template: Attrs | undefined }) => {
    const tpl = r.template ?? setTemplate;
    const id = r.attrs.id ?? `#${reps.length + 1}`;
    const rep: RepresentationSummary = {
      id,
      mimeType: r.attrs.mimeType ?? setAttrs.mimeType ?? null,
      codecs: r.attrs.codecs ?? setAttrs.codecs ?? null,
      init: null,
      initBytes: null,
      segments: [],
      numbers: [],
      segmentBytes: 0,
    };
    if (tpl?.initialization) {
      rep.init = expandInit(tpl.initialization, r.attrs);
      rep.initBytes = size(join(dir, rep.init));
    }
    if (tpl?.media) {
      const pattern = templatePattern(tpl.media, r.attrs);
      const found = files
        .map((f) => ({ f, m: pattern.exec(f) }))
        .filter((x): x is { f: string; m: RegExpExecArray } => x.m !== null)
        .map(({ f, m }) => ({ f, n: m[1] !== undefined ? Number(m[1]) : NaN }))
        .sort((a, b) => a.n - b.n || a.f.localeCompare(b.f));
      rep.segments = found.map((x) => x.f);
      rep.numbers = found.map((x) => x.n).filter((n) => !Number.isNaN(n));
      rep.segmentBytes = found.reduce((s, x) => s + (size(join(dir, x.f)) ?? 0), 0);
    }
    reps.push(rep);
  };

  for (const m of xml.matchAll(/<(\/?)(AdaptationSet|Representation|SegmentTemplate)\b([^>]*?)(\/?)>/g)) {
    const [, close, tag, body, selfClose] = m as unknown as [string, string, string, string, string];
    if (tag === 'AdaptationSet') {
      if (close) {
        setTemplate = undefined;
        setAttrs = {};
      } else setAttrs = attributes(body);
    } else if (tag === 'SegmentTemplate' && !close) {
      if (open) open.template = attributes(body);
      else setTemplate = attributes(body);
    } else if (tag === 'Representation') {
      if (close) {
        if (open) finish(open);
        open = undefined;
      } else {
        open = { attrs: attributes(body), template: undefined };
        if (selfClose) {
          finish(open);
          open = undefined;
        }
      }
    }
  }

  const manifestBytes = size(mpdPath) ?? 0;
  const totalBytes = manifestBytes + reps.reduce((s, r) => s + (r.initBytes ?? 0) + r.segmentBytes, 0);
  return { manifest: mpdPath, manifestBytes, durationS: duration ? isoDurationSeconds(duration) : null, representations: reps, totalBytes };
}

/** What is wrong with a packaging result; empty when every check passes. */
export function checkDash(s: DashSummary): string[] {
  const problems: string[] = [];
  if (s.representations.length === 0) problems.push(`${s.manifest}: no Representation in the manifest`);
  for (const r of s.representations) {
    const name = `representation ${r.id}`;
    if (r.init !== null && !r.initBytes) problems.push(`${name}: init segment ${r.init} is ${r.initBytes === null ? 'missing' : 'empty'}`);
    if (r.segments.length === 0) problems.push(`${name}: no media segment found next to the manifest`);
    const empty = r.segments.filter((f) => !size(join(dirname(s.manifest), f)));
    if (empty.length) problems.push(`${name}: empty segment(s) ${empty.join(', ')}`);
    if (r.numbers.length > 0) {
      const first = r.numbers[0]!;
      const gap = r.numbers.findIndex((n, i) => n !== first + i);
      if (gap >= 0) problems.push(`${name}: segment numbers are not contiguous: expected ${first + gap}, found ${r.numbers[gap]} (${r.numbers.join(', ')})`);
    }
  }
  return problems;
}
