// Merging the always-valid entries of a large `patternProperties` into one regular
// expression. vendor-prefixes.yaml (select: true, so applied to every node) lists ~960
// `^vendor,.*: {}` patterns; ajv tests each one per property, twice with
// additionalProperties, which was the largest single cost of validating a tree. An
// alternation of the same patterns accepts exactly the same names (V8 only tries it at the
// start when every branch is anchored). The original keys are kept under PATTERN_KEYS for
// messages that list them.
import type { Json, JsonObject } from './json.js';
import { isObject } from './json.js';

/** the parent schema's original patternProperties keys, when they were merged */
export const PATTERN_KEYS = 'dtPatternKeys';

/** below this many mergeable patterns the loop is cheap enough */
const MIN_MERGE = 16;

const ANNOTATIONS = new Set(['deprecated', 'description', 'title', '$comment', 'examples']);

function alwaysValid(s: Json): boolean {
  if (s === true) return true;
  return isObject(s) && Object.keys(s).every((k) => ANNOTATIONS.has(k));
}

/** Whether `p` means the same alone and inside an alternation (no numbered/named groups). */
function mergeable(p: string): boolean {
  if (/\\[1-9]|\\k<|\(\?<(?![=!])|\(\?[a-zA-Z]/.test(p)) return false;
  try {
    new RegExp(p);
    return true;
  } catch {
    return false;
  }
}

function mergePatterns(pats: JsonObject): JsonObject | undefined {
  const merge = Object.keys(pats).filter((p) => alwaysValid(pats[p]) && mergeable(p));
  if (merge.length < MIN_MERGE) return undefined;
  const combined = merge.map((p) => `(?:${p})`).join('|');
  try {
    new RegExp(combined);
  } catch {
    return undefined;
  }
  const out: JsonObject = {};
  const merged = new Set(merge);
  for (const [k, v] of Object.entries(pats)) if (!merged.has(k)) out[k] = v;
  out[combined] = true;
  return out;
}

/** A copy of `s` (deeply, where changed) with large always-valid pattern lists merged. */
export function mergeTrivialPatterns(s: Json): Json {
  if (Array.isArray(s)) return s.map(mergeTrivialPatterns);
  if (!isObject(s)) return s;
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(s)) out[k] = k === 'enum' || k === 'const' ? v : mergeTrivialPatterns(v);
  if (isObject(s.patternProperties)) {
    const merged = mergePatterns(out.patternProperties as JsonObject);
    if (merged) {
      out.patternProperties = merged;
      out[PATTERN_KEYS] = Object.keys(s.patternProperties);
    }
  }
  return out;
}
