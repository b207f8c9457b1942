// The JSON Schema of the settings file, made from the key table, for editors (YAML language servers read JSON Schema).
// The package ships it as schema/vbox-balloon.schema.json; a test checks that the file is what this makes.
import { CONFIG_KEYS, CONFIG_VERSION, LIMIT_KEYS, type ConfigKey } from './config-keys.js';

type Schema = Record<string, unknown>;

// The same forms the CLI reads (units.ts): 512, 512M, 2G, 1.5G; a percentage only where allowed; 500ms, 30s, 1m30s.
const SIZE: Schema = { anyOf: [{ type: 'integer', minimum: 0 }, { type: 'string', pattern: '^\\d{1,12}(\\.\\d{1,6})?\\s?([mMgGtT]([bB]|i[bB])?)?$' }] };
const PERCENT: Schema = { type: 'string', pattern: '^\\d{1,3}(\\.\\d{1,6})?%$' };
const DURATION: Schema = { type: 'string', pattern: '^(\\d{1,9}(\\.\\d{1,6})?(ms|s|m|h))+$' };

function valueSchema(k: ConfigKey): Schema {
  switch (k.kind) {
    case 'size':
      return SIZE;
    case 'size-or-percent':
      return { anyOf: [...(SIZE['anyOf'] as Schema[]), PERCENT] };
    case 'duration':
      return DURATION;
    case 'boolean':
      return { type: 'boolean' };
    case 'choice':
      return { enum: k.choices };
    case 'address':
      return { type: 'string', pattern: '^(\\[[0-9A-Fa-f:.]+\\]|[^:\\[\\]]+):\\d{1,5}$|^\\d{1,5}$' };
    case 'path':
      return { type: 'string', pattern: '^/' };
    case 'hosts':
      return { type: 'array', items: { type: 'string', pattern: '^([A-Za-z0-9][A-Za-z0-9._-]*\\s+)?ssh://\\S+$' } };
    case 'limits': {
      const properties = Object.fromEntries(
        LIMIT_KEYS.map((l) => [l.key, { description: l.doc, ...(l.kind === 'size' ? SIZE : l.kind === 'count' ? { type: 'integer', minimum: 0, maximum: 1_000_000 } : { type: 'boolean' }) }]),
      );
      return { type: 'object', additionalProperties: { type: 'object', additionalProperties: false, properties } };
    }
  }
}

/** The JSON Schema (draft 2020-12) of a settings file of this version. */
export function configJsonSchema(): Schema {
  const properties: Record<string, Schema> = { version: { description: 'The format of this file', const: CONFIG_VERSION } };
  for (const k of CONFIG_KEYS) {
    properties[k.key] = { description: `${k.doc}${k.policy === undefined ? '' : ` (${k.policy} policy)`}${k.default === null ? '' : `. Default ${String(k.default)}`}`, ...valueSchema(k) };
  }
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'https://github.com/vbox-balloon/vbox-balloon/blob/main/schema/vbox-balloon.schema.json',
    title: 'vbox-balloon settings',
    description: "The settings file of 'vbox-balloon autopilot --config FILE' (YAML); see docs/service.md",
    type: 'object',
    required: ['version'],
    additionalProperties: false,
    properties,
  };
}
