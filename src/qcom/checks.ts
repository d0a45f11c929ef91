// The qcom_* rows: what a KVM-host (EL2) tree must get right for the Qualcomm PAS remote
// processors, and what a QHEE-host tree must leave out. Each row reports at the property
// (or the exact devmem row) with the node path. The rows and their options are this
// folder's: qcomChecks(options) hands the generic runner (checks/run.ts) a table whose rows
// carry the options they were made with, so the runner knows no vendor.
import type { Check, CheckContext } from '../checks/types.js';
import type { DiagnosticNote } from '../report/diagnostic.js';
import type { SourceSpan } from '../report/source.js';
import type { Node, Property, Tree } from '../tree/model.js';
import { elementSpan, hex } from '../tree/value.js';
import type { DevmemProblem, DevmemRow } from './devmem.js';
import {
  DEFAULT_IOMMU_PAGE_SIZE, DEVMEM_CELLS_PER_ROW, DEVMEM_PROPERTY, alignmentProblems, flagProblems, overlapProblems,
} from './devmem.js';
import { devmemFormatProblems, devmemRowsOf } from './devmem-value.js';

import type { PhandleLookup } from '../tree/refs.js';
import { phandleLookup } from '../tree/refs.js';
import { carveoutOf, isArmSmmu, isEnabledInTree, isPasNode, nodeName, parseIommus } from './pas.js';
import { streamConflicts } from './streams.js';

/** Which hypervisor owns the PAS remote processors' IOMMU streams (`--host` on the command
 *  line): QHEE (the base tree, no PAS IOMMU properties) or KVM (the EL2 overlay adds them). */
export type PasPolicy = 'qhee' | 'kvm';

export interface QcomCheckOptions {
  /** the PAS policy qcom_pas_host enforces (none: the row has nothing to check) and
   *  qcom_sid_conflict weighs */
  policy?: PasPolicy;
  /** iommus without qcom,devmem is an error (the originally proposed driver) */
  requireDevmem?: boolean;
  /** IOMMU page size for qcom_devmem_alignment (default 4096) */
  iommuPageSize?: number;
}

/** Where a row's cell was written (the parser records every element), else the property. */
function cellSpan(prop: Property, cell: number): SourceSpan | undefined {
  return elementSpan(prop.value, cell * 4) ?? prop.span;
}

/** Why a PAS remote processor sharing its stream is fatal on a KVM host. */
export const KVM_SHARED_STREAM = 'on a KVM host both devices end up in one IOMMU group, and the remoteproc core then cannot attach the PAS node\'s own domain';
const SMMU_FIELD_MAX = 0xffff;

/** The run's shared phandle index when the runner provides one, else a fresh one. */
function lookupOf(ctx: CheckContext): PhandleLookup {
  const facts = ctx.facts;
  return facts ? (ph) => facts.nodeByPhandle(ph) : phandleLookup(ctx.tree);
}

function reportDevmemProblem(ctx: CheckContext, node: Node, prop: Property, p: DevmemProblem): void {
  const element = p.row === undefined ? undefined : p.row * DEVMEM_CELLS_PER_ROW + (p.cell ?? 0);
  const span = element === undefined ? prop.span : cellSpan(prop, element);
  const notes: DiagnosticNote[] = [];
  if (p.otherRow !== undefined) {
    const other = cellSpan(prop, p.otherRow * DEVMEM_CELLS_PER_ROW + (p.cell ?? 0));
    if (other && other !== prop.span) notes.push({ message: `row ${p.otherRow} is here`, span: other });
  }
  ctx.report(node, p.message, { property: prop, element, span, notes: notes.length ? notes : undefined });
}

/** Nodes carrying qcom,devmem, with the property. */
function* devmemNodes(tree: Tree): Generator<[Node, Property]> {
  for (const n of tree.walk()) {
    const p = n.getProperty(DEVMEM_PROPERTY);
    if (p) yield [n, p];
  }
}

/** A row check over every well-formed qcom,devmem value (malformed ones are qcom_devmem_format's). */
interface RowCheckSpec {
  id: string;
  description: string;
  problems: (ctx: CheckContext, node: Node, rows: DevmemRow[]) => DevmemProblem[];
}

function rowCheck({ id, description, problems }: RowCheckSpec): Check {
  // No `requires: qcom_devmem_format`: a malformed value is skipped here, so one bad
  // property does not silence (or add "Failed prerequisite" to) every other node's rows.
  return {
    id, level: 'error', description,
    tree(ctx) {
      for (const [node, prop] of devmemNodes(ctx.tree)) {
        const rows = devmemRowsOf(prop);
        if (!rows) continue;
        for (const p of problems(ctx, node, rows)) reportDevmemProblem(ctx, node, prop, p);
      }
    },
  };
}

/** The qcom rows, made with `options` (a table for runChecks). */
export function qcomChecks(options: QcomCheckOptions = {}): Check[] {
  const format: Check = {
    id: 'qcom_devmem_format', level: 'error',
    description: 'qcom,devmem is rows of exactly four 32-bit cells',
    tree(ctx) {
      for (const [node, prop] of devmemNodes(ctx.tree)) {
        for (const p of devmemFormatProblems(prop)) reportDevmemProblem(ctx, node, prop, p);
      }
    },
  };

  const flags = rowCheck({
    id: 'qcom_devmem_flags', description: 'qcom,devmem flags are a non-zero subset of READ|WRITE|CACHE|NOEXEC|MMIO',
    problems: (_ctx, _node, rows) => rows.flatMap((r, i) => flagProblems(r, i)),
  });

  const alignment = rowCheck({
    id: 'qcom_devmem_alignment', description: 'qcom,devmem addresses and sizes are IOMMU-page aligned and fit 32 bits',
    problems: (_ctx, _node, rows) => rows.flatMap((r, i) => alignmentProblems(r, i, options.iommuPageSize ?? DEFAULT_IOMMU_PAGE_SIZE)),
  });

  const overlap = rowCheck({
    id: 'qcom_devmem_overlap', description: 'qcom,devmem rows do not collide with each other or with the carveout',
    problems: (ctx, node, rows) => {
      const c = carveoutOf(node, lookupOf(ctx));
      const carveout = c && { pa: c.pa, size: c.size, description: `memory-region[0] (${c.node.path})` };
      return overlapProblems(rows, carveout);
    },
  });

  const ignored: Check = {
    id: 'qcom_devmem_ignored', level: 'warning',
    description: 'qcom,devmem only means something on a PAS remote processor that has iommus',
    tree(ctx) {
      for (const [node, prop] of devmemNodes(ctx.tree)) {
        if (!isPasNode(node)) {
          ctx.report(node, `${DEVMEM_PROPERTY} on a node that is not a Qualcomm PAS remote processor (compatible "qcom,*-pas"); nothing reads it`, { property: prop, span: prop.span });
        } else if (!node.getProperty('iommus')) {
          ctx.report(node, `${DEVMEM_PROPERTY} without iommus is ignored: the driver maps device memory only for a remote processor with an IOMMU stream`, { property: prop, span: prop.span });
        }
      }
    },
  };

  const pasIommus: Check = {
    id: 'qcom_pas_iommus', level: 'error',
    description: 'a PAS remote processor has at most one iommus specifier, pointing at a real IOMMU',
    tree(ctx) {
      const phandles = lookupOf(ctx);
      for (const node of ctx.tree.walk()) {
        if (!isPasNode(node)) continue;
        const prop = node.getProperty('iommus');
        if (!prop) continue;
        const report = (message: string) => ctx.report(node, message, { property: prop, span: prop.span });
        const parsed = parseIommus(prop, phandles);
        if (parsed.unresolved) continue;
        if (parsed.problem) report(parsed.problem);
        else if (parsed.specifiers.length > 1) {
          report(`iommus has ${parsed.specifiers.length} specifiers; a PAS remote processor takes exactly one (the driver uses the first stream ID only)`);
        }
        const first = parsed.specifiers[0];
        if (first && isArmSmmu(first.iommu)) {
          const [sid, mask] = first.args;
          if (sid !== undefined && sid > SMMU_FIELD_MAX) report(`stream ID ${hex(sid)} does not fit in 16 bits (${nodeName(first.iommu)} is an arm,mmu-500)`);
          if (mask !== undefined && mask > SMMU_FIELD_MAX) report(`SMR mask ${hex(mask)} does not fit in 16 bits (${nodeName(first.iommu)} is an arm,mmu-500)`);
        }
        if (options.requireDevmem && !node.getProperty(DEVMEM_PROPERTY)) {
          report(`iommus without ${DEVMEM_PROPERTY}: the proposed driver refuses to probe a remote processor whose device memory is not described`);
        }
      }
    },
  };

  // A warning, like dtc's semantic rows: the tree is well-formed and dtc writes it; the
  // arm-smmu driver refuses one device at probe (sm8750's fastrpc banks are a real case).
  // A PAS remote processor's share is reported at its own iommus (the line the KVM overlay
  // adds) and is an error on a KVM host, where Linux owns that stream.
  const sidConflict: Check = {
    id: 'qcom_sid_conflict', level: 'warning',
    description: 'no two enabled devices share an SMMU stream with a PAS remote processor, or partly overlap',
    tree(ctx) {
      const kvm = options.policy === 'kvm';
      for (const c of streamConflicts(ctx.tree, lookupOf(ctx))) {
        const notes: DiagnosticNote[] = [{ message: `the other device's iommus (${c.other.node.path})`, span: c.other.prop.span }];
        if (c.pas && kvm) notes.push({ message: KVM_SHARED_STREAM });
        ctx.report(c.subject.node, c.message, { property: c.subject.prop, span: c.subject.prop.span, notes, asError: c.pas && kvm });
      }
    },
  };

  const pasPolicy: Check = {
    id: 'qcom_pas_host', level: 'error',
    description: 'host policy: a QHEE base tree leaves PAS IOMMU properties out; a KVM tree gives every enabled PAS remote processor iommus',
    tree(ctx) {
      const policy = options.policy;
      if (!policy) return;
      for (const node of ctx.tree.walk()) {
        if (!isPasNode(node)) continue;
        if (policy === 'qhee') {
          for (const name of ['iommus', DEVMEM_PROPERTY]) {
            const prop = node.getProperty(name);
            if (!prop) continue;
            ctx.report(node, `${name} on a PAS remote processor in a QHEE-host tree: the hypervisor owns this stream; add ${name} only in the KVM (EL2) overlay`, { property: prop, span: prop.span });
          }
        } else if (!node.getProperty('iommus') && isEnabledInTree(node)) {
          const status = node.getProperty('status');
          const notes = status?.span ? [{ message: 'enabled here', span: status.span }] : undefined;
          ctx.report(node, 'enabled PAS remote processor without iommus on a KVM host: nobody maps its firmware carveout into its IOMMU stream (the EL2 overlay must add iommus)', { span: node.span, notes });
        }
      }
    },
  };

  return [format, flags, alignment, overlap, ignored, pasIommus, sidConflict, pasPolicy];
}
