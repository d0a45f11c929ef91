// The JSON schema of dtkit.config.yaml, validated with ajv (src/yaml: errors at the YAML
// line:col of the offending key or value). `hint` is dtkit's own keyword: the message shown
// when the value at that place is wrong. What a schema cannot say (a rule id dtkit does not
// have, a page size that is not a power of two) is checked after it, in load.ts.
import { listPresets } from '../checks/presets.js';

const folders = (what: string) => ({
  type: 'array',
  items: { type: 'string', minLength: 1, hint: `must be a ${what} path (relative to the config file)` },
  hint: `must be a list of ${what} paths, relative to the config file`,
});

export function configSchema(): object {
  const presets = listPresets().map((p) => p.name);
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://dtkit.dev/schemas/config.json',
    title: 'dtkit.config.yaml',
    type: 'object',
    additionalProperties: false,
    properties: {
      preset: { enum: presets, hint: `must be one of ${presets.join(', ')}` },
      include: folders('folder'),
      schemas: folders('folder'),
      host: { enum: ['qhee', 'kvm'], hint: 'must be qhee or kvm' },
      overlays: folders('overlay file'),
      rules: {
        type: 'object',
        propertyNames: { pattern: '^[A-Za-z0-9_-]+$' },
        additionalProperties: { enum: ['off', 'warning', 'error'], hint: 'must be off, warning or error' },
      },
      'iommu-page-size': {
        anyOf: [
          { type: 'integer', minimum: 1 },
          { type: 'string', pattern: '^\\s*(0[xX][0-9a-fA-F]+|[0-9]+)\\s*([kKmMgG](i?[bB])?|[bB])?\\s*$' },
        ],
        hint: 'must be a size such as 4K, 64K or 0x1000',
      },
      'require-devmem': { type: 'boolean', hint: 'must be true or false' },
    },
  };
}
