// `dtkit validate [-I DIR]... [--schemas DIR]... [--core-schemas DIR] [--format text|json]
//  [-W [no-]NAME]... [-E [no-]NAME]... INPUT...`: dt-schema validation (what dt-validate
// reports) plus dtc's structural checks, for .dts sources (findings at file:line:col with
// the include chain) and .dtb blobs. Exit 0 clean, 1 any error, 2 usage.
import * as path from 'node:path';
import { Option } from 'commander';
import type { Command } from 'commander';
import type { Host } from '../host.js';
import { nodeHost } from '../host.js';
import { readFdt } from '../fdt/reader.js';
import { compileFile } from '../compile/compile.js';
import { runChecks, parseCheckSwitch, resolveCheckLevels } from '../checks/run.js';
import { defaultChecks } from '../checks/all.js';
import { makeQcomChecks } from '../qcom/checks.js';
import { parseSize } from '../qcom/format.js';
import { includeDirsWithShipped } from '../qcom/include.js';
import { readText } from '../host.js';
import type { CheckLevel, CheckOptions } from '../checks/types.js';
import type { Diagnostic } from '../report/diagnostic.js';
import { renderText, sortDiagnostics, sourceLines, toJsonRecord } from '../report/render.js';
import type { Tree } from '../tree/model.js';
import { stringsOf } from '../tree/value.js';
import { openSchemaSet, validationContext } from '../schema/schema-set.js';
import { UNMATCHED_RULE, SCHEMA_RULE, validateTree } from '../schema/validate.js';
import type { ValidateContext } from '../schema/validate.js';
import type { RegisterCommand } from './commands.js';

export interface ValidateCliOptions {
  include: string[];
  schemas: string[];
  coreSchemas?: string;
  format: string;
  W: string[];
  E: string[];
  unmatched: boolean;
  cache: boolean;
  cacheDir?: string;
  /** host policy for the qcom PAS rows */
  host?: 'qhee' | 'kvm';
  requireDevmem?: boolean;
  iommuPageSize?: string;
}

export interface ValidateIo {
  host: Host;
  out(text: string): void;
  err(text: string): void;
}

const EXIT_OK = 0, EXIT_INPUT = 1, EXIT_USAGE = 2;
const FDT_MAGIC = [0xd0, 0x0d, 0xfe, 0xed];

export const processValidateIo: ValidateIo = {
  host: nodeHost,
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
};

interface FileResult {
  input: string;
  diagnostics: Diagnostic[];
  tree?: Tree;
  sources: Map<string, string>;
}

function isBlob(bytes: Uint8Array | undefined): boolean {
  return !!bytes && bytes.length >= 4 && FDT_MAGIC.every((b, i) => bytes[i] === b);
}

function validateInput(input: string, ctx: ValidateContext, checkOptions: CheckOptions, opts: ValidateCliOptions, host: Host): FileResult {
  const levels = checkOptions.levels ?? new Map<string, CheckLevel>();
  const bytes = host.readFile(input);
  if (!bytes) {
    return { input, sources: new Map(), diagnostics: [{ rule: 'io', severity: 'error', file: input, message: `cannot read '${input}'` }] };
  }
  if (isBlob(bytes)) {
    const { tree, diagnostics } = readFdt(bytes, input);
    if (!tree) return { input, diagnostics, sources: new Map() };
    const checks = runChecks(tree, { checks: defaultChecks(), options: checkOptions, file: input });
    return { input, tree, sources: new Map(), diagnostics: [...diagnostics, ...checks.diagnostics, ...validateTree(ctx, tree, input)] };
  }
  const includeDirs = includeDirsWithShipped([path.dirname(input), ...opts.include]);
  // the compile runs dtc's table; the vendor rows run after it, locating bad rows by cell
  const r = compileFile(input, { host, includeDirs, checkLevels: levels });
  const diagnostics = [...r.diagnostics];
  // a tree cut short by a syntax error would only add findings about what is missing
  if (r.tree && r.parsed) {
    const sourceText = (f: string) => r.sources.get(f) ?? readText(host, f);
    diagnostics.push(...runChecks(r.tree, { checks: makeQcomChecks({ sourceText }), options: checkOptions, file: input }).diagnostics);
    diagnostics.push(...validateTree(ctx, r.tree, input));
  }
  return { input, tree: r.tree, sources: r.sources, diagnostics };
}

function compatibleOf(tree: Tree | undefined, node: string | undefined): string[] | undefined {
  if (!tree || !node) return undefined;
  const p = tree.findByPath(node)?.getProperty('compatible');
  return p ? stringsOf(p.value) : undefined;
}

function jsonRecord(d: Diagnostic, fr: FileResult | undefined): Record<string, unknown> {
  const compat = compatibleOf(fr?.tree, d.node);
  const type = d.rule === SCHEMA_RULE ? 'validation' : d.rule === UNMATCHED_RULE ? 'unmatched' : d.rule;
  return {
    type,
    ...toJsonRecord(d),
    nodename: d.node ? (d.node === '/' ? '/' : d.node.slice(d.node.lastIndexOf('/') + 1)) : null,
    compatible: type === 'unmatched' ? compat ?? null : compat?.[0] ?? null,
    property_path: d.property ? d.property.split('/').map((x) => (/^\d+$/.test(x) ? Number(x) : x)) : [],
    schema_path: d.schemaPath ? d.schemaPath.split('/').map((x) => (/^\d+$/.test(x) ? Number(x) : x)) : [],
  };
}

export function runValidate(inputs: string[], opts: ValidateCliOptions, io: ValidateIo): number {
  if (opts.format !== 'text' && opts.format !== 'json') {
    io.err(`dtkit validate: error: --format must be 'text' or 'json', not '${opts.format}'\n`);
    return EXIT_USAGE;
  }
  const switches = [...opts.W.map((a) => parseCheckSwitch(a, 'W')), ...opts.E.map((a) => parseCheckSwitch(a, 'E'))];
  const { levels, unknown } = resolveCheckLevels(switches, defaultChecks());
  if (unknown.length) {
    io.err(`dtkit validate: error: Unrecognized check name "${unknown[0]}"\n`);
    return EXIT_USAGE;
  }
  const pageSize = opts.iommuPageSize === undefined ? 4096 : parseSize(opts.iommuPageSize);
  if (pageSize === undefined || pageSize <= 0 || (pageSize & (pageSize - 1)) !== 0) {
    io.err(`dtkit validate: error: --iommu-page-size must be a power of two such as 4K, not '${opts.iommuPageSize}'\n`);
    return EXIT_USAGE;
  }
  const checkOptions: CheckOptions = { levels, host: opts.host, requireDevmem: opts.requireDevmem, iommuPageSize: pageSize };
  const set = openSchemaSet({
    host: io.host,
    schemaDirs: opts.schemas,
    coreDir: opts.coreSchemas,
    cacheDir: opts.cache ? opts.cacheDir : null,
  });
  // problems in the schemas themselves: reported, the rest of the schemas still apply
  const loadText = set.diagnostics.map((d) => renderText(d)).join('\n');
  if (loadText) io.err(`${loadText}\n`);
  const ctx = validationContext(set, { unmatched: opts.unmatched });
  // each input's output is rendered as soon as it is validated, so that its tree (and the
  // decoded instance) can be freed: 391 boards' trees at once took ~0.5 GB
  let errors = false;
  const records: Record<string, unknown>[] = [];
  const texts: string[] = [];
  for (const input of inputs) {
    const fr = validateInput(input, ctx, checkOptions, opts, io.host);
    const sorted = sortDiagnostics(fr.diagnostics);
    if (sorted.some((d) => d.severity === 'error')) errors = true;
    if (opts.format === 'json') for (const d of sorted) records.push(jsonRecord(d, fr));
    else if (sorted.length) {
      const lineText = sourceLines(fr.sources);
      texts.push(`${sorted.map((d) => renderText(d, { lineText })).join('\n')}\n`);
    }
  }
  for (const d of ctx.engine.diagnostics) io.err(`${renderText(d)}\n`);
  if (opts.format === 'json') io.out(`${JSON.stringify(records, null, 1)}\n`);
  for (const t of texts) io.out(t);
  return errors ? EXIT_INPUT : EXIT_OK;
}

const collect = (v: string, prev: string[]): string[] => [...prev, v];

export const registerValidate: RegisterCommand = (program: Command, setExit) => {
  program
    .command('validate')
    .description("check .dts/.dtb files against dt-schema YAML bindings (dt-validate's findings, at the source line) and dtc's checks")
    .argument('<inputs...>', '.dts sources or .dtb blobs')
    .option('-I, --include <dir>', 'include folder for #include and /include/ (repeatable)', collect, [])
    .option('--schemas <dir>', 'binding schemas folder, e.g. the kernel\'s Documentation/devicetree/bindings (repeatable)', collect, [])
    .option('--core-schemas <dir>', "core schemas folder (dt-schema's dtschema/schemas) instead of dtkit's own")
    .option('--format <format>', 'text or json', 'text')
    .option('-W, --warning <check>', 'dtc check switch: NAME or no-NAME (repeatable)', collect, [])
    .option('-E, --error <check>', 'dtc check switch as error: NAME or no-NAME (repeatable)', collect, [])
    .option('--no-unmatched', 'do not report compatibles that no schema documents')
    .option('--no-cache', 'do not read or write the processed-schema cache')
    .option('--cache-dir <dir>', 'processed-schema cache folder (default $XDG_CACHE_HOME/dtkit)')
    .addOption(new Option('--host <host>', 'Qualcomm PAS host policy: qhee (base tree: no iommus/qcom,devmem on PAS nodes) or kvm (every enabled PAS remoteproc has iommus)').choices(['qhee', 'kvm']))
    .option('--require-devmem', 'iommus without qcom,devmem is an error (the originally proposed driver)')
    .option('--iommu-page-size <size>', 'IOMMU page size for qcom_devmem_alignment (default 4K)')
    .action((inputs: string[], o: Record<string, unknown>) => {
      const opts: ValidateCliOptions = {
        include: o.include as string[],
        schemas: o.schemas as string[],
        coreSchemas: o.coreSchemas as string | undefined,
        format: o.format as string,
        W: o.warning as string[],
        E: o.error as string[],
        unmatched: o.unmatched as boolean,
        cache: o.cache as boolean,
        cacheDir: o.cacheDir as string | undefined,
        host: o.host as 'qhee' | 'kvm' | undefined,
        requireDevmem: o.requireDevmem as boolean | undefined,
        iommuPageSize: o.iommuPageSize as string | undefined,
      };
      setExit(runValidate(inputs, opts, processValidateIo));
    });
};
