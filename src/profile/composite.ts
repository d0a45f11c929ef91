// Validates base + overlay as a KVM-host tree: the qcom_* rows with PAS policy 'kvm',
// stream conflicts, and (when bindings are given) the schemas. A finding on a node the
// overlay touched is reported at the profile line that caused it; the base's own
// business (a PAS remoteproc the profile leaves alone) is a warning, not a refusal.
import type { Diagnostic, DiagnosticNote, DiagnosticSubject } from '../report/diagnostic.js';
import type { SourceSpan } from '../report/source.js';
import type { Tree } from '../tree/model.js';
import type { CheckLevel } from '../checks/types.js';
import { runChecks } from '../checks/run.js';
import { qcomChecks } from '../qcom/checks.js';
import { DEVMEM_CELLS_PER_ROW, DEVMEM_PROPERTY } from '../qcom/devmem.js';
import { phandleLookup } from '../tree/refs.js';
import { streamConflicts, streamText } from '../qcom/streams.js';
import type { ValidateContext } from '../schema/validate.js';
import { validateTree } from '../schema/validate.js';
import type { BaseIndex } from './base.js';
import { labelsOf } from './base.js';
import type { OutNode, OverlayPlan } from './plan.js';

export interface SchemaValidation {
  context: ValidateContext;
  /** how to name the bindings in the report */
  description: string;
}

export interface CompositeInput {
  plan: OverlayPlan;
  base: BaseIndex;
  composite: Tree;
  schemas?: SchemaValidation;
  /** -W/-E levels of the qcom rows */
  levels?: Map<string, CheckLevel>;
}

export interface CompositeResult {
  diagnostics: Diagnostic[];
  checked: string[];
}

/** Node path -> the overlay node that touched it. */
function touchedNodes(plan: OverlayPlan): Map<string, OutNode> {
  const out = new Map<string, OutNode>();
  const visit = (n: OutNode, p: string) => {
    out.set(p, n);
    for (const c of n.children) visit(c, p === '/' ? `/${c.name}` : `${p}/${c.name}`);
  };
  for (const b of plan.blocks) visit(b, b.target.path);
  return out;
}

/** The profile span behind a finding about an overlay node: the row of a devmem cell,
 *  else the property the finding is about (or one of those it names), else the node's first. */
function profileSpan(n: OutNode, d: DiagnosticSubject): SourceSpan | undefined {
  const prop = n.props.find((p) => p.name === d.property) ?? n.props.find((p) => d.properties?.includes(p.name)) ?? n.props[0];
  if (!prop) return undefined;
  const row = d.property === DEVMEM_PROPERTY && d.element !== undefined ? Math.floor(d.element / DEVMEM_CELLS_PER_ROW) : undefined;
  const rowSpec = row === undefined ? undefined : prop.origin.rows?.[row];
  return rowSpec?.span ?? prop.origin.span;
}

/** A schema finding about a property the overlay sets on `n` (by name, or among those it names). */
function concernsOverlay(d: Diagnostic, n: OutNode): boolean {
  const names = n.props.map((p) => p.name);
  if (d.property !== undefined) return names.includes(d.property);
  if (d.properties) return names.some((name) => d.properties!.includes(name));
  return names.some((name) => d.schemaPath?.split('/').includes(name) ?? false);
}

/** `/soc@0/iommu@15000000 (&apps_smmu)`: the composite is a blob, so labels come from the base. */
function describeNode(base: BaseIndex, nodePath: string): string {
  const node = base.tree.findByPath(nodePath);
  const label = node && labelsOf(base, node).sort()[0];
  return label ? `${nodePath} (&${label})` : nodePath;
}

function baseNote(base: BaseIndex, nodePath: string, what: string): DiagnosticNote {
  return { message: `${what}: ${nodePath}`, span: base.tree.findByPath(nodePath)?.span };
}

export function validateComposite(input: CompositeInput): CompositeResult {
  const { plan, base, composite } = input;
  const touched = touchedNodes(plan);
  const out: Diagnostic[] = [];
  const checked: string[] = [];

  const conflicts = streamConflicts(composite, phandleLookup(composite)).filter((c) => touched.has(c.later.node.path) || touched.has(c.earlier.node.path));
  for (const c of conflicts) {
    const mine = touched.has(c.later.node.path) ? c.later : c.earlier;
    const other = mine === c.later ? c.earlier : c.later;
    out.push({
      rule: 'qcom_sid_conflict', severity: 'error', node: mine.node.path, property: 'iommus',
      message: `stream ${streamText(mine)} collides with ${other.node.path} (${streamText(other)}) on ${describeNode(base, mine.iommu.path)}: ${c.why}`,
      span: profileSpan(touched.get(mine.node.path)!, { property: 'iommus' }),
      notes: [baseNote(base, other.node.path, 'the other user of the stream')],
    });
  }
  if (!conflicts.length) checked.push('stream IDs: no collision with other users of the same SMMUs');

  const rows = qcomChecks({ policy: 'kvm' }).filter((c) => c.id !== 'qcom_sid_conflict');
  const r = runChecks(composite, { checks: rows, options: { levels: input.levels }, file: base.file });
  let policyErrors = 0;
  for (const d of r.diagnostics) {
    const n = d.node ? touched.get(d.node) : undefined;
    if (n) {
      out.push({ ...d, span: profileSpan(n, d) ?? d.span });
      if (d.severity === 'error') policyErrors++;
    } else if (d.rule === 'qcom_pas_host') {
      // a PAS remoteproc the profile does not mention: the profile's choice (as upstream's
      // sc8280xp and sc7180 overlays make it), said out loud
      out.push({ ...d, severity: 'warning', span: base.tree.findByPath(d.node ?? '')?.span, message: `${d.message}; the profile leaves it alone` });
    } else {
      out.push(d);
      if (d.severity === 'error') policyErrors++;
    }
  }
  if (!policyErrors) checked.push(`composite passes ${rows.map((c) => c.id).join(', ')} (host kvm)`);

  if (input.schemas) {
    // only what the overlay is answerable for: the properties it sets, and nodes it adds
    const all = validateTree(input.schemas.context, composite, base.file);
    const baseFailures = new Map<string, number>();
    for (const d of all) {
      const n = d.node ? touched.get(d.node) : undefined;
      if (n && d.severity === 'error' && !concernsOverlay(d, n)) baseFailures.set(d.node!, (baseFailures.get(d.node!) ?? 0) + 1);
    }
    let errors = 0;
    for (const d of all) {
      const n = d.node ? touched.get(d.node) : undefined;
      if (!n || (base.tree.findByPath(d.node!) && !concernsOverlay(d, n))) continue;
      const span = profileSpan(n, d) ?? d.span;
      const failing = baseFailures.get(d.node!) ?? 0;
      if (failing && d.properties) {
        // a node that fails its schema for reasons of its own leaves every property
        // "unevaluated": say so rather than blame the overlay
        out.push({ ...d, span, severity: 'warning', notes: [...(d.notes ?? []), { message: `the base node itself fails this schema (${failing} finding${failing === 1 ? '' : 's'}, e.g. missing required properties), so nothing it has counts as evaluated` }] });
      } else {
        out.push({ ...d, span });
        if (d.severity === 'error') errors++;
      }
    }
    if (!errors) checked.push(`composite: what the overlay sets validates against ${input.schemas.description}`);
  }
  return { diagnostics: out, checked };
}
