// Microsoft's SARIF validator (`@microsoft/sarif-multitool`, a dev dependency: a self-contained
// .NET program in the npm package for the platform). It checks the SARIF 2.1.0 schema and
// its SARIF1xxx (errors) and SARIF2xxx (advice) rules and writes its findings as SARIF.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';

export interface ValidatorFinding {
  rule: string;
  level: string;
  /** the validator's message id and arguments (its text lives in its rule table) */
  what: string;
}

export interface SarifValidator {
  validate(file: string): ValidatorFinding[];
}

/** Environment for the validator: .NET without ICU data or telemetry, whatever the machine. */
const DOTNET_ENV = { DOTNET_SYSTEM_GLOBALIZATION_INVARIANT: '1', DOTNET_CLI_TELEMETRY_OPTOUT: '1' };

/** The validator, or the plain reason it cannot run here. */
export function sarifValidator(): SarifValidator | string {
  let binary: string;
  try {
    // the package's entry resolves to the platform package's program path
    binary = createRequire(import.meta.url)('@microsoft/sarif-multitool') as string;
  } catch (e) {
    return `@microsoft/sarif-multitool is not installed for ${process.platform} (npm ci installs it): ${(e as Error).message.split('\n')[0]}`;
  }
  const env = { ...process.env, ...DOTNET_ENV };
  const probe = spawnSync(binary, ['--version'], { env, encoding: 'utf8', timeout: 120_000 });
  if (probe.error || probe.status !== 0) {
    return `the SARIF multitool cannot run here: ${probe.error?.message ?? (probe.stderr || probe.stdout).trim().split('\n')[0]}`;
  }
  return {
    validate(file: string): ValidatorFinding[] {
      const out = path.join(path.dirname(file), `${path.basename(file)}.validation.sarif`);
      const r = spawnSync(binary, ['validate', file, '--output', out, '--log', 'ForceOverwrite'], { env, encoding: 'utf8', timeout: 300_000 });
      if (r.error || r.status !== 0 || !fs.existsSync(out)) {
        throw new Error(`sarif-multitool validate failed (${r.error?.message ?? `exit ${r.status}`}): ${r.stdout}${r.stderr}`);
      }
      const log = JSON.parse(fs.readFileSync(out, 'utf8'));
      const run = log.runs[0];
      const rules = new Map<string, { defaultConfiguration?: { level?: string } }>((run.tool.driver.rules ?? []).map((x: { id: string }) => [x.id, x]));
      return (run.results ?? []).map((x: { ruleId: string; level?: string; message: { id?: string; text?: string; arguments?: string[] } }) => ({
        rule: x.ruleId,
        level: x.level ?? rules.get(x.ruleId)?.defaultConfiguration?.level ?? 'warning',
        what: x.message.text ?? `${x.message.id}: ${(x.message.arguments ?? []).join(' | ')}`,
      }));
    },
  };
}
